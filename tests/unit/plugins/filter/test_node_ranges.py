# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/node_ranges.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import node_ranges as plugin

SEED = {'name': 'ipvlan-conf-1', 'master': 'eth1', 'ipam': 'per_node', 'gateway': '192.168.1.1'}
NIC = {'addresses': [f'192.168.1.{n}/24' for n in range(13, 18)], 'subnet': '192.168.1.0/24', 'addresses6': [],
       'subnet6': '', 'variable': '', 'variable6': '', 'where': 'secondary_nic_'}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'node_ranges': plugin.node_ranges}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'node_ranges'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.node_ranges).parameters)[1:]
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'dict'
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_guide_example():
    assert plugin.node_ranges([SEED], {'eth1': NIC}) == {'ipvlan-conf-1': {
        'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}}


@pytest.mark.parametrize('args, message', [
    (('x', {}), "node_ranges: the input must be the list of attachments, got 'x'"),
    (([SEED], []), r'node_ranges: nics must be the per-NIC result of secondary_nic, got \[\]'),
    (([SEED], {}), 'node_ranges: attachment ipvlan-conf-1 takes its range from the secondary IPs of eth1'),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.node_ranges(*args)
