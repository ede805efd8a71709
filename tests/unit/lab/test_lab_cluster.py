# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""clusterctl (python -m mhmlab cluster): its settings, files, answers and careful teardown order."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhmlab import cli, cluster, clusterdown, pki
from mhmlab import plan as lab_plan
from mhmlab.controlplane import ControlPlane
from mhmlab.runner import Result, Runner

PLAN = lab_plan.build(cache=Path('/c'))


def test_settings_come_from_the_plan_and_the_environment_overrides_them():
    cp = ControlPlane.from_plan(PLAN, {})
    assert (cp.name, cp.address, cp.apiserver_port, cp.service_ip) == ('mhm-lab', '127.0.0.1', 16443, '198.18.96.1')
    assert cp.kube_bin == Path('/c/cluster-bin/k8s-v1.36.3')
    assert cp.cluster_dir == Path('/c/cluster/kwok/clusters/mhm-lab')
    moved = ControlPlane.from_plan(PLAN, {'MHM_CLUSTER_NAME': 'mhm-x', 'MHM_CLUSTER_APISERVER_PORT': '17443',
                                          'KUBE_VERSION': '1.2.3', 'MHM_CLUSTER_ETCD_PORT': ''})
    assert (moved.name, moved.apiserver_port, moved.etcd_port) == ('mhm-x', 17443, 16379)
    assert moved.kube_bin == Path('/c/cluster-bin/k8s-v1.2.3')


def test_kwokctl_config_names_the_plans_ports_and_the_local_binaries():
    text = ControlPlane.from_plan(PLAN, {}).kwok_config_text()
    assert '$' not in text
    for line in ('  bindAddress: 127.0.0.1\n', '  kubeApiserverPort: 16443\n', '  etcdVersion: 3.6.16\n',
                 '  kubeVersion: v1.36.3\n', '  kubeApiserverBinary: /c/cluster-bin/k8s-v1.36.3/kube-apiserver\n',
                 '  kubeApiserverCertSANs: [198.18.96.1, 198.18.65.10, 198.18.66.10]\n', '        value: 198.18.0.1\n',
                 '        value: /c/cluster/kwok/clusters/mhm-lab/pki/admin.crt\n'):
        assert line in text
    assert text.count('        value: 198.18.96.0/24\n') == 2


def test_audit_policy_records_the_collections_writes_with_their_body():
    text = ControlPlane.from_plan(PLAN, {}).audit_policy_text()
    assert '    users: [mhm-admin]\n' in text and text.endswith('  - level: Metadata\n')


def test_env_is_what_kubeletctl_used_to_eval(capsys):
    assert cluster.Cluster(PLAN, Runner(dry_run=True), {}).env() == 0
    assert capsys.readouterr().out.splitlines() == [
        'MHM_CLUSTER_NAME=mhm-lab', 'MHM_CLUSTER_SERVICE_IP=198.18.96.1', 'MHM_CLUSTER_SERVICE_CIDR=198.18.96.0/24',
        'MHM_CLUSTER_ADDR=127.0.0.1', 'MHM_CLUSTER_PORT_APISERVER=16443',
        'MHM_CLUSTER_KUBECONFIG_PATH=/c/cluster/kubeconfig', 'MHM_CLUSTER_KUBE_BIN=/c/cluster-bin/k8s-v1.36.3',
        'MHM_CLUSTER_PKI=/c/cluster/kwok/clusters/mhm-lab/pki']


def test_status_and_kubeconfig_of_a_cluster_that_is_down(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('MULTIHOME_CACHE', str(tmp_path))
    assert cli.main(['cluster', 'status']) == 3
    assert capsys.readouterr().out == 'cluster mhm-lab: down\n'
    assert cli.main(['cluster', 'kubeconfig']) == 1
    out = capsys.readouterr()
    assert out.out == f'{tmp_path}/cluster/kubeconfig\n'
    assert out.err == f'clusterctl: cluster mhm-lab is not up: {tmp_path}/cluster/kubeconfig does not exist\n'


def test_usage(capsys):
    assert cli.main(['cluster', 'bogus']) == 2
    assert '  clusterctl up ' in capsys.readouterr().err
    assert cli.main(['cluster', '--help']) == 0
    assert 'clusterctl env ' in capsys.readouterr().out


def test_a_name_outside_the_prefix_is_refused(capsys):
    plane = cluster.Cluster(PLAN, Runner(dry_run=True), {'MHM_CLUSTER_NAME': 'prod'})
    with pytest.raises(cluster.ClusterError, match='must start with mhm'):
        plane.down()


def test_client_certificates_are_signed_by_the_cluster_ca(tmp_path):
    runner = Runner(dry_run=True, respond=lambda argv: Result(argv, 0, 'ab12\n' if argv[1] == 'rand' else ''))
    pki.sign_client(runner, Path('/ca'), tmp_path / 'mhm-admin', '/O=system:masters/CN=mhm-admin', days=365)
    req, rand, x509 = (call.argv for call in runner.calls)
    assert req[:2] == ('openssl', 'req') and req[req.index('-subj') + 1] == '/O=system:masters/CN=mhm-admin'
    assert req[req.index('-keyout') + 1] == f'{tmp_path}/mhm-admin.key'
    assert rand == ('openssl', 'rand', '-hex', '16')
    assert x509[x509.index('-CAkey') + 1] == '/ca/ca.key' and x509[x509.index('-set_serial') + 1] == '0xab12'
    assert x509[x509.index('-out') + 1] == f'{tmp_path}/mhm-admin.crt'


class FakeHost:
    """The machine as the cluster's teardown sees it; every step recorded."""

    def __init__(self, *, kwokctl=(), components=None, leftovers=(), stays=(), can_delete=True, delete_ok=True):
        self.kwokctl = list(kwokctl)
        self.components = dict(components or {})
        self.leftovers = list(leftovers)
        self.stays = set(stays)
        self.deletable, self.delete_ok = can_delete, delete_ok
        self.calls: list[tuple] = []

    def kwokctl_pids(self):
        return list(self.kwokctl)

    def component_pid(self, component):
        return self.components.get(component)

    def owned_pids(self):
        return list(self.leftovers)

    def stop(self, pids):
        pids = list(pids)
        self.calls.append(('stop', tuple(pids)))
        self.kwokctl = [p for p in self.kwokctl if p not in pids]
        self.components = {c: p for c, p in self.components.items() if p not in pids}
        self.leftovers = [p for p in self.leftovers if p not in pids or p in self.stays]

    def can_delete(self):
        return self.deletable

    def kwokctl_delete(self):
        self.calls.append(('kwokctl delete',))
        if self.delete_ok:
            self.components = {}
        return self.delete_ok

    def port_in_use(self, port):
        return False

    def rmtree(self):
        self.calls.append(('rmtree',))


CP = ControlPlane.from_plan(PLAN, {})


def test_down_stops_an_interrupted_kwokctl_before_deleting():
    host = FakeHost(kwokctl=[7])
    clusterdown.down(host, CP)
    assert host.calls == [('stop', (7,)), ('kwokctl delete',), ('rmtree',)]


def test_down_after_a_failed_delete_stops_clients_first_and_etcd_last(capsys):
    host = FakeHost(components={'etcd': 1, 'kube-apiserver': 2, 'kube-controller-manager': 3, 'kube-scheduler': 4},
                    delete_ok=False, leftovers=[9])
    clusterdown.down(host, CP)
    assert host.calls == [('kwokctl delete',), ('stop', (4,)), ('stop', (3,)), ('stop', (2,)), ('stop', (1,)),
                          ('stop', (9,)), ('rmtree',)]
    assert 'kwokctl delete cluster failed; stopping the processes directly' in capsys.readouterr().err


def test_down_of_a_half_made_cluster_skips_the_delete():
    host = FakeHost(can_delete=False, components={'etcd': 1})
    clusterdown.down(host, CP)
    assert host.calls == [('stop', (1,)), ('rmtree',)]


def test_down_keeps_the_state_when_a_process_survives():
    host = FakeHost(leftovers=[5], stays=[5])
    with pytest.raises(clusterdown.LeftBehind, match='processes still running: 5'):
        clusterdown.down(host, CP)
    assert ('rmtree',) not in host.calls


def test_kwokctl_delete_never_names_the_users_kubeconfig(tmp_path):
    runner = Runner(dry_run=True)
    cp = ControlPlane.from_plan(lab_plan.build(cache=tmp_path), {})
    assert clusterdown.Host(runner, cp).kwokctl_delete()
    argv = runner.calls[0].argv
    assert argv[:3] == (str(cp.kwokctl), '-c', str(cp.kwok_config))
    assert argv[argv.index('--kubeconfig') + 1] == f'{tmp_path}/cluster/no-such-kubeconfig'
    assert argv[-2:] == ('--name', 'mhm-lab')
    assert runner.calls[0].timeout == clusterdown.DELETE_WAIT


def test_owns_only_our_binaries_in_the_state_dir(tmp_path):
    cp = ControlPlane.from_plan(lab_plan.build(cache=tmp_path), {})
    proc = tmp_path / 'proc'
    for pid, exe, cwd in ((10, cp.kube_bin / 'kube-apiserver', cp.cluster_dir),
                          (11, cp.kube_bin / 'kube-apiserver', tmp_path / 'elsewhere'),
                          (12, Path('/usr/bin/etcd'), cp.cluster_dir)):
        (proc / str(pid)).mkdir(parents=True)
        (proc / str(pid) / 'exe').symlink_to(exe)
        (proc / str(pid) / 'cwd').symlink_to(cwd)
    (proc / '13').mkdir()
    (proc / '13' / 'exe').symlink_to(cp.kwokctl)
    (proc / '13' / 'environ').write_bytes(f'A=b\0KWOK_WORKDIR={cp.kwok_workdir}\0'.encode())
    assert cp.owned_pids(proc) == [10, 13]
    assert cp.kwokctl_pids(proc) == [13]
    (cp.cluster_dir / 'pids').mkdir(parents=True)
    (cp.cluster_dir / 'pids' / 'kube-apiserver.pid').write_text('10\n', encoding='utf-8')
    (cp.cluster_dir / 'pids' / 'etcd.pid').write_text('12\n', encoding='utf-8')
    assert cp.component_pid('kube-apiserver', proc) == 10
    assert cp.component_pid('etcd', proc) is None
