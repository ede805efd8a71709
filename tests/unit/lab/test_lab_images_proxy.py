# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""kubeletctl's helpers as package modules: the image archive (mhmlab.imagearchive) and the service proxy
(mhmlab.serviceproxy, started by mhmlab.hostside as ``python -m mhmlab service-proxy``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tarfile
import threading
import time

from mhmlab import cli, hostside, imagearchive, labimages
from mhmlab import plan as lab_plan
from mhmlab.runner import Result, Runner


def members(archive) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def test_archive_is_a_reproducible_docker_save(tmp_path, capsys):
    root = tmp_path / 'root'
    (root / 'bin').mkdir(parents=True)
    (root / 'bin' / 'sh').write_text('#!\n', encoding='utf-8')
    os.utime(root / 'bin' / 'sh', (1e9, 1e9))
    assert cli.main(['image-archive', str(root), str(tmp_path / 'a.tar'), '--tag', 'mhm.invalid/x:1',
                     '--entrypoint', '["/bin/sh"]']) == 0
    assert capsys.readouterr().out.startswith(f'{tmp_path}/a.tar: sha256:')
    image_id = imagearchive.write_archive(root, tmp_path / 'b.tar', ['mhm.invalid/x:1'], ['/bin/sh'], None, [])
    first, second = members(tmp_path / 'a.tar'), members(tmp_path / 'b.tar')
    assert first == second
    (manifest,) = json.loads(first['manifest.json'])
    assert manifest['RepoTags'] == ['mhm.invalid/x:1'] and manifest['Config'] == f'{image_id}.json'
    assert json.loads(first[manifest['Config']])['config']['Entrypoint'] == ['/bin/sh']
    with tarfile.open(tmp_path / 'a.tar') as outer, tarfile.open(fileobj=outer.extractfile(manifest['Layers'][0])) as layer:
        entries = layer.getmembers()
    assert [(e.name, e.uid, e.uname, e.mtime) for e in entries] == [('bin', 0, 'root', 0), ('bin/sh', 0, 'root', 0)]


def test_kubeletctl_makes_an_image_once_in_process(tmp_path, capsys):
    images = labimages.Images(lab_plan.build(cache=tmp_path), {})
    maker = labimages.Maker(images, Runner(dry_run=True))
    filled = []

    def fill(root):
        filled.append(root)
        (root / 'pause').write_text('#!/bin/sh\n', encoding='utf-8')

    maker.make('mhm.invalid/pause:1', [], fill, entrypoint=['/pause'])
    maker.make('mhm.invalid/pause:1', [], fill, entrypoint=['/pause'])
    archive = images.archive('mhm.invalid/pause:1')
    assert len(filled) == 1 and maker.runner.calls == []
    assert f'{archive}: sha256:' in capsys.readouterr().err
    assert 'manifest.json' in members(archive) and list(images.dir.iterdir()) == [archive]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def echo_server() -> tuple[socket.socket, int]:
    server = socket.create_server(('127.0.0.1', 0))

    def serve():
        conn, _peer = server.accept()
        with conn:
            while data := conn.recv(1024):
                conn.sendall(data.upper())

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


def test_the_proxy_started_as_hostside_starts_it_forwards_bytes_and_stops_on_term(tmp_path, monkeypatch):
    server, target = echo_server()
    listen = free_port()
    children = []

    def spawn(argv, log, _pid_file, env):
        children.append((argv, log, env, subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)))
        return children[-1][-1]

    monkeypatch.setattr(hostside, 'spawn', spawn)
    listens = Runner(dry_run=True, respond=lambda argv: Result(argv, 0, f'LISTEN 0 5 127.0.0.1:{listen} *\n'))
    try:
        hostside.start_service_proxy(listens, tmp_path, 'mhm-mgmt', ('127.0.0.1', listen), f'127.0.0.1:{target}',
                                     'test')
        (argv, log, env, child), = children
        assert argv == [sys.executable, '-m', 'mhmlab', 'service-proxy', '--listen', f'127.0.0.1:{listen}',
                        '--target', f'127.0.0.1:{target}']
        assert log == tmp_path / 'service-proxy.log' and env['PYTHONPATH'] == str(hostside.LAB)
        with connect(listen) as proxy:
            proxy.sendall(b'through the clusterip')
            assert proxy.recv(1024) == b'THROUGH THE CLUSTERIP'
        child.terminate()
        assert child.wait(timeout=10) == 0
    finally:
        server.close()
        for *_rest, child in children:
            child.kill()
            child.wait(timeout=10)


def connect(port: int) -> socket.socket:
    for _try in range(50):
        try:
            return socket.create_connection(('127.0.0.1', port), timeout=5)
        except ConnectionRefusedError:
            time.sleep(0.1)
    raise AssertionError(f'nothing listens on 127.0.0.1:{port}')
