# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The multus role's waits go through k8s_wait, against a scripted API (``fake_api/``).

The whole ``main`` entry point runs: its fake ``kubernetes.core.k8s`` only
records the writes, its fake ``k8s_info`` answers from a script (a fresh
cluster, a rollout that takes two polls, a deletion whose pod terminates).
In check mode nothing is created or deleted, so nothing is waited for.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

NS = 'kube-system'
IMAGE = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0'
UID = '0f7a9c52-3e41-4b8d-a6c2-91d3e5f40b77'
RESULT = re.compile(r'^ok: \[(?P<host>[^\]]+)\] => *\n(?P<body>(?: {4}.*\n)+)', re.MULTILINE)


def daemonset(ready: int) -> dict[str, Any]:
    return {'apiVersion': 'apps/v1', 'kind': 'DaemonSet',
            'metadata': {'name': 'kube-multus-ds', 'namespace': NS, 'uid': UID, 'generation': 1},
            'spec': {'selector': {'matchLabels': {'name': 'multus'}},
                     'template': {'spec': {'initContainers': [{'name': 'install-multus-binary', 'image': IMAGE}],
                                           'containers': [{'name': 'kube-multus', 'image': IMAGE}]}}},
            'status': {'desiredNumberScheduled': 2, 'currentNumberScheduled': 2, 'updatedNumberScheduled': 2,
                       'numberReady': ready, 'numberAvailable': ready, 'observedGeneration': 1}}


def pod(name: str, node: str, ready: bool, deleting: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {'name': name, 'namespace': NS, 'labels': {'name': 'multus'},
                            'ownerReferences': [{'kind': 'DaemonSet', 'name': 'kube-multus-ds', 'uid': UID}]}
    if deleting:
        meta['deletionTimestamp'] = '2026-03-02T10:07:00Z'
    state = {'running': {}} if ready else {'waiting': {'reason': 'ContainerCreating'}}
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta, 'spec': {'nodeName': node},
            'status': {'phase': 'Running' if ready else 'Pending',
                       'conditions': [{'type': 'Ready', 'status': 'True' if ready else 'False'}],
                       'containerStatuses': [{'name': 'kube-multus', 'ready': ready, 'restartCount': 0, 'state': state}]}}


CRD = {'apiVersion': 'apiextensions.k8s.io/v1', 'kind': 'CustomResourceDefinition',
       'metadata': {'name': 'network-attachment-definitions.k8s.cni.cncf.io'},
       'status': {'conditions': [{'type': 'Established', 'status': 'True'}]}}
FIRST = pod('kube-multus-ds-a1b2c', 'worker-1', True)

# scenario -> (multus variables, scripted reads by kind); a fresh cluster unless said otherwise.
SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, list[list[dict[str, Any]]]]]] = {
    'install': ({'multus_state': 'present'},
                {'CustomResourceDefinition': [[], [CRD]],
                 'DaemonSet': [[], [daemonset(1)], [daemonset(2)]],
                 'Pod': [[FIRST, pod('kube-multus-ds-x7k2p', 'worker-2', False)],
                         [FIRST, pod('kube-multus-ds-x7k2p', 'worker-2', True)]]}),
    'uninstall': ({'multus_state': 'absent'},
                  {'CustomResourceDefinition': [[]], 'DaemonSet': [[]],
                   'Pod': [[pod('kube-multus-ds-a1b2c', 'worker-1', True, deleting=True)], []]}),
}


Outcome = tuple[dict[str, Any], dict[str, list[str]], dict[str, list[dict[str, Any]]]]


def run_scenarios(ansible_runner, base: Path, args: tuple[str, ...]) -> Outcome:
    """Results, poll lines (without their time) and recorded calls of each scenario."""
    hosts = {}
    for name, (variables, reads) in SCENARIOS.items():
        script = base / f'{name}.json'
        script.write_text(json.dumps({'reads': reads}), encoding='utf-8')
        hosts[name] = {**variables, 'multus_wait_timeout': 60, 'multus_wait_delay': 1, 'fake_api_role': 'multus',
                       'fake_api_script': str(script)}
    result, out = ansible_runner('fake_api.yml', hosts, with_defaults=False, args=args, fake_api=True)
    assert result.returncode == 0, result.stdout + result.stderr
    lines: dict[str, list[str]] = {name: [] for name in SCENARIOS}
    for found in RESULT.finditer(result.stdout):
        msg = str((yaml.safe_load(textwrap.dedent(found['body'])) or {}).get('msg', ''))
        if msg.startswith('poll '):
            lines[found['host']].append(re.sub(r'^poll (\d+)/(\d+), \d+ s: ', r'poll \1/\2: ', msg))
    calls = {name: [json.loads(line) for line in (base / f'{name}.json.calls').read_text(encoding='utf-8').splitlines()]
             for name in SCENARIOS}
    return json.loads((out / 'results.json').read_text(encoding='utf-8')), lines, calls


@pytest.fixture(name='real', scope='module')
def fixture_real(ansible_runner, tmp_path_factory):
    return run_scenarios(ansible_runner, tmp_path_factory.mktemp('multus_waits'), ())


@pytest.fixture(name='check', scope='module')
def fixture_check(ansible_runner, tmp_path_factory):
    return run_scenarios(ansible_runner, tmp_path_factory.mktemp('multus_waits_check'), ('--check',))


def test_install_polls_the_rollout(real):
    results, lines, calls = real
    assert results['install'] == {'failed': False, 'result': results['install']['result']}
    assert lines['install'] == [
        'poll 1/61: Multus DaemonSet kube-system/kube-multus-ds: 1 of 2 pods ready; '
        'not ready: node worker-2 (pod kube-multus-ds-x7k2p: ContainerCreating)',
        'poll 2/61: Multus DaemonSet kube-system/kube-multus-ds: ready, 2 of 2 pods updated and ready',
    ]
    applied = [call for call in calls['install'] if call['module'] == 'k8s' and call['state'] == 'present']
    daemonset_apply = next(call for call in applied if call['definition']['kind'] == 'DaemonSet')
    assert daemonset_apply['wait'] is False, 'kubernetes.core must not wait silently for the DaemonSet'
    crd_apply = next(call for call in applied if call['definition']['kind'] == 'CustomResourceDefinition')
    assert crd_apply['wait'] is True
    assert crd_apply['wait_condition'] == {'type': 'Established', 'status': 'True'}


def test_uninstall_waits_for_the_pods_and_the_crd(real):
    results, lines, calls = real
    assert results['uninstall']['failed'] is False
    assert lines['uninstall'] == [
        'poll 1/61: Multus DaemonSet kube-system/kube-multus-ds: gone; 1 pod(s) left: '
        'kube-system/kube-multus-ds-a1b2c on node worker-1 (Terminating)',
        'poll 2/61: Multus DaemonSet kube-system/kube-multus-ds: gone',
        'poll 1/61: Multus CustomResourceDefinition network-attachment-definitions.k8s.cni.cncf.io: gone',
    ]
    deletes = [call for call in calls['uninstall'] if call['module'] == 'k8s' and call['state'] == 'absent']
    assert deletes and not any(call['wait'] for call in deletes)
    pod_reads = [call for call in calls['uninstall'] if call['module'] == 'k8s_info' and call['kind'] == 'Pod']
    assert {tuple(call['label_selectors']) for call in pod_reads} == {('name=multus',)}


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_check_mode_waits_for_nothing_it_did_not_do(check, scenario):
    results, lines, calls = check
    assert results[scenario]['failed'] is False, results[scenario]
    assert lines[scenario] == []
    assert all(call['check_mode'] for call in calls[scenario] if call['module'] == 'k8s')
