# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Helm-managed Cilium: the run stops before any change and names the helm command.

cilium-config gets Helm's labels and annotations (as `helm install cilium
cilium/cilium --version 1.18.6` leaves them) and cni-exclusive "true", as after
a helm upgrade that put the chart's default back. site.yml must fail before
any write to the cluster or the nodes, naming the cluster, the object, the
variable and the helm upgrade command; the agents are not restarted, so the
nodes keep 00-multus.conf.
"""

from __future__ import annotations

from clustertools import NODES, api, audit_counts, mark, playbook, writes_by_verb
from kubernetes import client
from labtools import SITE, in_node

HELM = {"metadata": {"labels": {"app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": "cilium-1.18.6"},
                     "annotations": {"meta.helm.sh/release-name": "cilium", "meta.helm.sh/release-namespace": "kube-system"}}}
UNHELM = {"metadata": {"labels": {"app.kubernetes.io/managed-by": None, "helm.sh/chart": None},
                       "annotations": {"meta.helm.sh/release-name": None, "meta.helm.sh/release-namespace": None}}}
# The files of the conf dir and the plugins (multus.d/ left out: Multus refreshes its token there).
FILES = "find /etc/cni/net.d /opt/cni/bin -maxdepth 1 -type f -print0 | sort -z | xargs -0 sha256sum"
COMMAND = "helm upgrade cilium cilium/cilium --namespace kube-system --version 1.18.6 --reuse-values --set cni.exclusive=false"


def test_helm_managed_cilium_config_stops_the_run_before_any_change():
    with api() as k8s:
        core = client.CoreV1Api(k8s)
        core.patch_namespaced_config_map("cilium-config", "kube-system", {**HELM, "data": {"cni-exclusive": "true"}})
        try:
            files = {node: in_node(node, FILES) for node in NODES}
            start = mark()
            run = playbook(SITE)
            end = mark()
            assert run.returncode != 0, run.stdout[-3000:]
            # The failure goes to stdout or stderr, depending on the callback settings.
            text = " ".join((run.stdout + run.stderr).split())
            assert "localhost: Helm manages ConfigMap kube-system/cilium-config in the cluster reached by kubeconfig" in text
            assert f"`{COMMAND}`" in text
            assert "rollout restart daemonset/cilium" in text and "cilium_exclusive_patch_helm_managed=true" in text
            counts = audit_counts("site.yml on Helm-managed Cilium", start, end)
            assert writes_by_verb(counts) == {}, "the stopped run wrote to the API server"
            for node in NODES:
                assert in_node(node, FILES) == files[node], f"{node} changed"
            assert core.read_namespaced_config_map("cilium-config", "kube-system").data["cni-exclusive"] == "true"
        finally:
            core.patch_namespaced_config_map("cilium-config", "kube-system", {**UNHELM, "data": {"cni-exclusive": "false"}})
