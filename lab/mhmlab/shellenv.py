# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The plan for bash: ``plan env NODE`` (KEY=value) and ``plan shell`` (readonly lines).

``plan env NODE`` prints the keys of ``labctl env NODE`` that are pure plan
(no pid, no path of a running lab), same names, same values. ``plan shell``
prints ``readonly PLAN_*`` lines for clusterctl, kubeletctl and
hack/build-cluster-binaries.sh, which ``eval`` them instead of repeating the
constants (labctl is ``python -m mhmlab nodes``, which reads the plan itself).
The ``PLAN_`` prefix keeps them apart from the ``MHM_*`` keys of ``labctl env``/``clusterctl env`` and from the ``MHM_CLUSTER_*``
overrides, which the scripts keep reading from the environment.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from mhmlab.plan import Node, Plan


def env_items(plan: Plan, node: Node) -> list[tuple[str, str]]:
    """The pure-plan keys of ``labctl env NODE``, in its order, then a few more."""
    return [
        ('MHM_NODE', node.name),
        ('MHM_NODE_INDEX', str(node.index)),
        ('MHM_NETNS', node.netns),
        ('MHM_MGMT_IP', str(node.mgmt.ip)),
        ('MHM_MGMT_BRIDGE', plan.management.bridge),
        ('MHM_MGMT_GATEWAY', str(plan.management.gateway)),
        ('MHM_FABRIC_IP', str(node.fabric.ip)),
        ('MHM_SECONDARIES', node.secondary_range),
        ('MHM_FABRIC_PREFIXLEN', str(node.fabric.network.prefixlen)),
        ('MHM_SECONDARY_IPS', ' '.join(str(s.ip) for s in node.secondaries)),
        ('MHM_POD_CIDR', str(node.pod_cidr)),
    ]


def env_lines(plan: Plan, node: Node) -> Iterator[str]:
    for key, value in env_items(plan, node):
        yield f'{key}={shlex.quote(value)}'


def shell_items(plan: Plan) -> list[tuple[str, object]]:
    """(name, value) of every constant the bash tools (clusterctl, kubeletctl, the binaries' build) read."""
    cluster, versions = plan.cluster, plan.versions
    return [
        ('PLAN_DEFAULT_NODES', plan.default_nodes),
        ('PLAN_KUBE_VERSION', versions.kube),
        ('PLAN_MULTUS_VERSION', versions.multus),
        ('PLAN_KWOK_VERSION', versions.kwok),
        ('PLAN_ETCD_VERSION', versions.etcd),
        ('PLAN_CILIUM_VERSION', versions.cilium),
        ('PLAN_CILIUM_LEGACY_VERSION', versions.cilium_legacy),
        ('PLAN_CLUSTER_NAME', cluster.name),
        ('PLAN_CLUSTER_ADDR', str(cluster.address)),
        ('PLAN_CLUSTER_APISERVER_PORT', cluster.apiserver_port),
        ('PLAN_CLUSTER_ETCD_PORT', cluster.etcd_port),
        ('PLAN_CLUSTER_ETCD_PEER_PORT', cluster.etcd_peer_port),
        ('PLAN_CLUSTER_KCM_PORT', cluster.kcm_port),
        ('PLAN_CLUSTER_SCHEDULER_PORT', cluster.scheduler_port),
        ('PLAN_CLUSTER_ADMIN_USER', cluster.admin_user),
        ('PLAN_SERVICE_CIDR', str(cluster.service_network)),
        ('PLAN_SERVICE_IP', str(cluster.service_ip)),
        ('PLAN_SERVICE_PORT', cluster.service_port),
        ('PLAN_ADVERTISE_ADDRESS', str(cluster.advertise_address)),
        ('PLAN_KUBELET_PORT', cluster.kubelet_port),
        ('PLAN_MULTUS_REGISTRY', cluster.multus_registry),
    ]


def shell_line(name: str, value: object) -> str:
    if isinstance(value, tuple):
        return f"readonly -a {name}=({' '.join(shlex.quote(str(item)) for item in value)})"
    return f'readonly {name}={shlex.quote(str(value))}'


def shell_lines(plan: Plan) -> Iterator[str]:
    for name, value in shell_items(plan):
        yield shell_line(name, value)
