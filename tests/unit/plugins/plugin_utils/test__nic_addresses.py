# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_nic_addresses.py."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._declared_secondaries import declared_secondaries
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._nic_addresses import (
    arp_ignore_values,
    fact_key,
    nic_addresses,
)

EMPTY = {'name': 'eth1', 'addresses': [], 'subnet': '', 'addresses6': [], 'subnet6': ''}
PRIMARY = {'address': '192.168.0.12', 'prefix': '24', 'netmask': '255.255.255.0'}
LAB = {'eth1': {'active': True, 'ipv4': {'address': '198.19.0.11', 'prefix': '24'},
                'ipv4_secondaries': [{'address': f'198.19.0.10{n}', 'netmask': '255.255.255.0'} for n in (1, 2, 3)],
                'ipv6': [{'address': 'fe80::1', 'prefix': '64', 'scope': 'link'},
                         {'address': '2001:db8:1::11', 'prefix': '64', 'scope': 'global'}]}}
GUIDE = {'eth1': {'active': True, 'ipv4': PRIMARY}}


def shorthand(**values):
    return declared_secondaries([], dict(EMPTY, **values))


def slurped(item, text):
    return {'item': item, 'content': base64.b64encode(text.encode()).decode()}


def test_read_from_the_nic_as_before():
    assert nic_addresses(shorthand(), LAB, [slurped('all', '0\n'), slurped('eth1', '8\n')]) == {'eth1': {
        'addresses': ['198.19.0.101/24', '198.19.0.102/24', '198.19.0.103/24'], 'subnet': '198.19.0.0/24',
        'addresses6': ['2001:db8:1::11/64'], 'subnet6': '2001:db8:1::/64', 'primary': '198.19.0.11/24',
        'held': ['198.19.0.101', '198.19.0.102', '198.19.0.103', '2001:db8:1::11'], 'arp_ignore': 8,
        'variable': '', 'variable6': '', 'where': 'secondary_nic_'}}


def test_declared_only_counts_and_nothing_is_held():
    declared = declared_secondaries([{'name': 'eth1', 'first': '192.168.1.13', 'count': 2, 'subnet': '192.168.1.0/24'}])
    found = nic_addresses(declared, GUIDE)['eth1']
    assert (found['addresses'], found['subnet'], found['held'], found['arp_ignore']) == (
        ['192.168.1.13/24', '192.168.1.14/24'], '192.168.1.0/24', [], None)


def test_declared_and_held_that_agree():
    found = nic_addresses(shorthand(addresses=['198.19.0.103', '198.19.0.101', '198.19.0.102']), LAB)['eth1']
    assert found['addresses'] == ['198.19.0.103/24', '198.19.0.101/24', '198.19.0.102/24']
    assert found['held'][:3] == ['198.19.0.103', '198.19.0.101', '198.19.0.102']


def test_the_subnet_comes_from_an_address_the_nic_holds():
    assert nic_addresses(shorthand(addresses=['192.168.0.20']), GUIDE)['eth1']['subnet'] == '192.168.0.0/24'
    declared = shorthand(addresses6=['2001:db8:1::20', '2001:db8:1::21'])
    found = nic_addresses(declared, LAB)['eth1']
    assert (found['addresses6'], found['subnet6']) == (['2001:db8:1::20/64', '2001:db8:1::21/64'], '2001:db8:1::/64')
    assert '2001:db8:1::20' not in found['held']


def test_declared_ipv6_that_the_nic_holds_is_held():
    found = nic_addresses(shorthand(addresses6=['2001:db8:1::11/64']), LAB)['eth1']
    assert found['held'][-1] == '2001:db8:1::11'


def test_names_with_dashes_and_dots():
    assert fact_key('eth-1.100') == 'eth_1_100'
    found = nic_addresses(declared_secondaries([], dict(EMPTY, name='eth-1.100')), {'eth_1_100': LAB['eth1']})
    assert list(found) == ['eth-1.100']


@pytest.mark.parametrize('declared, facts, message', [
    (shorthand(addresses=['198.19.0.101', '198.19.0.102', '198.19.0.104']), LAB,
     'secondary_nic_addresses and the secondary IPs that the OS holds on eth1 disagree (declared but not held by the NIC: '
     '198.19.0.104; held by the NIC but not declared: 198.19.0.103)'),
    (shorthand(addresses=['198.19.0.101/24', '198.19.0.102/24']), LAB, 'held by the NIC but not declared: 198.19.0.103)'),
    (shorthand(addresses=['198.19.0.101', '198.19.0.102', '198.19.0.103'], subnet='198.19.0.0/25'), LAB,
     'secondary_nic_subnet=198.19.0.0/25, but the OS holds the secondary IPs of eth1 in 198.19.0.0/24'),
    (shorthand(addresses=['192.168.0.12', '192.168.0.13']), GUIDE,
     "secondary_nic_addresses declares 192.168.0.12 for eth1, but that is the NIC's own primary address"),
    (shorthand(addresses=['192.168.1.13']), GUIDE,
     'secondary_nic_addresses gives eth1 the addresses 192.168.1.13 without a subnet, and no address the NIC holds '
     '(192.168.0.12/24) has a network that contains them all; set secondary_nic_subnet'),
    (shorthand(addresses6=['2001:db8:9::1']), GUIDE, 'no address the NIC holds (none)'),
    (shorthand(), {}, 'the NIC eth1 (secondary_nic_name) does not exist on this node'),
    (shorthand(), {'eth1': {'ipv4_secondaries': 'x'}}, "the facts of eth1 have ipv4_secondaries 'x', not a list"),
    (shorthand(), {'eth1': {'ipv6': 'x'}}, "the facts of eth1 have ipv6 'x', not a list"),
    ('eth1', LAB, 'expected the list of declared NICs'),
    ([{'name': 'eth1'}], LAB, 'is not a declared NIC of declared_secondaries'),
    (shorthand(), ['eth1'], 'facts must be ansible_facts'),
])
def test_errors_name_the_nic_the_variable_and_the_addresses(declared, facts, message):
    with pytest.raises(IpamError) as error:
        nic_addresses(declared, facts)
    assert message in str(error.value)


def test_arp_ignore_is_the_higher_of_all_and_the_nic():
    assert arp_ignore_values([slurped('all', '2'), slurped('eth1', '1'), {'item': 'eth2', 'failed': True}]) == {'all': 2, 'eth1': 1}
    assert nic_addresses(shorthand(), LAB, [slurped('all', '8'), slurped('eth1', '0')])['eth1']['arp_ignore'] == 8
    assert nic_addresses(shorthand(), LAB, [slurped('eth1', '8')])['eth1']['arp_ignore'] is None


@pytest.mark.parametrize('results, message', [
    ('x', 'sysctls must be the results list of a slurp loop'),
    ([{'item': 'all', 'content': '!!!'}], 'arp_ignore of all is not base64-encoded text'),
    ([slurped('all', 'many')], "arp_ignore of all reads 'many', not a number"),
])
def test_arp_ignore_errors(results, message):
    with pytest.raises(IpamError, match=message):
        arp_ignore_values(results)
