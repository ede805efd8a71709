# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The namespace lab's careful teardown order, against a recording stand-in for the host."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from mhmlab import plan as lab_plan
from mhmlab import teardown
from mhmlab.plan import Paths
from mhmlab.state import MADE_MARK, State

PLAN = lab_plan.build()
MOUNTPOINTS = ('/etc/cni', '/opt/cni/bin', '/var/lib/kubelet')


class FakeHost:
    """The host as teardown sees it: namespaces, pids, links, mounts, dirs; every change recorded."""

    def __init__(self, *, netns=(), pids=None, links=(), mounts=(), dirs=(), files=(), links_stay=False, left_pids=()):
        self.netns = list(netns)
        self.pids = dict(pids or {})
        self.links = list(links)
        self.mounts = list(mounts)
        self.dirs = set(dirs)
        self.files = set(files)
        self.links_stay = links_stay
        self.left_pids = list(left_pids)
        self.calls: list[tuple] = []
        self.logged: list[str] = []

    def lab_netns(self):
        return list(self.netns)

    def netns_exists(self, name):
        return name in self.netns

    def netns_pids(self, name):
        return self.pids.get(name, [])

    def mntns_pids(self, mntns):
        return self.pids.get(mntns, []) if mntns else []

    def pids_with_arg(self, needle):
        return self.pids.get(needle, []) or self.left_pids

    def stop(self, pids):
        pids = list(pids)
        self.calls.append(('stop', tuple(sorted(pids))))
        for key in self.pids:
            self.pids[key] = [p for p in self.pids[key] if p not in pids]

    def sweep_cgroups(self, pattern):
        self.calls.append(('sweep', pattern))

    def netns_del(self, name):
        self.calls.append(('netns del', name))
        self.netns.remove(name)
        return True

    def host_links(self):
        return list(self.links)

    def link_del(self, name, netns_name=None):
        self.calls.append(('link del', name, netns_name))
        if name in self.links and not self.links_stay:
            self.links.remove(name)

    def wait(self, what, probe):
        return bool(probe())

    def mount_targets(self):
        return [mount[0] for mount in self.mounts]

    def mount_sources(self):
        return [mount[1] for mount in self.mounts]

    def umount(self, target, lazy):
        self.calls.append(('umount', target, lazy))
        self.mounts = [m for m in self.mounts if m[0] != target]
        return True

    def is_dir(self, path):
        return path in self.dirs

    def exists(self, path):
        return path in self.files or path in self.dirs

    def listdir(self, path):
        return [f for f in self.files | self.dirs if f.startswith(f'{path}/')]

    def remove_file(self, path):
        self.files.discard(path)

    def rmdir(self, path):
        if self.listdir(path):
            return False
        self.calls.append(('rmdir', path))
        self.dirs.discard(path)
        return True

    def rmtree(self, path):
        self.calls.append(('rmtree', str(path)))

    def read(self, path):
        return 'mnt:[7]' if path.name == 'mntns' else ''

    def log(self, message):
        self.logged.append(message)


@pytest.fixture(name='state')
def fixture_state(tmp_path):
    state = State(Paths(PurePosixPath(tmp_path)))
    (state.nodes / 'node1').mkdir(parents=True)
    return state


def kinds(calls):
    """The order of the kinds of steps, each kind once, where it first appears."""
    seen = []
    for call in calls:
        if call[0] not in seen:
            seen.append(call[0])
    return seen


def test_down_goes_processes_cgroups_namespaces_links_mounts_dirs_state(state):
    host = FakeHost(
        netns=['mhm-node1', 'mhm-fabric'],
        pids={'mhm-node1': [101], 'mnt:[7]': [102], f'{state.root}/': [103]},
        links=['mhm-mgmt', 'mhm-n1-e0'],
        mounts=[('/run/netns/mhm-node1', 'nsfs'), ('/run/netns', 'tmpfs')],
        dirs={'/run/netns', '/etc/cni', '/opt/cni', '/opt/cni/bin'},
        files={'/etc/cni/' + MADE_MARK, '/opt/cni/bin/' + MADE_MARK})
    teardown.down(host, PLAN, state, MOUNTPOINTS)
    assert kinds(host.calls) == ['stop', 'sweep', 'netns del', 'link del', 'umount', 'rmdir', 'rmtree']
    assert host.calls[0] == ('stop', (101, 102, 103))
    assert ('sweep', 'mhm-*') in host.calls
    # The namespaces' leftover mounts lazily, then /run/netns itself once empty, deepest dirs first.
    assert [c for c in host.calls if c[0] in ('umount', 'rmdir')] == [
        ('umount', '/run/netns/mhm-node1', True), ('rmdir', '/opt/cni/bin'), ('umount', '/run/netns', False),
        ('rmdir', '/run/netns'), ('rmdir', '/etc/cni'), ('rmdir', '/opt/cni')]
    assert host.calls[-1] == ('rmtree', str(state.root))


def test_down_stops_twice_only_when_something_is_left(state):
    host = FakeHost(pids={'mhm-node1': [5]}, netns=['mhm-node1'])
    teardown.stop_processes(host, state)
    assert [c for c in host.calls if c[0] == 'stop'] == [('stop', (5,))]
    restarted = FakeHost(pids={'mhm-node1': [5]}, netns=['mhm-node1'])
    original = restarted.stop

    def stop_and_respawn(pids):
        original(pids)
        if len(restarted.calls) == 1:
            restarted.pids['mhm-node1'] = [6]  # a shim started while the first pass stopped the runtime
    restarted.stop = stop_and_respawn
    teardown.stop_processes(restarted, state)
    assert [c for c in restarted.calls if c[0] == 'stop'] == [('stop', (5,)), ('stop', (6,))]


def test_down_keeps_a_busy_run_netns_and_says_what_it_kept(state):
    host = FakeHost(dirs={'/run/netns', '/run/netns/other', '/var/lib/kubelet'},
                    files={'/var/lib/kubelet/' + MADE_MARK, '/var/lib/kubelet/pods'})
    teardown.remove_made_dirs(host, state, MOUNTPOINTS)
    assert '/run/netns' in host.dirs
    assert not [c for c in host.calls if c[0] == 'umount']
    assert host.logged == ['kept /var/lib/kubelet (not empty or busy)']


def test_down_reports_what_is_left(state):
    host = FakeHost(links=['mhm-stuck'], links_stay=True, left_pids=[42], mounts=[('/mnt/x', 'mhm-node1-run')])
    with pytest.raises(teardown.LeftBehind, match=r'down left: links: mhm-stuck; processes: 42; mounts'):
        teardown.down(host, PLAN, state, MOUNTPOINTS)


def test_made_dirs_deepest_first():
    assert teardown.made_dirs(['/etc', '/etc/cni', '/var/lib/cni'], ['/opt/cni/bin']) == [
        '/opt/cni/bin', '/var/lib/cni', '/run/netns', '/etc/cni', '/opt/cni', '/etc']


def test_remove_node_order(state):
    node = PLAN.node('node1')
    host = FakeHost(netns=['mhm-node1', 'mhm-fabric'], pids={'mhm-node1': [9], 'mnt:[7]': [10]},
                    links=['mhm-n1-e0'])
    teardown.remove_node(host, PLAN, state, node)
    assert host.calls == [
        ('stop', (9, 10)), ('stop', ()), ('sweep', 'mhm-node1'), ('netns del', 'mhm-node1'),
        ('link del', 'mhm-n1-e0', None), ('link del', 'mhm-n1-e1', 'mhm-fabric'),
        ('rmtree', str(state.node_dir('node1')))]
    assert host.netns == ['mhm-fabric']


def test_node_dirs(state):
    assert teardown.node_dirs(state) == [state.nodes / 'node1']
    assert not teardown.node_dirs(State(Paths(PurePosixPath('/nonexistent/mhm'))))
