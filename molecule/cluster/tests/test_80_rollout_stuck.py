# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Fault drill: the Multus rollout never becomes ready, because node2 lacks the image.

The Multus image is removed from node2's containerd, then site.yml rolls the
DaemonSet (pull policy Never, so the lab never tries a registry) with a short
wait. The run must fail within that wait plus one poll, print one line per poll,
and name node2, its pod, the waiting reason and the variable to raise. Then the
image is imported again as the lab imports it, and site.yml with the lab's own
variables converges (Multus ready on both nodes) and a rerun changes nothing.
The image and the lab's DaemonSet come back also when a check fails.
"""

from __future__ import annotations

import os
import re
import time

from clustertools import NODES, api, converge, playbook, rerun_changes_nothing
from kubernetes import client
from labtools import PLAN, SITE, in_node, recap
from mhmlab.labimages import Images

NODE = "node2"
NAMESPACE = "kube-system"
DAEMONSET = "kube-multus-ds"
TIMEOUT = 40
DELAY = 10
# The drill's DaemonSet change: harmless for the pods that have the image, fatal for node2's.
STUCK = ("-e", f"multus_wait_timeout={TIMEOUT}", "-e", f"multus_wait_delay={DELAY}",
         "-e", "multus_image_pull_policy=Never")
POLL_LINE = re.compile(r"poll (\d+)/(\d+), (\d+) s: Multus DaemonSet ")


def multus_image() -> str:
    """The image of the live Multus DaemonSet (the lab's mirror name)."""
    with api() as k8s:
        daemonset = client.AppsV1Api(k8s).read_namespaced_daemon_set(DAEMONSET, NAMESPACE)
    images = {c.image for c in daemonset.spec.template.spec.containers + daemonset.spec.template.spec.init_containers}
    assert len(images) == 1, images
    return images.pop()


def node_has_image(image: str) -> bool:
    """The image is in the node's containerd (namespace k8s.io)."""
    return image in in_node(NODE, "ctr -n k8s.io images ls -q").split()


def import_image(image: str) -> None:
    """Import the image archive into node2's containerd, as the lab's kubelets do when they start."""
    archive = Images(PLAN, os.environ).archive(image)
    assert archive.is_file(), f"no archive {archive}"
    in_node(NODE, f"ctr -n k8s.io images import {archive}")
    assert node_has_image(image)


def multus_pods(k8s: client.ApiClient) -> list[client.V1Pod]:
    return client.CoreV1Api(k8s).list_namespaced_pod(NAMESPACE, label_selector="name=multus").items


def waiting(pod: client.V1Pod) -> list[str]:
    """The waiting reasons of the pod's init containers and containers."""
    statuses = (pod.status.init_container_statuses or []) + (pod.status.container_statuses or [])
    return [s.state.waiting.reason for s in statuses if s.state and s.state.waiting]


def flat(text: str) -> str:
    """Output with every run of white space made one space (the YAML callback folds long messages)."""
    return " ".join(text.split())


def test_rollout_without_image_fails_in_time_and_reruns_converge():
    image = multus_image()
    restored = False
    try:
        in_node(NODE, f"ctr -n k8s.io images rm {image}")
        assert not node_has_image(image), f"{NODE} still has {image}"

        started = time.monotonic()
        stuck = playbook(SITE, *STUCK)
        took = time.monotonic() - started
        print(f"drill: the stuck run took {took:.0f} s (wait {TIMEOUT} s, polls every {DELAY} s)")
        assert stuck.returncode != 0, "site.yml passed although node2 cannot run the Multus image"
        assert recap(stuck.stdout, "localhost")["failed"] == 1

        # One line per poll, numbered, DELAY apart, until the time is up.
        polls = [(int(n), int(of), int(s)) for n, of, s in POLL_LINE.findall(stuck.stdout)]
        assert polls, "no poll lines in the output"
        assert [n for n, _of, _s in polls] == list(range(1, len(polls) + 1)), polls
        assert all(s >= (n - 1) * DELAY for n, _of, s in polls), polls
        assert TIMEOUT <= polls[-1][2] <= TIMEOUT + DELAY + 5, polls
        assert len(polls) >= TIMEOUT // DELAY, polls

        # The final message: node2, its pod, the reason, the variable to raise.
        with api() as k8s:
            stuck_pods = [p for p in multus_pods(k8s) if p.spec.node_name == NODE and "ErrImageNeverPull" in waiting(p)]
            assert len(stuck_pods) == 1, [(p.metadata.name, p.spec.node_name, waiting(p)) for p in multus_pods(k8s)]
        pod = stuck_pods[0]
        # Under Molecule's verifier the failure goes to stderr (its ansible.cfg), run by hand to stdout.
        failed = flat(stuck.stdout + stuck.stderr)
        message = failed[failed.index("still not ready"):]
        for needed in (NODE, pod.metadata.name, "ErrImageNeverPull", "multus_wait_timeout", f"now {TIMEOUT} s"):
            assert needed in message, f"{needed!r} missing from the failure: {message[:1500]}"

        import_image(image)
        converge(SITE)
        restored = True
        rerun_changes_nothing(SITE)

        # Nothing half-rolled: the lab's template on every node, every pod ready.
        with api() as k8s:
            status = client.AppsV1Api(k8s).read_namespaced_daemon_set(DAEMONSET, NAMESPACE).status
            assert (status.desired_number_scheduled, status.updated_number_scheduled, status.number_ready) == (2, 2, 2)
            pods = multus_pods(k8s)
            assert sorted(p.spec.node_name for p in pods) == sorted(NODES)
            for pod in pods:
                assert [c.image_pull_policy for c in pod.spec.containers] == ["IfNotPresent"], pod.metadata.name
                assert all(s.ready for s in pod.status.container_statuses), pod.metadata.name
    finally:
        if not node_has_image(image):
            import_image(image)
        if not restored:
            playbook(SITE)
