# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_cni_options.py (IPAM routes and the chained tuning plugin)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._cni_options import (
    check_routes,
    check_tuning,
    ipam_subnets,
    options_problem,
    sysctl_name_problem,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

# --- routes -------------------------------------------------------------------------------------


def test_routes_are_returned_canonical_and_in_order():
    routes = [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}, {'dst': '0.0.0.0/0'},
              {'dst': '2001:db8:ff:0:0::/64', 'gw': '2001:DB8:1::1'}]
    assert check_routes(routes, ['198.18.0.0/24', '2001:db8:1::/64']) == [
        {'dst': '198.19.0.0/16', 'gw': '198.18.0.1'},
        {'dst': '0.0.0.0/0'},
        {'dst': '2001:db8:ff::/64', 'gw': '2001:db8:1::1'},
    ]


def test_guide_subnet_as_data():
    assert check_routes([{'dst': '10.0.0.0/8', 'gw': '192.168.1.1'}], ['192.168.1.0/24']) == [
        {'dst': '10.0.0.0/8', 'gw': '192.168.1.1'}]


def test_without_subnets_only_the_family_of_gw_is_checked():
    assert check_routes([{'dst': '198.19.0.0/16', 'gw': '203.0.113.1'}]) == [{'dst': '198.19.0.0/16', 'gw': '203.0.113.1'}]


def test_a_whereabouts_range_with_host_bits_or_first_last_is_a_subnet():
    assert check_routes([{'dst': '198.19.0.0/16', 'gw': '198.18.2.1'}], ['198.18.2.10-198.18.2.20/24'])
    assert check_routes([{'dst': '198.19.0.0/16', 'gw': '198.18.2.1'}], ['198.18.2.17/24'])


@pytest.mark.parametrize('routes, subnets, message', [
    ('198.19.0.0/16', None, "routes: expected a list of {dst, gw} dicts, got '198.19.0.0/16'"),
    (['198.19.0.0/16'], None, "routes\\[0\\]: expected a dict with dst and optional gw, got '198.19.0.0/16'"),
    ([{'gw': '198.18.0.1'}], None, 'routes\\[0\\]: missing key "dst"'),
    ([{'dst': '198.19.0.0/16', 'via': '198.18.0.1'}], None, "routes\\[0\\]: unknown key 'via'"),
    ([{'dst': '198.19.0.1'}], None, "routes\\[0\\]: dst '198.19.0.1' is not a network in CIDR form"),
    ([{'dst': '198.19.0.1/16'}], None, "routes\\[0\\]: dst '198.19.0.1/16' is not a network in CIDR form .*host bits"),
    ([{'dst': '198.19.0.0/33'}], None, "routes\\[0\\]: dst '198.19.0.0/33' is not a network"),
    ([{'dst': 16}], None, 'routes\\[0\\]: dst 16 is not a network'),
    ([{'dst': '0.0.0.0/0'}, {'dst': '198.19.0.0/16', 'gw': 'router'}], None,
     "routes\\[1\\]: gw 'router' is not a valid IP address"),
    ([{'dst': '198.19.0.0/16', 'gw': '2001:db8::1'}], None, 'routes\\[0\\]: gw 2001:db8::1 is IPv6 but dst 198.19.0.0/16 is IPv4'),
    ([{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}], ['198.18.0.0/24'],
     'routes\\[0\\]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24'),
    ([{'dst': '2001:db8:ff::/64', 'gw': '2001:db8:1::1'}], ['198.18.0.0/24'],
     'routes\\[0\\]: gw 2001:db8:1::1 is IPv6 but the attachment has no IPv6 subnet'),
    ([{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}], ['pool'], "subnet 'pool' of the attachment is not a network"),
    ([{'dst': '198.19.0.0/16'}], '198.18.0.0/24', "routes: the subnets to check gw against must be a list, got '198.18.0.0/24'"),
])
def test_route_errors_name_the_route_and_the_value(routes, subnets, message):
    with pytest.raises(IpamError, match=message):
        check_routes(routes, subnets)


@given(st.integers(0, 2 ** 32 - 1), st.integers(8, 30), st.integers(0, 2 ** 32 - 1))
def test_gw_inside_the_subnet_iff_accepted(seed, prefix, gw_value):
    subnet = ipaddress.IPv4Network((seed, prefix), strict=False)
    gw = ipaddress.IPv4Address(gw_value)
    routes = [{'dst': '0.0.0.0/0', 'gw': str(gw)}]
    if gw in subnet:
        assert check_routes(routes, [str(subnet)]) == [{'dst': '0.0.0.0/0', 'gw': str(gw)}]
    else:
        with pytest.raises(IpamError, match=f'gw {gw} is outside the subnet {subnet}'):
            check_routes(routes, [str(subnet)])


@given(st.integers(0, 2 ** 128 - 1), st.integers(0, 128))
def test_any_ipv6_network_is_a_dst(value, prefix):
    network = ipaddress.IPv6Network((value, prefix), strict=False)
    assert check_routes([{'dst': network.exploded}]) == [{'dst': str(network)}]


def test_ipam_subnets_of_each_ipam_form():
    assert ipam_subnets({'type': 'host-local', 'subnet': '198.18.0.0/24'}) == [ipaddress.ip_network('198.18.0.0/24')]
    assert ipam_subnets({'type': 'host-local', 'ranges': [[{'subnet': '198.18.0.0/24'}], [{'subnet': '2001:db8:1::/64'}]]}) == [
        ipaddress.ip_network('198.18.0.0/24'), ipaddress.ip_network('2001:db8:1::/64')]
    assert ipam_subnets({'type': 'whereabouts', 'range': '198.18.2.0/24'}) == [ipaddress.ip_network('198.18.2.0/24')]
    assert ipam_subnets({'type': 'static'}) == []
    assert ipam_subnets('host-local') == []


# --- tuning -------------------------------------------------------------------------------------


def test_tuning_plugin_key_order_and_string_values():
    result = check_tuning({'sysctl': {'net.ipv4.conf.net1.arp_filter': 1, 'net.ipv6.conf.net1.accept_ra': '0'}, 'mtu': 9000})
    assert result == {'type': 'tuning', 'mtu': 9000,
                      'sysctl': {'net.ipv4.conf.net1.arp_filter': '1', 'net.ipv6.conf.net1.accept_ra': '0'}}
    assert list(result) == ['type', 'mtu', 'sysctl']


def test_tuning_mtu_only_and_sysctl_only():
    assert check_tuning({'mtu': 68}) == {'type': 'tuning', 'mtu': 68}
    assert check_tuning({'sysctl': {'net.core.somaxconn': 512}}) == {'type': 'tuning', 'sysctl': {'net.core.somaxconn': '512'}}


@pytest.mark.parametrize('tuning, message', [
    ([('mtu', 1500)], "tuning: expected a dict with mtu and/or sysctl, got \\[\\('mtu', 1500\\)\\]"),
    ({}, 'tuning: give mtu or sysctl'),
    ({'mtu': None, 'sysctl': {}}, 'tuning: give mtu or sysctl'),
    ({'txqueuelen': 1000}, "tuning: unknown key 'txqueuelen'"),
    ({'mtu': 67}, 'tuning: mtu 67 is not an integer in 68..65535'),
    ({'mtu': 65536}, 'tuning: mtu 65536 is not an integer in 68..65535'),
    ({'mtu': '1500'}, "tuning: mtu '1500' is not an integer"),
    ({'mtu': True}, 'tuning: mtu True is not an integer'),
    ({'sysctl': ['net.ipv4.ip_forward']}, 'tuning: sysctl must be a dict of name -> value'),
    ({'sysctl': {'kernel.shmmax': '1'}}, "tuning: sysctl 'kernel.shmmax' is not a network sysctl"),
    ({'sysctl': {'net': '1'}}, "tuning: sysctl 'net' is not a network sysctl"),
    ({'sysctl': {'net.ipv4..x': '1'}}, "tuning: sysctl 'net.ipv4..x' is not a network sysctl"),
    ({'sysctl': {'net/ipv4/ip_forward': '1'}}, "tuning: sysctl 'net/ipv4/ip_forward' is not a network sysctl"),
    ({'sysctl': {'net.ipv4.conf.net1.arp_filter': True}}, "tuning: sysctl net.ipv4.conf.net1.arp_filter has the value True"),
    ({'sysctl': {'net.ipv4.conf.net1.arp_filter': ' '}}, 'tuning: sysctl net.ipv4.conf.net1.arp_filter has the value'),
])
def test_tuning_errors(tuning, message):
    with pytest.raises(IpamError, match=message):
        check_tuning(tuning)


@pytest.mark.parametrize('name, problem', [
    ('net.ipv4.conf.net1.arp_filter', None),
    ('net.ipv6.conf.all.disable_ipv6', None),
    ('net.ipv4.conf.eth-1_2.rp_filter', None),
    (3, 'sysctl name 3 is not a string'),
    ('vm.swappiness', "sysctl 'vm.swappiness' is not a network sysctl"),
])
def test_sysctl_name_problem(name, problem):
    found = sysctl_name_problem(name)
    assert found == problem if problem is None else found.startswith(problem)


def test_options_problem():
    assert options_problem() is None
    assert options_problem([{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}], {'mtu': 1500}, ['198.18.0.0/24']) is None
    assert options_problem([{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}], None, ['198.18.0.0/24']) == (
        'routes[0]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24')
    assert options_problem(None, {'mtu': 1}) == 'tuning: mtu 1 is not an integer in 68..65535'
