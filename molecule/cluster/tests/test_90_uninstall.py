# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The uninstall playbook on the lab cluster (runs last: it undoes the converge).

No Multus object, NAD, verification pod or node file may remain, and Cilium
(the configmap variant since test_40) must be exclusive again; its agents,
restarted in exclusive mode, find nothing to rename. A second run changes nothing.
"""

from __future__ import annotations

from clustertools import NODES, api, playbook, read_or_none
from kubernetes import client
from labtools import REPO, in_node, recap

UNINSTALL = REPO / "playbooks" / "uninstall.yml"
NODE_FILES = ("/etc/cni/multus", "/etc/cni/net.d/00-multus.conf", "/etc/cni/net.d/00-multus.conf.cilium_bak",
              "/etc/cni/net.d/multus.d", "/opt/cni/bin/multus", "/opt/cni/bin/passthru")
CILIUM = "sha256sum /opt/cni/bin/cilium-cni /opt/cni/bin/loopback /etc/cni/net.d/05-cilium.conflist"


def test_uninstall():
    cilium_files = {node: in_node(node, CILIUM) for node in NODES}
    real = playbook(UNINSTALL)
    assert real.returncode == 0, real.stdout[-3000:]

    with api() as k8s:
        apps, core, rbac = client.AppsV1Api(k8s), client.CoreV1Api(k8s), client.RbacAuthorizationV1Api(k8s)
        crds = client.ApiextensionsV1Api(k8s).list_custom_resource_definition().items
        assert not [crd.metadata.name for crd in crds if crd.spec.group == "k8s.cni.cncf.io"]
        assert read_or_none(apps.read_namespaced_daemon_set, "kube-multus-ds", "kube-system") is None
        assert not apps.list_daemon_set_for_all_namespaces(label_selector="app=multus").items
        assert read_or_none(core.read_namespaced_service_account, "multus", "kube-system") is None
        assert read_or_none(rbac.read_cluster_role, "multus") is None
        assert read_or_none(rbac.read_cluster_role_binding, "multus") is None
        assert not core.list_pod_for_all_namespaces(label_selector="name=multus").items
        assert not core.list_pod_for_all_namespaces(label_selector="app.kubernetes.io/component=verification").items
        assert core.read_namespaced_config_map("cilium-config", "kube-system").data["cni-exclusive"] == "true"

    for node in NODES:
        left = in_node(node, f"ls -d {' '.join(NODE_FILES)} 2>/dev/null || true").split()
        assert not left, f"uninstall left {left} on {node}"
        assert in_node(node, CILIUM) == cilium_files[node], f"uninstall touched Cilium's files on {node}"

    again = playbook(UNINSTALL)
    assert again.returncode == 0, again.stdout[-3000:]
    for host in ("localhost", *NODES):
        assert recap(again.stdout, host)["changed"] == 0, f"second uninstall changed {host}"
