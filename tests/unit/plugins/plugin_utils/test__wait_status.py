# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_wait_status.py, over objects shaped as the API server returns them."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._wait_status import (
    last_warning,
    pod_brief,
    pod_is_ready,
    pod_line,
    pod_reasons,
    subject_of,
    wait_status,
)

NS = 'kube-system'
DS_UID = '5b0c3c7e-0d1e-4a57-9d55-2f4b1f0c6a11'
IMAGE = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0'


def daemonset(generation=2, observed=2, desired=2, scheduled=2, updated=2, ready=2, available=None, template='2'):
    status = {'currentNumberScheduled': scheduled, 'desiredNumberScheduled': desired, 'numberMisscheduled': 0,
              'numberReady': ready, 'observedGeneration': observed, 'updatedNumberScheduled': updated,
              'numberAvailable': ready if available is None else available}
    if status['numberAvailable'] < desired:
        status['numberUnavailable'] = desired - status['numberAvailable']
    return {
        'apiVersion': 'apps/v1', 'kind': 'DaemonSet',
        'metadata': {'name': 'kube-multus-ds', 'namespace': NS, 'uid': DS_UID, 'generation': generation,
                     'annotations': {'deprecated.daemonset.template.generation': template},
                     'labels': {'app': 'multus', 'name': 'multus', 'tier': 'node'}},
        'spec': {'selector': {'matchLabels': {'name': 'multus'}},
                 'template': {'spec': {'containers': [{'name': 'kube-multus', 'image': IMAGE}]}}},
        'status': status,
    }


def running(name='kube-multus'):
    return {'name': name, 'image': IMAGE, 'ready': True, 'restartCount': 0, 'started': True,
            'state': {'running': {'startedAt': '2026-03-02T10:00:05Z'}}}


def waiting(reason, message=None, name='kube-multus', restarts=0, last=None):
    state = {'reason': reason}
    if message:
        state['message'] = message
    status = {'name': name, 'image': IMAGE, 'ready': False, 'restartCount': restarts, 'started': False,
              'state': {'waiting': state}, 'lastState': {}}
    if last:
        status['lastState'] = {'terminated': last}
    return status


def conditions(ready, scheduled=True, reason='ContainersNotReady'):
    found = [{'type': 'PodScheduled', 'status': 'True'}, {'type': 'Initialized', 'status': 'True'}]
    if ready:
        found += [{'type': 'ContainersReady', 'status': 'True'}, {'type': 'Ready', 'status': 'True'}]
    else:
        found += [{'type': 'ContainersReady', 'status': 'False', 'reason': reason,
                   'message': 'containers with unready status: [kube-multus]'},
                  {'type': 'Ready', 'status': 'False', 'reason': reason,
                   'message': 'containers with unready status: [kube-multus]'}]
    if not scheduled:
        found = [{'type': 'PodScheduled', 'status': 'False', 'reason': 'Unschedulable',
                  'message': '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector.'}]
    return found


def pod(name, node, phase='Running', containers=None, init=None, ready=True, template='2', namespace=NS,
        owner=True, **extra):
    meta = {'name': name, 'namespace': namespace, 'uid': f'uid-{name}',
            'labels': {'name': 'multus', 'pod-template-generation': template, 'controller-revision-hash': '6d9f8c7b5'}}
    if owner:
        meta['ownerReferences'] = [{'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'name': 'kube-multus-ds',
                                    'uid': DS_UID, 'controller': True, 'blockOwnerDeletion': True}]
    meta.update(extra.pop('metadata', {}))
    status = {'phase': phase, 'conditions': conditions(ready), 'hostIP': '10.0.0.12',
              'containerStatuses': containers if containers is not None else [running()]}
    if init is not None:
        status['initContainerStatuses'] = init
    status.update(extra.pop('status', {}))
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta, 'spec': {'nodeName': node}, 'status': status}


CREATING = pod('kube-multus-ds-x7k2p', 'worker-2', 'Pending', [waiting('ContainerCreating')], ready=False)
PULL = pod('kube-multus-ds-q8d4n', 'worker-2', 'Pending',
           [waiting('ImagePullBackOff', f'Back-off pulling image "{IMAGE}-typo"')], ready=False)
NEVER_PULL = pod('kube-multus-ds-q8d4n', 'worker-2', 'Pending',
                 [waiting('ErrImageNeverPull', f'Container image "{IMAGE}" is not present with pull policy of Never')],
                 ready=False)
CRASH = pod('kube-multus-ds-m3j9z', 'worker-1', 'Running',
            [waiting('CrashLoopBackOff', 'back-off 2m40s restarting failed container=kube-multus pod=kube-multus-ds-m3j9z',
                     restarts=5, last={'exitCode': 1, 'reason': 'Error', 'finishedAt': '2026-03-02T10:09:00Z'})],
            ready=False)
HEALTHY = pod('kube-multus-ds-a1b2c', 'worker-1')
HEALTHY2 = pod('kube-multus-ds-d3e4f', 'worker-2')

EVENTS = [
    {'kind': 'Event', 'type': 'Warning', 'reason': 'Failed', 'count': 1, 'lastTimestamp': '2026-03-02T10:01:00Z',
     'message': 'Failed to pull image: not found', 'involvedObject': {'kind': 'Pod', 'name': 'kube-multus-ds-q8d4n'}},
    {'kind': 'Event', 'type': 'Warning', 'reason': 'Failed', 'count': 6, 'lastTimestamp': '2026-03-02T10:05:00Z',
     'message': f'Failed to pull image "{IMAGE}-typo": manifest unknown',
     'involvedObject': {'kind': 'Pod', 'name': 'kube-multus-ds-q8d4n'}},
    {'kind': 'Event', 'type': 'Warning', 'reason': 'FailedCreatePodSandBox', 'lastTimestamp': '2026-03-02T10:06:00Z',
     'message': 'Failed to create pod sandbox: plugin type="multus" failed (add): some error',
     'involvedObject': {'kind': 'Pod', 'name': 'someone-else'}},
]


def ds_wait(ds, pods, **kwargs):
    found = [] if ds is None else [ds]
    return wait_status(found, 'DaemonSet', pods=pods, what='Multus', name='kube-multus-ds', namespace=NS, **kwargs)


# --- DaemonSet rollout ----------------------------------------------------------------------------------------------

def test_rolled_out_daemonset_is_ready_in_one_line():
    result = ds_wait(daemonset(), [HEALTHY, HEALTHY2])
    assert result == {'ready': True, 'subject': 'Multus DaemonSet kube-system/kube-multus-ds',
                      'line': 'Multus DaemonSet kube-system/kube-multus-ds: ready, 2 of 2 pods updated and ready',
                      'reasons': []}


def test_pod_stuck_in_container_creating_is_named_with_its_node():
    result = ds_wait(daemonset(ready=1), [HEALTHY, CREATING])
    assert result['ready'] is False
    assert result['line'] == ('Multus DaemonSet kube-system/kube-multus-ds: 1 of 2 pods ready; '
                              'not ready: node worker-2 (pod kube-multus-ds-x7k2p: ContainerCreating)')
    assert result['reasons'] == [
        'pod kube-system/kube-multus-ds-x7k2p on node worker-2: Pending; container kube-multus waiting: '
        'ContainerCreating; conditions ContainersReady False (ContainersNotReady), Ready False (ContainersNotReady)']


def test_image_pull_back_off_with_its_message_and_last_event():
    result = ds_wait(daemonset(ready=1), [HEALTHY, PULL], events=EVENTS)
    assert result['line'].endswith('not ready: node worker-2 (pod kube-multus-ds-q8d4n: ImagePullBackOff)')
    reason = result['reasons'][0]
    assert reason.startswith('pod kube-system/kube-multus-ds-q8d4n on node worker-2: Pending; container kube-multus '
                             f'waiting: ImagePullBackOff (Back-off pulling image "{IMAGE}-typo")')
    assert reason.endswith(f'last warning event Failed (x6): Failed to pull image "{IMAGE}-typo": manifest unknown')
    assert 'someone-else' not in ' '.join(result['reasons'])


def test_err_image_never_pull():
    result = ds_wait(daemonset(ready=1), [HEALTHY, NEVER_PULL])
    assert 'node worker-2 (pod kube-multus-ds-q8d4n: ErrImageNeverPull)' in result['line']
    assert 'is not present with pull policy of Never' in result['reasons'][0]


def test_crash_loop_counts_restarts_and_the_last_exit():
    result = ds_wait(daemonset(ready=1), [CRASH, HEALTHY2])
    assert 'node worker-1 (pod kube-multus-ds-m3j9z: CrashLoopBackOff, 5 restarts)' in result['line']
    assert ('container kube-multus waiting: CrashLoopBackOff (back-off 2m40s restarting failed container=kube-multus '
            'pod=kube-multus-ds-m3j9z), 5 restarts, last exit: Error (code 1)') in result['reasons'][0]


def test_rollout_in_progress_names_the_pods_of_the_old_template():
    old = pod('kube-multus-ds-old11', 'worker-1', template='1')
    result = ds_wait(daemonset(generation=3, observed=3, updated=1, ready=2, template='3'),
                     [old, pod('kube-multus-ds-new22', 'worker-2', template='3')])
    assert result['ready'] is False
    assert result['line'] == ('Multus DaemonSet kube-system/kube-multus-ds: 2 of 2 pods ready; 1 of 2 updated; '
                              'not ready: node worker-1 (pod kube-multus-ds-old11: old template, ready, waiting to be '
                              'replaced)')
    assert result['reasons'][0].endswith('; runs the old template')


def test_generation_not_yet_observed_is_not_ready_even_with_every_pod_ready():
    result = ds_wait(daemonset(generation=5, observed=4), [HEALTHY, HEALTHY2])
    assert result['ready'] is False
    assert result['line'] == ('Multus DaemonSet kube-system/kube-multus-ds: generation 5 not yet seen by the DaemonSet '
                              'controller (observed 4); 2 of 2 pods ready')
    assert result['reasons'] == ['generation 5 not yet seen by the DaemonSet controller (observed 4)']


def test_fresh_daemonset_without_status():
    fresh = daemonset()
    fresh['status'] = {}
    fresh['metadata']['generation'] = 1
    result = ds_wait(fresh, [])
    assert result['ready'] is False
    assert result['line'].startswith('Multus DaemonSet kube-system/kube-multus-ds: generation 1 not yet seen')


def test_nodes_without_a_pod_and_the_daemonset_warning():
    event = {'type': 'Warning', 'reason': 'FailedCreate', 'count': 12, 'lastTimestamp': '2026-03-02T10:03:00Z',
             'message': 'Error creating: pods "kube-multus-ds-" is forbidden: violates PodSecurity "baseline:latest"',
             'involvedObject': {'kind': 'DaemonSet', 'name': 'kube-multus-ds', 'namespace': NS}}
    result = ds_wait(daemonset(scheduled=0, updated=0, ready=0), [], events=[event])
    assert result['line'] == ('Multus DaemonSet kube-system/kube-multus-ds: 0 of 2 pods ready; 0 of 2 updated; '
                              '2 node(s) have no pod yet')
    assert result['reasons'] == [
        '2 node(s) have no pod yet',
        'DaemonSet kube-system/kube-multus-ds: last warning event FailedCreate (x12): Error creating: pods '
        '"kube-multus-ds-" is forbidden: violates PodSecurity "baseline:latest"']


def test_ready_but_not_yet_available():
    result = ds_wait(daemonset(available=1), [HEALTHY, HEALTHY2])
    assert result['ready'] is False
    assert result['line'].endswith('2 of 2 pods ready; 1 of 2 available')


def test_daemonset_not_found_yet():
    assert ds_wait(None, []) == {'ready': False, 'subject': 'Multus DaemonSet kube-system/kube-multus-ds',
                                 'line': 'Multus DaemonSet kube-system/kube-multus-ds: not found yet',
                                 'reasons': ['Multus DaemonSet kube-system/kube-multus-ds does not exist']}


def test_no_node_to_run_on_is_ready():
    result = ds_wait(daemonset(desired=0, scheduled=0, updated=0, ready=0), [])
    assert result['ready'] is True
    assert result['line'] == 'Multus DaemonSet kube-system/kube-multus-ds: ready, no node to run a pod on'


def test_pods_of_another_owner_are_left_out():
    other = pod('other-x', 'worker-2', 'Pending', [waiting('ContainerCreating')], ready=False)
    other['metadata']['ownerReferences'][0]['uid'] = 'another-uid'
    result = ds_wait(daemonset(ready=1), [HEALTHY, other])
    assert 'other-x' not in result['line']


def test_terminating_pod_of_the_daemonset():
    going = pod('kube-multus-ds-z9y8x', 'worker-2', metadata={'deletionTimestamp': '2026-03-02T10:07:00Z'})
    result = ds_wait(daemonset(ready=1), [HEALTHY, going])
    assert 'node worker-2 (pod kube-multus-ds-z9y8x: Terminating)' in result['line']
    assert 'being deleted since 2026-03-02T10:07:00Z' in result['reasons'][0]


# --- Pods -----------------------------------------------------------------------------------------------------------

def verify_pod(name, node, phase='Running', containers=None, **extra):
    found = pod(name, node, phase, containers, namespace='mhm-verify', owner=False, **extra)
    found['metadata']['labels'] = {'app.kubernetes.io/component': 'verification'}
    return found


def test_pods_by_selector_one_pending():
    sandbox = verify_pod('multus-verify-2', 'worker-2', 'Pending',
                         [waiting('ContainerCreating', name='sample')], ready=False)
    result = wait_status([verify_pod('multus-verify-1', 'worker-1'), sandbox], 'Pod', what='verification',
                         namespace='mhm-verify', selector='app.kubernetes.io/component=verification')
    assert result['subject'] == 'verification pods app.kubernetes.io/component=verification in mhm-verify'
    assert result['line'] == ('verification pods app.kubernetes.io/component=verification in mhm-verify: 1 of 2 Ready; '
                              'not ready: pod mhm-verify/multus-verify-2 on node worker-2: Pending (ContainerCreating)')
    assert result['ready'] is False


def test_pods_by_selector_all_ready():
    result = wait_status([verify_pod('a', 'w1'), verify_pod('b', 'w2')], 'Pod', namespace='mhm-verify', selector='x=y')
    assert result == {'ready': True, 'subject': 'pods x=y in mhm-verify', 'line': 'pods x=y in mhm-verify: 2 of 2 Ready',
                      'reasons': []}


def test_no_pod_matches_yet():
    result = wait_status([], 'Pod', namespace='mhm-verify', selector='x=y')
    assert result['ready'] is False
    assert result['line'] == 'pods x=y in mhm-verify: none yet'


def test_pod_by_name_like_the_issue_says():
    pending = verify_pod('a', 'worker-2', 'Pending', [waiting('ContainerCreating', name='sample')], ready=False)
    result = wait_status([pending], 'Pod', name='a', namespace='mhm-verify')
    assert result['line'] == 'Pod mhm-verify/a: Pending (ContainerCreating)'
    assert wait_status([], 'Pod', name='a', namespace='mhm-verify')['line'] == 'Pod mhm-verify/a: not found yet'


def test_unschedulable_pod():
    stuck = verify_pod('a', '', 'Pending', [], status={'conditions': conditions(False, scheduled=False)})
    del stuck['status']['containerStatuses']
    result = wait_status([stuck], 'Pod', name='a', namespace='mhm-verify')
    assert result['line'] == 'Pod mhm-verify/a: Pending (Unschedulable)'
    assert result['reasons'] == [
        "pod mhm-verify/a on node (none): Pending; conditions PodScheduled False (Unschedulable): 0/3 nodes are "
        "available: 3 node(s) didn't match Pod's node affinity/selector."]


def test_init_container_pull_failure():
    init = [waiting('ImagePullBackOff', 'Back-off pulling image "busybox:nope"', name='install-multus-binary')]
    stuck = pod('kube-multus-ds-i1', 'worker-3', 'Pending', [waiting('PodInitializing')], init=init, ready=False)
    assert pod_brief(stuck) == 'Init:ImagePullBackOff'
    assert 'init container install-multus-binary waiting: ImagePullBackOff' in pod_reasons(stuck)


def test_init_container_still_running():
    init = [{'name': 'install', 'ready': False, 'restartCount': 0, 'state': {'running': {}}}]
    assert pod_brief(pod('p', 'n', 'Pending', [waiting('PodInitializing')], init=init, ready=False)) == 'Init:0/1'


def test_init_container_failed():
    init = [{'name': 'install', 'ready': False, 'restartCount': 0,
             'state': {'terminated': {'exitCode': 2, 'reason': 'Error'}}}]
    stuck = pod('p', 'n', 'Pending', [waiting('PodInitializing')], init=init, ready=False)
    assert pod_brief(stuck) == 'Init:Error'
    assert 'init container install terminated: Error, exit code 2' in pod_reasons(stuck)


def test_running_but_readiness_probe_failing():
    probe = running()
    probe['ready'] = False
    result = pod_reasons(pod('p', 'n', containers=[probe], ready=False))
    assert pod_brief(pod('p', 'n', containers=[probe], ready=False)) == 'container kube-multus not ready'
    assert 'container kube-multus running, not ready' in result


def test_evicted_pod():
    evicted = pod('p', 'n', 'Failed', [], ready=False,
                  status={'reason': 'Evicted', 'message': 'The node was low on resource: memory.'})
    assert pod_line(evicted) == 'Failed (Evicted)'
    assert 'Evicted: The node was low on resource: memory.' in pod_reasons(evicted)


def test_pod_ready_needs_the_ready_condition_and_no_deletion():
    assert pod_is_ready(HEALTHY) is True
    assert pod_is_ready(CREATING) is False
    going = copy.deepcopy(HEALTHY)
    going['metadata']['deletionTimestamp'] = '2026-03-02T10:07:00Z'
    assert pod_is_ready(going) is False
    assert pod_is_ready({}) is False
    assert pod_is_ready(None) is False


@pytest.mark.parametrize('value, brief', [
    ({}, 'no status yet'),
    ({'status': {'phase': 'Pending'}}, 'Pending'),
    ({'status': {'phase': 'Pending', 'containerStatuses': None}}, 'Pending'),
])
def test_pod_brief_with_little_status(value, brief):
    assert pod_brief(value) == brief


def test_long_messages_are_cut():
    long = waiting('CreateContainerConfigError', 'x' * 1000)
    reason = pod_reasons(pod('p', 'n', 'Pending', [long], ready=False))
    assert 'x' * 237 + '...' in reason
    assert 'x' * 238 not in reason


# --- Gone -----------------------------------------------------------------------------------------------------------

def test_daemonset_gone_but_a_pod_still_terminating():
    going = pod('kube-multus-ds-a1b2c', 'worker-1', metadata={'deletionTimestamp': '2026-03-02T10:07:00Z'})
    result = wait_status([], 'DaemonSet', 'absent', pods=[going], what='Multus', name='kube-multus-ds', namespace=NS)
    assert result['ready'] is False
    assert result['line'] == ('Multus DaemonSet kube-system/kube-multus-ds: gone; 1 pod(s) left: '
                              'kube-system/kube-multus-ds-a1b2c on node worker-1 (Terminating)')


def test_daemonset_and_its_pods_gone():
    result = wait_status([], 'DaemonSet', 'absent', pods=[], what='Multus', name='kube-multus-ds', namespace=NS)
    assert result == {'ready': True, 'subject': 'Multus DaemonSet kube-system/kube-multus-ds',
                      'line': 'Multus DaemonSet kube-system/kube-multus-ds: gone', 'reasons': []}


def test_pod_gone_while_deleting():
    deleting = {'deletionTimestamp': '2026-03-02T10:07:00Z', 'finalizers': ['example.com/hold']}
    going = verify_pod('multus-verify-1', 'worker-1', metadata=deleting)
    first = wait_status([going], 'Pod', 'absent', name='multus-verify-1', namespace='mhm-verify')
    assert first['ready'] is False
    assert first['line'] == 'Pod mhm-verify/multus-verify-1: still there on node worker-1 (Terminating)'
    assert 'being deleted since 2026-03-02T10:07:00Z (finalizers: example.com/hold)' in first['reasons'][0]
    second = wait_status([], 'Pod', 'absent', name='multus-verify-1', namespace='mhm-verify')
    assert second == {'ready': True, 'subject': 'Pod mhm-verify/multus-verify-1',
                      'line': 'Pod mhm-verify/multus-verify-1: gone', 'reasons': []}


def test_pods_by_selector_left():
    going = verify_pod('multus-verify-1', 'worker-1', metadata={'deletionTimestamp': '2026-03-02T10:07:00Z'})
    result = wait_status([going, verify_pod('multus-verify-2', 'worker-2')], 'Pod', 'absent', namespace='mhm-verify',
                         selector='app.kubernetes.io/component=verification')
    assert result['line'] == ('pods app.kubernetes.io/component=verification in mhm-verify: 2 pod(s) left: '
                              'mhm-verify/multus-verify-1 on node worker-1 (Terminating), mhm-verify/multus-verify-2 on '
                              'node worker-2 (Running)')
    assert wait_status([], 'Pod', 'absent', namespace='mhm-verify', selector='x=y')['line'] == 'pods x=y in mhm-verify: gone'


def test_crd_held_by_a_finalizer():
    crd = {'kind': 'CustomResourceDefinition',
           'metadata': {'name': 'ippools.whereabouts.cni.cncf.io', 'deletionTimestamp': '2026-03-02T10:07:00Z',
                        'finalizers': ['customresourcecleanup.apiextensions.k8s.io']}}
    result = wait_status([crd], 'CustomResourceDefinition', 'absent', what='whereabouts',
                         name='ippools.whereabouts.cni.cncf.io')
    assert result['line'] == ('whereabouts CustomResourceDefinition ippools.whereabouts.cni.cncf.io: still there, being '
                              'deleted (finalizers: customresourcecleanup.apiextensions.k8s.io)')
    assert result['reasons'] == [
        'CustomResourceDefinition ippools.whereabouts.cni.cncf.io: still there, being deleted '
        '(finalizers: customresourcecleanup.apiextensions.k8s.io)']


# --- Helpers and errors ---------------------------------------------------------------------------------------------

def test_last_warning_takes_the_latest_and_ignores_normal_events():
    normal = {'type': 'Normal', 'reason': 'Pulling', 'lastTimestamp': '2026-03-02T11:00:00Z',
              'involvedObject': {'kind': 'Pod', 'name': 'kube-multus-ds-q8d4n'}}
    assert last_warning(EVENTS + [normal], 'Pod', 'kube-multus-ds-q8d4n') == (
        f'last warning event Failed (x6): Failed to pull image "{IMAGE}-typo": manifest unknown')
    assert last_warning(EVENTS, 'Pod', 'nobody') == ''
    assert last_warning(None, 'Pod', 'x') == ''


def test_events_api_series_count_and_event_time():
    event = {'type': 'Warning', 'reason': 'BackOff', 'eventTime': '2026-03-02T10:00:00.000001Z',
             'series': {'count': 3}, 'message': 'Back-off restarting failed container',
             'involvedObject': {'kind': 'Pod', 'name': 'p'}}
    assert last_warning([event], 'Pod', 'p') == 'last warning event BackOff (x3): Back-off restarting failed container'


@pytest.mark.parametrize('args, subject', [
    (('DaemonSet', 'Cilium agent', 'cilium', 'kube-system'), 'Cilium agent DaemonSet kube-system/cilium'),
    (('CustomResourceDefinition', '', 'ippools.whereabouts.cni.cncf.io'),
     'CustomResourceDefinition ippools.whereabouts.cni.cncf.io'),
    (('Pod', '', '', 'ns', 'a=b,c=d'), 'pods a=b,c=d in ns'),
    (('Pod', '', '', '', ''), 'pods (all)'),
    (('ConfigMap', '', '', 'ns', 'a=b'), 'ConfigMap objects a=b in ns'),
])
def test_subject_of(args, subject):
    assert subject_of(*args) == subject


@pytest.mark.parametrize('kind, state, message', [
    ('ConfigMap', 'present', "only DaemonSet and Pod can be waited for to be ready, got kind 'ConfigMap'"),
    ('Pod', 'running', "state must be one of present, absent, got 'running'"),
    ('', 'absent', "kind must be a Kubernetes kind, got ''"),
])
def test_errors(kind, state, message):
    with pytest.raises(ValueError, match=message):
        wait_status([], kind, state)


def test_garbage_in_the_lists_is_skipped():
    assert wait_status([None, {}, 'x'], 'Pod', namespace='n', selector='a=b')['line'] == 'pods a=b in n: none yet'
