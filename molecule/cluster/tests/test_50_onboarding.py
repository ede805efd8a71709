# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Onboarding a worker added after the converge, with --limit, on the lab cluster.

new-worker joins the lab (namespace node) and the cluster (its own kubelet): the
Multus and Cilium DaemonSets roll onto it by themselves. `site.yml --limit
new-worker` gives it the CNI plugins and its per-node file and nothing else:
no write request to the API server, no play on the other workers. A pod on it
then gets net1 from its own range and reaches a pod on node1.
"""

from __future__ import annotations

import ipaddress
import re

import pytest
from clustertools import (INVENTORY, api, audit_counts, kubelets, lab_secondaries, mark, network_status, pod_exec,
                          status_writers, wait_for, writes_by_verb)
from kubernetes import client
from labtools import LABCTL, REPO, SITE, recap, run

NEW = "new-worker"
POD = "onboarding-check"


@pytest.fixture(scope="module", name="new_worker")
def fixture_new_worker():
    proc = run([str(LABCTL), "add", NEW], timeout=300)
    assert proc.returncode == 0, proc.stderr
    try:
        kubelets("up", NEW)
        yield NEW
    finally:
        with api() as k8s:
            core = client.CoreV1Api(k8s)
            if core.list_namespaced_pod("default", field_selector=f"metadata.name={POD}").items:
                core.delete_namespaced_pod(POD, "default")
                wait_for(f"pod {POD} to go",
                         lambda: not core.list_namespaced_pod("default", field_selector=f"metadata.name={POD}").items)
        kubelets("down", NEW)
        # The DaemonSet pods bound to the removed Node go only when the pod
        # garbage collector deletes orphans (about a minute); later tests count pods.
        with api() as k8s:
            core = client.CoreV1Api(k8s)
            if core.list_node(field_selector=f"metadata.name={NEW}").items:
                core.delete_node(NEW)
            wait_for(f"the pods of Node {NEW} to go",
                     lambda: not core.list_pod_for_all_namespaces(field_selector=f"spec.nodeName={NEW}").items, timeout=180, interval=3)
        run([str(LABCTL), "remove", NEW], timeout=300)


def test_onboard_with_limit(new_worker):
    start = mark()
    onboard = run(["ansible-playbook", "-i", str(INVENTORY), "-i", str(REPO / "inventories" / "lab" / "new-worker.cfg"),
                   str(SITE), "--limit", new_worker])
    end = mark()
    assert onboard.returncode == 0, onboard.stdout[-3000:]
    assert recap(onboard.stdout, new_worker)["changed"] > 0
    for other in ("localhost", "node1", "node2"):
        assert not re.search(rf"^{other}\s+:", onboard.stdout, re.MULTILINE), f"--limit {new_worker} ran on {other}"
    counts = audit_counts("site.yml --limit new-worker", start, end)
    assert writes_by_verb(counts) == {}, "onboarding one worker wrote to the API server"

    with api() as k8s:
        core = client.CoreV1Api(k8s)
        core.create_namespaced_pod("default", client.V1Pod(
            metadata=client.V1ObjectMeta(name=POD, annotations={"k8s.v1.cni.cncf.io/networks": "macvlan-net1"}),
            spec=client.V1PodSpec(node_name=new_worker, automount_service_account_token=False, containers=[
                client.V1Container(name="check", image="docker.io/library/busybox:1.36.1", command=["sleep", "3600"])])))
        pod = wait_for(f"pod {POD} Ready on {new_worker}", lambda: next(
            (p for p in [core.read_namespaced_pod(POD, "default")]
             if any(c.type == "Ready" and c.status == "True" for c in p.status.conditions or [])), None), timeout=90)
        assert status_writers(pod) == ["multus"]
        net1 = [e["ips"][0] for e in network_status(pod) if e["interface"] == "net1"]
        first, last = (ipaddress.ip_address(a) for a in lab_secondaries(new_worker))
        assert len(net1) == 1 and first <= ipaddress.ip_address(net1[0]) <= last

        peer = core.read_namespaced_pod("multus-verify-1", "default")
        peer_net1 = [e["ips"][0] for e in network_status(peer) if e["interface"] == "net1"][0]
        out = pod_exec(k8s, "default", POD, ["ping", "-I", "net1", "-c", "2", "-W", "2", peer_net1])
        assert " 0% packet loss" in out, out
