# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""State of the lab cluster and its nodes after site.yml, read from the real API server.

Expected values come from the lab (the Service CIDR clusterctl sets, the
addresses labctl put on eth1) and from the issue (the pinned Multus image),
never from the roles under test.
"""

from __future__ import annotations

import json

import pytest
from clustertools import NODES, api, lab_secondaries, read_or_none
from kubernetes import client

testinfra_hosts = ["ansible://multus_workers"]

# The lab inventory's mirror (multus_image_registry); the nodes hold the image under this name only.
MULTUS_IMAGE = "registry.mhm-lab.invalid/k8snetworkplumbingwg/multus-cni:v4.3.0"
NAD_CRD = "network-attachment-definitions.k8s.cni.cncf.io"
ATTACHMENT = "macvlan-net1"


@pytest.fixture(scope="module", name="k8s")
def fixture_k8s():
    with api() as api_client:
        yield api_client


def test_kubernetes_service_in_lab_range(k8s):
    """The API server's ClusterIP comes from the lab's 198.18.0.0/15 (Service CIDR 198.18.96.0/24)."""
    service = client.CoreV1Api(k8s).read_namespaced_service("kubernetes", "default")
    assert service.spec.cluster_ip == "198.18.96.1"


def test_cilium_not_exclusive(k8s):
    """Cilium (configmap variant) was told to stop renaming other CNI configs; the value it had is recorded."""
    config_map = client.CoreV1Api(k8s).read_namespaced_config_map("cilium-config", "kube-system")
    assert config_map.data["cni-exclusive"] == "false"
    assert config_map.metadata.annotations["multihome.multus/cni-exclusive-before"] == "true"


def test_nad_crd_established(k8s):
    """The NetworkAttachmentDefinition CRD is served."""
    crd = client.ApiextensionsV1Api(k8s).read_custom_resource_definition(NAD_CRD)
    established = [c.status for c in crd.status.conditions or [] if c.type == "Established"]
    assert established == ["True"]


def test_multus_daemonset(k8s):
    """kube-multus-ds runs the pinned image, Ready on both nodes."""
    daemonset = client.AppsV1Api(k8s).read_namespaced_daemon_set("kube-multus-ds", "kube-system")
    pod_spec = daemonset.spec.template.spec
    images = {c.image for c in pod_spec.containers + (pod_spec.init_containers or [])}
    assert images == {MULTUS_IMAGE}
    assert daemonset.status.desired_number_scheduled == len(NODES)
    assert daemonset.status.number_ready == len(NODES)
    pods = client.CoreV1Api(k8s).list_namespaced_pod("kube-system", label_selector="name=multus").items
    assert sorted(pod.spec.node_name for pod in pods) == sorted(NODES)


def test_nad_without_config(k8s):
    """The per-node NAD exists and carries no spec.config (Multus reads the node file)."""
    nad = read_or_none(client.CustomObjectsApi(k8s).get_namespaced_custom_object,
                       "k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions", ATTACHMENT)
    assert nad is not None, f"NAD default/{ATTACHMENT} not found"
    assert "config" not in (nad.get("spec") or {})


def test_per_node_file(host):
    """Each node's file for the NAD holds that node's own eth1 secondaries as its range."""
    node = host.backend.get_hostname()
    conf = host.file(f"/etc/cni/multus/net.d/{ATTACHMENT}.conf")
    assert conf.is_file
    parsed = json.loads(conf.content_string)
    assert parsed["name"] == ATTACHMENT
    assert parsed["master"] == "eth1"
    first, last = lab_secondaries(node)
    assert (parsed["ipam"]["rangeStart"], parsed["ipam"]["rangeEnd"]) == (first, last)
