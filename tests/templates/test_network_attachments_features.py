# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""network_attachments on the node: routes, the chained tuning plugin and dual-stack per-node files.

Each scenario runs the role's validate, node_range and node_files tasks with
the secondary_nic role's per-NIC result given as a host variable and a temporary conf dir, then
the written files are read back. The bad cases fail in validation or in
node_range, naming the host, the attachment, the variable and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

V4 = ['198.18.0.11/24', '198.18.0.12/24', '198.18.0.13/24']
V6 = ['2001:db8:1::11/64', '2001:db8:1::12/64', '2001:db8:1::13/64']
# The result the secondary_nic role publishes for eth1 (addresses read from the NIC).
NIC = {'addresses': V4, 'subnet': '198.18.0.0/24', 'addresses6': V6, 'subnet6': '2001:db8:1::/64', 'primary': '',
       'held': [], 'arp_ignore': 0, 'variable': '', 'variable6': '', 'where': 'secondary_nic_'}

CASES: dict[str, tuple[list[dict[str, Any]], dict[str, Any], list[str] | None]] = {
    'plain': ([{'name': 'net-a'}], {}, None),
    'routes': ([{'name': 'net-r', 'gateway': '198.18.0.1',
                 'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}, {'dst': '203.0.113.0/24'}]}], {}, None),
    'tuning': ([{'name': 'net-t', 'plugin': 'macvlan', 'tuning': {'mtu': 1400, 'sysctl': {'net.ipv4.conf.net1.arp_filter': 1}}}],
               {}, None),
    'dual': ([{'name': 'net-ds', 'dual_stack': True, 'gateway6': '2001:db8:1::1',
               'routes': [{'dst': '::/0', 'gw': '2001:db8:1::1'}]}], {}, None),
    'dual_no_v6': ([{'name': 'net-ds', 'dual_stack': True}], {'addresses6': []},
                   ['dual_no_v6: attachment net-ds asks dual_stack: true', 'addresses6 of secondary_nic_result is empty',
                    'secondary_nic_addresses6', 'dual_stack: false']),
    'dual_gap': ([{'name': 'net-ds', 'dual_stack': True}],
                 {'addresses6': ['2001:db8:1::11/64', '2001:db8:1::13/64']},
                 ['dual_gap: the secondary IPs of eth1', 'IPv6 block: the addresses are not a contiguous block',
                  '2001:db8:1::12 is missing', 'secondary_nic_addresses']),
    'dual_host_local': ([{'name': 'net-h', 'ipam': 'host_local', 'dual_stack': True,
                          'range': {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.12'}}],
                        {}, ['dual_host_local: network_attachments_list entry net-h', 'only for ipam per_node']),
    'route_gw_outside_host_local': ([{'name': 'net-h', 'ipam': 'host_local', 'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}],
                                      'range': {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.12'}}],
                                    {}, ['route_gw_outside_host_local: network_attachments_list entry net-h',
                                         'routes[0]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24', "Fix the entry's routes"]),
    'route_gw_outside_node': ([{'name': 'net-r', 'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}]}], {},
                              ['route_gw_outside_node: network_attachments_list entry net-r',
                               'gw 198.18.1.1 is outside the subnet 198.18.0.0/24', 'The subnets of eth1 on this node are']),
    'route_dst_host': ([{'name': 'net-r', 'routes': [{'dst': '198.19.0.1'}]}], {},
                       ['route_dst_host: network_attachments_list entry net-r', "dst '198.19.0.1' is not a network"]),
    'bad_sysctl': ([{'name': 'net-t', 'tuning': {'sysctl': {'kernel.shmmax': 1}}}], {},
                   ['bad_sysctl: network_attachments_list entry net-t', "sysctl 'kernel.shmmax' is not a network sysctl",
                    'sysctl: {net.*: value}']),
    'bad_tuning_mtu': ([{'name': 'net-t', 'tuning': {'mtu': 70000}}], {},
                       ['bad_tuning_mtu: network_attachments_list entry net-t', 'mtu 70000 is not an integer in 68..65535']),
    'dual_not_bool': ([{'name': 'net-ds', 'dual_stack': 'yes please'}], {},
                      ['dual_not_bool: network_attachments_list entry net-ds', 'dual_stack must be true or false']),
    'pool_ok': ([{'name': 'net-p', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.0/24',
                  'whereabouts_exclude': ['198.19.2.0/28']}], {}, None),
    'pool_leaves_prefix': ([{'name': 'net-p', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.200-198.19.3.10/24'}],
                           {}, ['pool_leaves_prefix: network_attachments_list entry net-p',
                                '198.19.3.10 is not in 198.19.2.0/24', 'Fix its whereabouts_range']),
    'pool_all_excluded': ([{'name': 'net-p', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.0/28',
                            'whereabouts_exclude': ['198.19.2.0/24']}], {},
                          ['pool_all_excluded: network_attachments_list entry net-p', 'holds no address once 198.19.2.0/24']),
    'pool_exclude_not_cidr': ([{'name': 'net-p', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.0/24',
                                'whereabouts_exclude': ['the nodes']}], {},
                              ["whereabouts_exclude entry 'the nodes' is not a CIDR", 'whereabouts_exclude (CIDRs']),
    'pool_exclude_family': ([{'name': 'net-p', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.0/24',
                              'whereabouts_exclude': ['2001:db8::/64']}], {},
                            ['whereabouts_exclude entry 2001:db8::/64 is not of the family of 198.19.2.0/24']),
}


@pytest.fixture(name='outcome', scope='module')
def fixture_outcome(ansible_runner, tmp_path_factory) -> tuple[dict[str, str], dict[str, Path]]:
    dirs = {}
    hosts = {}
    for case, (entries, extra, _words) in CASES.items():
        dirs[case] = tmp_path_factory.mktemp(case) / 'net.d'
        hosts[case] = {'secondary_nic_result': {'eth1': {**NIC, **extra}},
                       'network_attachments_list': entries, 'network_attachments_conf_dir': str(dirs[case]),
                       'network_attachments_worker_group': 'none'}
    result, out = ansible_runner('nad_node.yml', hosts, with_defaults=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / 'results.json').read_text(encoding='utf-8')), dirs


def written(outcome, case: str) -> dict[str, Any]:
    results, dirs = outcome
    assert results[case] == 'OK', results[case]
    files = sorted(dirs[case].iterdir())
    assert len(files) == 1, files
    return {files[0].name: json.loads(files[0].read_text(encoding='utf-8'))}


def test_plain_attachment_renders_as_before(outcome):
    assert written(outcome, 'plain') == {'net-a.conf': {
        'cniVersion': '0.3.1', 'name': 'net-a', 'type': 'ipvlan', 'master': 'eth1', 'mode': 'l2',
        'ipam': {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.13'}}}


def test_routes_in_the_per_node_file(outcome):
    assert written(outcome, 'routes') == {'net-r.conf': {
        'cniVersion': '0.3.1', 'name': 'net-r', 'type': 'ipvlan', 'master': 'eth1', 'mode': 'l2',
        'ipam': {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.13',
                 'gateway': '198.18.0.1',
                 'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}, {'dst': '203.0.113.0/24'}]}}}


def test_tuning_writes_a_conflist(outcome):
    assert written(outcome, 'tuning') == {'net-t.conflist': {
        'cniVersion': '0.3.1', 'name': 'net-t', 'plugins': [
            {'type': 'macvlan', 'master': 'eth1', 'mode': 'bridge',
             'ipam': {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11',
                      'rangeEnd': '198.18.0.13'}},
            {'type': 'tuning', 'mtu': 1400, 'sysctl': {'net.ipv4.conf.net1.arp_filter': '1'}}]}}


def test_dual_stack_per_node_file(outcome):
    assert written(outcome, 'dual') == {'net-ds.conf': {
        'cniVersion': '0.3.1', 'name': 'net-ds', 'type': 'ipvlan', 'master': 'eth1', 'mode': 'l2',
        'ipam': {'type': 'host-local', 'ranges': [
            [{'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.13'}],
            [{'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::11', 'rangeEnd': '2001:db8:1::13',
              'gateway': '2001:db8:1::1'}]],
            'routes': [{'dst': '::/0', 'gw': '2001:db8:1::1'}]}}}


@pytest.mark.parametrize('case', sorted(case for case, value in CASES.items() if value[2] is not None))
def test_bad_input_names_host_attachment_variable_and_fix(outcome, case):
    message = outcome[0][case]
    assert message != 'OK', f'{case} passed'
    assert message.startswith(f'{case}: '), message
    for word in CASES[case][2]:
        assert word in message, message
