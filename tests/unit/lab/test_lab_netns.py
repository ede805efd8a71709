# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The ip commands that make a node's network, from the plan (recorded, nothing run)."""

from __future__ import annotations

from mhmlab import netns
from mhmlab import plan as lab_plan
from mhmlab.runner import Result, Runner

PLAN = lab_plan.build()


def test_node_network_commands():
    runner = Runner(dry_run=True)
    netns.add_node(runner, PLAN, PLAN.node('node2'))
    calls = [' '.join(c.argv) for c in runner.calls]
    assert calls[0] == 'ip netns add mhm-node2'
    assert 'ip link add mhm-n2-e0 type veth peer name eth0 netns mhm-node2' in calls
    assert 'ip link set mhm-n2-e0 master mhm-mgmt' in calls
    assert 'ip -n mhm-node2 addr add 198.18.0.12/24 broadcast + dev eth0' in calls
    assert 'ip -n mhm-fabric link add mhm-n2-e1 type veth peer name eth1 netns mhm-node2' in calls
    eth1 = [c for c in calls if c.startswith('ip -n mhm-node2 addr add') and c.endswith('dev eth1')]
    assert eth1 == [f'ip -n mhm-node2 addr add 198.19.0.{n}/24 broadcast + dev eth1' for n in (12, 111, 112, 113, 114, 115)]
    assert 'ip netns exec mhm-node2 sysctl -q -w net.ipv4.conf.eth1.arp_ignore=8' in calls
    assert calls[-1] == 'ip -n mhm-node2 link set eth1 up'
    assert all(c.timeout > 0 for c in runner.calls)


def test_mgmt_bridge_refuses_an_address_range_in_use():
    def respond(argv):
        if argv[:3] == ('ip', 'link', 'show'):
            return Result(argv, 1)
        if '-4' in argv:
            return Result(argv, 0, '5: eth9    inet 198.18.0.7/24 scope global eth9\n')
        return Result(argv, 0)
    runner = Runner(dry_run=True, respond=respond)
    try:
        netns.ensure_mgmt_bridge(runner, PLAN, print)
    except netns.NetworkError as exc:
        assert str(exc) == '198.18.0.0/24 is already on interface(s) eth9; remove that first'
    else:
        raise AssertionError('no error')
    assert not [c for c in runner.calls if 'add' in c.argv]


def test_lab_links_and_namespaces_are_read_by_prefix():
    def respond(argv):
        if argv[1:3] == ('-o', 'link'):
            return Result(argv, 0, '1: lo: <LOOPBACK>\n7: mhm-n1-e0@if2: <UP>\n8: mhm-mgmt: <UP>\n9: eth0: <UP>\n')
        return Result(argv, 0, 'mhm-node1 (id: 0)\nother\nmhm-fabric (id: 1)\n')
    runner = Runner(dry_run=True, respond=respond)
    assert netns.host_links(runner, PLAN) == ['mhm-n1-e0', 'mhm-mgmt']
    assert netns.lab_names(runner, PLAN) == ['mhm-node1', 'mhm-fabric']
