# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: cluster_access
short_description: Choose the way kubernetes.core reaches the cluster, and name it without secrets
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Works out which of the ways M(kubernetes.core.k8s) takes credentials a run uses, in the order
    kubernetes.core follows itself. First a host (API server URL) with a bearer token, a client certificate
    and key, or a username and password. Then a kubeconfig (a file, or its content as a dict) or a context.
    Then the in-cluster service account. Last the default kubeconfig C(~/.kube/config).
  - Each setting comes from its C(multihome_multus_*) variable (the input), else from the C(K8S_AUTH_*)
    environment variables kubernetes.core reads for it (O(env)); empty values count as unset.
  - The files the chosen way needs (kubeconfig, client certificate and key, CA certificate) must exist (O(found)).
  - Bearer tokens, passwords and a kubeconfig's content are only tested for presence; the result never holds them.
positional: env, found
options:
  _input:
    description:
      - The connection settings by name (C(kubeconfig), C(context), C(host), C(api_key), C(username), C(password),
        C(client_cert), C(client_key), C(ca_cert), C(validate_certs)), from the C(multihome_multus_*) variables.
      - Missing names, V(null) and empty strings count as unset.
    type: dict
    required: true
  env:
    description: Environment variables by name (the C(K8S_AUTH_*) ones and C(KUBERNETES_SERVICE_HOST),
      C(KUBERNETES_SERVICE_PORT)); missing or empty ones count as unset.
    type: dict
    default: {}
  found:
    description: Whether each file of RV(_value.paths) exists on the host where the modules run; a path
      that is not in it counts as missing.
    type: dict
    default: {}
  serviceaccount_dir:
    description: Where a pod's service account token and CA certificate are mounted.
    type: str
    default: /var/run/secrets/kubernetes.io/serviceaccount
"""

EXAMPLES = r"""
- name: Look for the files the choice depends on
  ansible.builtin.stat:
    path: "{{ item }}"
  loop: "{{ (settings | multihome.multus.cluster_access(env)).paths }}"
  register: files

- name: Choose the way
  ansible.builtin.set_fact:
    access: >-
      {{ settings | multihome.multus.cluster_access(env,
           dict(files.results | map(attribute='item') | zip(files.results | map(attribute='stat.exists')))) }}
  vars:
    settings: {host: "https://198.18.96.1:6443", api_key: "{{ my_token }}", ca_cert: /etc/k8s/ca.crt}
    env: {}
  # -> {"way": "token", "kubeconfig": "", "error": "", "paths": [...],
  #     "summary": "bearer token (multihome_multus_api_key) for https://198.18.96.1:6443 (multihome_multus_host);
  #                 CA certificate /etc/k8s/ca.crt (multihome_multus_ca_cert)"}
"""

RETURN = r"""
_value:
  description: The way, in words and as a name.
  type: dict
  contains:
    way:
      description: V(token), V(client_certificate), V(basic_auth), V(kubeconfig), V(kubeconfig_content) or
        V(in_cluster); empty when there is an error.
      type: str
    summary:
      description: The way with each setting's source (variable or environment variable), the host and the file
        paths; no secret.
      type: str
    kubeconfig:
      description: The kubeconfig file of the way V(kubeconfig) (the default C(~/.kube/config) when only a context
        is given); empty otherwise.
      type: str
    paths:
      description: Every file the choice may depend on, for O(found).
      type: list
      elements: str
    error:
      description: Why no way applies, what is missing, and the accepted ways; empty when a way applies.
      type: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._cluster_access import (
    ENVIRONMENT,
    SERVICEACCOUNT_DIR,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._cluster_access import (
    cluster_access as _cluster_access,
)


def cluster_access(settings, env=None, found=None, serviceaccount_dir=SERVICEACCOUNT_DIR):
    """Choose the way to the cluster."""
    for what, value in (('the input', settings), ('env', {} if env is None else env),
                        ('found', {} if found is None else found)):
        if not isinstance(value, Mapping):
            raise AnsibleFilterError(f'cluster_access: {what} must be a dict, got {type(value).__name__}')
    unknown = sorted(str(name) for name in settings if name not in ENVIRONMENT)
    if unknown:
        raise AnsibleFilterError(f"cluster_access: unknown setting(s) {', '.join(unknown)}; known: {', '.join(ENVIRONMENT)}")
    kubeconfig = settings.get('kubeconfig')
    if kubeconfig is not None and not isinstance(kubeconfig, (str, Mapping)):
        raise AnsibleFilterError('cluster_access: kubeconfig must be a path or the content of a kubeconfig (a dict), '
                                 f'got {type(kubeconfig).__name__}')
    for name in ('context', 'host', 'client_cert', 'client_key', 'ca_cert'):
        value = settings.get(name)
        if value is not None and not isinstance(value, str):
            raise AnsibleFilterError(f'cluster_access: {name} must be a string, got {value!r}')
    if not isinstance(serviceaccount_dir, str) or not serviceaccount_dir.startswith('/'):
        raise AnsibleFilterError(f'cluster_access: serviceaccount_dir must be an absolute path, got {serviceaccount_dir!r}')
    return _cluster_access(settings, {} if env is None else env, {} if found is None else found,
                           serviceaccount_dir.rstrip('/') or '/')


class FilterModule:
    """The cluster_access filter."""

    def filters(self):
        return {
            'cluster_access': cluster_access,
        }
