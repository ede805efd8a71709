# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Pods through the real Multus, after site.yml (its verification pods are kept in the lab).

Multus' own binaries (built from its Go modules) run as the DaemonSet's
containers on each namespace node's kubelet and containerd, which run the
node's first CNI configuration for each pod. Expected values come from the lab
(labctl's addresses, the Service CIDR, the binaries built by
hack/build-cluster-binaries.sh), never from the roles under test.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json

import pytest
from clustertools import CACHE, api, lab_node_env, network_status, pod_exec, status_writers
from kubernetes import client

testinfra_hosts = ["ansible://multus_workers"]

MULTUS_BUILT = CACHE / "cluster-bin" / "multus-v4.3.0" / "multus"
PODS = {"multus-verify-1": "node1", "multus-verify-2": "node2"}


@pytest.fixture(scope="module", name="k8s")
def fixture_k8s():
    with api() as api_client:
        yield api_client


def net1_address(pod: client.V1Pod) -> str:
    entries = [e for e in network_status(pod) if e.get("interface") == "net1"]
    assert len(entries) == 1, f"{pod.metadata.name}: network-status {network_status(pod)}"
    assert entries[0]["name"] == "default/macvlan-net1"
    return entries[0]["ips"][0]


def test_multus_daemonset_wrote_the_node_config(host):
    """Multus' thin entrypoint, run as the DaemonSet's container, wrote 00-multus.conf and its kubeconfig."""
    conf = json.loads(host.file("/etc/cni/net.d/00-multus.conf").content_string)
    assert conf["type"] == "multus"
    assert [d["name"] for d in conf["delegates"]] == ["cilium"]
    kubeconfig = host.file(conf["kubeconfig"]).content_string
    assert "server: https://198.18.96.1:443" in kubeconfig
    assert host.file("/opt/cni/bin/multus").sha256sum == hashlib.sha256(MULTUS_BUILT.read_bytes()).hexdigest()


def test_pods_attached_by_multus(k8s):
    """Each kept pod has net1 from its own node's secondaries; only Multus wrote the network status."""
    core = client.CoreV1Api(k8s)
    for name, node in PODS.items():
        pod = core.read_namespaced_pod(name, "default")
        assert pod.spec.node_name == node
        assert status_writers(pod) == ["multus"]
        env = lab_node_env(node)
        first, last = (ipaddress.ip_address(a) for a in env["MHM_SECONDARIES"].split("-"))
        assert first <= ipaddress.ip_address(net1_address(pod)) <= last
        eth0 = [e for e in network_status(pod) if e.get("interface") == "eth0"]
        pod_cidr = ipaddress.ip_network(f"198.18.{128 + int(env['MHM_NODE_INDEX'])}.0/24")
        assert ipaddress.ip_address(eth0[0]["ips"][0]) in pod_cidr


def test_pods_ping_each_other_over_net1(k8s):
    """kubectl exec runs in the pod's network namespace: net1 holds the address, ping crosses the nodes."""
    core = client.CoreV1Api(k8s)
    addresses = {name: net1_address(core.read_namespaced_pod(name, "default")) for name in PODS}
    for name, peer in zip(PODS, reversed(list(PODS))):
        assert f"inet {addresses[name]}/" in pod_exec(k8s, "default", name, ["ip", "-o", "addr", "show", "dev", "net1"])
        out = pod_exec(k8s, "default", name, ["ping", "-I", "net1", "-c", "2", "-W", "2", addresses[peer]])
        assert " 0% packet loss" in out, out


def test_pods_run_in_containers_on_real_kubelets(k8s):
    """The pods are containers of containerd on each node's own kubelet; eth0 is the address the CNI gave."""
    core = client.CoreV1Api(k8s)
    for name, node in PODS.items():
        info = core.read_node(node).status.node_info
        assert info.kubelet_version == "v1.36.3"
        assert info.container_runtime_version.startswith("containerd://")
        pod = core.read_namespaced_pod(name, "default")
        (status,) = pod.status.container_statuses
        assert status.container_id.startswith("containerd://") and status.state.running
        eth0 = [e["ips"][0] for e in network_status(pod) if e.get("interface") == "eth0"]
        assert pod.status.pod_ip == eth0[0]
        # exec runs inside the container: its own UTS namespace (hostname = pod name).
        assert pod_exec(k8s, "default", name, ["hostname"]).strip() == name
