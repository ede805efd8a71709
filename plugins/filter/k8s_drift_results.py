# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: k8s_drift_results
short_description: Pair each definition of a k8s_info loop with where its live object differs
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Takes the C(results) of M(kubernetes.core.k8s_info) looped over wanted definitions and returns, in loop
    order, each definition with the dotted paths where its live object differs, as
    P(multihome.multus.k8s_drift#filter) computes them (V(['.']) when the object does not exist, V([]) when it is
    up to date).
  - The definition is the loop variable of each result, the live object the first of its C(resources).
  - Fails naming the result when it lacks the loop variable or its definition is not a dict.
positional: loop_var
options:
  _input:
    description: The C(results) of the registered M(kubernetes.core.k8s_info) loop.
    type: list
    elements: dict
    required: true
  loop_var:
    description: The C(loop_control.loop_var) of that loop.
    type: str
    default: item
"""

EXAMPLES = r"""
- name: Read the live objects
  kubernetes.core.k8s_info:
    api_version: "{{ item.apiVersion }}"
    kind: "{{ item.kind }}"
    name: "{{ item.metadata.name }}"
    namespace: "{{ item.metadata.namespace | default(omit) }}"
  loop: "{{ definitions }}"
  register: live

- name: Compare them with the definitions
  ansible.builtin.set_fact:
    drift: "{{ live.results | multihome.multus.k8s_drift_results }}"
  # -> [{"definition": {...the ConfigMap...}, "paths": ["data.a"]},
  #     {"definition": {...the DaemonSet...}, "paths": []}]

- name: Apply the objects that differ
  kubernetes.core.k8s:
    definition: "{{ item.definition }}"
    apply: true
  loop: "{{ drift | selectattr('paths') }}"
"""

RETURN = r"""
_value:
  description: One entry per loop result, in loop order.
  type: list
  elements: dict
  contains:
    definition:
      description: The wanted definition.
      type: dict
    paths:
      description: Dotted paths of the differing fields; V(['.']) for a missing object, empty when up to date.
      type: list
      elements: str
    api_found:
      description:
        - False when the API server does not serve the kind (C(api_found) of M(kubernetes.core.k8s_info)), for example a CRD
          that an earlier step of the same run creates and that check mode did not create.
      type: bool
      version_added: 0.3.0
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._k8s_drift import k8s_drift_results as _k8s_drift_results


def k8s_drift_results(results, loop_var='item'):
    """Pair each definition of a k8s_info loop with its drift."""
    if not isinstance(loop_var, str) or not loop_var:
        raise AnsibleFilterError(f'k8s_drift_results: loop_var must be a non-empty string, got {loop_var!r}')
    try:
        return _k8s_drift_results(results, loop_var)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError(f'k8s_drift_results: {exc}') from exc


class FilterModule:
    """The k8s_drift_results filter."""

    def filters(self):
        return {
            'k8s_drift_results': k8s_drift_results,
        }
