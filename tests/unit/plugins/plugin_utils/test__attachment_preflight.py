# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_attachment_preflight.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._attachment_preflight import attachment_preflight
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

HELD = ['198.19.0.101', '198.19.0.102']
NIC = {'addresses': ['198.19.0.101/24', '198.19.0.102/24'], 'addresses6': ['2001:db8:1::11/64'], 'held': [],
       'arp_ignore': 0, 'variable': '', 'variable6': '', 'where': 'secondary_nic_'}
IPVLAN = {'name': 'ipvlan-conf-1', 'plugin': 'ipvlan', 'mode': 'l3', 'master': 'eth1', 'ipam': 'per_node'}
MACVLAN = {'name': 'macvlan-net1', 'plugin': 'macvlan', 'mode': 'bridge', 'master': 'eth1', 'ipam': 'per_node'}


def nics(**changes):
    return {'eth1': dict(NIC, **changes)}


@pytest.mark.parametrize('entry, nic', [
    (IPVLAN, nics()),                                          # the guide: the node holds none
    (dict(IPVLAN, mode='l2'), nics()),
    (MACVLAN, nics(held=HELD, arp_ignore=8)),                  # the lab: held, arp_ignore 8
    (MACVLAN, nics()),                                         # macvlan, nothing held
    (dict(MACVLAN, dual_stack=True), nics(held=HELD, arp_ignore=8)),
    ({'name': 'hd', 'plugin': 'host-device', 'master': 'eth1', 'ipam': 'per_node'}, nics(held=HELD)),
    (dict(IPVLAN, ipam='whereabouts'), nics(held=HELD)),       # its pool is not the NIC's
    (dict(IPVLAN, master='eth2'), nics(held=HELD)),            # no result: node_range names that
    (IPVLAN, nics(held=['198.19.0.200'])),                     # held, but not a pod address
    (IPVLAN, nics(held=['2001:db8:1::11'])),                   # IPv6 held, but no dual stack
])
def test_fit_nodes_have_no_problem(entry, nic):
    assert attachment_preflight([entry], nic) == []


def test_ipvlan_refuses_pod_addresses_the_node_holds():
    (problem,) = attachment_preflight([IPVLAN], nics(held=HELD, variable='secondary_nic_interfaces[0].first/count'))
    assert problem.startswith('network_attachments_list entry ipvlan-conf-1 (ipvlan l3 on eth1): the node itself holds '
                              'the pod addresses 198.19.0.101, 198.19.0.102 on eth1.')
    assert 'ip address del 198.19.0.101/24 dev eth1' in problem
    assert 'declare them in secondary_nic_interfaces[0].first/count' in problem
    assert 'use plugin: macvlan' in problem


def test_ipvlan_dual_stack_counts_ipv6_too():
    (problem,) = attachment_preflight([dict(IPVLAN, dual_stack=True)], nics(held=['2001:db8:1::11']))
    assert 'holds the pod addresses 2001:db8:1::11 on eth1' in problem
    assert 'ip address del 2001:db8:1::11/64 dev eth1' in problem


@pytest.mark.parametrize('all_nic, words', [
    (0, ['arp_ignore is 0', 'net.ipv4.conf.eth1.arp_ignore=8', 'declare them in secondary_nic_addresses']),
    (3, ['arp_ignore is 3', '1 to 3 still answer for addresses of eth1']),
    (None, ['could not be read from /proc/sys/net/ipv4/conf/{all,eth1}/arp_ignore']),
])
def test_macvlan_on_a_node_that_holds_them_needs_arp_ignore_8(all_nic, words):
    (problem,) = attachment_preflight([MACVLAN], nics(held=HELD, arp_ignore=all_nic))
    assert problem.startswith('network_attachments_list entry macvlan-net1 (macvlan bridge on eth1): the node holds the '
                              'pod addresses 198.19.0.101, 198.19.0.102 on eth1')
    for word in words:
        assert word in problem


def test_macvlan_refuses_ipv6_pod_addresses_the_node_holds():
    (problem,) = attachment_preflight([dict(MACVLAN, dual_stack=True)], nics(held=['2001:db8:1::11'], arp_ignore=8))
    assert 'holds the IPv6 pod addresses 2001:db8:1::11 on eth1' in problem
    assert 'declare the pods\' IPv6 addresses in secondary_nic_addresses6' in problem


def test_one_message_per_attachment_and_cause():
    entries = [IPVLAN, dict(MACVLAN, dual_stack=True)]
    problems = attachment_preflight(entries, nics(held=HELD + ['2001:db8:1::11'], arp_ignore=1))
    assert [problem.split(':')[0] for problem in problems] == [
        'network_attachments_list entry ipvlan-conf-1 (ipvlan l3 on eth1)',
        'network_attachments_list entry macvlan-net1 (macvlan bridge on eth1)',
        'network_attachments_list entry macvlan-net1 (macvlan bridge on eth1)']


@pytest.mark.parametrize('entries, nic, message', [
    ('x', {}, 'expected the list of attachments'),
    ([IPVLAN], [], 'nics must be the per-NIC result of secondary_nic'),
    ([{'name': 'x'}], {}, 'is not a normalised attachment'),
])
def test_errors(entries, nic, message):
    with pytest.raises(IpamError, match=message):
        attachment_preflight(entries, nic)
