# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""A cluster-wide whereabouts pool through the real Multus and the real whereabouts on the VM workers.

The collection deployed whereabouts (CRDs, RBAC, DaemonSet) and the NAD
``whereabouts-conf-1``; the kubelet stand-in (vmtools) runs the whereabouts
DaemonSet pod in each VM (its release script installs the plugin and its
kubeconfig, then the reconciler ``ip-control-loop`` runs) and the Multus one.
The pool is the lab plan's; the allocations are read from the IPPool in the API
server.
"""

from __future__ import annotations

import ipaddress
import json
import time

import pytest
from vmtools import PLAN, VM1, VM2, in_vm, kubectl, run_daemonset, wait_for_files

ATTACHMENT = "whereabouts-conf-1"
POOL_FIRST, POOL_LAST = PLAN.vm.pool
RECONCILE_WAIT = 60


def allocations() -> dict[ipaddress.IPv4Address, str]:
    """Pool address -> pod (namespace/name), from every IPPool of the pool's subnet."""
    found = {}
    pools = json.loads(kubectl("get", "ippools.whereabouts.cni.cncf.io", "-A", "-o", "json"))["items"]
    for pool in pools:
        network = ipaddress.ip_network(pool["spec"]["range"])
        if network != PLAN.vm.network:
            continue
        for offset, allocation in (pool["spec"].get("allocations") or {}).items():
            found[network.network_address + int(offset)] = allocation["podref"]
    return found


def in_pool(address: ipaddress.IPv4Address) -> bool:
    return POOL_FIRST <= address <= POOL_LAST


@pytest.fixture(scope="module", name="whereabouts_running")
def fixture_whereabouts_running():
    """whereabouts and Multus run in both VMs (the kubelet stand-in)."""
    run_daemonset("kube-system", "whereabouts")
    run_daemonset("kube-system", "kube-multus-ds")
    for vm in (VM1, VM2):
        wait_for_files(vm, "/etc/cni/net.d/00-multus.conf", "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig")
    return True


def test_installed_by_the_release_script(whereabouts_running):
    """The plugin and its kubeconfig on each node, and the reconciler running."""
    assert whereabouts_running
    for vm in (VM1, VM2):
        assert in_vm(vm, "test -x /opt/cni/bin/whereabouts", check=False).returncode == 0
        assert in_vm(vm, "pgrep -f '^/ip-control-loop'", check=False).returncode == 0, f"no reconciler on {vm.name}"


def test_pods_on_both_nodes_get_distinct_addresses_from_one_pool(whereabouts_running, sandboxes):
    assert whereabouts_running
    got = {}
    for vm in (VM1, VM2, VM1):
        name = f"mhm-wb-{vm.name}-{len(got)}"
        address = sandboxes.attach(name, vm)
        assert in_pool(address), f"{name} got {address}, the pool is {POOL_FIRST}-{POOL_LAST}"
        got[name] = address
    assert len(set(got.values())) == len(got), got
    held = allocations()
    assert {address: f"default/{name}" for name, address in got.items()}.items() <= held.items(), held


def test_addresses_return_to_the_pool_when_pods_go(whereabouts_running, sandboxes):
    assert whereabouts_running
    name = f"mhm-wb-{VM2.name}-gone"
    address = sandboxes.attach(name, VM2)
    assert allocations().get(address) == f"default/{name}"
    sandboxes.delete(VM2, name)
    assert address not in allocations()


def test_reconciler_frees_the_address_of_a_pod_deleted_without_cni_del(whereabouts_running, sandboxes):
    """The pod object goes but its sandbox was never torn down: ip-control-loop gives the address back."""
    assert whereabouts_running
    name = f"mhm-wb-{VM1.name}-orphan"
    address = sandboxes.attach(name, VM1)
    kubectl("delete", "pod", name, "-n", "default", "--grace-period=0", "--force")
    deadline = time.monotonic() + RECONCILE_WAIT
    while time.monotonic() < deadline and allocations().get(address) == f"default/{name}":
        time.sleep(2)
    assert allocations().get(address) != f"default/{name}", \
        f"{address} still held by the deleted pod {name} after {RECONCILE_WAIT} s"
