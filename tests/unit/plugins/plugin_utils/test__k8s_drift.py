# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_k8s_drift.py."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._k8s_drift import k8s_drift, k8s_drift_results

WANTED = {
    'apiVersion': 'apps/v1',
    'kind': 'DaemonSet',
    'metadata': {'name': 'kube-multus-ds', 'namespace': 'kube-system', 'labels': {'app': 'multus'}},
    'spec': {
        'selector': {'matchLabels': {'name': 'multus'}},
        'template': {'spec': {
            'hostNetwork': True,
            'containers': [{'name': 'kube-multus', 'image': 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0',
                            'args': ['--multus-conf-file=auto'], 'resources': {'requests': {'cpu': '100m'}}}],
        }},
    },
}

# What the API server returns for WANTED: the same fields plus defaults, metadata and status.
LIVE = copy.deepcopy(WANTED)
LIVE['metadata'].update({'uid': 'b3c1', 'resourceVersion': '812', 'generation': 1, 'annotations': {'x': 'y'}})
LIVE['spec']['revisionHistoryLimit'] = 10
LIVE['spec']['template']['spec']['containers'][0].update({'imagePullPolicy': 'IfNotPresent', 'terminationMessagePath': '/dev/termination-log'})
LIVE['spec']['template']['spec']['dnsPolicy'] = 'ClusterFirst'
LIVE['status'] = {'numberReady': 2}

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=12,
)


def test_live_object_with_server_fields_is_up_to_date():
    assert k8s_drift(WANTED, LIVE) == []


def test_missing_object_is_drift_at_the_root():
    assert k8s_drift(WANTED, None) == ['.']


@pytest.mark.parametrize('change, path', [
    (lambda o: o['spec']['template']['spec']['containers'][0].update(image='ghcr.io/x/multus:v4.2.4'),
     'spec.template.spec.containers[0].image'),
    (lambda o: o['metadata']['labels'].pop('app'), 'metadata.labels.app'),
    (lambda o: o['spec']['template']['spec']['containers'][0]['args'].append('--extra'),
     'spec.template.spec.containers[0].args'),
    (lambda o: o['spec']['template']['spec'].update(hostNetwork=1), 'spec.template.spec.hostNetwork'),
    (lambda o: o['spec'].update(selector='name=multus'), 'spec.selector'),
])
def test_changed_field_is_named(change, path):
    live = copy.deepcopy(LIVE)
    change(live)
    assert k8s_drift(WANTED, live) == [path]


def test_every_changed_field_is_named():
    live = copy.deepcopy(LIVE)
    live['metadata']['labels']['app'] = 'other'
    live['spec']['template']['spec']['containers'][0]['resources']['requests']['cpu'] = '200m'
    assert k8s_drift(WANTED, live) == ['metadata.labels.app', 'spec.template.spec.containers[0].resources.requests.cpu']


def test_empty_wanted_values_the_server_drops_are_no_drift():
    wanted = {'metadata': {'name': 'a', 'annotations': {}, 'finalizers': [], 'ownerReferences': None}}
    assert k8s_drift(wanted, {'metadata': {'name': 'a'}}) == []


def test_wanted_must_be_a_dict():
    with pytest.raises(TypeError, match='must be a dict, got list'):
        k8s_drift([WANTED], LIVE)


@given(JSON_VALUES, st.dictionaries(st.text(min_size=5, max_size=6), JSON_VALUES, max_size=2))
def test_any_object_is_up_to_date_with_itself_plus_extra_fields(value, extra):
    wanted = {'spec': value}
    live = {'spec': copy.deepcopy(value), **extra}
    assert k8s_drift(wanted, live) == []


@given(st.text(max_size=5), st.text(max_size=5))
def test_a_different_leaf_is_always_drift(old, new):
    drift = k8s_drift({'data': {'key': new}}, {'data': {'key': old}})
    assert drift == ([] if old == new else ['data.key'])


class TaggedStr(str):
    """Like the str subclass Ansible 2.19 passes to filters."""


def test_subclasses_of_the_value_types_compare_by_value():
    assert k8s_drift({'metadata': {'name': TaggedStr('multus')}}, {'metadata': {'name': 'multus'}}) == []
    assert k8s_drift({'spec': {'replicas': 1}}, {'spec': {'replicas': True}}) == ['spec.replicas']


CM = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a', 'namespace': 'ns'}, 'data': {'k': 'v'}}


def test_results_of_a_k8s_info_loop_in_loop_order():
    results = [
        {'changed': False, 'k8s_objects_item': CM, 'resources': [
            {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a', 'namespace': 'ns', 'uid': 'u'}, 'data': {'k': 'v'}}]},
        {'changed': False, 'k8s_objects_item': WANTED, 'resources': []},
        {'changed': False, 'k8s_objects_item': CM, 'resources': [
            {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a', 'namespace': 'ns'}, 'data': {'k': 'w'}}]},
        {'changed': False, 'k8s_objects_item': CM},
    ]
    assert k8s_drift_results(results, 'k8s_objects_item') == [
        {'definition': CM, 'paths': [], 'api_found': True},
        {'definition': WANTED, 'paths': ['.'], 'api_found': True},
        {'definition': CM, 'paths': ['data.k'], 'api_found': True},
        {'definition': CM, 'paths': ['.'], 'api_found': True},
    ]


def test_a_kind_the_api_server_does_not_serve_is_new_and_flagged():
    results = [{'item': CM, 'resources': [], 'api_found': False}, {'item': CM, 'resources': [], 'api_found': True}]
    assert k8s_drift_results(results) == [
        {'definition': CM, 'paths': ['.'], 'api_found': False},
        {'definition': CM, 'paths': ['.'], 'api_found': True},
    ]


def test_only_the_first_live_object_counts():
    results = [{'item': CM, 'resources': [{'data': {'k': 'v'}}, {'data': {'k': 'x'}}]}]
    assert k8s_drift_results(results) == [{'definition': CM, 'paths': ['apiVersion', 'kind', 'metadata'], 'api_found': True}]


def test_an_empty_loop_has_no_drift():
    assert k8s_drift_results([]) == []


@pytest.mark.parametrize('results, error, message', [
    ({'results': []}, TypeError, 'the k8s_info results must be a list, got dict'),
    ('results', TypeError, 'the k8s_info results must be a list, got str'),
    ([CM, 'x'], ValueError, "k8s_info result 0 has no loop variable 'item'"),
    ([{'item': CM}, 'x'], TypeError, 'k8s_info result 1 must be a dict, got str'),
    ([{'item': 'kind: ConfigMap', 'resources': []}], TypeError, 'the wanted definition must be a dict, got str'),
])
def test_bad_results(results, error, message):
    with pytest.raises(error, match=message):
        k8s_drift_results(results)
