# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab's plan: every name, address, port, version and path, in one frozen value.

Everything the lab makes is named with the prefix ``mhm``; every address it
hands out lies in 198.18.0.0/15 (the listeners on 127.0.0.1, mirror and
control plane, aside). Node N (``node1`` = 1, ``node2`` = 2, ``new-worker`` = 3,
``nodeN`` = N from 4 on; ``node3`` is no name, it would share 3 with
new-worker) gets:

==============  =======================================  ==========================
piece           node N                                   node1
==============  =======================================  ==========================
eth0            198.18.0.0/24 + (10 + N), prefix /24     198.18.0.11/24
eth1 primary    fabric + (10 + N)                        198.19.0.11/24
secondaries     fabric + (100 + 10 (N - 1) + 1..5)       198.19.0.101-198.19.0.105
pod CIDR        /24 number N of 198.18.128.0/17          198.18.129.0/24
IPv6 secondary  2001:2:0:1::/64 + the same offsets       2001:2:0:1::65-2001:2:0:1::69
==============  =======================================  ==========================

IPv6 comes from 2001:2::/48, the IPv6 counterpart of 198.18.0.0/15 (RFC 5180,
benchmarking). The lab's nodes keep IPv6 off on their own interfaces: the IPv6
secondaries are declared in the inventory, as a cloud assigns them to a NIC,
and only pods (dual-stack drill) hold them.

The management bridge is 198.18.0.1/24 (also the API server's advertise
address), the cluster's Service range 198.18.96.0/24 (ClusterIP 198.18.96.1).

The fabric. eth1's secondaries must share the primary's prefix (the kernel then
flags them ``secondary`` and Ansible lists them under ``ipv4_secondaries``), and
every node's eth1 must be in one subnet, so pods of any two nodes reach each
other over net1 on the one L2 segment. A /24 holds that for node 1 to 15 only:
node 16's secondaries would end on the broadcast address. So the fabric starts
at 198.19.0.0 and has the smallest prefix (/24 at most) whose hosts hold the
highest node of the plan, with the same offsets as ever: /24 up to 15 nodes,
/23 up to 41, /22 up to 90. A plan of up to 15 nodes (the default holds the nine
names labctl knows: node1, node2, new-worker, node4..node9) is today's lab to
the address and the prefix; a larger plan (``MHM_LAB_MAX_NODES``) keeps every
address and only widens the prefix. Several /24 blocks on one segment were the
other choice: they keep the prefix but split the nodes into subnets whose pods
cannot reach each other without a router. Past node 90 a primary would meet
node 1's secondaries (offset 101), so plans end there; the management /24
(10 + N) and the pod /17 (block N) would last longer.

Stdlib only: /usr/bin/python3 runs this for the bash tools (``plan shell``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import itertools
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

PREFIX = 'mhm'
LAB_NETWORK = ipaddress.IPv4Network('198.18.0.0/15')
LAB_NETWORK6 = ipaddress.IPv6Network('2001:2::/48')
FABRIC6 = ipaddress.IPv6Network('2001:2:0:1::/64')
SECONDARIES = 5
DEFAULT_MAX_NODES = 9
MAX_NODES = 90
NEW_WORKER = 'new-worker'
NEW_WORKER_INDEX = 3
DEFAULT_NODES = ('node1', 'node2')
CACHE_DEFAULT = '~/.cache/multihome-multus'

# Offsets into the networks (see the table above).
_HOST_OFFSET = 10
_SECONDARY_BASE = 100
_SECONDARY_STRIDE = 10


class PlanError(ValueError):
    """A node name or plan size the plan does not hold."""


@dataclasses.dataclass(frozen=True)
class Versions:
    kube: str = '1.36.3'
    multus: str = 'v4.3.0'
    kwok: str = 'v0.8.0'
    etcd: str = 'v3.6.16'
    # Debian bookworm's containernetworking-plugins, served by the lab's mirror
    # under the upstream archive name.
    cni_plugins: str = '1.1.1'
    cni_plugins_source: str = '/usr/lib/cni'
    # Cilium: the lab's agent runs the CNI configuration manager of this module
    # version (lab/cluster/cilium-cni-config, whose go.mod requires the same);
    # the < 1.14 variant runs the cni-install.sh of the legacy version.
    cilium: str = 'v1.18.6'
    cilium_legacy: str = 'v1.13.18'
    # The whereabouts role's default (roles/whereabouts/defaults/main.yml), built from its Go module.
    whereabouts: str = 'v0.9.2'

    def cni_archive(self, arch: str) -> str:
        """The mirror's archive name, as upstream names its release."""
        return f'cni-plugins-linux-{arch}-v{self.cni_plugins}.tgz'


@dataclasses.dataclass(frozen=True)
class Mirror:
    address: ipaddress.IPv4Address = ipaddress.IPv4Address('127.0.0.1')
    port: int = 18080

    @property
    def url(self) -> str:
        return f'http://{self.address}:{self.port}'


@dataclasses.dataclass(frozen=True)
class Management:
    """The host bridge every node's eth0 hangs on; sshd listens on eth0."""

    bridge: str
    network: ipaddress.IPv4Network

    @property
    def gateway(self) -> ipaddress.IPv4Address:
        return self.network[1]


@dataclasses.dataclass(frozen=True)
class Fabric:
    """The L2 segment of every eth1: bridge ``br1`` in its own namespace."""

    netns: str
    bridge: str
    network: ipaddress.IPv4Network


@dataclasses.dataclass(frozen=True)
class Cluster:
    """lab/cluster/clusterctl's control plane (loopback) and its Service range."""

    name: str
    address: ipaddress.IPv4Address
    apiserver_port: int
    etcd_port: int
    etcd_peer_port: int
    kcm_port: int
    scheduler_port: int
    service_network: ipaddress.IPv4Network
    # Published in the `kubernetes` EndpointSlice only, never bound: the
    # management bridge address, where the nodes reach the host.
    advertise_address: ipaddress.IPv4Address
    service_port: int = 443
    kubelet_port: int = 10250
    admin_user: str = 'mhm-admin'
    # Registry name of the lab's Multus image (imported, never pulled).
    multus_registry: str = 'registry.mhm-lab.invalid'

    @property
    def service_ip(self) -> ipaddress.IPv4Address:
        """The `kubernetes` Service's ClusterIP: the range's first address."""
        return self.service_network[1]

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.apiserver_port, self.etcd_port, self.etcd_peer_port, self.kcm_port, self.scheduler_port)


@dataclasses.dataclass(frozen=True)
class Paths:
    """Where the lab keeps its state, below a cache directory."""

    cache: PurePosixPath

    @property
    def lab_state(self) -> PurePosixPath:
        return self.cache / 'lab'

    @property
    def ssh_key(self) -> PurePosixPath:
        return self.lab_state / 'id_ed25519'

    @property
    def mirror_dir(self) -> PurePosixPath:
        return self.lab_state / 'mirror'

    @property
    def vm_state(self) -> PurePosixPath:
        """The VM workers' state: key, per-VM dirs (pid files, logs, sshd), the switch, the plugin archive."""
        return self.cache / 'vms'

    @property
    def vm_kernel(self) -> PurePosixPath:
        """Debian's kernel and the initramfs, built once and kept by ``vms down``."""
        return self.cache / 'vm-kernel'

    @property
    def kubeconfig(self) -> PurePosixPath:
        return self.cache / 'cluster' / 'kubeconfig'


@dataclasses.dataclass(frozen=True)
class Node:
    name: str
    index: int
    netns: str
    host_veth: str
    fabric_veth: str
    mgmt: ipaddress.IPv4Interface
    fabric: ipaddress.IPv4Interface
    secondaries: tuple[ipaddress.IPv4Interface, ...]
    pod_cidr: ipaddress.IPv4Network
    secondaries6: tuple[ipaddress.IPv6Interface, ...] = ()

    @property
    def secondary_range(self) -> str:
        return f'{self.secondaries[0].ip}-{self.secondaries[-1].ip}'

    def addresses(self) -> tuple[ipaddress.IPv4Address, ...]:
        """Every address the node holds."""
        return (self.mgmt.ip, self.fabric.ip) + tuple(s.ip for s in self.secondaries)


@dataclasses.dataclass(frozen=True)
class Vm:
    """A VM worker (``python -m mhmlab vms``): QEMU TCG with Debian's kernel, the host's root read-only.

    eth0 is QEMU user networking (its own /24, sshd reached through a port on
    127.0.0.1); eth1 is a port of the VPC stand-in (Ethernet frames as UDP
    datagrams between ``vpc_port`` and the switch, both on 127.0.0.1) and holds
    only its primary address: the secondaries are assigned to it in the plan, as
    a cloud console does, and delivered to it by the VPC stand-in, never
    configured in the OS.
    """

    name: str
    index: int
    process: str
    vpc_port: int
    mgmt_mac: str
    eth1_mac: str
    user_network: ipaddress.IPv4Network
    ssh_port: int
    eth1: ipaddress.IPv4Interface
    secondaries: tuple[ipaddress.IPv4Interface, ...]
    # The lab's Cilium stand-in on the VM (its 05-cilium.conflist) hands out pod eth0 addresses from here.
    pod_cidr: ipaddress.IPv4Network

    @property
    def guest_address(self) -> ipaddress.IPv4Interface:
        """eth0's address: QEMU's first DHCP address of the user network."""
        return ipaddress.IPv4Interface((self.user_network[15], self.user_network.prefixlen))

    @property
    def host_address(self) -> ipaddress.IPv4Address:
        """The host as the guest sees it on the user network (QEMU's default offset)."""
        return self.user_network[2]

    @property
    def api_address(self) -> ipaddress.IPv4Address:
        """Where the guest reaches the lab API server: QEMU forwards it to the control plane on the host.

        The guest's stand-in for the ``kubernetes`` Service's ClusterIP (no kube-proxy runs in the VM);
        the API server's serving certificate names it.
        """
        return self.user_network[10]


@dataclasses.dataclass(frozen=True)
class VmWorld:
    """The VM workers and the VPC stand-in they share.

    The VPC is a switch process (``vpcswitch.py``, named ``switch``) on
    127.0.0.1:``switch_port`` that forwards the VMs' eth1 frames and answers ARP
    for every assigned secondary IP with the owning eth1's MAC; its own frames
    come from ``fabric_mac``. No host link: nothing on the host's network changes.
    """

    switch: str
    network: ipaddress.IPv4Network
    vms: tuple[Vm, ...]
    switch_port: int
    fabric_mac: str = '02:6d:68:6d:ff:ff'
    address: ipaddress.IPv4Address = ipaddress.IPv4Address('127.0.0.1')
    # The port of every VM's api_address, as the `kubernetes` Service's.
    api_port: int = 443
    # A cluster-wide whereabouts pool on the VPC segment, apart from every VM's assigned secondaries.
    pool_first: int = 200
    pool_size: int = 10
    memory_mib: int = 1024
    # The Debian package whose dependency names the kernel to fetch.
    kernel_package: str = 'linux-image-amd64'
    # Loaded by the initramfs, with their dependencies: the boot devices, the root file system, the data path.
    modules: tuple[str, ...] = ('virtio_pci', 'virtio_net', '9pnet_virtio', '9p', 'overlay', 'ipvlan', 'veth')

    def vm(self, name: str) -> Vm:
        for vm in self.vms:
            if vm.name == name:
                return vm
        raise PlanError(f"unknown VM '{name}': use {', '.join(v.name for v in self.vms)}")

    @property
    def pool(self) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
        """First and last address of the whereabouts pool."""
        return self.network[self.pool_first], self.network[self.pool_first + self.pool_size - 1]

    def owners(self) -> dict[ipaddress.IPv4Address, Vm]:
        """Every assigned secondary IP and the VM whose eth1 owns it (what the VPC delivers)."""
        return {s.ip: vm for vm in self.vms for s in vm.secondaries}


VM_NAMES = ('vm1', 'vm2')
VM_USER_NETWORKS = ipaddress.IPv4Network('198.18.64.0/18')
# The top of the pod network, above every namespace node's pod CIDR (at most 90 nodes).
VM_POD_NETWORKS = ipaddress.IPv4Network('198.18.224.0/19')
VPC_NETWORK = ipaddress.IPv4Network('198.19.32.0/24')
VM_SSH_PORT_BASE = 18220
VPC_PORT_BASE = 18230  # the switch; VM N's eth1 is VPC_PORT_BASE + N


def make_vm(index: int, network: ipaddress.IPv4Network = VPC_NETWORK) -> Vm:
    """VM ``index``: the node offsets of the fabric (primary 10 + N, secondaries 100 + 10 (N - 1) + 1..5)."""
    name = f'vm{index}'
    return Vm(
        name=name,
        index=index,
        process=f'{PREFIX}-{name}',
        vpc_port=VPC_PORT_BASE + index,
        # Locally administered, "mhm" in the second to fourth byte.
        mgmt_mac=f'02:6d:68:6d:00:{index:02x}',
        eth1_mac=f'02:6d:68:6d:01:{index:02x}',
        user_network=next(itertools.islice(VM_USER_NETWORKS.subnets(new_prefix=24), index, None)),
        ssh_port=VM_SSH_PORT_BASE + index,
        eth1=_interface(network, _HOST_OFFSET + index),
        secondaries=tuple(_interface(network, offset) for offset in _secondary_offsets(index)),
        pod_cidr=next(itertools.islice(VM_POD_NETWORKS.subnets(new_prefix=24), index, None)),
    )


def build_vm_world() -> VmWorld:
    return VmWorld(switch=f'{PREFIX}-vpc', network=VPC_NETWORK, switch_port=VPC_PORT_BASE,
                   vms=tuple(make_vm(int(name[2:])) for name in VM_NAMES))


@dataclasses.dataclass(frozen=True)
class Plan:
    max_nodes: int
    cache: Path
    management: Management
    fabric: Fabric
    pod_network: ipaddress.IPv4Network
    cluster: Cluster
    nodes: tuple[Node, ...]
    mirror: Mirror = Mirror()
    versions: Versions = Versions()
    prefix: str = PREFIX
    default_nodes: tuple[str, ...] = DEFAULT_NODES
    vm: VmWorld = dataclasses.field(default_factory=build_vm_world)

    @property
    def paths(self) -> Paths:
        """The paths of this plan's cache."""
        return Paths(PurePosixPath(self.cache))

    def node(self, name: str) -> Node:
        index = node_index(name)
        if index > self.max_nodes:
            raise PlanError(f'{name} is outside this plan of {self.max_nodes} nodes (MHM_LAB_MAX_NODES)')
        return self.nodes[index - 1]

    @property
    def node_names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes)


def node_name(index: int) -> str:
    """The name of node ``index``: node1, node2, new-worker, node4, ..."""
    if not 1 <= index <= MAX_NODES:
        raise PlanError(f'node index {index} is outside 1..{MAX_NODES}')
    return NEW_WORKER if index == NEW_WORKER_INDEX else f'node{index}'


def node_index(name: str) -> int:
    """The index of a node name; raises PlanError for any other name (node3, node01, ...)."""
    if name == NEW_WORKER:
        return NEW_WORKER_INDEX
    digits = name[4:] if name.startswith('node') else ''
    if digits.isascii() and digits.isdigit() and not digits.startswith('0'):
        index = int(digits)
        if 1 <= index <= MAX_NODES and index != NEW_WORKER_INDEX:
            return index
    raise PlanError(
        f"unknown node name '{name}': use node1, node2, new-worker or node4..node{MAX_NODES}"
        f' (node3 would share index {NEW_WORKER_INDEX} with new-worker)')


def _secondary_offsets(index: int) -> range:
    first = _SECONDARY_BASE + _SECONDARY_STRIDE * (index - 1) + 1
    return range(first, first + SECONDARIES)


def fabric_network(max_nodes: int, base: ipaddress.IPv4Address = ipaddress.IPv4Address('198.19.0.0')
                   ) -> ipaddress.IPv4Network:
    """The fabric for nodes 1..max_nodes: the smallest network at ``base``, /24 at most, that holds them."""
    highest = _secondary_offsets(max_nodes)[-1]
    for prefixlen in range(24, 0, -1):
        network = ipaddress.IPv4Network((base, prefixlen))
        if network.num_addresses - 1 > highest:  # never the broadcast address
            return network
    raise PlanError(f'no fabric holds {max_nodes} nodes')  # pragma: no cover


def _interface(network: ipaddress.IPv4Network, offset: int) -> ipaddress.IPv4Interface:
    return ipaddress.IPv4Interface((network[offset], network.prefixlen))


def make_node(index: int, management: Management, fabric: Fabric, pod_network: ipaddress.IPv4Network) -> Node:
    name = node_name(index)
    return Node(
        name=name,
        index=index,
        netns=f'{PREFIX}-{name}',
        host_veth=f'{PREFIX}-n{index}-e0',
        fabric_veth=f'{PREFIX}-n{index}-e1',
        mgmt=_interface(management.network, _HOST_OFFSET + index),
        fabric=_interface(fabric.network, _HOST_OFFSET + index),
        secondaries=tuple(_interface(fabric.network, offset) for offset in _secondary_offsets(index)),
        pod_cidr=next(itertools.islice(pod_network.subnets(new_prefix=24), index, None)),
        secondaries6=tuple(ipaddress.IPv6Interface((FABRIC6[offset], FABRIC6.prefixlen)) for offset in _secondary_offsets(index)),
    )


def build(max_nodes: int = DEFAULT_MAX_NODES, cache: Path | None = None) -> Plan:
    """The plan of a lab with nodes 1..max_nodes."""
    if not 1 <= max_nodes <= MAX_NODES:
        raise PlanError(f'a plan holds 1 to {MAX_NODES} nodes, not {max_nodes}')
    management = Management(bridge=f'{PREFIX}-mgmt', network=ipaddress.IPv4Network('198.18.0.0/24'))
    fabric = Fabric(netns=f'{PREFIX}-fabric', bridge='br1', network=fabric_network(max_nodes))
    pod_network = ipaddress.IPv4Network('198.18.128.0/17')
    cluster = Cluster(
        name=f'{PREFIX}-lab',
        address=ipaddress.IPv4Address('127.0.0.1'),
        # 16 followed by the usual port of each component.
        apiserver_port=16443,
        etcd_port=16379,
        etcd_peer_port=16380,
        kcm_port=16257,
        scheduler_port=16259,
        service_network=ipaddress.IPv4Network('198.18.96.0/24'),
        advertise_address=management.gateway,
    )
    return Plan(
        max_nodes=max_nodes,
        cache=cache if cache is not None else Path(CACHE_DEFAULT).expanduser(),
        management=management,
        fabric=fabric,
        pod_network=pod_network,
        cluster=cluster,
        nodes=tuple(make_node(i, management, fabric, pod_network) for i in range(1, max_nodes + 1)),
    )


def from_env(environ: Mapping[str, str] | None = None) -> Plan:
    """The plan as the lab's tools see it: size from MHM_LAB_MAX_NODES, cache from MULTIHOME_CACHE."""
    environ = os.environ if environ is None else environ
    size = environ.get('MHM_LAB_MAX_NODES') or str(DEFAULT_MAX_NODES)
    if not size.isdecimal():
        raise PlanError(f'MHM_LAB_MAX_NODES={size!r} is not a number')
    # Like bash's ${MULTIHOME_CACHE:-$HOME/...}: empty means unset.
    cache = environ.get('MULTIHOME_CACHE') or os.path.join(environ.get('HOME') or str(Path.home()), CACHE_DEFAULT[2:])
    return build(int(size), Path(cache))
