# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The lab plan: today's addresses exactly, and room for 60+ nodes without an overlap."""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
from pathlib import Path

import pytest

from mhmlab import plan as lab_plan

LAB = ipaddress.ip_network('198.18.0.0/15')
SIZES = range(1, 61)


def ip(text):
    return ipaddress.ip_address(text)


# Written by hand from lab/README.md and labctl before the plan existed; never computed here.
TODAY = {
    'node1': dict(index=1, eth0='198.18.0.11/24', eth1='198.19.0.11/24', pods='198.18.129.0/24', veth='mhm-n1-e0',
                  secondaries=['198.19.0.101', '198.19.0.102', '198.19.0.103', '198.19.0.104', '198.19.0.105']),
    'node2': dict(index=2, eth0='198.18.0.12/24', eth1='198.19.0.12/24', pods='198.18.130.0/24', veth='mhm-n2-e0',
                  secondaries=['198.19.0.111', '198.19.0.112', '198.19.0.113', '198.19.0.114', '198.19.0.115']),
    'new-worker': dict(index=3, eth0='198.18.0.13/24', eth1='198.19.0.13/24', pods='198.18.131.0/24', veth='mhm-n3-e0',
                       secondaries=['198.19.0.121', '198.19.0.122', '198.19.0.123', '198.19.0.124', '198.19.0.125']),
    'node4': dict(index=4, eth0='198.18.0.14/24', eth1='198.19.0.14/24', pods='198.18.132.0/24', veth='mhm-n4-e0',
                  secondaries=['198.19.0.131', '198.19.0.132', '198.19.0.133', '198.19.0.134', '198.19.0.135']),
    'node9': dict(index=9, eth0='198.18.0.19/24', eth1='198.19.0.19/24', pods='198.18.137.0/24', veth='mhm-n9-e0',
                  secondaries=['198.19.0.181', '198.19.0.182', '198.19.0.183', '198.19.0.184', '198.19.0.185']),
}


@pytest.mark.parametrize('name', sorted(TODAY))
@pytest.mark.parametrize('size', [9, 15])
def test_todays_nodes_keep_their_addresses_and_prefix(name, size):
    want = TODAY[name]
    node = lab_plan.build(size).node(name)
    assert node.index == want['index']
    assert str(node.mgmt) == want['eth0']
    assert str(node.fabric) == want['eth1']
    assert [str(s) for s in node.secondaries] == [f'{a}/24' for a in want['secondaries']]
    assert str(node.pod_cidr) == want['pods']
    assert node.netns == f'mhm-{name}'
    assert node.host_veth == want['veth']
    assert node.fabric_veth == want['veth'][:-1] + '1'
    assert node.secondary_range == f"{want['secondaries'][0]}-{want['secondaries'][-1]}"


def test_todays_shared_pieces():
    plan = lab_plan.build()
    assert plan.max_nodes == 9
    assert plan.node_names == ('node1', 'node2', 'new-worker', 'node4', 'node5', 'node6', 'node7', 'node8', 'node9')
    assert plan.default_nodes == ('node1', 'node2')
    assert (plan.management.bridge, str(plan.management.network), str(plan.management.gateway)) == \
        ('mhm-mgmt', '198.18.0.0/24', '198.18.0.1')
    assert (plan.fabric.netns, plan.fabric.bridge, str(plan.fabric.network)) == ('mhm-fabric', 'br1', '198.19.0.0/24')
    assert str(plan.pod_network) == '198.18.128.0/17'
    assert plan.mirror.url == 'http://127.0.0.1:18080'
    cluster = plan.cluster
    assert (cluster.name, str(cluster.address), cluster.admin_user) == ('mhm-lab', '127.0.0.1', 'mhm-admin')
    assert (cluster.apiserver_port, cluster.etcd_port, cluster.etcd_peer_port, cluster.kcm_port, cluster.scheduler_port) == \
        (16443, 16379, 16380, 16257, 16259)
    assert (str(cluster.service_network), str(cluster.service_ip), str(cluster.advertise_address)) == \
        ('198.18.96.0/24', '198.18.96.1', '198.18.0.1')
    assert (cluster.service_port, cluster.kubelet_port, cluster.multus_registry) == (443, 10250, 'registry.mhm-lab.invalid')
    v = plan.versions
    assert (v.kube, v.multus, v.kwok, v.etcd, v.cni_plugins, v.cni_plugins_source) == \
        ('1.36.3', 'v4.3.0', 'v0.8.0', 'v3.6.16', '1.1.1', '/usr/lib/cni')
    assert v.cni_archive('amd64') == 'cni-plugins-linux-amd64-v1.1.1.tgz'


def _every_address(plan):
    """(owner, address) of every single address the lab hands out."""
    yield 'mgmt bridge', plan.management.gateway
    yield 'ClusterIP', plan.cluster.service_ip
    for node in plan.nodes:
        yield f'{node.name} eth0', node.mgmt.ip
        yield f'{node.name} eth1', node.fabric.ip
        for s in node.secondaries:
            yield f'{node.name} secondary', s.ip


@pytest.mark.parametrize('size', SIZES)
def test_no_address_twice_all_in_the_lab_range(size):
    plan = lab_plan.build(size)
    assert len(plan.nodes) == size
    seen = {}
    for owner, address in _every_address(plan):
        assert address in LAB, f'{owner} {address}'
        assert address not in seen, f'{owner} and {seen.get(address)} share {address}'
        seen[address] = owner
    assert plan.cluster.advertise_address == plan.management.gateway


@pytest.mark.parametrize('size', SIZES)
def test_networks_never_overlap(size):
    plan = lab_plan.build(size)
    networks = {'management': plan.management.network, 'fabric': plan.fabric.network, 'pods': plan.pod_network,
                'services': plan.cluster.service_network}
    for node in plan.nodes:
        networks[f'{node.name} pods'] = node.pod_cidr
        assert node.pod_cidr.subnet_of(plan.pod_network)
    for (a, net_a), (b, net_b) in itertools.combinations(networks.items(), 2):
        if b.endswith(' pods') and a == 'pods':
            continue  # a node's block inside the pod network: checked above
        assert not net_a.overlaps(net_b), f'{a} {net_a} overlaps {b} {net_b}'
    for name, network in networks.items():
        assert network.subnet_of(LAB), f'{name} {network}'


@pytest.mark.parametrize('size', SIZES)
def test_node_addresses_sit_in_their_networks(size):
    plan = lab_plan.build(size)
    for node in plan.nodes:
        assert node.mgmt.network == plan.management.network
        assert node.mgmt.ip not in (plan.management.network.network_address, plan.management.network.broadcast_address)
        assert len(node.secondaries) == 5
        for iface in (node.fabric, *node.secondaries):
            # Same prefix as the primary: the kernel flags them secondary.
            assert iface.network == plan.fabric.network
            assert iface.ip not in (plan.fabric.network.network_address, plan.fabric.network.broadcast_address)
        for link in (node.netns, node.host_veth, node.fabric_veth):
            assert link.startswith('mhm')
        assert len(node.host_veth) <= 15 and len(node.fabric_veth) <= 15  # IFNAMSIZ


def test_fabric_widens_past_fifteen_nodes_and_keeps_every_address():
    assert {str(lab_plan.build(n).fabric.network) for n in range(1, 16)} == {'198.19.0.0/24'}
    assert str(lab_plan.build(16).fabric.network) == '198.19.0.0/23'
    assert str(lab_plan.build(50).fabric.network) == '198.19.0.0/22'
    small, large = lab_plan.build(15), lab_plan.build(lab_plan.MAX_NODES)
    for node in small.nodes:
        wide = large.node(node.name)
        assert (wide.mgmt, wide.pod_cidr) == (node.mgmt, node.pod_cidr)
        assert wide.fabric.ip == node.fabric.ip
        assert [s.ip for s in wide.secondaries] == [s.ip for s in node.secondaries]
        assert wide.fabric.network.prefixlen == 22


def test_node10_and_node50_by_hand():
    node = lab_plan.build(10).node('node10')
    assert (str(node.mgmt), str(node.fabric), node.secondary_range, str(node.pod_cidr)) == \
        ('198.18.0.20/24', '198.19.0.20/24', '198.19.0.191-198.19.0.195', '198.18.138.0/24')
    # Secondaries at offset 100 + 10 * 49 + 1 = 591 = 2 * 256 + 79 of 198.19.0.0/22.
    node = lab_plan.build(50).node('node50')
    assert (str(node.mgmt), str(node.fabric), node.secondary_range, str(node.pod_cidr)) == \
        ('198.18.0.60/24', '198.19.0.60/22', '198.19.2.79-198.19.2.83', '198.18.178.0/24')


def test_largest_plan_has_no_overlap():
    plan = lab_plan.build(lab_plan.MAX_NODES)
    addresses = [address for owner, address in _every_address(plan)]
    assert len(addresses) == len(set(addresses))
    assert all(a in LAB for a in addresses)


@pytest.mark.parametrize('name, index', [('node1', 1), ('node2', 2), ('new-worker', 3), ('node4', 4), ('node60', 60)])
def test_names_and_indexes(name, index):
    assert lab_plan.node_index(name) == index
    assert lab_plan.node_name(index) == name


@pytest.mark.parametrize('name', ['node3', 'node0', 'node01', 'node91', 'Node1', 'node', '', 'node-1', 'node1 ', 'node١'])
def test_unknown_names(name):
    with pytest.raises(lab_plan.PlanError, match='unknown node name'):
        lab_plan.node_index(name)


def test_sizes_and_nodes_outside_the_plan():
    for size in (0, lab_plan.MAX_NODES + 1):
        with pytest.raises(lab_plan.PlanError):
            lab_plan.build(size)
    with pytest.raises(lab_plan.PlanError, match='outside this plan of 9 nodes'):
        lab_plan.build().node('node10')
    with pytest.raises(lab_plan.PlanError):
        lab_plan.node_name(0)


def test_frozen():
    plan = lab_plan.build()
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.max_nodes = 50
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.nodes[0].mgmt = None


def test_from_env():
    plan = lab_plan.from_env({'MHM_LAB_MAX_NODES': '50', 'MULTIHOME_CACHE': '/srv/cache', 'HOME': '/home/x'})
    assert plan.max_nodes == 50 and plan.cache == Path('/srv/cache')
    assert str(plan.paths.ssh_key) == '/srv/cache/lab/id_ed25519'
    # Empty means unset, as in bash's ${MULTIHOME_CACHE:-...}.
    plan = lab_plan.from_env({'MHM_LAB_MAX_NODES': '', 'MULTIHOME_CACHE': '', 'HOME': '/home/x'})
    assert plan.max_nodes == 9 and plan.cache == Path('/home/x/.cache/multihome-multus')
    with pytest.raises(lab_plan.PlanError, match='not a number'):
        lab_plan.from_env({'MHM_LAB_MAX_NODES': 'many', 'HOME': '/'})


@pytest.mark.parametrize('size', SIZES)
def test_ipv6_secondaries_one_segment_never_shared(size):
    plan = lab_plan.build(size)
    benchmarking6 = ipaddress.IPv6Network('2001:2::/48')  # RFC 5180, the IPv6 twin of 198.18.0.0/15
    seen = {}
    segments = set()
    for node in plan.nodes:
        assert len(node.secondaries6) == len(node.secondaries)
        for iface in node.secondaries6:
            assert iface.network.subnet_of(benchmarking6), f'{node.name} {iface}'
            assert iface.ip not in seen, f'{node.name} and {seen.get(iface.ip)} share {iface.ip}'
            seen[iface.ip] = node.name
            segments.add(iface.network)
        addresses = [iface.ip for iface in node.secondaries6]
        assert addresses == [addresses[0] + i for i in range(len(addresses))], f'{node.name}: not one block'
    assert len(segments) == 1, f'pods of all nodes share one segment, got {segments}'
