# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""What the VM scenario's tests share: the lab plan, kubectl, commands in a VM, pods through the kubelet stand-in.

The VMs run no kubelet: the lab's stand-in (``python -m mhmlab vms daemonset|pod``)
runs a DaemonSet's pod in each VM from its own spec and sets up pod sandboxes as
a container runtime does (a network namespace, CNI ADD of the VM's first config
with the pod's K8S_POD_* arguments). Nothing here writes network-status.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "lab"))
from mhmlab import plan as lab_plan  # noqa: E402  pylint: disable=wrong-import-position
from mhmlab import vms  # noqa: E402  pylint: disable=wrong-import-position
from mhmlab.controlplane import ControlPlane  # noqa: E402  pylint: disable=wrong-import-position

PLAN = lab_plan.from_env()
CP = ControlPlane.from_plan(PLAN)
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


def pod_manifest(name: str, vm: lab_plan.Vm, attachment: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": NAMESPACE,
                         "annotations": {"k8s.v1.cni.cncf.io/networks": attachment}},
            # The node never reports Ready (no kubelet): tolerate that, or the pod would be evicted.
            "spec": {"nodeName": vm.name, "tolerations": [{"operator": "Exists"}],
                     "containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10"}]}}


def declared(vm: lab_plan.Vm) -> list[ipaddress.IPv4Address]:
    return [s.ip for s in vm.secondaries]


class Sandboxes:
    """Pods created in the API server and attached in a VM; all of them go at the end, also on failure."""

    def __init__(self, attachment: str) -> None:
        self.attachment = attachment
        self.pods: list[tuple[lab_plan.Vm, str]] = []

    def add(self, name: str, vm: lab_plan.Vm) -> subprocess.CompletedProcess:
        kubectl("apply", "-f", "-", stdin=json.dumps(pod_manifest(name, vm, self.attachment)))
        self.pods.append((vm, name))
        return mhmlab("vms", "pod", "add", vm.name, NAMESPACE, name, check=False)

    def attach(self, name: str, vm: lab_plan.Vm) -> ipaddress.IPv4Address:
        """A pod that must get net1: its address as Multus reported it, which the pod's namespace holds."""
        added = self.add(name, vm)
        assert added.returncode == 0, added.stdout + added.stderr
        address = net1_address(name, self.attachment)
        assert pod_holds(vm, name) == [address]
        return address

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


def net1_address(name: str, attachment: str) -> ipaddress.IPv4Address:
    """net1's address as Multus reported it in network-status."""
    entries = [e for e in network_status(name) if e.get("interface") == "net1"]
    assert len(entries) == 1 and entries[0]["name"] == f"{NAMESPACE}/{attachment}", entries
    return ipaddress.ip_address(entries[0]["ips"][0])


def pod_holds(vm: lab_plan.Vm, name: str) -> list[ipaddress.IPv4Address]:
    links = json.loads(in_vm(vm, f"ip -n {netns(name)} -j addr show dev net1").stdout)
    return [ipaddress.ip_address(a["local"]) for link in links for a in link["addr_info"] if a["family"] == "inet"]


def run_daemonset(namespace: str, name: str) -> None:
    """The kubelet stand-in runs the DaemonSet's pod in both VMs."""
    started = mhmlab("vms", "daemonset", namespace, name)
    for vm in (VM1, VM2):
        assert f"{vm.name}: daemonset {namespace}/{name}: started container" in started.stdout, started.stdout


def wait_for_files(vm: lab_plan.Vm, *paths: str) -> None:
    """Until every path exists in the VM (what a DaemonSet pod writes once it runs); bounded."""
    tests = " && ".join(f"test -f {path}" for path in paths)
    in_vm(vm, f"for i in $(seq 60); do {tests} && exit 0; sleep 1; done; exit 1")


def site(*args: str) -> subprocess.CompletedProcess:
    """The collection's site.yml on the VM world (its step `cilium` is the cluster scenario's), without colours."""
    playbook = Path(sys.executable).with_name("ansible-playbook")
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    proc = subprocess.run([str(playbook), "-i", str(REPO / "inventories" / "lab-vm"), str(REPO / "playbooks" / "site.yml"),
                           "--skip-tags", "cilium", *args], capture_output=True, text=True, timeout=1200, check=False,
                          env=env, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc
