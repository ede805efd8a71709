# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The seed's NAD through the real Multus on the VM workers.

The VMs run no kubelet: the lab's stand-in (``python -m mhmlab vms daemonset|pod``)
runs the collection's Multus DaemonSet pod in each VM from its own spec (the
thin entrypoint installs the real ``multus`` and writes ``00-multus.conf``), and
sets up pod sandboxes as a container runtime does (a network namespace, CNI ADD
of the VM's first config with the pod's K8S_POD_* arguments). Multus reads the
config-less NAD and the node's file, and writes network-status; nothing here
writes it. Expected addresses come from the lab plan (what the VPC assigned).
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "lab"))
from mhmlab import plan as lab_plan  # noqa: E402  pylint: disable=wrong-import-position
from mhmlab import vms  # noqa: E402  pylint: disable=wrong-import-position
from mhmlab.controlplane import ControlPlane  # noqa: E402  pylint: disable=wrong-import-position

PLAN = lab_plan.from_env()
CP = ControlPlane.from_plan(PLAN)
ATTACHMENT = "ipvlan-conf-1"
NAMESPACE = "default"
STATUS = "k8s.v1.cni.cncf.io/network-status"
LAB_ENV = {**os.environ, "PYTHONPATH": str(REPO / "lab")}
VM1, VM2 = PLAN.vm.vms[0], PLAN.vm.vms[1]
# What a kubelet does once the sandbox is gone: the final delete (no kubelet would ever confirm a graceful one).
FORGET = ("delete", "pod", "-n", NAMESPACE, "--grace-period=0", "--force")


def mhmlab(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "mhmlab", *args], capture_output=True, text=True, env=LAB_ENV,
                          timeout=300, check=False)
    assert not check or proc.returncode == 0, f"mhmlab {' '.join(args)}: {proc.stdout}{proc.stderr}"
    return proc


def kubectl(*args: str, stdin: str | None = None) -> str:
    proc = subprocess.run(CP.kubectl_argv(*args), input=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def in_vm(vm: lab_plan.Vm, command: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(vms.ssh_argv(PLAN, vm, [command]), capture_output=True, text=True, timeout=120, check=False)
    assert not check or proc.returncode == 0, f"{vm.name}: {command}: {proc.stdout}{proc.stderr}"
    return proc


def netns(name: str) -> str:
    return f"mhm-pod-{NAMESPACE}-{name}"


def pod_manifest(name: str, vm: lab_plan.Vm) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": NAMESPACE,
                         "annotations": {"k8s.v1.cni.cncf.io/networks": ATTACHMENT}},
            # The node never reports Ready (no kubelet): tolerate that, or the pod would be evicted.
            "spec": {"nodeName": vm.name, "tolerations": [{"operator": "Exists"}],
                     "containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10"}]}}


def declared(vm: lab_plan.Vm) -> list[ipaddress.IPv4Address]:
    return [s.ip for s in vm.secondaries]


class Sandboxes:
    """Pods created in the API server and attached in a VM; all of them go at the end, also on failure."""

    def __init__(self) -> None:
        self.pods: list[tuple[lab_plan.Vm, str]] = []

    def add(self, name: str, vm: lab_plan.Vm) -> subprocess.CompletedProcess:
        kubectl("apply", "-f", "-", stdin=json.dumps(pod_manifest(name, vm)))
        self.pods.append((vm, name))
        return mhmlab("vms", "pod", "add", vm.name, NAMESPACE, name, check=False)

    def delete(self, vm: lab_plan.Vm, name: str) -> None:
        mhmlab("vms", "pod", "del", vm.name, NAMESPACE, name)
        kubectl(*FORGET, name)
        self.pods.remove((vm, name))

    def remove_all(self) -> None:
        for vm, name in list(self.pods):
            mhmlab("vms", "pod", "del", vm.name, NAMESPACE, name, check=False)
            subprocess.run(CP.kubectl_argv(*FORGET, name, "--ignore-not-found"), capture_output=True, timeout=60,
                           check=False)
        self.pods.clear()


def network_status(name: str) -> list[dict]:
    annotations = json.loads(kubectl("get", "pod", name, "-n", NAMESPACE, "-o", "json"))["metadata"]["annotations"]
    assert STATUS in annotations, f"pod {name}: no {STATUS} annotation: {annotations}"
    return json.loads(annotations[STATUS])


def net1_address(name: str) -> ipaddress.IPv4Address:
    """net1's address as Multus reported it, checked against the address in the pod's namespace."""
    entries = [e for e in network_status(name) if e.get("interface") == "net1"]
    assert len(entries) == 1 and entries[0]["name"] == f"{NAMESPACE}/{ATTACHMENT}", entries
    reported = ipaddress.ip_address(entries[0]["ips"][0])
    return reported


def pod_holds(vm: lab_plan.Vm, name: str) -> list[ipaddress.IPv4Address]:
    links = json.loads(in_vm(vm, f"ip -n {netns(name)} -j addr show dev net1").stdout)
    return [ipaddress.ip_address(a["local"]) for link in links for a in link["addr_info"] if a["family"] == "inet"]


@pytest.fixture(scope="module", name="multus_running")
def fixture_multus_running():
    """The kubelet stand-in runs the collection's Multus DaemonSet pod in both VMs."""
    started = mhmlab("vms", "daemonset", "kube-system", "kube-multus-ds")
    for vm in (VM1, VM2):
        assert f"{vm.name}: daemonset kube-system/kube-multus-ds: started container kube-multus" in started.stdout
        # The thin entrypoint writes it once it has made the kubeconfig; bounded wait.
        in_vm(vm, "for i in $(seq 60); do test -f /etc/cni/net.d/00-multus.conf && exit 0; sleep 1; done; exit 1")
    return True


@pytest.fixture(name="sandboxes")
def fixture_sandboxes():
    made = Sandboxes()
    try:
        yield made
    finally:
        made.remove_all()


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
        added = sandboxes.add(name, vm)
        assert added.returncode == 0, added.stdout + added.stderr
        reported = net1_address(name)
        assert reported in declared(vm), f"{name} got {reported}, {vm.name} was assigned {declared(vm)}"
        assert pod_holds(vm, name) == [reported]
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
        name = f"mhm-{VM1.name}-{number}"
        added = sandboxes.add(name, VM1)
        assert added.returncode == 0, added.stdout + added.stderr
        held.append(net1_address(name))
    assert sorted(held) == declared(VM1)
    beyond = sandboxes.add(f"mhm-{VM1.name}-beyond", VM1)
    assert beyond.returncode != 0
    assert "no IP addresses available" in beyond.stdout + beyond.stderr, beyond.stdout + beyond.stderr
    # A pod that goes gives its address back: the next pod gets exactly that one.
    sandboxes.delete(VM1, f"mhm-{VM1.name}-0")
    sandboxes.delete(VM1, f"mhm-{VM1.name}-beyond")
    again = sandboxes.add(f"mhm-{VM1.name}-again", VM1)
    assert again.returncode == 0, again.stdout + again.stderr
    assert net1_address(f"mhm-{VM1.name}-again") == held[0]
