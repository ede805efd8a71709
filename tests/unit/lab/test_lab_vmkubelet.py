# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The VM kubelet stand-in's pure parts: the Node it registers, and a DaemonSet's pod as guestpod.py runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhmlab import plan as lab_plan
from mhmlab import vmkubelet

PLAN = lab_plan.build(cache=Path('/c'))
VM = PLAN.vm.vm('vm1')
API = ('198.18.65.10', 443)


def daemonset(template: dict) -> dict:
    return {'metadata': {'name': 'kube-multus-ds', 'namespace': 'kube-system'}, 'spec': {'template': {'spec': template}}}


def thin(**extra) -> dict:
    return {
        'serviceAccountName': 'multus',
        'initContainers': [{'name': 'install', 'image': 'm:1', 'command': ['/install_multus', '-d', '/host/opt/cni/bin'],
                            'volumeMounts': [{'name': 'cnibin', 'mountPath': '/host/opt/cni/bin'}]}],
        'containers': [{'name': 'kube-multus', 'image': 'm:1', 'command': ['/thin_entrypoint'],
                        'args': ['--multus-conf-file=auto'],
                        'env': [{'name': 'NODE', 'valueFrom': {'fieldRef': {'fieldPath': 'spec.nodeName'}}},
                                {'name': 'LEVEL', 'value': 'debug'}],
                        'volumeMounts': [{'name': 'cni', 'mountPath': '/host/etc/cni/net.d'},
                                         {'name': 'cnibin', 'mountPath': '/host/opt/cni/bin'}]}],
        'volumes': [{'name': 'cni', 'hostPath': {'path': '/etc/cni/net.d', 'type': 'DirectoryOrCreate'}},
                    {'name': 'cnibin', 'hostPath': {'path': '/opt/cni/bin'}}],
        **extra,
    }


def test_node_has_no_os_label_so_no_daemonset_targets_it():
    node = vmkubelet.node_manifest(VM)
    assert node['metadata']['name'] == 'vm1'
    assert 'kubernetes.io/os' not in node['metadata']['labels']
    assert node['spec']['podCIDR'] == str(VM.pod_cidr)


def test_containers_run_in_order_with_host_paths_env_and_the_api_address():
    spec, projected = vmkubelet.pod_spec(daemonset(thin()), VM, API)
    init, main = spec['containers']
    assert (init['init'], main['init']) == (True, False)
    assert main['argv'] == ['/thin_entrypoint', '--multus-conf-file=auto']
    assert main['env']['NODE'] == 'vm1' and main['env']['LEVEL'] == 'debug'
    assert (main['env']['KUBERNETES_SERVICE_HOST'], main['env']['KUBERNETES_SERVICE_PORT']) == ('198.18.65.10', '443')
    assert {'source': '/etc/cni/net.d', 'target': '/host/etc/cni/net.d', 'readOnly': False, 'create': True,
            'propagation': None} \
        in main['mounts']
    assert spec['rootfs'] == '/run/mhm-kubelet/pods/kube-system_kube-multus-ds/rootfs'
    # The default service account mount, as the API server's admission adds it: once, for both containers.
    assert [item['dir'] for item in projected] == ['/run/mhm-kubelet/pods/kube-system_kube-multus-ds/volumes/'
                                                   'mhm-kube-api-access']
    assert {m['target'] for m in init['mounts']} == {'/host/opt/cni/bin', vmkubelet.SA_DIR}


def test_an_explicit_token_volume_replaces_the_default_one():
    template = thin(volumes=[*thin()['volumes'], {'name': 'multus-token', 'projected': {'sources': [
        {'serviceAccountToken': {'path': 'token', 'expirationSeconds': 600}}]}}])
    template['containers'][0]['volumeMounts'].append({'name': 'multus-token', 'mountPath': vmkubelet.SA_DIR,
                                                      'readOnly': True})
    _spec, projected = vmkubelet.pod_spec(daemonset(template), VM, API)
    assert [item['dir'].rsplit('/', 1)[1] for item in projected] == ['mhm-kube-api-access', 'multus-token']
    assert projected[1]['sources'][0]['serviceAccountToken']['expirationSeconds'] == 600


def test_automount_off_means_no_token():
    _spec, projected = vmkubelet.pod_spec(daemonset(thin(automountServiceAccountToken=False)), VM, API)
    assert not projected


def test_a_configmap_volume_is_filled_like_a_projected_one():
    template = thin(volumes=[{'name': 'cni', 'configMap': {'name': 'cron', 'items': [{'key': 'k', 'path': 'config'}]}},
                             {'name': 'cnibin', 'hostPath': {'path': '/opt/cni/bin'}}])
    _spec, projected = vmkubelet.pod_spec(daemonset(template), VM, API)
    filled = {item['dir'].rsplit('/', 1)[1]: item['sources'] for item in projected}
    items = [{'key': 'k', 'path': 'config'}]
    assert filled['cni'] == [{'name': 'cni', 'configMap': {'name': 'cron', 'items': items}}]


@pytest.mark.parametrize('volume', [{'name': 'cni', 'emptyDir': {}}, {'name': 'cni', 'secret': {'secretName': 's'}}])
def test_unsupported_volumes_are_refused(volume):
    template = thin(volumes=[volume, {'name': 'cnibin', 'hostPath': {'path': '/opt/cni/bin'}}])
    with pytest.raises(vmkubelet.KubeletError, match='only hostPath, projected and configMap'):
        vmkubelet.pod_spec(daemonset(template), VM, API)


def test_env_from_unsupported_fields_is_refused():
    template = thin()
    template['containers'][0]['env'] = [{'name': 'IP', 'valueFrom': {'fieldRef': {'fieldPath': 'status.podIP'}}}]
    with pytest.raises(vmkubelet.KubeletError, match='env IP'):
        vmkubelet.pod_spec(daemonset(template), VM, API)


@pytest.mark.parametrize('quantity, expected', [('50Mi', 50 * 2**20), ('1G', 10**9), ('128974848', 128974848),
                                                ('2Ki', 2048)])
def test_memory_quantities(quantity, expected):
    assert vmkubelet.memory_bytes(quantity) == expected


def test_a_memory_limit_reaches_the_container():
    template = thin()
    template['containers'][0]['resources'] = {'limits': {'memory': '50Mi'}, 'requests': {'memory': '50Mi'}}
    spec, _projected = vmkubelet.pod_spec(daemonset(template), VM, API)
    assert [c['memory_limit'] for c in spec['containers']] == [None, 50 * 2**20]
    with pytest.raises(vmkubelet.KubeletError, match="memory quantity '1.5Gi'"):
        vmkubelet.memory_bytes('1.5Gi')
