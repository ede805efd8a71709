# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/ipam_dual_stack.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import ipam_dual_stack as plugin

V4 = ['198.18.0.11/24', '198.18.0.12/24']
V6 = ['2001:db8:1::11/64', '2001:db8:1::12/64']


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'ipam_dual_stack': plugin.ipam_dual_stack}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'ipam_dual_stack'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.ipam_dual_stack).parameters)[1:]
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'dict'


def test_answer():
    assert plugin.ipam_dual_stack((V4, V6), gateways=['198.18.0.1', None]) == {'ranges': [
        [{'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.12', 'gateway': '198.18.0.1'}],
        [{'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::11', 'rangeEnd': '2001:db8:1::12'}]]}


@pytest.mark.parametrize('args, kwargs, message', [
    (('198.18.0.11',), {}, "ipam_dual_stack: the input must be \\[IPv4 addresses, IPv6 addresses\\], got '198.18.0.11'"),
    (([V4, '2001:db8:1::11'],), {}, 'ipam_dual_stack: the input must be'),
    (([V4, V6],), {'subnets': '198.18.0.0/24'}, "ipam_dual_stack: subnets must be a list of two strings or nulls, got '198.18.0.0/24'"),
    (([V4, V6],), {'gateways': [1, None]}, 'ipam_dual_stack: gateways must be a list of two strings or nulls'),
    (([V4, []],), {}, 'ipam_dual_stack: no IPv6 addresses given'),
])
def test_errors_name_the_filter_and_the_value(args, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.ipam_dual_stack(*args, **kwargs)
