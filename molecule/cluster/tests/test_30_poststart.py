# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Cilium < 1.14: exclusivity in the agent's postStart command, as in the guide.

The lab's Cilium stand-in is recreated as the poststart variant (no
cni-exclusive key in the ConfigMap); site.yml must flip the argument in place,
and a second run must change nothing.
"""

from __future__ import annotations

from clustertools import NODES, api, audit_counts, cilium_variant, mark, playbook, poststart_command, wait_for, writes_by_verb
from kubernetes import client
from labtools import SITE, in_node, recap

GUIDE_COMMAND = ["/cni-install.sh", "--enable-debug=false", "--cni-exclusive=true"]


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

    first = playbook(SITE)
    assert first.returncode == 0, first.stdout[-3000:]
    assert recap(first.stdout, "localhost")["changed"] > 0

    after, data = agent_state()
    index = GUIDE_COMMAND.index("--cni-exclusive=true")
    assert len(after) == len(GUIDE_COMMAND)
    assert after[index] == "--cni-exclusive=false"
    assert [a for i, a in enumerate(after) if i != index] == [a for i, a in enumerate(GUIDE_COMMAND) if i != index]
    assert "cni-exclusive" not in data
    for node in NODES:
        assert "00-multus.conf" in in_node(node, "ls /etc/cni/net.d").split(), f"{node}: 00-multus.conf not repaired"

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
