# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/declared_secondaries.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import declared_secondaries as plugin

EMPTY = {'name': 'eth1', 'addresses': [], 'subnet': '', 'addresses6': [], 'subnet6': ''}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'declared_secondaries': plugin.declared_secondaries}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'declared_secondaries'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.declared_secondaries).parameters)[1:]
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {
        'name', 'where', 'addresses', 'subnet', 'variable', 'addresses6', 'subnet6', 'variable6'}
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_guide_example():
    (found,) = plugin.declared_secondaries([{'name': 'eth1', 'first': '192.168.1.13', 'count': 5, 'subnet': '192.168.1.0/24'}])
    assert found['addresses'] == [f'192.168.1.{n}' for n in range(13, 18)]
    assert plugin.declared_secondaries((), EMPTY)[0]['where'] == 'secondary_nic_'


@pytest.mark.parametrize('args, message', [
    (('eth1',), "declared_secondaries: the input must be the list secondary_nic_interfaces, got 'eth1'"),
    (([], 'eth1'), "declared_secondaries: shorthand must be a dict, got 'eth1'"),
    (([{'name': 'eth1', 'count': 5}],), r'declared_secondaries: secondary_nic_interfaces\[0\].count is set without'),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.declared_secondaries(*args)
