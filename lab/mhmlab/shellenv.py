# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The plan for bash: ``plan env NODE`` (KEY=value) and ``plan shell`` (readonly lines).

``plan env NODE`` prints the keys of ``labctl env NODE`` that are pure plan
(no pid, no path of a running lab), same names, same values. ``plan shell``
prints ``readonly PLAN_*`` lines for hack/build-cluster-binaries.sh, the one
bash tool left, which ``eval``s them instead of repeating the versions
(labctl, clusterctl and kubeletctl are ``python -m mhmlab nodes|cluster|kubelets``,
which read the plan itself). The ``PLAN_`` prefix keeps them apart from the
``*_VERSION`` overrides the script keeps reading from the environment.
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
    """(name, value) of every constant hack/build-cluster-binaries.sh reads: the versions it builds."""
    versions = plan.versions
    return [
        ('PLAN_KUBE_VERSION', versions.kube),
        ('PLAN_MULTUS_VERSION', versions.multus),
        ('PLAN_KWOK_VERSION', versions.kwok),
        ('PLAN_ETCD_VERSION', versions.etcd),
        ('PLAN_CILIUM_VERSION', versions.cilium),
        ('PLAN_CILIUM_LEGACY_VERSION', versions.cilium_legacy),
        ('PLAN_WHEREABOUTS_VERSION', versions.whereabouts),
    ]


def shell_line(name: str, value: object) -> str:
    if isinstance(value, tuple):
        return f"readonly -a {name}=({' '.join(shlex.quote(str(item)) for item in value)})"
    return f'readonly {name}={shlex.quote(str(value))}'


def shell_lines(plan: Plan) -> Iterator[str]:
    for name, value in shell_items(plan):
        yield shell_line(name, value)
