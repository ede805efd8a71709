# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Cilium < 1.14: exclusivity in the agent's postStart command, as in the guide.

The lab's Cilium is recreated as the poststart variant (no cni-exclusive key
in the ConfigMap): its agents start with the release's own /cni-install.sh as
postStart hook, which renames 00-multus.conf once. ONE run of site.yml must
flip the argument in place, leave 00-multus.conf in place and new pods
attached, and a second run must change nothing.
"""

from __future__ import annotations

import time

from clustertools import (NODES, api, audit_counts, cilium_variant, mark, network_status, playbook, poststart_command,
                          status_writers, wait_for, writes_by_verb)
from kubernetes import client
from labtools import SITE, in_node, recap

GUIDE_COMMAND = ["/cni-install.sh", "--enable-debug=false", "--cni-exclusive=true"]
VERIFICATION = "app.kubernetes.io/component=verification"


def agent_state() -> tuple[list[str], dict]:
    """postStart command of cilium-agent and the cilium-config data."""
    with api() as k8s:
        config_map = client.CoreV1Api(k8s).read_namespaced_config_map("cilium-config", "kube-system")
        return poststart_command(k8s), dict(config_map.data or {})


def test_poststart_variant():
    cilium_variant("poststart")
    before, data = agent_state()
    assert before == GUIDE_COMMAND
    assert "cni-exclusive" not in data
    # The kubelets ran the guide's postStart hook: the trap, in its pre-1.14 form.
    for node in NODES:
        wait_for(f"the postStart hook on {node} to rename 00-multus.conf",
                 lambda node=node: "00-multus.conf.cilium_bak" in in_node(node, "ls /etc/cni/net.d").split())

    with api() as k8s:
        core = client.CoreV1Api(k8s)
        # Fresh verification pods, so the run proves that new pods are attached again.
        core.delete_collection_namespaced_pod("default", label_selector=VERIFICATION)
        wait_for("the old verification pods to go", lambda: not core.list_namespaced_pod("default", label_selector=VERIFICATION).items)

        first = playbook(SITE)
        assert first.returncode == 0, first.stdout[-3000:]
        assert recap(first.stdout, "localhost")["changed"] > 0
        pods = core.list_namespaced_pod("default", label_selector=VERIFICATION).items
        assert sorted(p.spec.node_name for p in pods) == sorted(NODES)
        for pod in pods:
            assert status_writers(pod) == ["multus"]
            assert [e["interface"] for e in network_status(pod)] == ["eth0", "net1"]

    after, data = agent_state()
    index = GUIDE_COMMAND.index("--cni-exclusive=true")
    assert len(after) == len(GUIDE_COMMAND)
    assert after[index] == "--cni-exclusive=false"
    assert [a for i, a in enumerate(after) if i != index] == [a for i, a in enumerate(GUIDE_COMMAND) if i != index]
    assert "cni-exclusive" not in data
    time.sleep(3)
    for node in NODES:
        listing = in_node(node, "ls /etc/cni/net.d").split()
        assert "00-multus.conf" in listing and "00-multus.conf.cilium_bak" not in listing, f"{node}: {listing}"

    start = mark()
    second = playbook(SITE)
    end = mark()
    assert second.returncode == 0, second.stdout[-3000:]
    for host in ("localhost", *NODES):
        assert recap(second.stdout, host)["changed"] == 0, f"second run changed {host}"
    assert agent_state()[0] == after
    rerun = audit_counts("idempotent rerun, poststart variant", start, end)
    print(f"writes by verb: {writes_by_verb(rerun)}")
    assert writes_by_verb(rerun) == {}, "the idempotent rerun wrote to the API server"
