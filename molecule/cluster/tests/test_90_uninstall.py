# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The uninstall playbook on the lab cluster (runs last: it undoes the converge).

It removes only what the collection installed. Drill: another team's
NetworkAttachmentDefinition in its own namespace and a whereabouts pool that
still holds a pod's address (with whereabouts' CRDs, as another team's install
would leave them) are in the cluster; the uninstall keeps them and their CRDs,
says so, and removes every Multus object, verification pod and node file of
ours. Cilium's exclusive mode goes back to the value recorded before the first
change (the configmap variant of test_40 started as "true"), and a second run
changes nothing. Once the foreign objects are gone, the CRDs go too. A cluster
whose exclusive mode was off before (nothing recorded) keeps it off.
"""

from __future__ import annotations

import json

import pytest
from clustertools import NODES, api, playbook, read_or_none, wait_for
from kubernetes import client
from labtools import REPO, in_node, recap

UNINSTALL = REPO / "playbooks" / "uninstall.yml"
NODE_FILES = ("/etc/cni/multus", "/etc/cni/net.d/00-multus.conf", "/etc/cni/net.d/00-multus.conf.cilium_bak",
              "/etc/cni/net.d/multus.d", "/opt/cni/bin/multus", "/opt/cni/bin/passthru")
CILIUM = "sha256sum /opt/cni/bin/cilium-cni /opt/cni/bin/loopback /etc/cni/net.d/05-cilium.conflist"
NAD_CRD = "network-attachment-definitions.k8s.cni.cncf.io"
RECORD = "multihome.multus/cni-exclusive-before"
FOREIGN_NS = "mhm-team-a"
WB_GROUP, WB_VERSION = "whereabouts.cni.cncf.io", "v1alpha1"
WB_KINDS = {"ippools": "IPPool", "overlappingrangeipreservations": "OverlappingRangeIPReservation"}
WB_POOL_RANGE = "198.19.200.0/24"
# The lab's attachment plus a whereabouts one, so the uninstall also runs the whereabouts removal.
ATTACHMENTS = json.dumps({"network_attachments_list": [
    {"name": "macvlan-net1", "namespace": "default", "plugin": "macvlan", "mode": "bridge", "master": "eth1",
     "ipam": "per_node"},
    {"name": "macvlan-wb", "namespace": "default", "plugin": "macvlan", "mode": "bridge", "master": "eth1",
     "ipam": "whereabouts", "whereabouts_range": "198.19.210.0/24"},
]})


def whereabouts_crd(plural: str, kind: str) -> dict:
    """A whereabouts CRD as another team's whereabouts install leaves it (schema kept open)."""
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{WB_GROUP}"},
            "spec": {"group": WB_GROUP, "scope": "Namespaced",
                     "names": {"kind": kind, "plural": plural, "listKind": f"{kind}List", "singular": kind.lower()},
                     "versions": [{"name": WB_VERSION, "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {"type": "object",
                                                                  "x-kubernetes-preserve-unknown-fields": True}}}]}}


def said(proc) -> str:
    """The playbook's output with its line folding undone, to search for a message."""
    return " ".join(proc.stdout.split())


def established(k8s: client.ApiClient, name: str) -> bool:
    crd = read_or_none(client.ApiextensionsV1Api(k8s).read_custom_resource_definition, name)
    return bool(crd and any(c.type == "Established" and c.status == "True" for c in crd.status.conditions or []))


@pytest.fixture(scope="module", name="foreign")
def fixture_foreign():
    """Another team's NAD and an in-use whereabouts pool; removed again at the end, also on failure."""
    with api() as k8s:
        core, ext, custom = client.CoreV1Api(k8s), client.ApiextensionsV1Api(k8s), client.CustomObjectsApi(k8s)
        core.create_namespace({"metadata": {"name": FOREIGN_NS}})
        custom.create_namespaced_custom_object("k8s.cni.cncf.io", "v1", FOREIGN_NS, "network-attachment-definitions", {
            "apiVersion": "k8s.cni.cncf.io/v1", "kind": "NetworkAttachmentDefinition",
            "metadata": {"name": "storage-net"}, "spec": {"config": '{"cniVersion": "0.3.1", "type": "macvlan"}'}})
        for plural, kind in WB_KINDS.items():
            ext.create_custom_resource_definition(whereabouts_crd(plural, kind))
            wait_for(f"CRD {plural}.{WB_GROUP}", lambda plural=plural: established(k8s, f"{plural}.{WB_GROUP}"))
        custom.create_namespaced_custom_object(WB_GROUP, WB_VERSION, "kube-system", "ippools", {
            "apiVersion": f"{WB_GROUP}/{WB_VERSION}", "kind": "IPPool", "metadata": {"name": "198.19.200.0-24"},
            "spec": {"range": WB_POOL_RANGE, "allocations": {"5": {"id": "c0ffee", "podref": f"{FOREIGN_NS}/db-0"}}}})
        try:
            yield k8s
        finally:
            for plural in WB_KINDS:
                if read_or_none(ext.read_custom_resource_definition, f"{plural}.{WB_GROUP}"):
                    ext.delete_custom_resource_definition(f"{plural}.{WB_GROUP}")
            if read_or_none(core.read_namespace, FOREIGN_NS):
                core.delete_namespace(FOREIGN_NS)


def test_uninstall_keeps_what_is_not_ours(foreign):
    k8s = foreign
    cilium_files = {node: in_node(node, CILIUM) for node in NODES}
    core, custom = client.CoreV1Api(k8s), client.CustomObjectsApi(k8s)

    real = playbook(UNINSTALL, "-e", ATTACHMENTS)
    assert real.returncode == 0, real.stdout[-3000:]
    foreign_nad = read_or_none(custom.get_namespaced_custom_object, "k8s.cni.cncf.io", "v1", FOREIGN_NS,
                               "network-attachment-definitions", "storage-net")
    assert foreign_nad, f"uninstall deleted NetworkAttachmentDefinition {FOREIGN_NS}/storage-net of another team"
    pool = read_or_none(custom.get_namespaced_custom_object, WB_GROUP, WB_VERSION, "kube-system", "ippools", "198.19.200.0-24")
    assert pool, "uninstall deleted the whereabouts IPPool 198.19.200.0-24 that holds a pod's address"
    assert pool["spec"]["allocations"]["5"]["podref"] == f"{FOREIGN_NS}/db-0"
    assert established(k8s, NAD_CRD)
    assert f"kept CRD {NAD_CRD}: deleting it would delete NetworkAttachmentDefinition {FOREIGN_NS}/storage-net" in said(real)
    assert "IPPool kube-system/198.19.200.0-24 (holds 1 allocation)" in said(real)
    assert not custom.list_namespaced_custom_object("k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions")["items"]

    apps, rbac = client.AppsV1Api(k8s), client.RbacAuthorizationV1Api(k8s)
    assert read_or_none(apps.read_namespaced_daemon_set, "kube-multus-ds", "kube-system") is None
    assert read_or_none(core.read_namespaced_service_account, "multus", "kube-system") is None
    assert read_or_none(rbac.read_cluster_role, "multus") is None
    assert read_or_none(rbac.read_cluster_role_binding, "multus") is None
    assert not core.list_pod_for_all_namespaces(label_selector="name=multus").items
    assert not core.list_pod_for_all_namespaces(label_selector="app.kubernetes.io/component=verification").items
    after = core.read_namespaced_config_map("cilium-config", "kube-system")
    assert after.data["cni-exclusive"] == "true"
    assert RECORD not in (after.metadata.annotations or {})

    for node in NODES:
        left = in_node(node, f"ls -d {' '.join(NODE_FILES)} 2>/dev/null || true").split()
        assert not left, f"uninstall left {left} on {node}"
        assert in_node(node, CILIUM) == cilium_files[node], f"uninstall touched Cilium's files on {node}"

    again = playbook(UNINSTALL, "-e", ATTACHMENTS)
    assert again.returncode == 0, again.stdout[-3000:]
    for host in ("localhost", *NODES):
        assert recap(again.stdout, host)["changed"] == 0, f"second uninstall changed {host}"
    assert established(k8s, NAD_CRD) and established(k8s, f"ippools.{WB_GROUP}")


def test_crds_go_once_nothing_foreign_is_left(foreign):
    k8s = foreign
    custom = client.CustomObjectsApi(k8s)
    custom.delete_namespaced_custom_object("k8s.cni.cncf.io", "v1", FOREIGN_NS, "network-attachment-definitions", "storage-net")
    custom.delete_namespaced_custom_object(WB_GROUP, WB_VERSION, "kube-system", "ippools", "198.19.200.0-24")

    real = playbook(UNINSTALL, "-e", ATTACHMENTS)
    assert real.returncode == 0, real.stdout[-3000:]
    assert f"deleting CRD {NAD_CRD}: no object of its kind is left" in said(real)
    crds = client.ApiextensionsV1Api(k8s).list_custom_resource_definition().items
    assert not [crd.metadata.name for crd in crds if crd.spec.group in ("k8s.cni.cncf.io", WB_GROUP)]


def test_exclusive_mode_that_was_off_stays_off():
    """Nothing recorded (the collection never changed it): the uninstall leaves exclusive mode as it is."""
    with api() as k8s:
        core = client.CoreV1Api(k8s)
        core.patch_namespaced_config_map("cilium-config", "kube-system", {"data": {"cni-exclusive": "false"}})
        real = playbook(UNINSTALL)
        assert real.returncode == 0, real.stdout[-3000:]
        assert f"has no annotation {RECORD}" in said(real)
        assert core.read_namespaced_config_map("cilium-config", "kube-system").data["cni-exclusive"] == "false"
        assert recap(real.stdout, "localhost")["changed"] == 0
