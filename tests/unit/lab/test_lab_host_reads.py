# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""What the lab reads from the host: mountinfo, /proc, cgroup trees; and how it stops processes."""

from __future__ import annotations

import os
import signal

from mhmlab import cgroups, mounts, procs

MOUNTINFO = '''\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime master:4 - cgroup2 cgroup2 rw,nsdelegate
50 27 0:50 / /run/netns/mhm-node1 rw - nsfs nsfs rw
51 27 0:51 / /mnt/with\\040space rw unbindable - tmpfs mhm-node1-run rw,size=64m
'''


def test_mountinfo_fields_and_propagation():
    found = mounts.parse(MOUNTINFO)
    assert [m.target for m in found] == ['/proc', '/', '/sys/fs/cgroup', '/sys/fs/cgroup/cpu', '/sys/fs/cgroup/unified',
                                         '/run/netns/mhm-node1', '/mnt/with space']
    assert [m.propagation for m in found] == ['private', 'shared', 'private', 'private', 'slave', 'private', 'unbindable']
    assert found[-1].source == 'mhm-node1-run' and found[-1].super_options == 'rw,size=64m'
    assert mounts.is_mountpoint('/run/netns/mhm-node1', found) and not mounts.is_mountpoint('/run/netns', found)


def test_cgroup_hierarchies_are_the_cgroup_mounts_below_the_root():
    found = mounts.cgroup_hierarchies(mounts.parse(MOUNTINFO))
    assert [(m.target, m.fstype, m.super_options) for m in found] == [
        ('/sys/fs/cgroup/cpu', 'cgroup', 'rw,cpu'), ('/sys/fs/cgroup/unified', 'cgroup2', 'rw,nsdelegate')]


def fake_proc(tmp_path, processes):
    """A /proc with pid -> (argv, mnt namespace)."""
    for pid, (argv, mntns) in processes.items():
        (tmp_path / str(pid) / 'ns').mkdir(parents=True)
        (tmp_path / str(pid) / 'cmdline').write_bytes(b'\0'.join(a.encode() for a in argv) + b'\0')
        os.symlink(mntns, tmp_path / str(pid) / 'ns' / 'mnt')
    (tmp_path / 'self').mkdir()
    return tmp_path


def test_processes_by_argument_and_mount_namespace(tmp_path):
    proc = fake_proc(tmp_path, {
        10: (['/usr/sbin/sshd', '-f', '/c/lab/nodes/node1/sshd_config'], 'mnt:[5]'),
        11: (['python3', '-m', 'http.server', '--directory', '/c/lab/mirror'], 'mnt:[1]'),
        12: (['containerd'], 'mnt:[5]'),
    })
    assert procs.pids(proc) == [10, 11, 12]
    assert procs.with_arg('/c/lab/', proc) == [10, 11]
    assert procs.with_arg('/c/lab/nodes/node1/', proc) == [10]
    assert procs.in_mntns('mnt:[5]', proc) == [10, 12]
    assert procs.in_mntns('', proc) == []
    assert procs.cmdline(11, proc) == 'python3 -m http.server --directory /c/lab/mirror '
    assert procs.argv(99, proc) == [] and procs.namespace(99, 'mnt', proc) is None


def test_stop_terms_then_kills_what_stays():
    sent, alive = [], {7, 8}

    def kill(pid, sig):
        sent.append((pid, sig))
        if sig == signal.SIGKILL or pid == 7:
            alive.discard(pid)

    waits = iter([False, True])
    left = procs.stop(['8', 7, 1, 0, os.getpid(), 'x'], prog='t', kill=kill, is_alive=alive.__contains__,
                      wait=lambda what, probe, prog: probe() or next(waits))
    assert sent == [(7, signal.SIGTERM), (8, signal.SIGTERM), (7, signal.SIGKILL), (8, signal.SIGKILL)]
    assert left == []
    assert procs.stop([1, os.getpid()], prog='t', kill=kill) == []


def test_cgroup_sweep_stops_members_and_removes_the_trees(tmp_path):
    root = tmp_path / 'cgroup'
    for hierarchy in ('cpu', 'memory'):
        pod = root / hierarchy / 'mhm-node1' / 'kubepods' / 'pod1'
        pod.mkdir(parents=True)
        (pod / 'cgroup.procs').write_text('31\n32\n', encoding='utf-8')
        (root / hierarchy / 'mhm-node1' / 'cgroup.procs').write_text('', encoding='utf-8')
    (root / 'cpu' / 'other').mkdir()
    stopped = []

    def stop(pids):
        stopped.extend(sorted(pids))
        for procs_file in root.rglob('cgroup.procs'):  # the kernel empties and drops these with the cgroup
            procs_file.unlink()

    assert cgroups.find('mhm-*', root) == [root / 'cpu' / 'mhm-node1', root / 'memory' / 'mhm-node1']
    assert cgroups.sweep('mhm-node1', stop, root) == []
    assert stopped == [31, 32]
    assert sorted(p.name for p in root.iterdir()) == ['cpu', 'memory']
    assert [p.name for p in (root / 'cpu').iterdir()] == ['other']
    assert cgroups.sweep('mhm-*', stop, tmp_path / 'none') == []
