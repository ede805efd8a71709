# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_ip_in_range.py."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._ip_in_range import ip_in_range
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

NODE1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}


@pytest.mark.parametrize('address, inside', [
    ('198.19.0.100', False),
    ('198.19.0.101', True),
    ('198.19.0.103/24', True),
    ('198.19.0.105', True),
    ('198.19.0.106', False),
    ('2001:db8::101', False),
])
def test_edges(address, inside):
    assert ip_in_range(address, NODE1) is inside


@given(st.integers(min_value=1, max_value=250), st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=254))
def test_agrees_with_a_set_of_the_range(first, length, probe):
    base = ipaddress.ip_address('198.19.7.0')
    start, end = base + first, base + min(first + length, 254)
    members = {str(base + n) for n in range(first, min(first + length, 254) + 1)}
    ipam = {'subnet': '198.19.7.0/24', 'rangeStart': str(start), 'rangeEnd': str(end)}
    address = str(base + probe)
    assert ip_in_range(address, ipam) is (address in members)


@pytest.mark.parametrize('address, ipam, message', [
    ('198.19.0.300', NODE1, '198.19.0.300'),
    ('198.19.0.101', {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101'}, 'rangeEnd'),
    ('198.19.0.101', {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.1.1', 'rangeEnd': '198.19.1.2'}, 'outside subnet'),
])
def test_errors_name_the_value(address, ipam, message):
    with pytest.raises(IpamError, match=message):
        ip_in_range(address, ipam)
