# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: cilium_poststart_patch
short_description: Plan the JSON patch that sets --cni-exclusive in the Cilium agent's postStart command
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Before Cilium 1.14, CNI-exclusive mode is an argument of the agent container's postStart exec command,
    for example V(["/cni-install.sh", "--enable-debug=false", "--cni-exclusive=true"]) or a shell string such as
    V(["bash", "-c", "/cni-install.sh --cni-exclusive=true"]). This filter plans the RFC 6902 JSON patch
    (for M(kubernetes.core.k8s_json_patch)) that sets it to the wanted value.
  - The argument is searched for, never taken from a fixed index. Both the C(--cni-exclusive=VALUE) form (alone
    or inside a shell string) and the separate C(--cni-exclusive VALUE) form are found, and every occurrence is
    patched, because the last one wins in cni-install.sh.
  - When the argument is absent, cni-install.sh is exclusive, so disabling adds it, after a command that ends in
    C(cni-install.sh) or right after C(cni-install.sh) inside a shell string.
  - Every change is preceded by a C(test) operation of the old value, so a concurrent edit of the command fails
    the patch instead of being overwritten.
  - A DaemonSet that cannot be patched (no such container, no postStart exec command, C(--cni-exclusive) as the
    last element, a command that neither carries the argument nor runs cni-install.sh) is reported in C(error),
    not raised, so that the caller can explain what to change.
positional: container, enabled
options:
  _input:
    description: The Cilium DaemonSet object, as read by M(kubernetes.core.k8s_info); V(none) or V({}) when absent.
    type: dict
    required: true
  container:
    description: Name of the agent container, usually V(cilium-agent).
    type: str
    required: true
  enabled:
    description: The wanted mode, V(true) for CNI-exclusive, V(false) to let other CNI configs live next to Cilium's.
    type: bool
    required: true
"""

EXAMPLES = r"""
- name: Plan the change of the guide's DaemonSet
  ansible.builtin.set_fact:
    plan: "{{ daemonset | multihome.multus.cilium_poststart_patch(container='cilium-agent', enabled=false) }}"
  vars:
    daemonset:
      spec:
        template:
          spec:
            containers:
              - name: cilium-agent
                lifecycle:
                  postStart:
                    exec:
                      command: [/cni-install.sh, --enable-debug=false, --cni-exclusive=true]
  # plan.patch == [
  #   {"op": "test", "path": "/spec/template/spec/containers/0/lifecycle/postStart/exec/command/2",
  #    "value": "--cni-exclusive=true"},
  #   {"op": "replace", "path": "/spec/template/spec/containers/0/lifecycle/postStart/exec/command/2",
  #    "value": "--cni-exclusive=false"}]

- name: Apply it
  kubernetes.core.k8s_json_patch:
    api_version: apps/v1
    kind: DaemonSet
    namespace: kube-system
    name: cilium
    patch: "{{ plan.patch }}"
  when: plan.patch_needed
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    container_index:
      description: Index of the agent container in the pod template, V(-1) when there is none.
      type: int
      sample: 0
    command_path:
      description: JSON pointer of the agent's postStart exec command; empty when there is no agent container.
      type: str
      sample: /spec/template/spec/containers/0/lifecycle/postStart/exec/command
    matches:
      description: Every element of the command carrying the argument, as C(index), C(old) and C(new) value
        (C(old) is V(none) for an argument to be appended).
      type: list
      elements: dict
      sample: [{"index": 2, "old": "--cni-exclusive=true", "new": "--cni-exclusive=false"}]
    current:
      description: The value in effect now, V(true) or V(false) (the last occurrence; V(true) when absent).
      type: str
      sample: "true"
    desired:
      description: The wanted value, V(true) or V(false).
      type: str
      sample: "false"
    patch_needed:
      description: Whether the patch has operations to apply.
      type: bool
      sample: true
    patch:
      description: The RFC 6902 operations, a C(test) of each old value before its change; empty on error.
      type: list
      elements: dict
    error:
      description: Why the command cannot be patched; empty when it can.
      type: str
      sample: ""
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._cilium_poststart_patch import (
    cilium_poststart_patch as _cilium_poststart_patch,
)


def cilium_poststart_patch(daemonset, container, enabled):
    """Plan the JSON patch of the agent's postStart --cni-exclusive argument."""
    if daemonset is not None and not isinstance(daemonset, Mapping):
        raise AnsibleFilterError(f'cilium_poststart_patch: the input must be a DaemonSet object (a dict), got {daemonset!r}')
    if not isinstance(container, str) or not container:
        raise AnsibleFilterError(f'cilium_poststart_patch: container must be a non-empty string, got {container!r}')
    if not isinstance(enabled, bool):
        raise AnsibleFilterError(f'cilium_poststart_patch: enabled must be a boolean (use "| bool"), got {enabled!r}')
    return _cilium_poststart_patch(daemonset, container, enabled)


class FilterModule:
    """The cilium_poststart_patch filter."""

    def filters(self):
        return {
            'cilium_poststart_patch': cilium_poststart_patch,
        }
