# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The guide's trap: a Cilium agent restarting in exclusive mode renames 00-multus.conf.

The lab's Cilium is recreated as the configmap variant (cni-exclusive "true",
as a fresh Cilium >= 1.14 install or an upgrade that reset the value); its agent
pods start on the nodes and, running Cilium's own CNI configuration manager,
rename every other CNI config to *.cilium_bak, again at every change in
/etc/cni/net.d. ONE run of site.yml must repair it: exclusivity off, the agents
rolled out, then 00-multus.conf back (it stays), and new pods attached by Multus.
"""

from __future__ import annotations

import time

from clustertools import NODES, api, cilium_variant, network_status, playbook, status_writers, wait_for
from kubernetes import client
from labtools import SITE, in_node, recap

CONF = "/etc/cni/net.d/00-multus.conf"
LISTING = "ls /etc/cni/net.d"


def test_restart_in_exclusive_mode_renames_multus_config():
    cilium_variant("configmap")
    for node in NODES:
        wait_for(f"the Cilium agent on {node} to rename 00-multus.conf",
                 lambda node=node: "00-multus.conf.cilium_bak" in in_node(node, LISTING).split())
        assert "00-multus.conf" not in in_node(node, LISTING).split()


def test_exclusive_agent_keeps_renaming():
    """Cilium >= 1.14 renames a config put back by hand at once, not only when it starts."""
    node = NODES[0]
    in_node(node, f"cp {CONF}.cilium_bak /tmp/mhm-multus-conf && mv /tmp/mhm-multus-conf {CONF}")
    wait_for(f"the Cilium agent on {node} to rename the restored 00-multus.conf again",
             lambda: "00-multus.conf" not in in_node(node, LISTING).split(), timeout=10, interval=0.2)
    assert "00-multus.conf.cilium_bak" in in_node(node, LISTING).split()


def test_rerun_repairs_it():
    with api() as k8s:
        core = client.CoreV1Api(k8s)
        # Fresh verification pods, so the rerun proves that new pods are attached again.
        core.delete_collection_namespaced_pod("default", label_selector="app.kubernetes.io/component=verification")
        wait_for("the old verification pods to go",
                 lambda: not core.list_namespaced_pod("default", label_selector="app.kubernetes.io/component=verification").items)

        repair = playbook(SITE)
        assert repair.returncode == 0, repair.stdout[-3000:]
        # Still there a while later: no exclusive agent is left to rename it again.
        time.sleep(3)
        for node in NODES:
            listing = in_node(node, LISTING).split()
            assert "00-multus.conf" in listing and "00-multus.conf.cilium_bak" not in listing, f"{node}: {listing}"
        assert core.read_namespaced_config_map("cilium-config", "kube-system").data["cni-exclusive"] == "false"
        pods = core.list_namespaced_pod("default", label_selector="app.kubernetes.io/component=verification").items
        assert sorted(p.spec.node_name for p in pods) == sorted(NODES)
        for pod in pods:
            assert status_writers(pod) == ["multus"]
            assert [e["interface"] for e in network_status(pod)] == ["eth0", "net1"]

    # The restarted agents run with cni-exclusive "false" and leave the config alone.
    again = playbook(SITE)
    assert again.returncode == 0, again.stdout[-3000:]
    for host in ("localhost", *NODES):
        assert recap(again.stdout, host)["changed"] == 0, f"second run changed {host}"
    for node in NODES:
        assert in_node(node, f"test -f {CONF} && echo present").strip() == "present"
