# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""site.yml on the lab cluster with a bearer token and no kubeconfig, as an automation platform runs it.

A ServiceAccount bound to cluster-admin gets a token from the TokenRequest API; the
API server URL and CA certificate come from the lab kubeconfig. ansible-playbook
then gets only K8S_AUTH_HOST, K8S_AUTH_API_KEY and K8S_AUTH_SSL_CA_CERT in its
environment, and the inventory's kubeconfig and context are unset with empty
extra variables (an empty connection variable counts as unset: the access check
skips it and module_defaults omit it). The run must pass, the access check must
name the token way, the token must never be printed, and a rerun changes nothing.
The ServiceAccount and its binding go afterwards, also when a check fails.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess

import pytest
import yaml
from clustertools import CONTEXT, INVENTORY, KUBECONFIG, api, read_or_none
from kubernetes import client
from labtools import SITE, recap

NAMESPACE = "default"
ACCOUNT = "mhm-token-check"
BINDING = "mhm-token-check-cluster-admin"
# Extra variables that unset the lab inventory's kubeconfig and context.
NO_KUBECONFIG = json.dumps({"multihome_multus_kubeconfig": "", "multihome_multus_context": ""})


def lab_server_and_ca(ca_file) -> str:
    """The API server URL of the lab kubeconfig's context; its CA certificate is written to CA_FILE."""
    kubeconfig = yaml.safe_load(KUBECONFIG.read_text(encoding="utf-8"))
    context = next(c["context"] for c in kubeconfig["contexts"] if c["name"] == CONTEXT)
    cluster = next(c["cluster"] for c in kubeconfig["clusters"] if c["name"] == context["cluster"])
    if "certificate-authority-data" in cluster:
        ca_file.write_bytes(base64.b64decode(cluster["certificate-authority-data"]))
    else:
        # A relative path in a kubeconfig is relative to the kubeconfig's directory.
        ca_file.write_bytes((KUBECONFIG.parent / cluster["certificate-authority"]).read_bytes())
    return cluster["server"]


@pytest.fixture(scope="module", name="token")
def fixture_token():
    """A bearer token of a ServiceAccount bound to cluster-admin, for an hour; both go afterwards."""
    with api() as k8s:
        core = client.CoreV1Api(k8s)
        rbac = client.RbacAuthorizationV1Api(k8s)
        try:
            core.create_namespaced_service_account(NAMESPACE, client.V1ServiceAccount(metadata=client.V1ObjectMeta(name=ACCOUNT)))
            rbac.create_cluster_role_binding(client.V1ClusterRoleBinding(
                metadata=client.V1ObjectMeta(name=BINDING),
                role_ref=client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name="cluster-admin"),
                subjects=[client.RbacV1Subject(kind="ServiceAccount", name=ACCOUNT, namespace=NAMESPACE)]))
            request = core.create_namespaced_service_account_token(ACCOUNT, NAMESPACE, client.AuthenticationV1TokenRequest(
                spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=3600)))
            yield request.status.token
        finally:
            if read_or_none(rbac.read_cluster_role_binding, BINDING) is not None:
                rbac.delete_cluster_role_binding(BINDING)
            if read_or_none(core.read_namespaced_service_account, ACCOUNT, NAMESPACE) is not None:
                core.delete_namespaced_service_account(ACCOUNT, NAMESPACE)


def site_with_token(token: str, server: str, ca_file) -> subprocess.CompletedProcess:
    """site.yml on the lab-cluster inventory with the token in the environment and no kubeconfig."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("K8S_AUTH_", "KUBERNETES_SERVICE_")) and key != "KUBECONFIG"}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0",
               K8S_AUTH_HOST=server, K8S_AUTH_API_KEY=token, K8S_AUTH_SSL_CA_CERT=str(ca_file))
    argv = ["ansible-playbook", "-i", str(INVENTORY), str(SITE), "-e", NO_KUBECONFIG]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=1800, check=False, env=env)
    # The token is in the environment only; the log gets the command and its output.
    print(f"$ K8S_AUTH_HOST={server} K8S_AUTH_API_KEY=... K8S_AUTH_SSL_CA_CERT={ca_file} {' '.join(argv)}\n"
          f"{proc.stdout}{proc.stderr}")
    return proc


def test_site_with_a_bearer_token(token, tmp_path):
    ca_file = tmp_path / "ca.crt"
    server = lab_server_and_ca(ca_file)
    named = (f"cluster access by bearer token (K8S_AUTH_API_KEY) for {server} (K8S_AUTH_HOST); "
             f"CA certificate {ca_file} (K8S_AUTH_SSL_CA_CERT)")

    first = site_with_token(token, server, ca_file)
    first_output = " ".join((first.stdout + first.stderr).split())
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert named in first_output, "the access check does not name the token way"
    assert token not in first.stdout + first.stderr, "the token was printed"

    again = site_with_token(token, server, ca_file)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert named in " ".join((again.stdout + again.stderr).split())
    assert recap(again.stdout, "localhost")["changed"] == 0, "the second run with the token changed the cluster"
    assert token not in again.stdout + again.stderr, "the token was printed"
