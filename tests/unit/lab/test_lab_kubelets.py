# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""kubeletctl (python -m mhmlab kubelets): a node's files, the host's changes and the order a node stops in."""

from __future__ import annotations

import os
from pathlib import Path

from mhmlab import cgroups, hostside, labimages, nodeside
from mhmlab import plan as lab_plan
from mhmlab.controlplane import ControlPlane
from mhmlab.runner import Result, Runner

PLAN = lab_plan.build(cache=Path('/c'))
NODE = PLAN.node('node2')
CP = ControlPlane.from_plan(PLAN, {})
FILES = nodeside.NodeFiles(Path('/c/kubelet/nodes/node2'), NODE, PLAN, CP)


def test_kubelet_config_binds_the_nodes_eth0_in_its_own_cgroup_root():
    text = FILES.kubelet_text()
    assert '$' not in text
    for line in ('address: 198.18.0.12\n', 'port: 10250\n', 'cgroupRoot: /mhm-node2\n',
                 '  x509: {clientCAFile: /c/cluster/kwok/clusters/mhm-lab/pki/ca.crt}\n'):
        assert line in text


def test_node_kubeconfig_reaches_the_api_server_through_the_clusterip():
    text = FILES.kubeconfig_text()
    assert '      server: https://198.18.96.1:443\n' in text
    assert '      client-certificate: /c/kubelet/nodes/node2/kubelet.crt\n' in text
    assert '  - name: system:node:node2\n' in text


def test_containerd_uses_the_imported_pause_image():
    assert 'sandbox_image = "registry.k8s.io/pause:3.10"\n' in FILES.containerd_text()


def test_images_are_named_as_the_archive_files_before():
    images = labimages.Images(PLAN, {})
    assert images.archive(images.multus_image) == Path(
        '/c/lab-images/registry.mhm-lab.invalid_k8snetworkplumbingwg_multus-cni_v4.3.0.tar')
    assert labimages.Images(PLAN, {'MHM_MULTUS_IMAGE': 'mhm.invalid/m:1'}).multus_image == 'mhm.invalid/m:1'


def test_an_archive_is_fresh_only_when_newer_than_every_input(tmp_path):
    archive, source = tmp_path / 'a.tar', tmp_path / 'bin'
    source.write_text('x', encoding='utf-8')
    assert not labimages.fresh(archive, [source])
    archive.write_text('tar', encoding='utf-8')
    os.utime(source, (1000, 1000))
    assert labimages.fresh(archive, [source])
    os.utime(source, (4e9, 4e9))
    assert not labimages.fresh(archive, [source])


def test_sysctls_are_saved_once_and_restored(tmp_path):
    runner = Runner(dry_run=True, respond=lambda argv: Result(argv, 0, 'vm.overcommit_memory = 0\nkernel.panic = 1\n'))
    saved = tmp_path / 'host-sysctls'
    hostside.save_sysctls(runner, saved)
    hostside.save_sysctls(runner, saved)
    assert saved.read_text(encoding='utf-8') == 'vm.overcommit_memory=0\nkernel.panic=1\n'
    assert len(runner.calls) == 1 and runner.calls[0].argv[:2] == ('sysctl', 'vm.overcommit_memory')
    hostside.restore_sysctls(runner, saved, print)
    assert [c.argv for c in runner.calls[1:]] == [('sysctl', '-q', '-w', 'vm.overcommit_memory=0'),
                                                  ('sysctl', '-q', '-w', 'kernel.panic=1')]
    assert not saved.exists()


def test_the_clusterip_leaves_every_device_that_holds_it(tmp_path):
    out = '5: mhm-mgmt    inet 198.18.96.1/32 scope global mhm-mgmt\n'
    runner = Runner(dry_run=True, respond=lambda argv: Result(argv, 0, out if 'show' in argv else ''))
    hostside.stop_service_proxy(runner, tmp_path, '198.18.96.1', 'kubeletctl')
    assert [c.argv for c in runner.calls] == [('ip', '-o', 'addr', 'show', 'to', '198.18.96.1/32'),
                                              ('ip', 'addr', 'del', '198.18.96.1/32', 'dev', 'mhm-mgmt')]


def test_cgroup_roots_go_into_every_v1_hierarchy_with_cpuset_copied(tmp_path):
    for name in ('cpuset', 'memory'):
        (tmp_path / name).mkdir()
        (tmp_path / name / 'cgroup.procs').write_text('', encoding='utf-8')
    (tmp_path / 'cpuset' / 'cpuset.cpus').write_text('0-1\n', encoding='utf-8')
    (tmp_path / 'cpuset' / 'cpuset.mems').write_text('0\n', encoding='utf-8')
    (tmp_path / 'unified').mkdir()
    (tmp_path / 'unified' / 'cgroup.procs').write_text('', encoding='utf-8')
    (tmp_path / 'unified' / 'cgroup.controllers').write_text('', encoding='utf-8')
    (tmp_path / 'cpu').symlink_to(tmp_path / 'memory')
    cgroups.make_root('mhm-node2', tmp_path)
    assert [d.name for d in cgroups.v1_hierarchies(tmp_path)] == ['cpuset', 'memory']
    assert (tmp_path / 'memory' / 'mhm-node2').is_dir() and not (tmp_path / 'unified' / 'mhm-node2').exists()
    assert (tmp_path / 'cpuset' / 'mhm-node2' / 'cpuset.cpus').read_text(encoding='utf-8') == '0-1\n'


class FakeNodeHost:
    def __init__(self, daemons, shims=()):
        self.daemons = dict(daemons)
        self.shim_pids = list(shims)
        self.calls: list[tuple] = []

    def daemon_pid(self, pid_file, marker):
        assert marker.startswith(str(FILES.dir))
        return self.daemons.get(pid_file.name)

    def stop(self, pid):
        self.calls.append(('stop', pid))

    def sweep_cgroups(self):
        self.calls.append(('sweep',))

    def shims(self):
        return list(self.shim_pids)

    def kill(self, pid):
        self.calls.append(('kill', pid))


def test_a_node_stops_kubelet_then_pods_then_shims_then_containerd():
    host = FakeNodeHost({'kubelet.pid': 20, 'containerd.pid': 10}, shims=[31, 32])
    nodeside.stop_node(host, FILES)
    assert host.calls == [('stop', 20), ('sweep',), ('kill', 31), ('kill', 32), ('stop', 10)]


def test_a_half_started_node_still_sweeps_its_pods():
    host = FakeNodeHost({'containerd.pid': 10})
    nodeside.stop_node(host, FILES)
    assert host.calls == [('sweep',), ('stop', 10)]
