# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_ipam_range.py (the address math of ipam_range)."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import Range, check_range, dual_stack_ranges, ipam_range

GUIDE_BLOCK = ['192.168.1.13', '192.168.1.14', '192.168.1.15', '192.168.1.16', '192.168.1.17']


def fact(address, prefix, netmask=None):
    """An entry shaped like ansible_facts[nic]['ipv4_secondaries'][n]."""
    network = ipaddress.ip_network(f'{address}/{prefix}', strict=False)
    return {
        'address': address,
        'broadcast': str(network.broadcast_address),
        'netmask': netmask if netmask is not None else str(network.netmask),
        'network': str(network.network_address),
        'prefix': str(prefix),
    }


@st.composite
def blocks(draw, version=None, min_size=1):
    """A random subnet and a contiguous block of usable addresses inside it."""
    version = draw(st.sampled_from([4, 6])) if version is None else version
    if version == 4:
        longest = 30 if min_size <= 2 else 29
        prefix = draw(st.integers(min_value=8, max_value=longest))
        network = ipaddress.IPv4Network((draw(st.integers(0, 2 ** 32 - 1)), prefix), strict=False)
        lowest, highest = 1, network.num_addresses - 2  # no network or broadcast address
    else:
        longest = 127 if min_size <= 2 else 126
        prefix = draw(st.integers(min_value=64, max_value=longest))
        network = ipaddress.IPv6Network((draw(st.integers(0, 2 ** 128 - 1)), prefix), strict=False)
        lowest, highest = 0, network.num_addresses - 1
    size = draw(st.integers(min_value=min_size, max_value=min(40, highest - lowest + 1)))
    offset = draw(st.integers(min_value=lowest, max_value=highest - size + 1))
    block = [network.network_address + offset + index for index in range(size)]
    return network, block


def expected_range(network, block):
    return {'subnet': str(network), 'rangeStart': str(block[0]), 'rangeEnd': str(block[-1])}


# --- the contract's example and the accepted input shapes -------------------------------------


def test_guide_example_exact_dict_and_key_order():
    result = ipam_range(GUIDE_BLOCK, subnet='192.168.1.0/24', gateway='192.168.1.1')
    assert result == {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13',
                      'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}
    assert list(result) == ['subnet', 'rangeStart', 'rangeEnd', 'gateway']


def test_no_gateway_no_gateway_key():
    assert ipam_range(GUIDE_BLOCK, subnet='192.168.1.0/24') == {
        'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17'}


def test_subnet_from_prefix_strings():
    addresses = [f'{address}/24' for address in reversed(GUIDE_BLOCK)]
    assert ipam_range(addresses) == {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17'}


def test_subnet_from_netmask_strings_and_a_plain_one():
    addresses = ['198.19.4.11/255.255.252.0', '198.19.4.10', '198.19.4.12/255.255.252.0']
    assert ipam_range(addresses) == {'subnet': '198.19.4.0/22', 'rangeStart': '198.19.4.10', 'rangeEnd': '198.19.4.12'}


def test_ansible_ipv4_secondaries_facts():
    facts = [fact('198.18.0.22', 24), fact('198.18.0.20', 24), fact('198.18.0.21', 24)]
    assert ipam_range(facts, gateway='198.18.0.1') == {
        'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.20', 'rangeEnd': '198.18.0.22', 'gateway': '198.18.0.1'}


def test_fact_with_netmask_only_and_fact_with_int_prefix():
    facts = [{'address': '10.1.2.3', 'netmask': '255.255.0.0'}, {'address': '10.1.2.4', 'prefix': 16}]
    assert ipam_range(facts) == {'subnet': '10.1.0.0/16', 'rangeStart': '10.1.2.3', 'rangeEnd': '10.1.2.4'}


def test_fact_without_prefix_needs_subnet():
    facts = [{'address': '10.1.2.3'}, {'address': '10.1.2.4', 'prefix': None}]
    assert ipam_range(facts, subnet='10.1.2.0/24')['rangeEnd'] == '10.1.2.4'


def test_ansible_ipv6_facts():
    facts = [{'address': '2001:db8:0:1::b', 'prefix': '64', 'scope': 'global'},
             {'address': '2001:db8:0:1::a', 'prefix': '64', 'scope': 'global'}]
    assert ipam_range(facts, gateway='2001:db8:0:1::1') == {
        'subnet': '2001:db8:0:1::/64', 'rangeStart': '2001:db8:0:1::a', 'rangeEnd': '2001:db8:0:1::b',
        'gateway': '2001:db8:0:1::1'}


def test_subnet_is_returned_in_canonical_form():
    assert ipam_range(['2001:DB8::5'], subnet='2001:0DB8:0:0::/64')['subnet'] == '2001:db8::/64'
    assert ipam_range(['192.168.1.5'], subnet='192.168.1.0/255.255.255.0')['subnet'] == '192.168.1.0/24'
    assert ipam_range(['2001:DB8::5'], subnet='2001:db8::/64')['rangeStart'] == '2001:db8::5'


def test_tuple_input_and_single_address():
    assert ipam_range(('10.0.0.7',), subnet='10.0.0.0/24') == {
        'subnet': '10.0.0.0/24', 'rangeStart': '10.0.0.7', 'rangeEnd': '10.0.0.7'}


@pytest.mark.parametrize('addresses, subnet, start, end', [
    (['10.0.0.1', '10.0.0.0'], '10.0.0.0/31', '10.0.0.0', '10.0.0.1'),
    (['10.0.0.9'], '10.0.0.9/32', '10.0.0.9', '10.0.0.9'),
    (['10.0.0.9/32'], None, '10.0.0.9', '10.0.0.9'),
])
def test_ipv4_31_and_32_use_every_address(addresses, subnet, start, end):
    result = ipam_range(addresses, subnet=subnet)
    assert (result['rangeStart'], result['rangeEnd']) == (start, end)


def test_ipv6_network_address_is_allowed():
    assert ipam_range(['2001:db8::', '2001:db8::1'], subnet='2001:db8::/64')['rangeStart'] == '2001:db8::'


# --- properties ---------------------------------------------------------------------------------


@given(blocks())
def test_contiguous_block_round_trips(case):
    network, block = case
    assert ipam_range([str(address) for address in block], subnet=str(network)) == expected_range(network, block)


@given(blocks(), st.randoms(use_true_random=False))
def test_order_does_not_matter(case, rnd):
    network, block = case
    shuffled = [str(address) for address in block]
    rnd.shuffle(shuffled)
    assert ipam_range(shuffled, subnet=str(network)) == expected_range(network, block)


@given(blocks(), st.data())
def test_prefixed_and_fact_inputs_give_the_subnet(case, data):
    network, block = case
    shapes = data.draw(st.lists(st.sampled_from(['plain', 'prefix', 'fact']), min_size=len(block), max_size=len(block)))
    if all(shape == 'plain' for shape in shapes):
        shapes[0] = 'prefix'  # at least one input must carry the prefix
    addresses = []
    for address, shape in zip(block, shapes):
        if shape == 'plain':
            addresses.append(str(address))
        elif shape == 'prefix':
            addresses.append(f'{address}/{network.prefixlen}')
        else:
            addresses.append({'address': str(address), 'prefix': str(network.prefixlen)})
    assert ipam_range(addresses) == expected_range(network, block)


@given(blocks(min_size=3), st.data())
def test_gap_names_first_missing_address(case, data):
    network, block = case
    removed = data.draw(st.sets(st.integers(min_value=1, max_value=len(block) - 2), min_size=1))
    kept = [str(address) for index, address in enumerate(block) if index not in removed]
    with pytest.raises(IpamError) as info:
        ipam_range(kept, subnet=str(network))
    found = re.search(r'contiguous block: (\S+) is missing', str(info.value))
    assert found is not None, str(info.value)
    assert found.group(1) == str(block[min(removed)])


@given(blocks(version=4, min_size=1), st.data())
def test_gateway_outside_block_is_kept_inside_is_refused(case, data):
    network, block = case
    usable = range(1, network.num_addresses - 1)
    index = data.draw(st.sampled_from(usable))
    gateway = network.network_address + index
    addresses = [str(address) for address in block]
    if block[0] <= gateway <= block[-1]:
        with pytest.raises(IpamError, match=re.escape(f'gateway {gateway} lies inside the range {block[0]}-{block[-1]}')):
            ipam_range(addresses, subnet=str(network), gateway=str(gateway))
    else:
        assert ipam_range(addresses, subnet=str(network), gateway=str(gateway))['gateway'] == str(gateway)


@given(blocks(version=4))
def test_duplicate_is_refused(case):
    network, block = case
    addresses = [str(address) for address in block] + [str(block[-1])]
    with pytest.raises(IpamError, match=re.escape(f'address {block[-1]} is listed more than once')):
        ipam_range(addresses, subnet=str(network))


# --- error paths --------------------------------------------------------------------------------


@pytest.mark.parametrize('addresses, kwargs, message', [
    ('192.168.1.13', {}, "expected a list of addresses, got '192.168.1.13'"),
    ({'address': '192.168.1.13'}, {}, "expected a list of addresses, got {'address': '192.168.1.13'}"),
    (None, {}, 'expected a list of addresses, got None'),
    ([], {'subnet': '192.168.1.0/24'}, 'no addresses given (the list is empty)'),
    (['192.168.1.13', '192.168.1.300'], {'subnet': '192.168.1.0/24'}, "address '192.168.1.300' is not a valid IP address"),
    (['192.168.1.13', ''], {'subnet': '192.168.1.0/24'}, "address '' is not a valid IP address"),
    ([' 192.168.1.13'], {'subnet': '192.168.1.0/24'}, "address ' 192.168.1.13' is not a valid IP address"),
    ([42], {'subnet': '192.168.1.0/24'}, 'address entry 42 is neither a string nor a dict with an "address" key'),
    ([{'prefix': '24'}], {}, 'address entry {\'prefix\': \'24\'} has no key "address"'),
    ([{'address': 3232235777}], {}, 'address 3232235777 is not a string'),
    (['fe80::1%eth1'], {'subnet': 'fe80::/64'}, "address 'fe80::1%eth1' carries a zone index"),
    (['192.168.1.13/33'], {}, "'192.168.1.13/33' has a prefix length 33 outside 0..32"),
    (['2001:db8::1/129'], {}, "'2001:db8::1/129' has a prefix length 129 outside 0..128"),
    (['192.168.1.13/abc'], {}, "'192.168.1.13/abc' has an invalid prefix length or netmask 'abc'"),
    (['192.168.1.13/'], {}, "'192.168.1.13/' has an invalid prefix length or netmask ''"),
    (['2001:db8::1/ffff::'], {}, "'2001:db8::1/ffff::' has an invalid prefix length or netmask 'ffff::'"),
    (['192.168.1.13/255.0.255.0'], {}, "'192.168.1.13/255.0.255.0' has an invalid netmask '255.0.255.0' (its one bits are not contiguous)"),
    (['192.168.1.13/255.255.255.256'], {}, "'192.168.1.13/255.255.255.256' has an invalid prefix length or netmask '255.255.255.256'"),
    ([{'address': '192.168.1.13', 'prefix': True}], {}, "'192.168.1.13/True' has an invalid prefix length True"),
    ([{'address': '192.168.1.13', 'prefix': '24', 'netmask': '255.255.0.0'}], {},
     'netmask 255.255.0.0 (/16) and prefix 24 disagree'),
    ([{'address': '2001:db8::1', 'netmask': 'ffff::'}], {}, "has an invalid netmask 'ffff::'"),
    (['192.168.1.13', '2001:db8::14'], {}, 'mixed address families: 192.168.1.13 is IPv4 but 2001:db8::14 is IPv6'),
    (['192.168.1.13', '192.168.1.14', '192.168.1.13/24'], {}, 'address 192.168.1.13 is listed more than once'),
    (GUIDE_BLOCK, {'subnet': 24}, 'subnet 24 is not a string'),
    (GUIDE_BLOCK, {'subnet': ''}, "subnet '' has no prefix length"),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0'}, "subnet '192.168.1.0' has no prefix length"),
    (GUIDE_BLOCK, {'subnet': 'lan/24'}, "subnet 'lan/24' is not a valid network"),
    (GUIDE_BLOCK, {'subnet': 'fe80::%eth1/64'}, "subnet 'fe80::%eth1/64' is not a valid network"),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/40'}, "subnet '192.168.1.0/40' has a prefix length 40 outside 0..32"),
    (GUIDE_BLOCK, {'subnet': '192.168.1.5/24'}, "subnet '192.168.1.5/24' has host bits set; the network is 192.168.1.0/24"),
    (GUIDE_BLOCK, {'subnet': '2001:db8::/64'}, 'subnet 2001:db8::/64 is IPv6 but the addresses are IPv4'),
    (['192.168.1.13/25', '192.168.1.14'], {'subnet': '192.168.1.0/24'},
     'address 192.168.1.13/25 is in network 192.168.1.0/25, not in subnet 192.168.1.0/24'),
    (['192.168.1.13/24', '192.168.1.14'], {'subnet': '192.168.0.0/16'},
     'address 192.168.1.13/24 is in network 192.168.1.0/24, not in subnet 192.168.0.0/16'),
    (GUIDE_BLOCK, {}, 'no subnet given and no address carries a prefix length or netmask'),
    (['192.168.1.13/24', '192.168.1.14', '192.168.1.15/25'], {},
     'address 192.168.1.15/25 is in network 192.168.1.0/25 but address 192.168.1.13/24 is in network 192.168.1.0/24'),
    (['192.168.1.13', '192.168.2.14'], {'subnet': '192.168.1.0/24'}, 'address 192.168.2.14 is outside subnet 192.168.1.0/24'),
    (['192.168.1.0', '192.168.1.1'], {'subnet': '192.168.1.0/24'}, 'address 192.168.1.0 is the network address of subnet 192.168.1.0/24'),
    (['192.168.1.254', '192.168.1.255'], {'subnet': '192.168.1.0/24'},
     'address 192.168.1.255 is the broadcast address of subnet 192.168.1.0/24'),
    (['10.0.0.2/30', '10.0.0.3/30'], {}, 'address 10.0.0.3 is the broadcast address of subnet 10.0.0.0/30'),
    (['192.168.1.13', '192.168.1.14', '192.168.1.17'], {'subnet': '192.168.1.0/24'},
     'the addresses are not a contiguous block: 192.168.1.15 is missing (between 192.168.1.14 and 192.168.1.17)'),
    (['2001:db8::ff', '2001:db8::101'], {'subnet': '2001:db8::/64'},
     'the addresses are not a contiguous block: 2001:db8::100 is missing (between 2001:db8::ff and 2001:db8::101)'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': 1}, 'gateway 1 is not a string'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': 'router'}, "gateway 'router' is not a valid IP address"),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.1/24'}, "gateway '192.168.1.1/24' is not a valid IP address"),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '2001:db8::1'}, 'gateway 2001:db8::1 is IPv6 but subnet 192.168.1.0/24 is IPv4'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.2.1'}, 'gateway 192.168.2.1 is outside subnet 192.168.1.0/24'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.0'}, 'gateway 192.168.1.0 is the network address of subnet 192.168.1.0/24'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.255'},
     'gateway 192.168.1.255 is the broadcast address of subnet 192.168.1.0/24'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.13'}, 'gateway 192.168.1.13 lies inside the range 192.168.1.13-192.168.1.17'),
    (GUIDE_BLOCK, {'subnet': '192.168.1.0/24', 'gateway': '192.168.1.17'}, 'gateway 192.168.1.17 lies inside the range 192.168.1.13-192.168.1.17'),
])
def test_errors_name_the_offending_value(addresses, kwargs, message):
    with pytest.raises(IpamError, match=re.escape(message)):
        ipam_range(addresses, **kwargs)


def test_error_is_a_value_error():
    with pytest.raises(ValueError):
        ipam_range([])


# --- check_range (shared by ipam_disjoint and cni_config) ----------------------------------------


def test_check_range_accepts_ipam_range_shape():
    value = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105', 'gateway': '198.19.0.1'}
    assert check_range(value, 'node1') == Range(
        ipaddress.ip_network('198.19.0.0/24'), ipaddress.ip_address('198.19.0.101'),
        ipaddress.ip_address('198.19.0.105'), ipaddress.ip_address('198.19.0.1'))


def test_check_range_without_gateway():
    value = {'subnet': '2001:db8::/64', 'rangeStart': '2001:db8::a', 'rangeEnd': '2001:db8::a'}
    assert check_range(value, 'node1').gateway is None


@pytest.mark.parametrize('value, message', [
    ('198.19.0.0/24', "node1: expected a dict with subnet, rangeStart and rangeEnd, got '198.19.0.0/24'"),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.1'}, "node1: missing key 'rangeEnd'"),
    ({'rangeStart': '198.19.0.1', 'rangeEnd': '198.19.0.2'}, "node1: missing key 'subnet'"),
    ({'subnet': '198.19.0.1/24', 'rangeStart': '198.19.0.2', 'rangeEnd': '198.19.0.3'},
     "node1: subnet '198.19.0.1/24' has host bits set"),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.x', 'rangeEnd': '198.19.0.3'},
     "node1: rangeStart '198.19.0.x' is not a valid IP address"),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.2', 'rangeEnd': None}, 'node1: rangeEnd None is not a string'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '2001:db8::1', 'rangeEnd': '198.19.0.3'},
     'node1: rangeStart 2001:db8::1 is IPv6 but subnet 198.19.0.0/24 is IPv4'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.2', 'rangeEnd': '198.19.1.3'},
     'node1: rangeEnd 198.19.1.3 is outside subnet 198.19.0.0/24'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.0', 'rangeEnd': '198.19.0.3'},
     'node1: rangeStart 198.19.0.0 is the network address of subnet 198.19.0.0/24'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.9', 'rangeEnd': '198.19.0.255'},
     'node1: rangeEnd 198.19.0.255 is the broadcast address of subnet 198.19.0.0/24'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.9', 'rangeEnd': '198.19.0.3'},
     'node1: rangeStart 198.19.0.9 is after rangeEnd 198.19.0.3'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.2', 'rangeEnd': '198.19.0.9', 'gateway': '198.19.0.5'},
     'node1: gateway 198.19.0.5 lies inside the range 198.19.0.2-198.19.0.9'),
    ({'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.2', 'rangeEnd': '198.19.0.9', 'gateway': '198.20.0.1'},
     'node1: gateway 198.20.0.1 is outside subnet 198.19.0.0/24'),
])
def test_check_range_errors(value, message):
    with pytest.raises(IpamError, match=re.escape(message)):
        check_range(value, 'node1')


# --- dual stack ----------------------------------------------------------------------------------


def test_dual_stack_one_range_set_per_family():
    result = dual_stack_ranges([['198.18.0.12/24', '198.18.0.11/24'], ['2001:db8:1::11/64', '2001:db8:1::12/64']],
                               gateways=['198.18.0.1', '2001:db8:1::1'])
    assert result == {'ranges': [
        [{'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.12', 'gateway': '198.18.0.1'}],
        [{'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::11', 'rangeEnd': '2001:db8:1::12',
          'gateway': '2001:db8:1::1'}],
    ]}


def test_dual_stack_with_subnets_for_plain_addresses():
    result = dual_stack_ranges([GUIDE_BLOCK, ['2001:db8::a', '2001:db8::b']], subnets=['192.168.1.0/24', '2001:db8::/64'])
    assert result == {'ranges': [
        [{'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17'}],
        [{'subnet': '2001:db8::/64', 'rangeStart': '2001:db8::a', 'rangeEnd': '2001:db8::b'}],
    ]}


@pytest.mark.parametrize('blocks, kwargs, message', [
    ([['198.18.0.11/24']], {}, "expected \\[IPv4 addresses, IPv6 addresses\\], got \\[\\['198.18.0.11/24'\\]\\]"),
    ([['198.18.0.11/24'], []], {}, 'no IPv6 addresses given \\(the IPv6 list is empty\\)'),
    ([[], ['2001:db8:1::11/64']], {}, 'no IPv4 addresses given'),
    ([['2001:db8:1::11/64'], ['198.18.0.11/24']], {}, 'the IPv4 block holds IPv6 addresses \\(2001:db8:1::11\\); give the IPv4'),
    ([['198.18.0.11/24'], ['2001:db8:1::11/64', '2001:db8:1::13/64']], {},
     'IPv6 block: the addresses are not a contiguous block: 2001:db8:1::12 is missing'),
    ([['198.18.0.11/24', '198.18.0.11/24'], ['2001:db8:1::11/64']], {}, 'IPv4 block: address 198.18.0.11 is listed more than once'),
    ([['198.18.0.11/24'], ['2001:db8:1::11/64']], {'gateways': ['198.18.0.1']}, 'gateways must be a list of two'),
    ([['198.18.0.11/24'], ['2001:db8:1::11/64']], {'subnets': '198.18.0.0/24'}, 'subnets must be a list of two'),
    ([['198.18.0.11/24'], ['2001:db8:1::11/64']], {'gateways': [None, '2001:db8:1::11']},
     'IPv6 block: gateway 2001:db8:1::11 lies inside the range'),
])
def test_dual_stack_errors_name_the_family(blocks, kwargs, message):
    with pytest.raises(IpamError, match=message):
        dual_stack_ranges(blocks, **kwargs)


@given(blocks(version=4), blocks(version=6))
def test_dual_stack_is_ipam_range_per_family(four, six):
    (net4, block4), (net6, block6) = four, six
    result = dual_stack_ranges([[str(a) for a in block4], [str(a) for a in block6]], subnets=[str(net4), str(net6)])
    assert result == {'ranges': [[expected_range(net4, block4)], [expected_range(net6, block6)]]}
