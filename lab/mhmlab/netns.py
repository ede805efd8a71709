# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab's networks: the management bridge on the host, the fabric namespace, each node's eth0 and eth1."""

from __future__ import annotations

from collections.abc import Callable

from mhmlab.plan import Node, Plan
from mhmlab.runner import Runner


class NetworkError(RuntimeError):
    """The host's network is not as the lab needs it."""


def names(runner: Runner) -> list[str]:
    """Network namespaces (``ip netns list``, first word of each line)."""
    out = runner.ip('netns', 'list', check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def exists(runner: Runner, name: str) -> bool:
    return name in names(runner)


def lab_names(runner: Runner, plan: Plan) -> list[str]:
    return [n for n in names(runner) if n.startswith(f'{plan.prefix}-')]


def link_exists(runner: Runner, dev: str, netns: str | None = None) -> bool:
    return runner.ip('link', 'show', 'dev', dev, netns=netns, check=False).returncode == 0


def host_links(runner: Runner, plan: Plan) -> list[str]:
    """The host's links named with the lab's prefix (``mhm-n1-e0@if2`` -> ``mhm-n1-e0``)."""
    out = runner.ip('-o', 'link', 'show', check=False).stdout
    found = []
    for line in out.splitlines():
        parts = line.split(': ', 2)
        if len(parts) >= 2 and parts[1].startswith(plan.prefix):
            found.append(parts[1].split('@', 1)[0])
    return found


def pids(runner: Runner, netns: str) -> list[int]:
    out = runner.ip('netns', 'pids', netns, check=False).stdout
    return [int(word) for word in out.split() if word.isdigit()]


def _ipv6_off(runner: Runner, *keys: str, netns: str | None = None) -> None:
    argv = ['sysctl', '-q', '-w', *(f'net.ipv6.conf.{key}.disable_ipv6=1' for key in keys)]
    if netns:
        runner.netns_exec(netns, argv, check=False)
    else:
        runner.run(argv, timeout=30, check=False)


def ensure_mgmt_bridge(runner: Runner, plan: Plan, say: Callable[[str], None]) -> None:
    mgmt = plan.management
    if not link_exists(runner, mgmt.bridge):
        out = runner.ip('-4', '-o', 'addr', 'show', 'to', str(mgmt.network), check=False).stdout
        other = sorted({line.split()[1] for line in out.splitlines() if len(line.split()) > 1})
        if other:
            raise NetworkError(f'{mgmt.network} is already on interface(s) {" ".join(other)}; remove that first')
        runner.ip('link', 'add', mgmt.bridge, 'type', 'bridge')
        _ipv6_off(runner, mgmt.bridge)
        runner.ip('addr', 'add', f'{mgmt.gateway}/{mgmt.network.prefixlen}', 'dev', mgmt.bridge)
        say(f'created bridge {mgmt.bridge} {mgmt.gateway}/{mgmt.network.prefixlen}')
    runner.ip('link', 'set', mgmt.bridge, 'up')


def ensure_fabric(runner: Runner, plan: Plan, say: Callable[[str], None]) -> None:
    fabric = plan.fabric
    if not exists(runner, fabric.netns):
        runner.ip('netns', 'add', fabric.netns)
        _ipv6_off(runner, 'all', 'default', netns=fabric.netns)
        say(f'created namespace {fabric.netns}')
    runner.ip('link', 'set', 'lo', 'up', netns=fabric.netns)
    if not link_exists(runner, fabric.bridge, fabric.netns):
        runner.ip('link', 'add', fabric.bridge, 'type', 'bridge', netns=fabric.netns)
        say(f'created bridge {fabric.bridge} in {fabric.netns}')
    runner.ip('link', 'set', fabric.bridge, 'up', netns=fabric.netns)


def add_node(runner: Runner, plan: Plan, node: Node) -> None:
    """The node's namespace with eth0 (veth to the management bridge) and eth1 (veth to the fabric)."""
    ns, fabric = node.netns, plan.fabric
    runner.ip('netns', 'add', ns)
    _ipv6_off(runner, 'all', 'default', netns=ns)
    runner.ip('link', 'set', 'lo', 'up', netns=ns)
    runner.ip('link', 'add', node.host_veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
    _ipv6_off(runner, node.host_veth)
    runner.ip('link', 'set', node.host_veth, 'master', plan.management.bridge)
    runner.ip('link', 'set', node.host_veth, 'up')
    runner.ip('addr', 'add', str(node.mgmt), 'broadcast', '+', 'dev', 'eth0', netns=ns)
    runner.ip('link', 'set', 'eth0', 'up', netns=ns)
    runner.ip('link', 'add', node.fabric_veth, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', ns, netns=fabric.netns)
    runner.ip('link', 'set', node.fabric_veth, 'master', fabric.bridge, netns=fabric.netns)
    runner.ip('link', 'set', node.fabric_veth, 'up', netns=fabric.netns)
    # The secondaries share the primary's prefix: the kernel flags them "secondary",
    # so Ansible facts list them under ipv4_secondaries.
    for address in (node.fabric, *node.secondaries):
        runner.ip('addr', 'add', str(address), 'broadcast', '+', 'dev', 'eth1', netns=ns)
    # The node's own stack holds the pod addresses too (as the NIC's secondaries):
    # keep it from answering ARP on eth1 so pod traffic reaches the pods.
    runner.netns_exec(ns, ['sysctl', '-q', '-w', 'net.ipv4.conf.eth1.arp_ignore=8'])
    runner.ip('link', 'set', 'eth1', 'up', netns=ns)


def remove_node_links(runner: Runner, plan: Plan, node: Node) -> None:
    runner.ip('link', 'del', node.host_veth, check=False)
    runner.ip('link', 'del', node.fabric_veth, netns=plan.fabric.netns, check=False)
