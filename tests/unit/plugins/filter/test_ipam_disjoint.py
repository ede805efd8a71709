# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/ipam_disjoint.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import ipam_disjoint as plugin


def node_range(start, end):
    return {'subnet': '198.19.0.0/24', 'rangeStart': start, 'rangeEnd': end}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'ipam_disjoint': plugin.ipam_disjoint}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'ipam_disjoint'
    assert str(doc['version_added']) == '0.1.0'
    assert doc['short_description'] and doc['description'] and doc['author']
    assert list(doc['options']) == ['_input']
    assert len(inspect.signature(plugin.ipam_disjoint).parameters) == 1
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'dict'
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_disjoint_input_is_returned():
    ranges = {'node1': node_range('198.19.0.101', '198.19.0.105'), 'node2': node_range('198.19.0.106', '198.19.0.110')}
    assert plugin.ipam_disjoint(ranges) is ranges


@pytest.mark.parametrize('ranges, message', [
    ([node_range('198.19.0.1', '198.19.0.2')], "ipam_disjoint: the input must be a dict of label -> range, got [{"),
    ('node1', "ipam_disjoint: the input must be a dict of label -> range, got 'node1'"),
    ({'node1': node_range('198.19.0.101', '198.19.0.105'), 'node2': node_range('198.19.0.104', '198.19.0.110')},
     'ipam_disjoint: the ranges of node1 (198.19.0.101-198.19.0.105) and node2 (198.19.0.104-198.19.0.110) overlap at 198.19.0.104'),
    ({'node1/macvlan-net1': {'subnet': '198.19.0.0/24'}}, "ipam_disjoint: the range of node1/macvlan-net1: missing key 'rangeStart'"),
    ({'node2': node_range('198.19.0.1', '198.19.0.256')}, "ipam_disjoint: the range of node2: rangeEnd '198.19.0.256' is not a valid IP address"),
])
def test_errors_become_ansible_filter_errors(ranges, message):
    with pytest.raises(AnsibleFilterError) as info:
        plugin.ipam_disjoint(ranges)
    assert str(info.value).startswith(message)
