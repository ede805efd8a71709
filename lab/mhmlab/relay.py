# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""One guest connection to a host port: ``relay.py HOST PORT`` with the connection on stdin and stdout.

QEMU's user networking runs this for every TCP connection a VM opens to its
``api_address`` (``guestfwd=...-cmd:``), so the guest reaches the lab API server
on the host's loopback while ``restrict=on`` keeps every other way out closed.
Stdlib only, run by path: it must not depend on the lab package's import path.
"""

from __future__ import annotations

import os
import selectors
import socket
import sys

CHUNK = 65536
CONNECT_TIMEOUT = 10


def pump(host: str, port: int) -> None:
    upstream = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    upstream.settimeout(None)
    with selectors.DefaultSelector() as selector:
        selector.register(0, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, None)
        while True:
            for key, _events in selector.select():
                if key.data is None:
                    data = upstream.recv(CHUNK)
                    if not data:
                        return
                    os.write(1, data)
                else:
                    data = os.read(0, CHUNK)
                    if not data:
                        upstream.shutdown(socket.SHUT_WR)
                        selector.unregister(0)
                        continue
                    upstream.sendall(data)


def main() -> None:
    try:
        pump(sys.argv[1], int(sys.argv[2]))
    except OSError as exc:
        print(f'mhm relay to {sys.argv[1]}:{sys.argv[2]}: {exc}', file=sys.stderr)


if __name__ == '__main__':
    main()
