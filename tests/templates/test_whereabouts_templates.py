# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Render the whereabouts role's templates and check the manifests."""

from __future__ import annotations

from typing import Any

import pytest

DIGEST = 'sha256:' + 'fedcba9876543210' * 4
MIRROR = 'harbor.lab.internal'
MIRROR_REPO = 'k8s/whereabouts'
TEMPLATES = [{'role': 'whereabouts', 'template': t}
             for t in ('crds.yml.j2', 'rbac.yml.j2', 'configmap.yml.j2', 'daemonset.yml.j2')]

SCENARIOS: dict[str, dict[str, Any]] = {
    'wa_default': {'render': TEMPLATES},
    'wa_digest': {'render': TEMPLATES, 'whereabouts_image_digest': DIGEST},
    'wa_mirror': {'render': TEMPLATES, 'whereabouts_image_registry': MIRROR, 'whereabouts_image_repository': MIRROR_REPO},
    'wa_dirs': {
        'render': TEMPLATES, 'whereabouts_cni_bin_dir': '/usr/libexec/cni',
        'whereabouts_cni_conf_dir': '/etc/kubernetes/cni/net.d', 'whereabouts_reconciler_cron': '*/30 * * * *',
        'whereabouts_log_level': 'error', 'whereabouts_memory_limit': '', 'whereabouts_cpu_limit': '',
    },
}

# Names and shapes of the whereabouts v0.9.2 custom resources.
CRDS = {
    'ippools.whereabouts.cni.cncf.io': ('IPPool', {'allocations', 'range'}),
    'overlappingrangeipreservations.whereabouts.cni.cncf.io': ('OverlappingRangeIPReservation', {'podref'}),
    'nodeslicepools.whereabouts.cni.cncf.io': ('NodeSlicePool', {'range', 'sliceSize'}),
}


@pytest.fixture(name='rendered', scope='module')
def fixture_rendered(render) -> dict[str, dict[str, list[dict[str, Any]]]]:
    docs = render(SCENARIOS)
    for name, scenario in SCENARIOS.items():
        assert sorted(docs[name]) == sorted(i['template'].removesuffix('.yml.j2') for i in scenario['render'])
    return docs


def daemonset(rendered, scenario: str) -> dict[str, Any]:
    (ds,) = rendered[scenario]['daemonset']
    assert ds['kind'] == 'DaemonSet'
    return ds


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_every_manifest_validates(rendered, check_manifest, scenario):
    docs = [doc for group in rendered[scenario].values() for doc in group]
    for doc in docs:
        check_manifest(doc)
    assert sorted(d['kind'] for d in docs) == sorted(['CustomResourceDefinition'] * 3 + [
        'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet'])


def test_crds_match_the_release(rendered):
    crds = {d['metadata']['name']: d for d in rendered['wa_default']['crds']}
    assert set(crds) == set(CRDS)
    for name, (kind, required) in CRDS.items():
        spec = crds[name]['spec']
        assert spec['group'] == 'whereabouts.cni.cncf.io'
        assert spec['scope'] == 'Namespaced'
        assert spec['names']['kind'] == kind
        (version,) = spec['versions']
        assert version['name'] == 'v1alpha1' and version['served'] and version['storage']
        schema = version['schema']['openAPIV3Schema']['properties']['spec']
        assert set(schema['required']) == required


@pytest.mark.parametrize('scenario,image', [
    ('wa_default', 'ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.2'),
    ('wa_digest', 'ghcr.io/k8snetworkplumbingwg/whereabouts@' + DIGEST),
    ('wa_mirror', f'{MIRROR}/{MIRROR_REPO}:v0.9.2'),
])
def test_pinned_image(rendered, scenario, image):
    (container,) = daemonset(rendered, scenario)['spec']['template']['spec']['containers']
    assert container['image'] == image
    assert container['imagePullPolicy'] == 'IfNotPresent'


def test_daemonset_installs_into_the_cni_bin_dir(rendered):
    spec = daemonset(rendered, 'wa_default')['spec']['template']['spec']
    (container,) = spec['containers']
    assert {m['mountPath']: m['name'] for m in container['volumeMounts']} == {
        '/host/opt/cni/bin': 'cnibin', '/host/etc/cni/net.d': 'cni-net-dir', '/cron-schedule': 'cron-scheduler-configmap'}
    assert {v['name']: v['hostPath']['path'] for v in spec['volumes'] if 'hostPath' in v} == {
        'cnibin': '/opt/cni/bin', 'cni-net-dir': '/etc/cni/net.d'}
    assert container['command'] == ['/bin/sh']
    script = container['args'][1]
    assert container['args'][0] == '-c'
    # Copied next to its place, then renamed into it: never a half-written binary.
    assert 'export CNI_BIN_DIR=/host/opt/cni/bin/.whereabouts-install/' in script
    assert 'mv -f /host/opt/cni/bin/.whereabouts-install/whereabouts /host/opt/cni/bin/whereabouts' in script
    assert script.index('. /install-cni.sh') < script.index('mv -f') < script.index('exec /ip-control-loop')
    assert 'exec /ip-control-loop -log-level verbose' in script
    env = {e['name']: e.get('value', e.get('valueFrom')) for e in container['env']}
    assert env['CNI_CONF_DIR'] == '/host/etc/cni/net.d'
    assert env['NODENAME'] == {'fieldRef': {'apiVersion': 'v1', 'fieldPath': 'spec.nodeName'}}
    assert spec['serviceAccountName'] == 'whereabouts'
    config = [v for v in spec['volumes'] if v['name'] == 'cron-scheduler-configmap'][0]['configMap']
    assert config['name'] == 'whereabouts-config'
    assert config['items'] == [{'key': 'cron-expression', 'path': 'config'}]


def test_custom_directories(rendered):
    spec = daemonset(rendered, 'wa_dirs')['spec']['template']['spec']
    (container,) = spec['containers']
    # The image derives the node path of its kubeconfig by dropping /host: keep the node path behind it.
    assert {m['mountPath'] for m in container['volumeMounts']} == {
        '/host/usr/libexec/cni', '/host/etc/kubernetes/cni/net.d', '/cron-schedule'}
    assert {v['name']: v['hostPath']['path'] for v in spec['volumes'] if 'hostPath' in v} == {
        'cnibin': '/usr/libexec/cni', 'cni-net-dir': '/etc/kubernetes/cni/net.d'}
    env = {e['name']: e.get('value') for e in container['env']}
    assert env['CNI_CONF_DIR'] == '/host/etc/kubernetes/cni/net.d'
    assert env['WHEREABOUTS_RECONCILER_CRON'] == '*/30 * * * *'
    assert 'mv -f /host/usr/libexec/cni/.whereabouts-install/whereabouts /host/usr/libexec/cni/whereabouts' in container['args'][1]
    assert container['args'][1].rstrip().endswith('-log-level error')
    assert container['resources'] == {'requests': {'cpu': '100m', 'memory': '100Mi'}}
    (cm,) = rendered['wa_dirs']['configmap']
    assert cm['data'] == {'cron-expression': '*/30 * * * *'}


def test_rbac(rendered):
    docs = {d['kind']: d for d in rendered['wa_default']['rbac']}
    rules = docs['ClusterRole']['rules']
    crd_rule = next(r for r in rules if r['apiGroups'] == ['whereabouts.cni.cncf.io'])
    assert sorted(crd_rule['resources']) == sorted(['ippools', 'overlappingrangeipreservations', 'nodeslicepools'])
    assert {'get', 'list', 'watch', 'create', 'update', 'patch', 'delete'} <= set(crd_rule['verbs'])
    assert any(r['apiGroups'] == ['k8s.cni.cncf.io'] and 'network-attachment-definitions' in r['resources'] for r in rules)
    assert any(r['apiGroups'] == ['coordination.k8s.io'] and r['resources'] == ['leases'] for r in rules)
    assert docs['ClusterRoleBinding']['roleRef']['name'] == docs['ClusterRole']['metadata']['name']
    assert docs['ClusterRoleBinding']['subjects'] == [
        {'kind': 'ServiceAccount', 'name': 'whereabouts', 'namespace': 'kube-system'}]
