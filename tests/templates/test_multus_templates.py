# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Render the multus role's templates for the interesting variable combinations and check the manifests."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

DIGEST = 'sha256:' + '0123456789abcdef' * 4
MIRROR = 'registry.lab.internal:5000'
MIRROR_REPO = 'mirror/k8snetworkplumbingwg/multus-cni'

THIN = [{'role': 'multus', 'template': t} for t in ('crd.yml.j2', 'rbac.yml.j2', 'daemonset-thin.yml.j2')]
THICK = [{'role': 'multus', 'template': t} for t in ('crd.yml.j2', 'rbac.yml.j2', 'configmap-thick.yml.j2', 'daemonset-thick.yml.j2')]

SCENARIOS: dict[str, dict[str, Any]] = {
    'thin_default': {'render': THIN},
    'thick_default': {'render': THICK, 'multus_flavor': 'thick'},
    'thin_digest': {'render': THIN, 'multus_image_digest': DIGEST},
    'thin_mirror': {'render': THIN, 'multus_image_registry': MIRROR, 'multus_image_repository': MIRROR_REPO},
    'thick_mirror_digest': {
        'render': THICK, 'multus_flavor': 'thick', 'multus_image_registry': MIRROR,
        'multus_image_repository': MIRROR_REPO, 'multus_image_digest': DIGEST,
    },
    'thin_tuned': {
        'render': THIN, 'multus_readiness_indicator_file': '', 'multus_log_level': 'debug',
        'multus_cpu_limit': '', 'multus_memory_limit': '', 'multus_memory_request': '64Mi',
        'multus_priority_class_name': '', 'multus_master_cni_file_name': '05-cilium.conflist',
        'multus_namespace': 'multus-system', 'multus_cni_bin_dir': '/usr/libexec/cni',
        'multus_cni_conf_dir': '/etc/kubernetes/cni/net.d',
        'multus_tolerations': [{'key': 'dedicated', 'operator': 'Equal', 'value': 'net', 'effect': 'NoSchedule'}],
        'multus_service_account_token_expiration': 900,
    },
    'thin_isolated': {'render': THIN, 'multus_namespace_isolation': True,
                      'multus_global_namespaces': ['default', 'net-shared']},
    'thick_isolated': {'render': THICK, 'multus_flavor': 'thick', 'multus_namespace_isolation': True,
                       'multus_global_namespaces': ['default', 'net-shared']},
    'thin_isolated_only': {'render': THIN, 'multus_namespace_isolation': True},
    'thick_outside_indicator': {
        'render': THICK, 'multus_flavor': 'thick', 'multus_readiness_indicator_file': '/run/cilium/ready',
        'multus_log_level': 'verbose',
    },
}


@pytest.fixture(name='rendered', scope='module')
def fixture_rendered(render) -> dict[str, dict[str, list[dict[str, Any]]]]:
    docs = render(SCENARIOS)
    for name, scenario in SCENARIOS.items():
        assert sorted(docs[name]) == sorted(i['template'].removesuffix('.yml.j2') for i in scenario['render'])
    return docs


def one(docs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [d for d in docs if d['kind'] == kind]
    assert len(found) == 1, f'expected one {kind}, got {len(found)}'
    return found[0]


def pod_spec(rendered, scenario: str, flavor: str) -> dict[str, Any]:
    return one(rendered[scenario][f'daemonset-{flavor}'], 'DaemonSet')['spec']['template']['spec']


def mounts(container: dict[str, Any]) -> dict[str, str]:
    return {m['mountPath']: m['name'] for m in container.get('volumeMounts', [])}


def host_paths(spec: dict[str, Any]) -> dict[str, str]:
    return {v['name']: v['hostPath']['path'] for v in spec['volumes'] if 'hostPath' in v}


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_every_manifest_validates(rendered, check_manifest, scenario):
    count = 0
    for docs in rendered[scenario].values():
        for doc in docs:
            check_manifest(doc)
            count += 1
    assert count == sum(len(d) for d in rendered[scenario].values()) and count >= 5


def test_expected_objects(rendered):
    kinds = sorted(d['kind'] for docs in rendered['thick_default'].values() for d in docs)
    assert kinds == sorted(['CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding',
                            'ConfigMap', 'DaemonSet'])
    crd = one(rendered['thin_default']['crd'], 'CustomResourceDefinition')
    assert crd['metadata']['name'] == 'network-attachment-definitions.k8s.cni.cncf.io'
    assert crd['spec']['names']['kind'] == 'NetworkAttachmentDefinition'
    assert crd['spec']['scope'] == 'Namespaced'
    version = crd['spec']['versions'][0]
    assert version['name'] == 'v1'
    assert version['schema']['openAPIV3Schema']['properties']['spec']['properties']['config']['type'] == 'string'


@pytest.mark.parametrize('scenario,image', [
    ('thin_default', 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0'),
    ('thick_default', 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick'),
    ('thin_digest', 'ghcr.io/k8snetworkplumbingwg/multus-cni@' + DIGEST),
    ('thin_mirror', f'{MIRROR}/{MIRROR_REPO}:v4.3.0'),
    ('thick_mirror_digest', f'{MIRROR}/{MIRROR_REPO}@{DIGEST}'),
])
def test_pinned_image_everywhere(rendered, scenario, image):
    flavor = 'thick' if 'thick' in scenario else 'thin'
    spec = pod_spec(rendered, scenario, flavor)
    containers = spec['containers'] + spec['initContainers']
    assert [c['image'] for c in containers] == [image, image]
    assert {c['imagePullPolicy'] for c in containers} == {'IfNotPresent'}


def test_thin_daemonset(rendered):
    ds = one(rendered['thin_default']['daemonset-thin'], 'DaemonSet')
    assert ds['metadata']['name'] == 'kube-multus-ds'
    assert ds['metadata']['namespace'] == 'kube-system'
    assert ds['spec']['selector']['matchLabels'] == {'name': 'multus'}
    spec = ds['spec']['template']['spec']
    assert spec['hostNetwork'] is True
    assert spec['serviceAccountName'] == 'multus'
    assert spec['priorityClassName'] == 'system-node-critical'
    assert {'operator': 'Exists', 'effect': 'NoSchedule'} in spec['tolerations']
    assert {'operator': 'Exists', 'effect': 'NoExecute'} in spec['tolerations']

    (init,) = spec['initContainers']
    assert init['command'] == ['/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thin']
    assert mounts(init) == {'/host/opt/cni/bin': 'cnibin'}
    assert init['volumeMounts'][0]['mountPropagation'] == 'Bidirectional'

    (main,) = spec['containers']
    assert main['command'] == ['/thin_entrypoint']
    assert main['args'] == [
        '--multus-conf-file=auto',
        # Only with it does Multus v4.3.0 rewrite multus.kubeconfig when the token is renewed.
        '--cleanup-config-on-exit=true',
        '--multus-autoconfig-dir=/host/etc/cni/net.d',
        '--cni-conf-dir=/host/etc/cni/net.d',
        '--cni-bin-dir=/host/opt/cni/bin',
        '--multus-kubeconfig-file-host=/etc/cni/net.d/multus.d/multus.kubeconfig',
        # A node path: the thin multus binary checks it on the node, outside the pod.
        '--readiness-indicator-file=/etc/cni/net.d/05-cilium.conflist',
    ]
    assert mounts(main) == {'/host/etc/cni/net.d': 'cni', '/host/opt/cni/bin': 'cnibin'}
    assert host_paths(spec) == {'cni': '/etc/cni/net.d', 'cnibin': '/opt/cni/bin'}
    assert 'automountServiceAccountToken' not in spec
    assert main['resources'] == {'requests': {'cpu': '100m', 'memory': '50Mi'}, 'limits': {'cpu': '100m', 'memory': '300Mi'}}
    assert main['securityContext'] == {'privileged': True}


def test_thin_tuned(rendered):
    ds = one(rendered['thin_tuned']['daemonset-thin'], 'DaemonSet')
    assert ds['metadata']['namespace'] == 'multus-system'
    spec = ds['spec']['template']['spec']
    (main,) = spec['containers']
    assert not any(a.startswith('--readiness-indicator-file') for a in main['args'])
    assert '--multus-log-level=debug' in main['args']
    assert '--multus-master-cni-file-name=05-cilium.conflist' in main['args']
    assert '--multus-kubeconfig-file-host=/etc/kubernetes/cni/net.d/multus.d/multus.kubeconfig' in main['args']
    assert main['resources'] == {'requests': {'cpu': '100m', 'memory': '64Mi'}}
    assert 'priorityClassName' not in spec
    assert spec['tolerations'] == [{'key': 'dedicated', 'operator': 'Equal', 'value': 'net', 'effect': 'NoSchedule'}]
    # Node paths move, the paths inside the pod do not.
    assert host_paths(spec) == {'cni': '/etc/kubernetes/cni/net.d', 'cnibin': '/usr/libexec/cni'}
    # The token with the chosen lifetime, where the entrypoint reads the automounted one.
    assert spec['automountServiceAccountToken'] is False
    token = next(v for v in spec['volumes'] if v['name'] == 'multus-token')['projected']['sources']
    assert token[0] == {'serviceAccountToken': {'path': 'token', 'expirationSeconds': 900}}
    assert token[1]['configMap']['name'] == 'kube-root-ca.crt'
    assert mounts(main) == {'/host/etc/cni/net.d': 'cni', '/host/opt/cni/bin': 'cnibin',
                            '/var/run/secrets/kubernetes.io/serviceaccount': 'multus-token'}
    sa = one(rendered['thin_tuned']['rbac'], 'ServiceAccount')
    binding = one(rendered['thin_tuned']['rbac'], 'ClusterRoleBinding')
    assert sa['metadata']['namespace'] == 'multus-system'
    assert binding['subjects'] == [{'kind': 'ServiceAccount', 'name': 'multus', 'namespace': 'multus-system'}]


def test_thick_daemonset(rendered):
    spec = pod_spec(rendered, 'thick_default', 'thick')
    assert spec['hostPID'] is True
    (init,) = spec['initContainers']
    assert init['command'] == ['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick']
    assert mounts(init) == {'/host/opt/cni/bin': 'cnibin'}
    (main,) = spec['containers']
    assert main['command'] == ['/usr/src/multus-cni/bin/multus-daemon']
    container_mounts = mounts(main)
    assert container_mounts['/host/etc/cni/net.d'] == 'cni'
    assert container_mounts['/opt/cni/bin'] == 'cnibin'  # same path as on the node
    assert container_mounts['/etc/cni/net.d/multus.d'] == 'multus-daemon-config'
    assert container_mounts['/etc/cni/multus/net.d'] == 'multus-conf-dir'
    assert container_mounts['/hostroot'] == 'hostroot'
    assert host_paths(spec)['cni'] == '/etc/cni/net.d'
    assert host_paths(spec)['cnibin'] == '/opt/cni/bin'
    assert host_paths(spec)['multus-conf-dir'] == '/etc/cni/multus/net.d'
    config_volume = [v for v in spec['volumes'] if v['name'] == 'multus-daemon-config'][0]
    assert config_volume['configMap']['name'] == 'multus-daemon-config'


def daemon_config(rendered, scenario: str) -> tuple[str, dict[str, Any]]:
    cm = one(rendered[scenario]['configmap-thick'], 'ConfigMap')
    assert cm['metadata']['name'] == 'multus-daemon-config'
    text = cm['data']['daemon-config.json']
    return text, json.loads(text)


def test_thick_daemon_config(rendered):
    config = daemon_config(rendered, 'thick_default')[1]
    assert config == {
        'chrootDir': '/hostroot',
        'cniVersion': '0.3.1',
        'logToStderr': True,
        'cniConfigDir': '/host/etc/cni/net.d',
        'multusAutoconfigDir': '/host/etc/cni/net.d',
        'multusConfigFile': 'auto',
        'socketDir': '/host/run/multus/',
        # The daemon checks from inside the pod: the node's conf dir is mounted at /host/etc/cni/net.d.
        'readinessindicatorfile': '/host/etc/cni/net.d/05-cilium.conflist',
    }
    outside = daemon_config(rendered, 'thick_outside_indicator')[1]
    assert outside['readinessindicatorfile'] == '/hostroot/run/cilium/ready'
    assert outside['logLevel'] == 'verbose'


@pytest.mark.parametrize('scenario', ['thick_default', 'thick_outside_indicator'])
def test_thick_pods_roll_with_their_config(rendered, scenario):
    text = daemon_config(rendered, scenario)[0]
    ds = one(rendered[scenario]['daemonset-thick'], 'DaemonSet')
    annotation = ds['spec']['template']['metadata']['annotations']['multihome.multus/daemon-config-sha256']
    assert annotation == hashlib.sha256(text.encode()).hexdigest()


def test_rbac_least_privilege_per_flavor(rendered):
    thin = one(rendered['thin_default']['rbac'], 'ClusterRole')
    thick = one(rendered['thick_default']['rbac'], 'ClusterRole')

    def pod_verbs(role):
        return sorted(next(r['verbs'] for r in role['rules'] if 'pods' in r['resources']))

    assert pod_verbs(thin) == ['get', 'update']
    assert pod_verbs(thick) == ['get', 'list', 'update', 'watch']
    for role in (thin, thick):
        assert {'apiGroups': ['k8s.cni.cncf.io'], 'resources': ['*'], 'verbs': ['*']} in role['rules']
    binding = one(rendered['thin_default']['rbac'], 'ClusterRoleBinding')
    assert binding['roleRef'] == {'apiGroup': 'rbac.authorization.k8s.io', 'kind': 'ClusterRole', 'name': 'multus'}
    assert binding['subjects'] == [{'kind': 'ServiceAccount', 'name': 'multus', 'namespace': 'kube-system'}]


def test_thin_namespace_isolation_flags(rendered):
    args = pod_spec(rendered, 'thin_isolated', 'thin')['containers'][0]['args']
    assert args[-2:] == ['--namespace-isolation=true', '--global-namespaces=default,net-shared']
    only = pod_spec(rendered, 'thin_isolated_only', 'thin')['containers'][0]['args']
    assert only[-1] == '--namespace-isolation=true'
    assert not any(a.startswith('--global-namespaces') for a in only)
    default = pod_spec(rendered, 'thin_default', 'thin')['containers'][0]['args']
    assert not any('namespace' in a for a in default)


def test_thick_namespace_isolation_keys(rendered):
    config = daemon_config(rendered, 'thick_isolated')[1]
    assert config['namespaceIsolation'] is True
    assert config['globalNamespaces'] == 'default,net-shared'
    assert 'namespaceIsolation' not in daemon_config(rendered, 'thick_default')[1]
