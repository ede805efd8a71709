# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""secondary_nic's declared secondary IPs, their agreement with the OS, the per-NIC result, and the plugin preflight.

Each scenario host gets the network facts of its NICs and its arp_ignore
reads as host variables, runs secondary_nic's validate and check tasks, then
network_attachments' validate, node_range and preflight tasks. The good
scenarios publish ``secondary_nic_result`` and compute the ranges; the bad
ones fail naming the host, the NIC, the addresses, the variable and the fix.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

PRIMARY = {'address': '192.168.0.12', 'prefix': '24', 'netmask': '255.255.255.0', 'network': '192.168.0.0'}
LAB_PRIMARY = {'address': '198.19.0.11', 'prefix': '24', 'netmask': '255.255.255.0', 'network': '198.19.0.0'}
LAB_SECONDARIES = [{'address': f'198.19.0.10{n}', 'prefix': '24', 'netmask': '255.255.255.0', 'network': '198.19.0.0'}
                   for n in range(1, 6)]
V6 = [{'address': '2001:db8:1::11', 'prefix': '64', 'scope': 'global'},
      {'address': 'fe80::1', 'prefix': '64', 'scope': 'link'}]

GUIDE_NIC = {'eth1': {'active': True, 'ipv4': PRIMARY}}
LAB_NIC = {'eth1': {'active': True, 'ipv4': LAB_PRIMARY, 'ipv4_secondaries': LAB_SECONDARIES}}
SEED_NAD = {'name': 'ipvlan-conf-1', 'plugin': 'ipvlan', 'mode': 'l3', 'master': 'eth1', 'ipam': 'per_node',
            'gateway': '192.168.1.1'}
LAB_NAD = {'name': 'macvlan-net1', 'plugin': 'macvlan', 'mode': 'bridge', 'master': 'eth1', 'ipam': 'per_node'}
GUIDE_DECLARED = [{'name': 'eth1', 'first': '192.168.1.13', 'count': 5, 'subnet': '192.168.1.0/24'}]


def arp_ignore(**values: int) -> dict[str, Any]:
    """The registered result of probe.yml's slurp loop: {'all': n, nic: n, ...}."""
    return {'results': [{'item': name, 'content': base64.b64encode(f'{value}\n'.encode()).decode()}
                        for name, value in values.items()]}


def scenario(nics: dict, nads: list, arp: dict | None = None, **variables: Any) -> dict[str, Any]:
    return {'case_nics': nics, 'network_attachments_list': nads,
            'secondary_nic_arp_ignore': arp or arp_ignore(all=0, eth1=0, eth2=0), **variables}


SCENARIOS: dict[str, dict[str, Any]] = {
    # The guide's world: eth1 holds only its primary; the cloud's secondaries are declared.
    'guide': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=GUIDE_DECLARED),
    'guide_range_form': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=[
        {'name': 'eth1', 'first': '192.168.1.13', 'last': '192.168.1.17', 'subnet': '192.168.1.0/24'}]),
    'guide_list_form': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_addresses=[
        '192.168.1.13/24', '192.168.1.14/24', '192.168.1.15/24', '192.168.1.16/24', '192.168.1.17/24']),
    # Plain addresses without a subnet take the network of the NIC's primary address.
    'subnet_from_primary': scenario(GUIDE_NIC, [dict(SEED_NAD, gateway='192.168.0.1')], secondary_nic_interfaces=[
        {'name': 'eth1', 'addresses': ['192.168.0.13', '192.168.0.14']}]),
    # The lab's world: the OS holds the secondaries, macvlan with arp_ignore 8.
    'lab_read': scenario(LAB_NIC, [LAB_NAD], arp_ignore(all=0, eth1=8)),
    'lab_declared_too': scenario(LAB_NIC, [LAB_NAD], arp_ignore(all=8, eth1=0), secondary_nic_addresses=[
        '198.19.0.101', '198.19.0.102', '198.19.0.103', '198.19.0.104', '198.19.0.105'],
        secondary_nic_subnet='198.19.0.0/24'),
    'two_nics': scenario(
        {'eth1': {'active': True, 'ipv4': PRIMARY}, 'eth2': {'active': True, 'ipv4': {'address': '10.2.0.4', 'prefix': '24'}}},
        [SEED_NAD, {'name': 'tenant-b', 'plugin': 'ipvlan', 'mode': 'l3', 'master': 'eth2'}],
        secondary_nic_interfaces=GUIDE_DECLARED + [{'name': 'eth2', 'addresses': ['10.2.0.21/24', '10.2.0.22/24']}]),
    'dual_declared': scenario(
        {'eth1': {'active': True, 'ipv4': PRIMARY, 'ipv6': V6}}, [dict(SEED_NAD, dual_stack=True)],
        secondary_nic_interfaces=[dict(GUIDE_DECLARED[0], first6='2001:db8:1::20', count6=3, subnet6='2001:db8:1::/64')]),
    # Bad: each fails before any change.
    'disagree': scenario(LAB_NIC, [LAB_NAD], arp_ignore(all=0, eth1=8), secondary_nic_addresses=[
        '198.19.0.101/24', '198.19.0.102/24', '198.19.0.104/24']),
    'other_node_addresses': scenario(LAB_NIC, [LAB_NAD], arp_ignore(all=0, eth1=8), secondary_nic_addresses=[
        '198.19.0.113/24', '198.19.0.114/24']),
    'primary_declared': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=[
        {'name': 'eth1', 'first': '192.168.0.11', 'count': 3}]),
    'no_subnet': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=[
        {'name': 'eth1', 'first': '192.168.1.13', 'count': 5}]),
    'bad_count': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=[
        {'name': 'eth1', 'first': '192.168.1.13', 'count': 0, 'subnet': '192.168.1.0/24'}]),
    'outside_subnet': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_addresses=['198.19.1.101', '198.19.1.102'],
                               secondary_nic_subnet='198.19.0.0/24'),
    'both_set': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=GUIDE_DECLARED,
                         secondary_nic_addresses=['192.168.1.13/24']),
    'missing_nic': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=[
        {'name': 'eth9', 'first': '192.168.1.13', 'count': 5, 'subnet': '192.168.1.0/24'}]),
    'down': scenario({'eth1': {'active': False, 'ipv4': PRIMARY}}, [SEED_NAD], secondary_nic_interfaces=GUIDE_DECLARED),
    'too_few': scenario(GUIDE_NIC, [SEED_NAD], secondary_nic_interfaces=GUIDE_DECLARED, secondary_nic_min_addresses=6),
    'undeclared_master': scenario(GUIDE_NIC, [dict(SEED_NAD, master='eth2')], secondary_nic_interfaces=GUIDE_DECLARED),
    'ipvlan_node_holds': scenario(LAB_NIC, [dict(SEED_NAD, gateway='198.19.0.1')]),
    'macvlan_arp': scenario(LAB_NIC, [LAB_NAD], arp_ignore(all=0, eth1=1)),
    'macvlan_v6_held': scenario({'eth1': {'active': True, 'ipv4': PRIMARY, 'ipv6': V6}},
                                [dict(LAB_NAD, dual_stack=True)], arp_ignore(all=0, eth1=0),
                                secondary_nic_interfaces=GUIDE_DECLARED),
}

BAD: dict[str, list[str]] = {
    'disagree': ['disagree: secondary_nic_addresses and the secondary IPs that the OS holds on eth1 disagree',
                 'held by the NIC but not declared: 198.19.0.103, 198.19.0.105', 'Nothing was changed'],
    'other_node_addresses': ['declared but not held by the NIC: 198.19.0.113, 198.19.0.114',
                             'held by the NIC but not declared: 198.19.0.101', 'ip address del'],
    'primary_declared': ['primary_declared: secondary_nic_interfaces[0].first/count declares 192.168.0.12 for eth1',
                         "the NIC's own primary address"],
    'no_subnet': ['no_subnet: secondary_nic_interfaces[0].first/count gives eth1 the addresses 192.168.1.13',
                  '192.168.0.12/24', 'set secondary_nic_interfaces[0].subnet'],
    'bad_count': ['bad_count: secondary_nic_interfaces[0].count=0 is outside 1..4096'],
    'outside_subnet': ['outside_subnet: secondary_nic_addresses: 198.19.1.101 is outside secondary_nic_subnet=198.19.0.0/24'],
    'both_set': ['both_set: secondary_nic_interfaces and secondary_nic_addresses are both set'],
    'missing_nic': ['missing_nic: the NIC eth9 (secondary_nic_interfaces[0].name) does not exist'],
    'down': ['down: the NIC eth1 is DOWN', 'ip link set eth1 up'],
    'too_few': ['too_few: the NIC eth1 has 5 secondary IPs, fewer than secondary_nic_min_addresses=6'],
    'undeclared_master': ['undeclared_master: attachment ipvlan-conf-1 takes its range from the secondary IPs of eth2',
                          'checked eth1', 'Declare eth2'],
    'ipvlan_node_holds': ['ipvlan_node_holds: network_attachments_list entry ipvlan-conf-1 (ipvlan l3 on eth1): '
                          'the node itself holds the pod addresses 198.19.0.101, 198.19.0.102',
                          'ip address del 198.19.0.101/24 dev eth1', 'declare them in secondary_nic_addresses',
                          'Nothing was changed'],
    'macvlan_arp': ['macvlan_arp: network_attachments_list entry macvlan-net1 (macvlan bridge on eth1): the node holds '
                    'the pod addresses 198.19.0.101', 'arp_ignore is 1', 'net.ipv4.conf.eth1.arp_ignore=8'],
    'macvlan_v6_held': ['macvlan_v6_held: network_attachments_list entry macvlan-net1 (macvlan bridge on eth1): the node '
                        'holds the IPv6 pod addresses 2001:db8:1::11', 'secondary_nic_interfaces[0].addresses6'],
}


@pytest.fixture(name='outcome', scope='module')
def fixture_outcome(ansible_runner) -> dict[str, dict[str, Any]]:
    hosts = {name: dict(variables, network_attachments_worker_group='none') for name, variables in SCENARIOS.items()}
    result, out = ansible_runner('nic.yml', hosts, with_defaults=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / 'results.json').read_text(encoding='utf-8'))


def passed(outcome, case: str) -> dict[str, Any]:
    assert outcome[case]['message'] == 'OK', outcome[case]['message']
    return outcome[case]


GUIDE_RANGE = {'ipvlan-conf-1': {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17',
                                 'gateway': '192.168.1.1'}}


@pytest.mark.parametrize('case', ['guide', 'guide_range_form', 'guide_list_form'])
def test_the_three_declared_forms_give_the_seed_range(outcome, case):
    found = passed(outcome, case)
    assert found['ranges'] == GUIDE_RANGE
    nic = found['result']['eth1']
    assert nic['addresses'] == [f'192.168.1.{n}/24' for n in range(13, 18)]
    assert (nic['subnet'], nic['primary'], nic['held']) == ('192.168.1.0/24', '192.168.0.12/24', [])


def test_the_result_names_where_the_addresses_were_declared(outcome):
    assert outcome['guide']['result']['eth1']['variable'] == 'secondary_nic_interfaces[0].first/count'
    assert outcome['guide_range_form']['result']['eth1']['variable'] == 'secondary_nic_interfaces[0].first/last'
    assert outcome['guide_list_form']['result']['eth1']['variable'] == 'secondary_nic_addresses'
    assert outcome['lab_read']['result']['eth1']['variable'] == ''


def test_plain_addresses_take_the_subnet_of_the_primary(outcome):
    assert passed(outcome, 'subnet_from_primary')['ranges'] == {'ipvlan-conf-1': {
        'subnet': '192.168.0.0/24', 'rangeStart': '192.168.0.13', 'rangeEnd': '192.168.0.14', 'gateway': '192.168.0.1'}}


@pytest.mark.parametrize('case', ['lab_read', 'lab_declared_too'])
def test_the_lab_shape_still_works(outcome, case):
    found = passed(outcome, case)
    assert found['ranges'] == {'macvlan-net1': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101',
                                                'rangeEnd': '198.19.0.105'}}
    assert found['result']['eth1']['held'] == [f'198.19.0.10{n}' for n in range(1, 6)]
    assert found['result']['eth1']['arp_ignore'] == 8


def test_two_nics_each_with_its_own_attachment(outcome):
    found = passed(outcome, 'two_nics')
    assert sorted(found['result']) == ['eth1', 'eth2']
    assert found['ranges'] == {**GUIDE_RANGE, 'tenant-b': {'subnet': '10.2.0.0/24', 'rangeStart': '10.2.0.21',
                                                           'rangeEnd': '10.2.0.22'}}


def test_declared_ipv6_is_used_and_not_held(outcome):
    found = passed(outcome, 'dual_declared')
    assert found['result']['eth1']['addresses6'] == ['2001:db8:1::20/64', '2001:db8:1::21/64', '2001:db8:1::22/64']
    assert found['ranges']['ipvlan-conf-1']['ranges'][1] == [
        {'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::20', 'rangeEnd': '2001:db8:1::22'}]


@pytest.mark.parametrize('case', sorted(BAD))
def test_bad_input_names_host_nic_addresses_variable_and_fix(outcome, case):
    message = outcome[case]['message']
    assert message != 'OK', f'{case} passed'
    assert message.startswith(f'{case}: '), message
    for words in BAD[case]:
        assert words in message, message


def test_every_scenario_is_judged():
    good = {'guide', 'guide_range_form', 'guide_list_form', 'subnet_from_primary', 'lab_read', 'lab_declared_too',
            'two_nics', 'dual_declared'}
    assert good | set(BAD) == set(SCENARIOS)
