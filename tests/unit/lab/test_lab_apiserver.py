# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""restart-apiserver (python -m mhmlab cluster): how a running API server was started, read from /proc."""

from __future__ import annotations

import pytest

from mhmlab import apiserver, cluster


def fake_process(proc, pid, argv, cwd, environ):
    directory = proc / str(pid)
    directory.mkdir(parents=True)
    (directory / 'cmdline').write_bytes(b'\0'.join(a.encode() for a in argv) + b'\0')
    (directory / 'environ').write_bytes(b'\0'.join(e.encode() for e in environ) + b'\0')
    (directory / 'cwd').symlink_to(cwd)


def test_launch_is_the_command_line_directory_and_environment(tmp_path):
    fake_process(tmp_path, 42, ['/c/k8s/kube-apiserver', '--etcd-servers=http://127.0.0.1:16379', ''],
                 '/c/cluster/kwok/clusters/mhm-lab', ['PATH=/usr/bin', 'KWOK_X=a=b'])
    launch = apiserver.launch_of(42, tmp_path)
    # An empty argument stays: only the terminating NUL is dropped.
    assert launch.argv == ['/c/k8s/kube-apiserver', '--etcd-servers=http://127.0.0.1:16379', '']
    assert launch.cwd == '/c/cluster/kwok/clusters/mhm-lab'
    assert launch.env == {'PATH': '/usr/bin', 'KWOK_X': 'a=b'}


def test_a_gone_process_has_no_launch(tmp_path):
    with pytest.raises(ValueError, match='process 7 is gone'):
        apiserver.launch_of(7, tmp_path)


def test_restart_apiserver_is_a_clusterctl_command():
    assert 'clusterctl restart-apiserver [SECONDS]' in cluster.USAGE
