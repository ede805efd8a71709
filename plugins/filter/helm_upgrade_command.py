# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: helm_upgrade_command
short_description: The helm upgrade command that sets values on the release managing a Kubernetes object
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Helm puts an object it manages back to the release's values at the next C(helm upgrade), so a lasting change is
    made through Helm. This filter gives the command for the object's release, or an empty string when Helm does not
    manage the object (label C(app.kubernetes.io/managed-by=Helm) or annotation C(meta.helm.sh/release-name)).
  - The release and its namespace come from the annotations C(meta.helm.sh/release-name) and
    C(meta.helm.sh/release-namespace), the chart and its version from the label C(helm.sh/chart); the version is
    pinned (C(--version)) so that only the values change, and C(--reuse-values) keeps every other value.
positional: namespace, values
options:
  _input:
    description: The object read by M(kubernetes.core.k8s_info).
    type: dict
    required: true
  namespace:
    description: The object's namespace, the release namespace when the object does not name one.
    type: str
    required: true
  values:
    description: "Helm values to set, e.g. V({'cni.exclusive': false})."
    type: dict
    required: true
  repo:
    description: Name of the chart repository as added with C(helm repo add).
    type: str
    default: cilium
"""

EXAMPLES = r"""
- name: The Helm command that turns Cilium's exclusive mode off
  ansible.builtin.set_fact:
    fix: "{{ cilium_configmap | multihome.multus.helm_upgrade_command('kube-system', {'cni.exclusive': false}) }}"
  # -> "helm upgrade cilium cilium/cilium --namespace kube-system --version 1.18.6 --reuse-values --set cni.exclusive=false"
"""

RETURN = r"""
_value:
  description: The command, or an empty string when Helm does not manage the object.
  type: str
  sample: helm upgrade cilium cilium/cilium --namespace kube-system --version 1.18.6 --reuse-values --set cni.exclusive=false
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._helm_upgrade import helm_upgrade_command as _command


def helm_upgrade_command(obj, namespace, values, repo='cilium'):
    """The helm upgrade command for the release of ``obj``."""
    if not isinstance(namespace, str) or not isinstance(repo, str):
        raise AnsibleFilterError(f'helm_upgrade_command: namespace and repo must be strings, got {namespace!r}, {repo!r}')
    if not isinstance(values, Mapping) or not values:
        raise AnsibleFilterError(f'helm_upgrade_command: values must be a non-empty dict, got {values!r}')
    return _command(obj, namespace, values, repo)


class FilterModule:
    """The helm_upgrade_command filter."""

    def filters(self):
        return {
            'helm_upgrade_command': helm_upgrade_command,
        }
