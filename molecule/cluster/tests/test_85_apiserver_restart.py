# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Fault drill: the API server restarts while the cluster play applies Multus.

The Multus DaemonSet and its ServiceAccount and RBAC are deleted, so the
multus role has them to apply; site.yml runs with its output streamed, and once
the role has applied the ServiceAccount the lab restarts kube-apiserver (down for a few
seconds, `clusterctl restart-apiserver`). The run either survives or stops at the
step the API server failed, naming it and the API server; it never goes on past
a failure. Then site.yml converges, a rerun changes nothing, and every Multus
object is present and consistent. The API server is always back before the test
ends.
"""

from __future__ import annotations

import re
import subprocess
import time
from urllib.parse import urlsplit

from clustertools import INVENTORY, api, converge, playbook, read_or_none, rerun_changes_nothing
from kubernetes import client
from labtools import REPO, SITE, recap, run_with_fault

CLUSTERCTL = REPO / "lab" / "cluster" / "clusterctl"
NAMESPACE = "kube-system"
DAEMONSET = "kube-multus-ds"
ACCOUNT = "multus"
CRD = "network-attachment-definitions.k8s.cni.cncf.io"
DOWN_SECONDS = 3
# The restart comes once the role has applied the first Multus object after the CRD,
# while it applies the rest of the RBAC and then the DaemonSet.
MARKER = "(item=ServiceAccount kube-system/multus: new)"
CLUSTER_STEPS = ("TASK [multihome.multus.multus :", "TASK [multihome.multus.k8s_objects :", "TASK [multihome.multus.k8s_wait :")


def delete_multus_objects() -> None:
    """Delete the DaemonSet, ServiceAccount, ClusterRole and ClusterRoleBinding of Multus; wait until they are gone."""
    with api() as k8s:
        apps, core, rbac = client.AppsV1Api(k8s), client.CoreV1Api(k8s), client.RbacAuthorizationV1Api(k8s)
        apps.delete_namespaced_daemon_set(DAEMONSET, NAMESPACE, propagation_policy="Foreground")
        core.delete_namespaced_service_account(ACCOUNT, NAMESPACE)
        rbac.delete_cluster_role_binding(ACCOUNT)
        rbac.delete_cluster_role(ACCOUNT)
        deadline = time.monotonic() + 120
        while read_or_none(apps.read_namespaced_daemon_set, DAEMONSET, NAMESPACE) is not None:
            assert time.monotonic() < deadline, "the Multus DaemonSet is not gone after 120 s"
            time.sleep(1)


def api_server_address() -> tuple[str, str]:
    """Host and port of the lab API server."""
    with api() as k8s:
        url = urlsplit(k8s.configuration.host)
    return url.hostname, str(url.port)


def failed_step(output: str) -> str:
    """The output of the task that failed (fatal, or failed for a loop item), from its banner to the next one."""
    fatal = re.search(r"^(fatal|failed): \[localhost\]", output, re.MULTILINE).start()
    start = output.rindex("TASK [", 0, fatal)
    ends = [i for i in (output.find("TASK [", fatal), output.find("PLAY RECAP", fatal)) if i >= 0]
    return output[start:min(ends)]


def test_apiserver_restart_during_multus_apply():
    host, port = api_server_address()
    delete_multus_objects()
    restart = None

    def restart_apiserver():
        nonlocal restart
        restart = subprocess.Popen([str(CLUSTERCTL), "restart-apiserver", str(DOWN_SECONDS)],  # pylint: disable=consider-using-with
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    converged = False
    try:
        started = time.monotonic()
        faulted, fault_at = run_with_fault(["ansible-playbook", "-i", str(INVENTORY), str(SITE)], MARKER, 1,
                                           restart_apiserver)
        took = time.monotonic() - started
        assert fault_at is not None, f"the play never printed {MARKER!r}"
        restarted = restart.communicate(timeout=300)[0]
        print(f"$ clusterctl restart-apiserver {DOWN_SECONDS}\n{restarted}")
        assert restart.returncode == 0, "the API server did not come back"
        print(f"drill: API server restarted at {fault_at:.1f} s, run ended at {took:.1f} s with rc {faulted.returncode}")
        # No failure passed over: a run that went on past a failed apply would leave the rest
        # half-applied, behind a later failure or none.
        counts = recap(faulted.stdout, "localhost")
        assert counts["ignored"] == 0, f"the run went on past a failed step: {counts}"
        if faulted.returncode:
            failed = failed_step(faulted.stdout)
            step = failed.splitlines()[0]
            print(f"drill: the run failed in {step}")
            assert step.startswith(CLUSTER_STEPS), f"the run failed elsewhere: {step}"
            assert host in failed and port in failed, f"the failure does not name the API server {host}:{port}: {failed[:3000]}"
            assert counts["failed"] == 1

        converge(SITE)
        converged = True
        rerun_changes_nothing(SITE)

        # Nothing half-applied: every object there, the DaemonSet ready with the ServiceAccount bound.
        with api() as k8s:
            apps, core, rbac = client.AppsV1Api(k8s), client.CoreV1Api(k8s), client.RbacAuthorizationV1Api(k8s)
            crd = client.ApiextensionsV1Api(k8s).read_custom_resource_definition(CRD)
            assert any(c.type == "Established" and c.status == "True" for c in crd.status.conditions)
            assert core.read_namespaced_service_account(ACCOUNT, NAMESPACE)
            assert rbac.read_cluster_role(ACCOUNT).rules
            binding = rbac.read_cluster_role_binding(ACCOUNT)
            assert (binding.role_ref.name, [(s.name, s.namespace) for s in binding.subjects]) == (ACCOUNT, [(ACCOUNT, NAMESPACE)])
            daemonset = apps.read_namespaced_daemon_set(DAEMONSET, NAMESPACE)
            assert daemonset.spec.template.spec.service_account_name == ACCOUNT
            status = daemonset.status
            assert (status.desired_number_scheduled, status.updated_number_scheduled, status.number_ready) == (2, 2, 2)
    finally:
        if restart is not None and restart.poll() is None:
            restart.communicate(timeout=300)
        if not converged:
            playbook(SITE)
