# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: k8s_drift
short_description: List where a live Kubernetes object differs from its wanted definition
version_added: 0.2.0
author:
  - multihome.multus maintainers
description:
  - Compares a wanted definition (a rendered manifest) with the live object read by
    M(kubernetes.core.k8s_info) and returns the dotted paths of the fields that differ.
  - An empty list means the object is up to date, so applying it again would change nothing and can be skipped;
    this keeps a rerun free of write requests to the API server.
  - Only the fields the definition sets are compared; fields the API server adds (status, defaults, metadata) are
    not drift. Lists must have the same length and are compared item by item. Types must match (V(1) is not V(true)).
  - A live object of V(none) (it does not exist) gives V(['.']).
options:
  _input:
    description: The wanted definition.
    type: dict
    required: true
  live:
    description: The live object, or V(none) when it does not exist.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the live DaemonSet
  kubernetes.core.k8s_info:
    api_version: apps/v1
    kind: DaemonSet
    namespace: kube-system
    name: kube-multus-ds
  register: live

- name: Apply it only when it drifted
  kubernetes.core.k8s:
    definition: "{{ wanted }}"
    apply: true
  when: wanted | multihome.multus.k8s_drift(live.resources | first | default(none)) | length > 0
"""

RETURN = r"""
_value:
  description: Dotted paths of the differing fields, for example C(spec.template.spec.containers[0].image).
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._k8s_drift import k8s_drift as _k8s_drift


def k8s_drift(wanted, live):
    """Return the paths where the live object differs from the wanted definition."""
    try:
        return _k8s_drift(wanted, live)
    except TypeError as exc:
        raise AnsibleFilterError(f'k8s_drift: {exc}') from exc


class FilterModule:
    """The k8s_drift filter."""

    def filters(self):
        return {
            'k8s_drift': k8s_drift,
        }
