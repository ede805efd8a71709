# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The k8s_wait role polls with one line per poll and fails with the reasons, against a scripted API.

Each scenario is a host whose kubernetes.core.k8s_info (``fake_api/``) answers
from a script: the objects of poll 1, poll 2, ... The role itself runs, with
its includes, its clock and its messages; only the API server is missing.
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
DS_UID = 'c3a4b2e1-5f60-4d7a-8b9c-0d1e2f3a4b5c'
IMAGE = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0'
# A debug result as ansible.cfg prints it (callback_result_format = yaml).
RESULT = re.compile(r'^ok: \[(?P<host>[^\]]+)\] => *\n(?P<body>(?: {4}.*\n)+)', re.MULTILINE)
PREFIX = re.compile(r'^poll (\d+)/(\d+), (\d+) s: ')


def daemonset(ready: int, updated: int = 2, generation: int = 1, observed: int = 1) -> dict[str, Any]:
    return {'apiVersion': 'apps/v1', 'kind': 'DaemonSet',
            'metadata': {'name': 'kube-multus-ds', 'namespace': NS, 'uid': DS_UID, 'generation': generation},
            'spec': {'selector': {'matchLabels': {'name': 'multus'}}},
            'status': {'desiredNumberScheduled': 2, 'currentNumberScheduled': 2, 'updatedNumberScheduled': updated,
                       'numberReady': ready, 'numberAvailable': ready, 'observedGeneration': observed}}


def pod(name: str, node: str, waiting: str | None = None, message: str = '', namespace: str = NS,
        deleting: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {'name': name, 'namespace': namespace, 'labels': {'name': 'multus'},
                            'ownerReferences': [{'kind': 'DaemonSet', 'name': 'kube-multus-ds', 'uid': DS_UID}]}
    if deleting:
        meta['deletionTimestamp'] = '2026-03-02T10:07:00Z'
    if waiting:
        state = {'waiting': {'reason': waiting, **({'message': message} if message else {})}}
        status = {'phase': 'Pending', 'conditions': [{'type': 'Ready', 'status': 'False', 'reason': 'ContainersNotReady'}],
                  'containerStatuses': [{'name': 'kube-multus', 'image': IMAGE, 'ready': False, 'restartCount': 0,
                                         'state': state}]}
    else:
        status = {'phase': 'Running', 'conditions': [{'type': 'Ready', 'status': 'True'}],
                  'containerStatuses': [{'name': 'kube-multus', 'image': IMAGE, 'ready': True, 'restartCount': 0,
                                         'state': {'running': {}}}]}
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta, 'spec': {'nodeName': node}, 'status': status}


def warning(name: str, reason: str, message: str, times: int = 1) -> dict[str, Any]:
    return {'kind': 'Event', 'type': 'Warning', 'reason': reason, 'message': message, 'count': times,
            'lastTimestamp': '2026-03-02T10:05:00Z', 'involvedObject': {'kind': 'Pod', 'name': name}}


HEALTHY = pod('kube-multus-ds-a1b2c', 'worker-1')
CREATING = pod('kube-multus-ds-x7k2p', 'worker-2', 'ContainerCreating')
PULLING = pod('kube-multus-ds-x7k2p', 'worker-2', 'ImagePullBackOff', f'Back-off pulling image "{IMAGE}-typo"')
MULTUS = {'k8s_wait_kind': 'DaemonSet', 'k8s_wait_namespace': NS, 'k8s_wait_name': 'kube-multus-ds',
          'k8s_wait_what': 'Multus', 'k8s_wait_timeout_variable': 'multus_wait_timeout'}
VERIFY = {'k8s_wait_kind': 'Pod', 'k8s_wait_namespace': 'mhm-verify', 'k8s_wait_what': 'verification',
          'k8s_wait_label_selectors': ['app.kubernetes.io/component=verification'],
          'k8s_wait_timeout_variable': 'verification_timeout'}
SANDBOX = ('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: '
           'plugin type="multus" name="multus-cni-network" failed (add): ipvlan-net1: master "ens5" not found')

# scenario -> (k8s_wait inputs, scripted reads by kind)
SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, list[list[dict[str, Any]]]]]] = {
    'ready_at_once': ({**MULTUS, 'k8s_wait_timeout': 30, 'k8s_wait_delay': 1},
                      {'DaemonSet': [[daemonset(2)]], 'Pod': [[HEALTHY, pod('kube-multus-ds-d3e4f', 'worker-2')]]}),
    'ready_on_the_third_poll': (
        {**MULTUS, 'k8s_wait_timeout': 60, 'k8s_wait_delay': 1},
        {'DaemonSet': [[daemonset(2, generation=2, observed=1)], [daemonset(1)], [daemonset(2)]],
         'Pod': [[HEALTHY, pod('kube-multus-ds-old00', 'worker-2')], [HEALTHY, CREATING],
                 [HEALTHY, pod('kube-multus-ds-x7k2p', 'worker-2')]]}),
    'image_pull_timeout': (
        {**MULTUS, 'k8s_wait_timeout': 2, 'k8s_wait_delay': 1},
        {'DaemonSet': [[daemonset(1)]], 'Pod': [[HEALTHY, PULLING]],
         'Event': [[warning('kube-multus-ds-x7k2p', 'Failed', f'Failed to pull image "{IMAGE}-typo": manifest unknown', 7),
                    warning('somebody-else', 'BackOff', 'not about us')]]}),
    'pods_sandbox_timeout': (
        {**VERIFY, 'k8s_wait_timeout': 2, 'k8s_wait_delay': 1, 'k8s_wait_hint': 'Check the Multus pod on that node.'},
        {'Pod': [[pod('multus-verify-1', 'worker-1', namespace='mhm-verify'),
                  pod('multus-verify-2', 'worker-2', 'ContainerCreating', namespace='mhm-verify')]],
         'Event': [[warning('multus-verify-2', 'FailedCreatePodSandBox', SANDBOX, 12)]]}),
    'pods_none_yet_then_ready': (
        {**VERIFY, 'k8s_wait_timeout': 60, 'k8s_wait_delay': 1},
        {'Pod': [[], [pod('multus-verify-1', 'worker-1', namespace='mhm-verify')]]}),
    'pod_gone_while_deleting': (
        {'k8s_wait_kind': 'Pod', 'k8s_wait_state': 'absent', 'k8s_wait_namespace': 'mhm-verify',
         'k8s_wait_name': 'multus-verify-1', 'k8s_wait_timeout': 60, 'k8s_wait_delay': 1},
        {'Pod': [[pod('multus-verify-1', 'worker-1', namespace='mhm-verify', deleting=True)], []]}),
    'daemonset_gone_pods_left': (
        {**MULTUS, 'k8s_wait_state': 'absent', 'k8s_wait_label_selectors': ['name=multus'], 'k8s_wait_timeout': 60,
         'k8s_wait_delay': 1},
        {'DaemonSet': [[]], 'Pod': [[pod('kube-multus-ds-a1b2c', 'worker-1', deleting=True)], []]}),
    'crd_held_by_a_finalizer': (
        {'k8s_wait_kind': 'CustomResourceDefinition', 'k8s_wait_api_version': 'apiextensions.k8s.io/v1',
         'k8s_wait_state': 'absent', 'k8s_wait_name': 'network-attachment-definitions.k8s.cni.cncf.io',
         'k8s_wait_timeout': 1, 'k8s_wait_delay': 1, 'k8s_wait_what': 'Multus',
         'k8s_wait_timeout_variable': 'multus_wait_timeout'},
        {'CustomResourceDefinition': [[{'metadata': {
            'name': 'network-attachment-definitions.k8s.cni.cncf.io', 'deletionTimestamp': '2026-03-02T10:07:00Z',
            'finalizers': ['customresourcecleanup.apiextensions.k8s.io']}}]]}),
    'configmap_cannot_be_ready': ({'k8s_wait_kind': 'ConfigMap', 'k8s_wait_name': 'x', 'k8s_wait_namespace': NS}, {}),
}


@pytest.fixture(name='run', scope='module')
def fixture_run(ansible_runner, tmp_path_factory) -> tuple[dict[str, Any], dict[str, list[str]], Path]:
    scripts = tmp_path_factory.mktemp('k8s_wait_scripts')
    hosts = {}
    for name, (inputs, reads) in SCENARIOS.items():
        (scripts / f'{name}.json').write_text(json.dumps({'reads': reads}), encoding='utf-8')
        hosts[name] = {**inputs, 'fake_api_role': 'k8s_wait', 'fake_api_script': str(scripts / f'{name}.json')}
    result, out = ansible_runner('fake_api.yml', hosts, with_defaults=False, fake_api=True)
    assert result.returncode == 0, result.stdout + result.stderr
    lines: dict[str, list[str]] = {name: [] for name in SCENARIOS}
    for found in RESULT.finditer(result.stdout):
        msg = str((yaml.safe_load(textwrap.dedent(found['body'])) or {}).get('msg', ''))
        if PREFIX.match(msg):
            lines[found['host']].append(msg)
    results = json.loads((out / 'results.json').read_text(encoding='utf-8'))
    print('\n'.join(f'{host}: {line}' for host, found in lines.items() for line in found))
    print('\n'.join(f"{host} failed: {outcome['msg']}" for host, outcome in results.items() if outcome['failed']))
    return results, lines, scripts


def polls(lines: list[str]) -> list[str]:
    """The lines without the time: 'poll 2/31: <line>'."""
    return [PREFIX.sub(r'poll \1/\2: ', line) for line in lines]


def calls(scripts: Path, scenario: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (scripts / f'{scenario}.json.calls').read_text(encoding='utf-8').splitlines()]


def test_ready_at_once_is_one_line(run):
    results, lines, scripts = run
    assert polls(lines['ready_at_once']) == [
        'poll 1/31: Multus DaemonSet kube-system/kube-multus-ds: ready, 2 of 2 pods updated and ready']
    assert results['ready_at_once']['failed'] is False
    assert int(results['ready_at_once']['result']['polls']) == 1
    assert [call['kind'] for call in calls(scripts, 'ready_at_once')] == ['DaemonSet', 'Pod']


def test_each_poll_prints_what_is_not_ready(run):
    results, lines, scripts = run
    assert polls(lines['ready_on_the_third_poll']) == [
        'poll 1/61: Multus DaemonSet kube-system/kube-multus-ds: generation 2 not yet seen by the DaemonSet controller '
        '(observed 1); 2 of 2 pods ready',
        'poll 2/61: Multus DaemonSet kube-system/kube-multus-ds: 1 of 2 pods ready; '
        'not ready: node worker-2 (pod kube-multus-ds-x7k2p: ContainerCreating)',
        'poll 3/61: Multus DaemonSet kube-system/kube-multus-ds: ready, 2 of 2 pods updated and ready',
    ]
    assert int(results['ready_on_the_third_poll']['result']['polls']) == 3
    # The pods are found by the DaemonSet's own selector.
    pod_reads = [call for call in calls(scripts, 'ready_on_the_third_poll') if call['kind'] == 'Pod']
    assert {tuple(call['label_selectors']) for call in pod_reads} == {('name=multus',)}


def test_polls_are_delay_apart(run):
    # Poll n (from 0) is due n * delay s after the start; a slow read may delay it, nothing brings it forward.
    _results, lines, _scripts = run
    seconds = [int(PREFIX.match(line)[3]) for line in lines['ready_on_the_third_poll']]
    assert len(seconds) == 3
    assert all(shown >= poll * 1 for poll, shown in enumerate(seconds)), seconds
    assert seconds == sorted(seconds)


def test_timeout_fails_with_the_reasons_and_the_variable(run):
    results, lines, _scripts = run
    assert lines['image_pull_timeout'], 'no poll line'
    assert all(line.endswith('1 of 2 pods ready; not ready: node worker-2 (pod kube-multus-ds-x7k2p: ImagePullBackOff)')
               for line in lines['image_pull_timeout'])
    outcome = results['image_pull_timeout']
    assert outcome['failed'] is True
    assert outcome['task'] == 'Give up with the reasons'
    msg = outcome['msg']
    assert msg.startswith('image_pull_timeout: Multus DaemonSet kube-system/kube-multus-ds: still not ready after ')
    assert ('pod kube-system/kube-multus-ds-x7k2p on node worker-2: Pending; container kube-multus waiting: '
            f'ImagePullBackOff (Back-off pulling image "{IMAGE}-typo")') in msg
    assert f'last warning event Failed (x7): Failed to pull image "{IMAGE}-typo": manifest unknown' in msg
    assert 'not about us' not in msg
    assert msg.endswith('Raise multus_wait_timeout (now 2 s) if the cluster is only slow.')


def test_pods_timeout_names_the_sandbox_failure_and_the_hint(run):
    results, lines, _scripts = run
    assert lines['pods_sandbox_timeout'][0].endswith(
        'verification pods app.kubernetes.io/component=verification in mhm-verify: 1 of 2 Ready; '
        'not ready: pod mhm-verify/multus-verify-2 on node worker-2: Pending (ContainerCreating)')
    msg = results['pods_sandbox_timeout']['msg']
    assert 'pod mhm-verify/multus-verify-2 on node worker-2: Pending; container kube-multus waiting: ContainerCreating' in msg
    assert 'last warning event FailedCreatePodSandBox (x12): Failed to create pod sandbox' in msg
    assert 'master "ens5" not found' in msg
    assert msg.endswith('Raise verification_timeout (now 2 s) if the cluster is only slow. Check the Multus pod on that node.')


def test_pods_that_appear_later(run):
    results, lines, _scripts = run
    assert [line.split(': ', 1)[1] for line in lines['pods_none_yet_then_ready']] == [
        'verification pods app.kubernetes.io/component=verification in mhm-verify: none yet',
        'verification pods app.kubernetes.io/component=verification in mhm-verify: 1 of 1 Ready',
    ]
    assert results['pods_none_yet_then_ready']['result']['resources'][0]['metadata']['name'] == 'multus-verify-1'


def test_pod_gone_while_deleting(run):
    results, lines, _scripts = run
    assert [line.split(': ', 1)[1] for line in lines['pod_gone_while_deleting']] == [
        'Pod mhm-verify/multus-verify-1: still there on node worker-1 (Terminating)',
        'Pod mhm-verify/multus-verify-1: gone',
    ]
    assert results['pod_gone_while_deleting']['failed'] is False


def test_daemonset_deletion_waits_for_its_pods(run):
    results, lines, scripts = run
    assert [line.split(': ', 1)[1] for line in lines['daemonset_gone_pods_left']] == [
        'Multus DaemonSet kube-system/kube-multus-ds: gone; 1 pod(s) left: kube-system/kube-multus-ds-a1b2c on node '
        'worker-1 (Terminating)',
        'Multus DaemonSet kube-system/kube-multus-ds: gone',
    ]
    assert results['daemonset_gone_pods_left']['failed'] is False
    pod_reads = [call for call in calls(scripts, 'daemonset_gone_pods_left') if call['kind'] == 'Pod']
    assert {tuple(call['label_selectors']) for call in pod_reads} == {('name=multus',)}


def test_crd_deletion_timeout_names_the_finalizer(run):
    results, _lines, _scripts = run
    msg = results['crd_held_by_a_finalizer']['msg']
    assert ('Multus CustomResourceDefinition network-attachment-definitions.k8s.cni.cncf.io: still not gone after') in msg
    assert 'being deleted (finalizers: customresourcecleanup.apiextensions.k8s.io)' in msg
    assert 'Raise multus_wait_timeout' in msg


def test_a_kind_that_has_no_readiness_is_a_bug_of_the_caller(run):
    results, lines, _scripts = run
    assert lines['configmap_cannot_be_ready'] == []
    assert results['configmap_cannot_be_ready']['task'] == 'Check what to wait for'
    assert 'This is a bug in the calling role.' in results['configmap_cannot_be_ready']['msg']
