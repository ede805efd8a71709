# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/k8s_drift.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import k8s_drift as plugin


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'k8s_drift': plugin.k8s_drift}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'k8s_drift'
    assert set(doc['options']) == {'_input', 'live'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'list'


def test_answers():
    wanted = {'kind': 'ConfigMap', 'data': {'a': '1'}}
    assert plugin.k8s_drift(wanted, {'kind': 'ConfigMap', 'data': {'a': '1'}, 'metadata': {'uid': 'u'}}) == []
    assert plugin.k8s_drift(wanted, {'kind': 'ConfigMap', 'data': {'a': '2'}}) == ['data.a']


def test_error_names_the_filter():
    with pytest.raises(AnsibleFilterError, match='k8s_drift: the wanted definition must be a dict'):
        plugin.k8s_drift('kind: ConfigMap', None)
