# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""An installed cluster switched from thin Multus to thick and back with site.yml, pods attached after each switch.

The kubelet stand-in (vmtools) runs whatever DaemonSet the collection left:
thick is the real multus-daemon (with multus-shim on the node) built from the
same Multus module, in a cgroup holding the container's memory limit, so the
role's default limit meets the daemon's real appetite (multus-cni #1346,
#1160: OOM-killed daemons). The daemon's memory is printed for the role's docs.
"""

from __future__ import annotations

import json
import time

import pytest
from kubernetes import client, config
from vmtools import PLAN, VM1, in_vm, run_daemonset, site, wait_for_files

ATTACHMENT = "ipvlan-conf-1"
MULTUS_CONF = "/etc/cni/net.d/00-multus.conf"
# The stand-in's cgroup of the DaemonSet's container (guestpod.py).
DAEMON_CGROUP = "/sys/fs/cgroup/mhm-kube-system_kube-multus-ds-kube-multus"
PODS = 3
# The daemon caches every NetworkAttachmentDefinition of the cluster (its informer has no filter),
# so its memory grows with the cluster's NADs on every node: 8,000 of 4 KiB put it past upstream's 50Mi.
NADS, NAD_CONFIG_BYTES = 8000, 4096
NAD_NAMESPACE = "mhm-many-nads"
NAD_API = ("k8s.cni.cncf.io", "v1", "network-attachment-definitions")


def multus_conf_type() -> str:
    wait_for_files(VM1, MULTUS_CONF)
    return json.loads(in_vm(VM1, f"cat {MULTUS_CONF}").stdout)["type"]


def daemon_memory() -> tuple[dict[str, str], int, int]:
    """memory.events, memory.peak and memory.max of the thick daemon's cgroup in vm1."""
    events = dict(line.split() for line in in_vm(VM1, f"cat {DAEMON_CGROUP}/memory.events").stdout.splitlines())
    peak, limit = in_vm(VM1, f"cat {DAEMON_CGROUP}/memory.peak {DAEMON_CGROUP}/memory.max").stdout.split()
    return events, int(peak), int(limit)


def switch(flavor: str, now: dict) -> None:
    site("-e", f"multus_flavor={flavor}")
    now["flavor"] = flavor
    run_daemonset("kube-system", "kube-multus-ds")


@pytest.fixture(name="flavor")
def fixture_flavor():
    """The flavor the cluster runs; thin again at the end, also when the test fails."""
    now = {"flavor": "thin"}
    try:
        yield now
    finally:
        if now["flavor"] != "thin":
            switch("thin", now)


def test_thin_to_thick_and_back(flavor, sandboxes):
    switch("thick", flavor)
    assert multus_conf_type() == "multus-shim"
    assert in_vm(VM1, "test -x /opt/cni/bin/multus-shim", check=False).returncode == 0
    for number in range(PODS):
        assert sandboxes.attach(f"mhm-thick-{number}", VM1)
    events, peak, limit = daemon_memory()
    print(f"multus-daemon on {VM1.name} after {PODS} pods: cgroup memory.peak {peak} bytes, memory.max {limit}")
    assert events["oom_kill"] == "0", f"the thick daemon was OOM-killed under memory.max {limit}: {events}"
    sandboxes.remove_all()
    switch("thin", flavor)
    assert multus_conf_type() == "multus"
    assert sandboxes.attach("mhm-thin-again", VM1)


@pytest.fixture(name="many_nads")
def fixture_many_nads():
    """NADS config-heavy NetworkAttachmentDefinitions in their own namespace; all gone at the end, also on failure."""
    api = config.new_client_from_config(config_file=str(PLAN.paths.kubeconfig), context=PLAN.cluster.name)
    core, custom = client.CoreV1Api(api), client.CustomObjectsApi(api)
    core.create_namespace({"metadata": {"name": NAD_NAMESPACE}})
    try:
        pad = "x" * NAD_CONFIG_BYTES
        for number in range(NADS):
            nad = {"apiVersion": "/".join(NAD_API[:2]), "kind": "NetworkAttachmentDefinition",
                   "metadata": {"name": f"tenant-{number}"},
                   "spec": {"config": json.dumps({"cniVersion": "0.3.1", "type": "macvlan", "mhm_pad": pad})}}
            custom.create_namespaced_custom_object(*NAD_API[:2], NAD_NAMESPACE, NAD_API[2], nad)
        yield NADS
    finally:
        custom.delete_collection_namespaced_custom_object(*NAD_API[:2], NAD_NAMESPACE, NAD_API[2])
        core.delete_namespace(NAD_NAMESPACE)
        deadline = time.monotonic() + 300
        while any(n.metadata.name == NAD_NAMESPACE for n in core.list_namespace().items):
            assert time.monotonic() < deadline, f"namespace {NAD_NAMESPACE} still there after 300 s"
            time.sleep(2)
        api.close()


def test_thick_daemon_holds_many_nads_within_its_limit(flavor, many_nads, sandboxes):
    switch("thick", flavor)
    time.sleep(15)  # the daemon lists every NAD when it starts; let it settle
    events, peak, limit = daemon_memory()
    print(f"multus-daemon on {VM1.name} holding {many_nads} NADs of {NAD_CONFIG_BYTES} bytes: "
          f"cgroup memory.peak {peak} bytes, memory.max {limit}")
    assert events["oom_kill"] == "0", f"the thick daemon was OOM-killed under memory.max {limit} ({many_nads} NADs): {events}"
    assert sandboxes.attach("mhm-thick-many-nads", VM1)
