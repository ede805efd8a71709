# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The seed's NAD through the real Multus on the VM workers.

The kubelet stand-in (vmtools) runs the collection's Multus DaemonSet pod in
each VM (the thin entrypoint installs the real ``multus`` and writes
``00-multus.conf``); Multus reads the config-less NAD and the node's file, and
writes network-status. Expected addresses come from the lab plan (what the VPC
assigned).
"""

from __future__ import annotations

import json

import pytest
from vmtools import VM1, VM2, declared, in_vm, netns, run_daemonset, wait_for_files

ATTACHMENT = "ipvlan-conf-1"


@pytest.fixture(scope="module", name="multus_running")
def fixture_multus_running():
    """The kubelet stand-in runs the collection's Multus DaemonSet pod in both VMs."""
    run_daemonset("kube-system", "kube-multus-ds")
    for vm in (VM1, VM2):
        # The thin entrypoint writes it once it has made the kubeconfig.
        wait_for_files(vm, "/etc/cni/net.d/00-multus.conf")
    return True


def test_multus_config_written_by_the_entrypoint(multus_running):
    """00-multus.conf comes from the real thin entrypoint: Cilium's conflist is its delegate."""
    assert multus_running
    for vm in (VM1, VM2):
        conf = json.loads(in_vm(vm, "cat /etc/cni/net.d/00-multus.conf").stdout)
        assert (conf["type"], conf["delegates"][0]["name"]) == ("multus", "cilium")
        assert conf["kubeconfig"] == "/etc/cni/net.d/multus.d/multus.kubeconfig"
        assert in_vm(vm, "test -x /opt/cni/bin/multus", check=False).returncode == 0


def test_pods_attached_through_multus_ping_across_nodes(multus_running, sandboxes):
    """net1 from the node's own declared range, reported by Multus, and pods on two VMs ping over it."""
    assert multus_running
    addresses = {}
    for vm in (VM1, VM2):
        name = f"mhm-{vm.name}-a"
        reported = sandboxes.attach(name, vm)
        assert reported in declared(vm), f"{name} got {reported}, {vm.name} was assigned {declared(vm)}"
        addresses[vm.name] = (name, reported)
        # The node still holds only its primary on eth1: the pod address is the pod's alone.
        links = json.loads(in_vm(vm, "ip -j addr show dev eth1").stdout)
        assert [a["local"] for link in links for a in link["addr_info"]] == [str(vm.eth1.ip)]
    for src, dst in ((VM1, VM2), (VM2, VM1)):
        name, target = addresses[src.name][0], addresses[dst.name][1]
        ping = in_vm(src, f"ip netns exec {netns(name)} ping -c 2 -W 2 {target}", check=False)
        assert ping.returncode == 0, f"{name} on {src.name} -> {target} on {dst.name}: {ping.stdout}{ping.stderr}"


def test_pod_beyond_declared_addresses_gets_none(multus_running, sandboxes):
    """vm1 was assigned five addresses: five pods get them, the sixth gets none and the error says why."""
    assert multus_running
    held = []
    for number in range(len(declared(VM1))):
        held.append(sandboxes.attach(f"mhm-{VM1.name}-{number}", VM1))
    assert sorted(held) == declared(VM1)
    beyond = sandboxes.add(f"mhm-{VM1.name}-beyond", VM1)
    assert beyond.returncode != 0
    assert "no IP addresses available" in beyond.stdout + beyond.stderr, beyond.stdout + beyond.stderr
    # A pod that goes gives its address back: the next pod gets exactly that one.
    sandboxes.delete(VM1, f"mhm-{VM1.name}-0")
    sandboxes.delete(VM1, f"mhm-{VM1.name}-beyond")
    assert sandboxes.attach(f"mhm-{VM1.name}-again", VM1) == held[0]
