# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: k8s_managers
short_description: Name the tools (Helm, the addon manager) that manage Kubernetes objects
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Helm and the Kubernetes addon manager put an object back as they know it on their next upgrade or reconcile
    loop, which undoes a change made to the live object. This filter tells which of the given objects they manage,
    so that a role can warn to make the change at the source as well.
  - An object is managed by Helm when its label C(app.kubernetes.io/managed-by) is V(Helm) or it has the annotation
    C(meta.helm.sh/release-name); by the addon manager when it has the label (or, without the label, the
    annotation) C(addonmanager.kubernetes.io/mode) with a non-empty value.
  - An absent object (V({}) or V(none)) has no manager.
positional: namespace
options:
  _input:
    description: The objects to look at, as a dict from their kind (used in the messages) to the object read by
      M(kubernetes.core.k8s_info), in the order the messages should follow.
    type: dict
    required: true
  namespace:
    description: The namespace the objects were read from, used in the messages.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: List the managers of the Cilium objects
  ansible.builtin.set_fact:
    managers: >-
      {{ {'DaemonSet': cilium_daemonset, 'ConfigMap': cilium_configmap}
         | multihome.multus.k8s_managers(namespace='kube-system') }}
  # -> ["DaemonSet kube-system/cilium is managed by Helm (release cilium)",
  #     "ConfigMap kube-system/cilium-config is managed by the addon manager (mode Reconcile)"]

- name: Warn
  ansible.builtin.debug:
    msg: "WARNING: {{ managers | join('; ') }}."
  when: managers | length > 0
"""

RETURN = r"""
_value:
  description: One sentence per manager found, C(<kind> <namespace>/<name> is managed by ...); empty when none.
  type: list
  elements: str
  sample: ["DaemonSet kube-system/cilium is managed by Helm (release cilium)"]
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._k8s_managers import k8s_managers as _k8s_managers


def k8s_managers(objects, namespace):
    """Name who manages each of the objects."""
    if not isinstance(objects, Mapping):
        raise AnsibleFilterError(f'k8s_managers: the input must be a dict of kind -> object, got {objects!r}')
    if not isinstance(namespace, str):
        raise AnsibleFilterError(f'k8s_managers: namespace must be a string, got {namespace!r}')
    return _k8s_managers(objects, namespace)


class FilterModule:
    """The k8s_managers filter."""

    def filters(self):
        return {
            'k8s_managers': k8s_managers,
        }
