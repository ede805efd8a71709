# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/k8s_drift_results.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import k8s_drift_results as plugin

CM = {'kind': 'ConfigMap', 'data': {'a': '1'}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'k8s_drift_results': plugin.k8s_drift_results}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'k8s_drift_results'
    assert set(doc['options']) == {'_input', 'loop_var'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'list'


def test_answers():
    results = [{'item': CM, 'resources': [{'kind': 'ConfigMap', 'data': {'a': '2'}}]}, {'item': CM, 'resources': []}]
    assert plugin.k8s_drift_results(results) == [
        {'definition': CM, 'paths': ['data.a'], 'api_found': True}, {'definition': CM, 'paths': ['.'], 'api_found': True}]
    assert plugin.k8s_drift_results([{'obj': CM, 'resources': [CM]}], loop_var='obj') == [{'definition': CM, 'paths': [], 'api_found': True}]


@pytest.mark.parametrize('args, message', [
    (({'results': []},), 'k8s_drift_results: the k8s_info results must be a list, got dict'),
    (([{'item': CM}], 'k8s_objects_item'), "k8s_drift_results: k8s_info result 0 has no loop variable 'k8s_objects_item'"),
    (([{'item': ['x']}],), 'k8s_drift_results: the wanted definition must be a dict, got list'),
    (([], ''), "k8s_drift_results: loop_var must be a non-empty string, got ''"),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.k8s_drift_results(*args)
