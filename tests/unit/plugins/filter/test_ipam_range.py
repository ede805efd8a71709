# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/ipam_range.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import ipam_range as plugin

GUIDE_BLOCK = ['192.168.1.13', '192.168.1.14', '192.168.1.15', '192.168.1.16', '192.168.1.17']


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'ipam_range': plugin.ipam_range}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'ipam_range'
    assert str(doc['version_added']) == '0.1.0'
    assert doc['short_description'] and doc['description'] and doc['author']
    parameters = list(inspect.signature(plugin.ipam_range).parameters)
    assert list(doc['options']) == ['_input'] + parameters[1:]
    assert doc['options']['_input']['required'] is True
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {'subnet', 'rangeStart', 'rangeEnd', 'gateway'}
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_guide_example():
    result = plugin.ipam_range(GUIDE_BLOCK, subnet='192.168.1.0/24', gateway='192.168.1.1')
    assert result == {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}
    assert list(result) == ['subnet', 'rangeStart', 'rangeEnd', 'gateway']


def test_positional_subnet_and_tuple_input():
    assert plugin.ipam_range(tuple(reversed(GUIDE_BLOCK)), '192.168.1.0/24') == {
        'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17'}


@pytest.mark.parametrize('args, kwargs, message', [
    (('192.168.1.13',), {}, "ipam_range: the input must be a list of addresses, got '192.168.1.13'"),
    (({'address': '192.168.1.13'},), {}, "ipam_range: the input must be a list of addresses, got {'address': '192.168.1.13'}"),
    ((13,), {}, 'ipam_range: the input must be a list of addresses, got 13'),
    ((GUIDE_BLOCK,), {'subnet': 24}, 'ipam_range: subnet must be a string, got 24'),
    ((GUIDE_BLOCK,), {'subnet': '192.168.1.0/24', 'gateway': ['192.168.1.1']}, "ipam_range: gateway must be a string, got ['192.168.1.1']"),
    (([],), {}, 'ipam_range: no addresses given (the list is empty)'),
    ((['192.168.1.13', '192.168.1.15'],), {'subnet': '192.168.1.0/24'},
     'ipam_range: the addresses are not a contiguous block: 192.168.1.14 is missing'),
    ((GUIDE_BLOCK,), {'subnet': '192.168.1.5/24'}, "ipam_range: subnet '192.168.1.5/24' has host bits set"),
    ((GUIDE_BLOCK,), {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.15'},
     'ipam_range: gateway 192.168.1.15 lies inside the range 192.168.1.13-192.168.1.17'),
])
def test_errors_become_ansible_filter_errors(args, kwargs, message):
    with pytest.raises(AnsibleFilterError) as info:
        plugin.ipam_range(*args, **kwargs)
    assert str(info.value).startswith(message)
