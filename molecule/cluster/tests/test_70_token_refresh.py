# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Multus keeps attaching pods after the token in the node's multus.kubeconfig expired.

The lab inventory gives the Multus pods 600-second tokens (the shortest the API
server issues; multus_service_account_token_expiration). The thin entrypoint
copied one into node1's /etc/cni/net.d/multus.d/multus.kubeconfig; this drill
waits until that token has expired and the API server rejects it, then starts
a pod with the attachment on node1. Multus must have followed the kubelet's
renewal: the pod gets net1, and the file holds a newer, valid token.
Without the entrypoint's refresh loop the CNI ADD fails with "Unauthorized".
"""

from __future__ import annotations

import base64
import json
import subprocess
import time

import yaml
from clustertools import api, network_status, read_or_none, status_writers, wait_for
from kubernetes import client
from labtools import LABCTL

NODE = "node1"
KUBECONFIG_ON_NODE = "/etc/cni/net.d/multus.d/multus.kubeconfig"
POD = "mhm-token-drill"
NAMESPACE = "default"
NETWORK = "macvlan-net1"
LEEWAY = 80


def node_token() -> str:
    """The token of the node's multus.kubeconfig (read without echoing it into the test log)."""
    proc = subprocess.run([str(LABCTL), "exec", NODE, "cat", KUBECONFIG_ON_NODE],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)["users"][0]["user"]["token"]


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def accepted(k8s: client.ApiClient, token: str) -> bool:
    review = client.AuthenticationV1Api(k8s).create_token_review(
        client.V1TokenReview(spec=client.V1TokenReviewSpec(token=token)))
    return bool(review.status.authenticated)


def events_of(core: client.CoreV1Api, name: str) -> str:
    events = core.list_namespaced_event(NAMESPACE, field_selector=f"involvedObject.name={name}").items
    return "; ".join(f"{e.reason}: {e.message}" for e in events)


def test_pod_attached_after_the_first_token_expired():
    with api() as k8s:
        core = client.CoreV1Api(k8s)
        first = node_token()
        lifetime = claims(first)["exp"] - claims(first)["iat"]
        assert lifetime <= 700, f"the node's token lives {lifetime}s: the lab's 600-second tokens are not in effect"
        # The API server accepts a token up to a minute past its expiry (go-jose's DefaultLeeway) and caches
        # token reviews for a few seconds.
        wait = claims(first)["exp"] - time.time() + LEEWAY
        print(f"token in {NODE}:{KUBECONFIG_ON_NODE} issued at {claims(first)['iat']}, "
              f"expires in {wait - LEEWAY:.0f}s (+{LEEWAY}s leeway)")
        if wait > 0:
            time.sleep(wait)
        assert not accepted(k8s, first), "the expired token is still accepted: the drill proves nothing"

        image = core.read_namespaced_pod("multus-verify-1", NAMESPACE).spec.containers[0].image
        core.create_namespaced_pod(NAMESPACE, client.V1Pod(
            metadata=client.V1ObjectMeta(name=POD, annotations={"k8s.v1.cni.cncf.io/networks": NETWORK}),
            spec=client.V1PodSpec(
                node_name=NODE, termination_grace_period_seconds=0,
                containers=[client.V1Container(name="sleep", image=image, image_pull_policy="Never",
                                               command=["sleep", "3600"])])))
        try:
            def ready():
                pod = core.read_namespaced_pod(POD, NAMESPACE)
                return pod if any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions or []) else None

            try:
                pod = wait_for(f"pod {POD} to be Ready", ready, timeout=120, interval=2)
            except AssertionError as exc:
                raise AssertionError(f"{exc}; its events: {events_of(core, POD)}") from None
            assert status_writers(pod) == ["multus"]
            assert [e["interface"] for e in network_status(pod)] == ["eth0", "net1"]
            renewed = node_token()
            assert renewed != first and claims(renewed)["iat"] > claims(first)["iat"]
            assert accepted(k8s, renewed), "the token Multus wrote last is not accepted"
        finally:
            if read_or_none(core.read_namespaced_pod, POD, NAMESPACE):
                core.delete_namespaced_pod(POD, NAMESPACE, grace_period_seconds=0)
