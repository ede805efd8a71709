# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The `kubernetes` ClusterIP of the lab cluster, as kube-proxy would serve it (``python -m mhmlab service-proxy``).

No kube-proxy runs in the lab. The kubelets and Multus' CNI plugin (its
kubeconfig names https://<ClusterIP>:443, written by Multus' entrypoint) reach
the API server through this TCP proxy: it listens on the ClusterIP, which
kubeletctl puts on the host end of the lab's management bridge, and forwards
each connection to the API server on loopback. TLS passes through untouched.
kubeletctl starts it (mhmlab.hostside):

    python -m mhmlab service-proxy --listen CLUSTER_IP:443 --target 127.0.0.1:APISERVER_PORT
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import socketserver
import threading

LOG = logging.getLogger('service_proxy')


class ServiceProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]):
        self.target = target
        super().__init__(listen, ProxyHandler)


class ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            upstream = socket.create_connection(self.server.target, timeout=10)
        except OSError as exc:
            LOG.warning('cannot reach %s:%s: %s', *self.server.target, exc)
            return
        upstream.settimeout(None)
        pump = threading.Thread(target=pump_bytes, args=(upstream, self.request), daemon=True)
        pump.start()
        pump_bytes(self.request, upstream)
        pump.join(timeout=5)


def pump_bytes(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def address(text: str) -> tuple[str, int]:
    host, port = text.rsplit(':', 1)
    return host, int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m mhmlab service-proxy', description=__doc__.split('\n', 1)[0])
    parser.add_argument('--listen', type=address, required=True, help='ClusterIP:port')
    parser.add_argument('--target', type=address, required=True, help='API server host:port on loopback')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')
    proxy = ServiceProxy(args.listen, args.target)

    def stop(_signum, _frame):
        threading.Thread(target=proxy.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    LOG.info('proxying %s:%s to %s:%s', *args.listen, *args.target)
    proxy.serve_forever()
    proxy.server_close()
    return 0
