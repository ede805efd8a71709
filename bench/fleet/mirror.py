# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The benchmark's own mirror: the lab's mirror directory served on the management bridge, every request logged.

The lab's mirror listens on 127.0.0.1, which the nodes cannot reach; the guide's way fetches on every node,
so the benchmark serves the same files where both the controller and the nodes reach them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    requests: list[tuple[str, str]]

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass

    def do_GET(self):
        self.requests.append((self.client_address[0], self.path))
        super().do_GET()


class Mirror:
    """``with Mirror(dir, address, port) as m``: serves ``dir``; ``m.fetches(name)`` counts GETs of a file."""

    def __init__(self, directory: Path, address: str, port: int):
        self.requests: list[tuple[str, str]] = []
        handler = type('Handler', (_Handler,), {'requests': self.requests})
        self._server = http.server.ThreadingHTTPServer(
            (address, port), functools.partial(handler, directory=str(directory)))
        self.url = f'http://{address}:{port}'
        self._thread = threading.Thread(target=self._server.serve_forever, name='mhm-bench-mirror', daemon=True)

    def __enter__(self) -> 'Mirror':
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def mark(self) -> int:
        return len(self.requests)

    def fetches(self, name: str, since: int = 0) -> int:
        return sum(1 for _client, path in self.requests[since:] if path.rsplit('/', 1)[-1] == name)
