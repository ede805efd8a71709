# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_declared_secondaries.py."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._declared_secondaries import (
    MAX_ADDRESSES,
    check_nic_name,
    declared_secondaries,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

EMPTY = {'name': 'eth1', 'addresses': [], 'subnet': '', 'addresses6': [], 'subnet6': ''}
GUIDE = [f'192.168.1.{n}' for n in range(13, 18)]


def one(**entry):
    (found,) = declared_secondaries([dict({'name': 'eth1'}, **entry)])
    return found


def test_the_three_forms_give_the_same_addresses():
    forms = [
        {'addresses': GUIDE, 'subnet': '192.168.1.0/24'},
        {'addresses': [f'{address}/24' for address in GUIDE]},
        {'first': '192.168.1.13', 'count': 5, 'subnet': '192.168.1.0/24'},
        {'first': '192.168.1.13/24', 'count': '5'},
        {'first': '192.168.1.13', 'last': '192.168.1.17', 'subnet': '192.168.1.0/24'},
    ]
    for form in forms:
        found = one(**form)
        assert (found['addresses'], found['subnet']) == (GUIDE, '192.168.1.0/24'), form


def test_variables_are_named_by_form_and_source():
    assert one(addresses=GUIDE)['variable'] == 'secondary_nic_interfaces[0].addresses'
    assert one(first='192.168.1.13', count=5)['variable'] == 'secondary_nic_interfaces[0].first/count'
    assert one(first6='2001:db8::1', last6='2001:db8::2')['variable6'] == 'secondary_nic_interfaces[0].first6/last6'
    (shorthand,) = declared_secondaries([], dict(EMPTY, addresses=GUIDE))
    assert (shorthand['where'], shorthand['variable']) == ('secondary_nic_', 'secondary_nic_addresses')


def test_nothing_declared_reads_the_nic():
    assert declared_secondaries([], EMPTY) == [{'name': 'eth1', 'where': 'secondary_nic_', 'addresses': [], 'subnet': '',
                                                'variable': '', 'addresses6': [], 'subnet6': '', 'variable6': ''}]
    assert one()['addresses'] == []


def test_ipv6_forms_and_several_nics():
    found = declared_secondaries([{'name': 'eth1', 'first': '192.168.1.13', 'count': 2, 'subnet': '192.168.1.0/24',
                                   'first6': '2001:db8:1::10', 'count6': 3, 'subnet6': '2001:db8:1::/64'},
                                  {'name': 'eth2', 'addresses': ['10.2.0.21/24']}])
    assert [item['name'] for item in found] == ['eth1', 'eth2']
    assert found[0]['addresses6'] == ['2001:db8:1::10', '2001:db8:1::11', '2001:db8:1::12']
    assert found[1]['subnet'] == '10.2.0.0/24'


def test_no_prefix_and_no_subnet_leaves_the_subnet_to_the_nic():
    assert one(addresses=['192.168.1.13'])['subnet'] == ''


@given(st.integers(min_value=0, max_value=2**32 - MAX_ADDRESSES - 1), st.integers(min_value=1, max_value=64))
def test_first_and_count_equals_first_and_last(start, count):
    first = str(ipaddress.IPv4Address(start))
    last = str(ipaddress.IPv4Address(start + count - 1))
    by_count = one(first=first, count=count)['addresses']
    assert by_count == one(first=first, last=last)['addresses']
    assert len(by_count) == count and by_count[0] == first and by_count[-1] == last


@pytest.mark.parametrize('entry, message', [
    ({'first': '192.168.1.13'}, 'secondary_nic_interfaces[0].first is set without secondary_nic_interfaces[0].count '
                                'or secondary_nic_interfaces[0].last'),
    ({'count': 5}, 'secondary_nic_interfaces[0].count is set without secondary_nic_interfaces[0].first'),
    ({'first': '192.168.1.13', 'count': 2, 'last': '192.168.1.14'}, 'count and secondary_nic_interfaces[0].last are both set'),
    ({'addresses': GUIDE, 'first': '192.168.1.13'}, 'declare the addresses in one form'),
    ({'first': '192.168.1.13', 'count': 0}, 'secondary_nic_interfaces[0].count=0 is outside 1..4096'),
    ({'first': '192.168.1.13', 'count': True}, 'secondary_nic_interfaces[0].count=True is not a whole number'),
    ({'first': '192.168.1.13', 'count': 'five'}, "secondary_nic_interfaces[0].count='five' is not a whole number"),
    ({'first': '255.255.255.254', 'count': 5}, 'runs past the end of the address space'),
    ({'first': '192.168.1.17', 'last': '192.168.1.13'}, 'last=192.168.1.13 comes before secondary_nic_interfaces[0].first=192.168.1.17; swap them'),
    ({'first': '10.0.0.0', 'last': '10.1.0.0'}, 'spans more than 4096 addresses'),
    ({'first': '10.0.0.1/24', 'last': '10.0.0.9/25'}, 'are in different networks'),
    ({'addresses': '192.168.1.13'}, "secondary_nic_interfaces[0].addresses must be a list of addresses, got '192.168.1.13'"),
    ({'addresses': ['192.168.1.13', '192.168.1.13']}, 'lists 192.168.1.13 twice'),
    ({'addresses': ['192.168.1.300']}, "secondary_nic_interfaces[0].addresses: address '192.168.1.300' is not a valid IP address"),
    ({'addresses': [13]}, 'secondary_nic_interfaces[0].addresses: 13 is not a string'),
    ({'addresses': ['2001:db8::1']}, 'IPv6 addresses go in secondary_nic_interfaces[0].addresses6'),
    ({'addresses6': ['192.168.1.13']}, 'IPv4 addresses go in secondary_nic_interfaces[0].addresses'),
    ({'addresses': ['192.168.1.13/24', '192.168.2.13/24']}, 'the prefixes put the addresses in different networks'),
    ({'addresses': ['198.19.1.101'], 'subnet': '198.19.0.0/24'},
     'secondary_nic_interfaces[0].addresses: 198.19.1.101 is outside secondary_nic_interfaces[0].subnet=198.19.0.0/24'),
    ({'addresses': ['198.19.0.101/25'], 'subnet': '198.19.0.0/24'}, 'is in network 198.19.0.0/25, not in'),
    ({'addresses': ['198.19.0.101'], 'subnet': '198.19.0.0/33'}, "subnet '198.19.0.0/33' has a prefix length 33"),
    ({'addresses': ['198.19.0.101'], 'subnet': '2001:db8::/64'}, 'subnet=2001:db8::/64 is IPv6'),
    ({'subnet': '198.19.0.0/24'}, 'secondary_nic_interfaces[0].subnet is set but no address is declared'),
    ({'adresses': GUIDE}, 'secondary_nic_interfaces[0] has unknown keys adresses'),
])
def test_errors_name_the_variable_the_value_and_the_fix(entry, message):
    with pytest.raises(IpamError) as error:
        one(**entry)
    assert message in str(error.value)


def test_the_list_level_errors():
    with pytest.raises(IpamError, match='secondary_nic_interfaces must be a list'):
        declared_secondaries('eth1', EMPTY)
    with pytest.raises(IpamError, match=r'secondary_nic_interfaces\[0\] must be a dict'):
        declared_secondaries(['eth1'], EMPTY)
    with pytest.raises(IpamError, match=r'secondary_nic_interfaces\[1\] declares the NIC eth1 again'):
        declared_secondaries([{'name': 'eth1'}, {'name': 'eth1'}], EMPTY)
    with pytest.raises(IpamError, match='secondary_nic_interfaces and secondary_nic_addresses, secondary_nic_subnet are both set'):
        declared_secondaries([{'name': 'eth1'}], dict(EMPTY, addresses=GUIDE, subnet='192.168.1.0/24'))
    with pytest.raises(IpamError, match='the single-NIC shorthand must be a dict'):
        declared_secondaries([], {'name': 'eth1', 'first': '192.168.1.13'})


@pytest.mark.parametrize('name', ['eth/1', 'eth1:0', '', 'a' * 16, '.', '..', 'eth 1', 3])
def test_bad_nic_names(name):
    with pytest.raises(IpamError, match='secondary_nic_name=.* is not a valid interface name'):
        check_nic_name(name, 'secondary_nic_name')
    with pytest.raises(IpamError, match='secondary_nic_name='):
        declared_secondaries([], dict(EMPTY, name=name))


def test_good_nic_names():
    for name in ('eth1', 'ens5', 'enp0s31f6', 'bond0.100', 'eth-tenant-b'):
        assert check_nic_name(name, 'x') == name
