# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_node_ranges.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._node_ranges import node_ranges

ETH1 = {'addresses': [f'192.168.1.{n}/24' for n in range(13, 18)], 'subnet': '192.168.1.0/24',
        'addresses6': ['2001:db8:1::10/64', '2001:db8:1::11/64'], 'subnet6': '2001:db8:1::/64',
        'variable': 'secondary_nic_interfaces[0].first/count', 'variable6': '', 'where': 'secondary_nic_interfaces[0].'}
ETH2 = {'addresses': ['10.2.0.21/24', '10.2.0.22/24'], 'subnet': '10.2.0.0/24', 'addresses6': [], 'subnet6': '',
        'variable': 'secondary_nic_interfaces[1].addresses', 'variable6': '', 'where': 'secondary_nic_interfaces[1].'}
SEED = {'name': 'ipvlan-conf-1', 'master': 'eth1', 'ipam': 'per_node', 'gateway': '192.168.1.1'}


def test_the_seed_range_and_a_second_nic():
    entries = [SEED, {'name': 'tenant-b', 'master': 'eth2', 'ipam': 'per_node'},
               {'name': 'pool', 'master': 'eth1', 'ipam': 'whereabouts'}]
    assert node_ranges(entries, {'eth1': ETH1, 'eth2': ETH2}) == {
        'ipvlan-conf-1': {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17',
                          'gateway': '192.168.1.1'},
        'tenant-b': {'subnet': '10.2.0.0/24', 'rangeStart': '10.2.0.21', 'rangeEnd': '10.2.0.22'}}


def test_dual_stack():
    found = node_ranges([dict(SEED, dual_stack=True, gateway6='2001:db8:1::1')], {'eth1': ETH1})
    assert found['ipvlan-conf-1']['ranges'][1] == [{'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::10',
                                                    'rangeEnd': '2001:db8:1::11', 'gateway': '2001:db8:1::1'}]


def test_nothing_per_node_gives_nothing():
    assert node_ranges([], {}) == {}


@pytest.mark.parametrize('entries, nics, message', [
    ([SEED], {'eth1': dict(ETH1, addresses=['192.168.1.13/24', '192.168.1.15/24'])},
     'the secondary IPs of eth1 (192.168.1.13/24, 192.168.1.15/24) cannot serve as a host-local range for attachment '
     'ipvlan-conf-1: the addresses are not a contiguous block: 192.168.1.14 is missing'),
    ([dict(SEED, gateway='192.168.1.14')], {'eth1': ETH1}, 'gateway 192.168.1.14 lies inside the range'),
    ([SEED], {'eth1': dict(ETH1, addresses=['192.168.1.13/24', '192.168.1.15/24'])},
     'and in secondary_nic_interfaces[0].first/count (IPv6: secondary_nic_interfaces[0].addresses6)'),
    ([dict(SEED, master='eth2')], {'eth1': ETH1},
     'attachment ipvlan-conf-1 takes its range from the secondary IPs of eth2, which the secondary_nic role did not '
     'check (it checked eth1)'),
    ('x', {}, 'expected the list of attachments'),
    ([SEED], [], 'nics must be the per-NIC result'),
    ([{'name': 'x'}], {}, 'is not a normalised attachment'),
])
def test_errors_name_the_nic_the_attachment_and_the_variable(entries, nics, message):
    with pytest.raises(IpamError) as error:
        node_ranges(entries, nics)
    assert message in str(error.value)
