# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/allocation_table.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import allocation_table as plugin

R1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.102'}
HOSTVARS = {'node1': {'network_attachments_list': [{'name': 'net'}], 'network_attachments_node_ranges': {'net': R1}}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'allocation_table': plugin.allocation_table}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'allocation_table'
    assert set(doc['options']) == {'_input', 'hostvars', 'check_mode'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'list'


def test_answer():
    assert plugin.allocation_table(('node1',), HOSTVARS) == [
        'NODE   NIC   NAD  IPAM      RANGE                      ADDRESSES  STATE',
        'node1  eth1  net  per_node  198.19.0.101-198.19.0.102  2          computed, not written',
        '',
        '1 worker, 1 per-node range holding 2 addresses.',
        'Ranges computed but not written (step nads skipped): node1/net.',
    ]


@pytest.mark.parametrize('args, message', [
    (('node1', HOSTVARS), "allocation_table: the input must be a list of host names, got 'node1'"),
    ((['node1'], ['node1']), 'allocation_table: hostvars must be the hostvars dict, got list'),
    ((['node1'], HOSTVARS, 'yes'), "allocation_table: check_mode must be a boolean, got 'yes'"),
    ((['node1'], {'node1': {'network_attachments_list': 'net'}}),
     "allocation_table: the attachments of host node1 must be a list of dicts with a name, got 'net'"),
    ((['node1'], {'node1': {'network_attachments_list': [{'name': 'net', 'ipam': 'whereabouts', 'whereabouts_range': 'x'}]}}),
     "allocation_table: the whereabouts pool of net: whereabouts_range 'x' has no /prefix"),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.allocation_table(*args)
