# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""What runs in the VM without the lab package: libcni's config choice (guestpod) and the API relay."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

from mhmlab import guestpod, qemu


def test_first_config_by_name_and_conflist_plugins_get_its_name(tmp_path, monkeypatch):
    monkeypatch.setattr(guestpod, 'CNI_CONF_DIR', tmp_path)
    (tmp_path / '05-cilium.conflist').write_text(json.dumps(
        {'cniVersion': '0.3.1', 'name': 'cilium', 'plugins': [{'type': 'cilium-cni'}, {'type': 'tuning'}]}))
    (tmp_path / 'multus.d').mkdir()
    (tmp_path / 'README').write_text('not a config')
    assert guestpod.first_config().name == '05-cilium.conflist'
    assert guestpod.plugin_confs(guestpod.first_config()) == [
        {'type': 'cilium-cni', 'name': 'cilium', 'cniVersion': '0.3.1'},
        {'type': 'tuning', 'name': 'cilium', 'cniVersion': '0.3.1'}]
    (tmp_path / '00-multus.conf').write_text(json.dumps({'cniVersion': '0.3.1', 'name': 'm', 'type': 'multus'}))
    assert guestpod.plugin_confs(guestpod.first_config()) == [{'cniVersion': '0.3.1', 'name': 'm', 'type': 'multus'}]


def test_relay_carries_a_connection_both_ways():
    with socket.create_server(('127.0.0.1', 0)) as server:
        port = server.getsockname()[1]

        def answer():
            conn, _address = server.accept()
            with conn:
                conn.sendall(conn.recv(100).upper())

        thread = threading.Thread(target=answer)
        thread.start()
        done = subprocess.run([sys.executable, str(qemu.RELAY), '127.0.0.1', str(port)], input=b'hello',
                              capture_output=True, timeout=30, check=False)
        thread.join(timeout=30)
    assert (done.returncode, done.stdout) == (0, b'HELLO')


def test_terminate_kills_what_ignores_term():
    stubborn = subprocess.Popen([sys.executable, '-c', 'import signal, time\n'  # pylint: disable=consider-using-with
                                 'signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint(1, flush=True)\ntime.sleep(60)'],
                                stdout=subprocess.PIPE)
    assert stubborn.stdout.readline() == b'1\n'
    guestpod.terminate([stubborn.pid], 0.5, os.kill)
    assert stubborn.wait(timeout=10) == -9
