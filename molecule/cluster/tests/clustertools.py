# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Helpers of the cluster scenario: the lab cluster's API, playbooks and audit counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kubernetes import client, config
from kubernetes.client.rest import ApiException
from labtools import LABCTL, REPO, recap, run
from mhmlab import auditcounts  # importable once labtools put lab/ on sys.path

CACHE = Path(os.environ.get("MULTIHOME_CACHE", Path.home() / ".cache" / "multihome-multus"))
KUBECONFIG = CACHE / "cluster" / "kubeconfig"
CONTEXT = "mhm-lab"
MARKS = CACHE / "cluster" / "audit-marks"
AUDIT_LOG = auditcounts.default_log()
INVENTORY = REPO / "inventories" / "lab-cluster"
KUBELETCTL = REPO / "lab" / "cluster" / "kubeletctl"
NODES = ("node1", "node2")


def api() -> client.ApiClient:
    """A client of the lab cluster, as the collection's user."""
    return config.new_client_from_config(config_file=str(KUBECONFIG), context=CONTEXT)


def read_or_none(reader, *args):
    """The object, or None when the API server answers 404."""
    try:
        return reader(*args)
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise


def poststart_command(k8s: client.ApiClient) -> list[str]:
    """The postStart exec command of the cilium-agent container of DaemonSet kube-system/cilium."""
    daemonset = k8s.sanitize_for_serialization(client.AppsV1Api(k8s).read_namespaced_daemon_set("cilium", "kube-system"))
    agent = [c for c in daemonset["spec"]["template"]["spec"]["containers"] if c["name"] == "cilium-agent"]
    assert agent, "DaemonSet kube-system/cilium has no cilium-agent container"
    return agent[0].get("lifecycle", {}).get("postStart", {}).get("exec", {}).get("command", [])


def marked_runs(prefix: str = "") -> list[tuple[int, int]]:
    """(start, end) audit-log offsets of the runs marked PREFIX+"start" / PREFIX+"end", in order."""
    lines = [line.split() for line in MARKS.read_text(encoding="utf-8").splitlines() if line.strip()]
    ours = [(label, int(offset)) for label, offset in lines if label in (f"{prefix}start", f"{prefix}end")]
    labels = [label for label, _offset in ours]
    assert labels == [f"{prefix}start", f"{prefix}end"] * (len(ours) // 2) and labels, f"unexpected marks {labels}"
    offsets = [offset for _label, offset in ours]
    return list(zip(offsets[::2], offsets[1::2]))


def playbook(path: Path, *extra: str):
    """ansible-playbook with the lab-cluster inventory."""
    return run(["ansible-playbook", "-i", str(INVENTORY), str(path), *extra])


def converge(path: Path) -> None:
    """A run of the playbook that must succeed."""
    done = playbook(path)
    assert done.returncode == 0, done.stdout[-3000:]


def rerun_changes_nothing(path: Path) -> None:
    """A further run that succeeds and changes nothing on the controller and the nodes."""
    again = playbook(path)
    assert again.returncode == 0, again.stdout[-3000:]
    for host in ("localhost", *NODES):
        assert recap(again.stdout, host)["changed"] == 0, f"second run changed {host}"


def cilium_variant(variant: str) -> None:
    """Recreate the lab Cilium as VARIANT (configmap or poststart)."""
    proc = playbook(REPO / "lab" / "cluster" / "cilium.yml", "-e", f"lab_cluster_cilium_variant={variant}")
    assert proc.returncode == 0, proc.stdout[-3000:]


def mark() -> int:
    """The audit log's current size, for a later audit_counts()."""
    return auditcounts.log_size(AUDIT_LOG)


def audit_counts(title: str, offset: int, end: int | None = None) -> dict:
    """Print the request table of the collection's user between two marks; return its JSON form."""
    counted = auditcounts.summary(AUDIT_LOG, offset, end)
    print(f"==== audit counts: {title} ====")
    print("\n".join(auditcounts.text_lines(counted)))
    return counted


def writes_by_verb(counts: dict) -> dict[str, int]:
    """Write requests per verb, e.g. {'patch': 6}."""
    found: dict[str, int] = {}
    for row in counts["counts"]:
        if row["write"]:
            found[row["verb"]] = found.get(row["verb"], 0) + row["count"]
    return found


def lab_secondaries(node: str) -> tuple[str, str]:
    """First and last secondary address the lab put on the node's eth1 (labctl env)."""
    first, last = lab_node_env(node)["MHM_SECONDARIES"].split("-")
    return first, last


def pod_exec(k8s: client.ApiClient, namespace: str, name: str, argv: list[str]) -> str:
    """stdout and stderr of a command run in a pod through the API server (kubectl exec)."""
    from kubernetes.stream import stream  # pylint: disable=import-outside-toplevel

    return stream(client.CoreV1Api(k8s).connect_get_namespaced_pod_exec, name, namespace, command=argv,
                  stderr=True, stdin=False, stdout=True, tty=False, _request_timeout=60)


def network_status(pod: client.V1Pod) -> list[dict]:
    """The pod's k8s.v1.cni.cncf.io/network-status entries (empty when absent)."""
    raw = (pod.metadata.annotations or {}).get("k8s.v1.cni.cncf.io/network-status", "[]")
    return json.loads(raw)


def status_writers(pod: client.V1Pod) -> list[str]:
    """Field managers that set the network-status annotation through the status subresource."""
    return [entry.manager for entry in pod.metadata.managed_fields or []
            if entry.subresource == "status"
            and "f:k8s.v1.cni.cncf.io/network-status" in (entry.fields_v1 or {}).get("f:metadata", {}).get("f:annotations", {})]


def lab_node_env(node: str) -> dict[str, str]:
    """labctl env of a node (its addresses and PID)."""
    proc = run([str(LABCTL), "env", node], timeout=60)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def kubelets(action: str, *nodes: str) -> None:
    """Start (up) or stop (down) containerd and kubelet on lab nodes (lab/cluster/kubeletctl)."""
    proc = run([str(KUBELETCTL), action, *nodes], timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


def wait_for(what: str, probe, timeout: float = 60, interval: float = 1):
    """Poll PROBE until it returns a true value (returned), at most TIMEOUT seconds."""
    import time  # pylint: disable=import-outside-toplevel

    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(interval)
