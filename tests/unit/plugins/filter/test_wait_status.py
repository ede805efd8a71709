# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/wait_status.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import wait_status as plugin

POD = {'metadata': {'name': 'a', 'namespace': 'mhm-verify'}, 'spec': {'nodeName': 'worker-2'},
       'status': {'phase': 'Pending', 'conditions': [{'type': 'Ready', 'status': 'False'}],
                  'containerStatuses': [{'name': 'sample', 'ready': False, 'state': {'waiting': {'reason': 'ContainerCreating'}}}]}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'wait_status': plugin.wait_status}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'wait_status'
    assert doc['version_added'] == '0.3.0'
    assert set(doc['options']) == {'_input', 'kind', 'state', 'pods', 'events', 'what', 'name', 'namespace', 'selector'}
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {'ready', 'subject', 'line', 'reasons'}
    assert yaml.safe_load(plugin.EXAMPLES)


def test_answers():
    result = plugin.wait_status([POD], 'Pod', name='a', namespace='mhm-verify')
    assert result['line'] == 'Pod mhm-verify/a: Pending (ContainerCreating)'
    assert result['ready'] is False
    assert plugin.wait_status([], 'Pod', 'absent', pods=None, events=None, name='a', namespace='mhm-verify')['ready'] is True


@pytest.mark.parametrize('args, kwargs, message', [
    ((POD, 'Pod'), {}, r"wait_status: the input must be a list of Kubernetes objects \(dicts\), got \{'metadata'"),
    (('pods', 'Pod'), {}, r"wait_status: the input must be a list of Kubernetes objects \(dicts\), got 'pods'"),
    (([None], 'Pod'), {}, r'wait_status: the input must be a list of Kubernetes objects \(dicts\), got \[None\]'),
    (([], 'DaemonSet'), {'pods': 'x'}, r"wait_status: pods must be a list of Kubernetes objects \(dicts\), got 'x'"),
    (([], 'DaemonSet'), {'events': [1]}, r'wait_status: events must be a list of Kubernetes objects \(dicts\), got \[1\]'),
    (([], 5), {}, 'wait_status: kind must be a string, got 5'),
    (([], 'Pod'), {'name': None}, 'wait_status: name must be a string, got None'),
    (([], 'Pod', 'gone'), {}, "wait_status: state must be one of present, absent, got 'gone'"),
    (([], 'Service'), {}, "wait_status: only DaemonSet and Pod can be waited for to be ready, got kind 'Service'"),
])
def test_errors_name_the_filter_and_the_value(args, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.wait_status(*args, **kwargs)
