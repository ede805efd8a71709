# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: daemonset_status
short_description: Summarise a DaemonSet's rollout and the CRDs it serves
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Turns what M(kubernetes.core.k8s_info) read of a DaemonSet (and of the CustomResourceDefinitions it serves)
    into the few values a role checks after a rollout, so that its asserts and messages stay short.
  - The first DaemonSet of the input counts; an empty input means the DaemonSet is absent, which gives
    C(daemonset_present=false), no images and zero counts.
  - Counters the status lacks, or that are not numbers, count as V(0).
  - A CRD is established when it has the condition C(Established) with status V(True).
positional: crds, init_containers
options:
  _input:
    description: The C(resources) list of M(kubernetes.core.k8s_info) for the DaemonSet (empty when it does not exist).
    type: list
    elements: dict
    required: true
  crds:
    description: The CustomResourceDefinition objects that were found (for example the C(resources) of
      M(kubernetes.core.k8s_info), or those of a loop of it flattened into one list).
    type: list
    elements: dict
    default: []
  init_containers:
    description: Whether C(images) also lists the images of the init containers, after those of the containers.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Read the Multus DaemonSet
  kubernetes.core.k8s_info:
    api_version: apps/v1
    kind: DaemonSet
    namespace: kube-system
    name: kube-multus-ds
  register: ds_info

- name: Read its CRD
  kubernetes.core.k8s_info:
    api_version: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    name: network-attachment-definitions.k8s.cni.cncf.io
  register: crd_info

- name: Summarise
  ansible.builtin.set_fact:
    status: "{{ ds_info.resources | multihome.multus.daemonset_status(crds=crd_info.resources) }}"
  # -> {"crd_established": true, "crds_present": ["network-attachment-definitions.k8s.cni.cncf.io"],
  #     "crds_established": ["network-attachment-definitions.k8s.cni.cncf.io"], "daemonset_present": true,
  #     "images": ["ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2"], "desired": 3, "updated": 3, "ready": 3}

- name: CRDs read in a loop, images of the containers only
  ansible.builtin.set_fact:
    status: >-
      {{ ds_info.resources | multihome.multus.daemonset_status(
           crds=crd_loop.results | map(attribute='resources', default=[]) | flatten(levels=1), init_containers=false) }}
"""

RETURN = r"""
_value:
  description: The summary.
  type: dict
  contains:
    daemonset_present:
      description: Whether the DaemonSet exists.
      type: bool
    images:
      description: The images of the pod template, each once, containers first; images that differ only in case
        count once (the first one is kept), as with Ansible's C(unique) filter.
      type: list
      elements: str
    desired:
      description: C(status.desiredNumberScheduled), the number of nodes that should run a pod.
      type: int
    updated:
      description: C(status.updatedNumberScheduled), the pods that run the current template.
      type: int
    ready:
      description: C(status.numberReady), the pods that are ready.
      type: int
    crds_present:
      description: Names of the CRDs given, in their order.
      type: list
      elements: str
    crds_established:
      description: Names of the CRDs given that are Established, in their order.
      type: list
      elements: str
    crd_established:
      description: Whether at least one CRD was given and every one is Established.
      type: bool
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._daemonset_status import (
    daemonset_status as _daemonset_status,
)


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def daemonset_status(daemonsets, crds=None, init_containers=True):
    """Summarise a DaemonSet and its CRDs."""
    for what, value in (('the input', daemonsets), ('crds', [] if crds is None else crds)):
        if not _is_list(value) or not all(isinstance(item, Mapping) for item in value):
            raise AnsibleFilterError(f'daemonset_status: {what} must be a list of Kubernetes objects (dicts), got {value!r}')
    if not isinstance(init_containers, bool):
        raise AnsibleFilterError(f'daemonset_status: init_containers must be a boolean, got {init_containers!r}')
    return _daemonset_status(daemonsets, [] if crds is None else crds, init_containers)


class FilterModule:
    """The daemonset_status filter."""

    def filters(self):
        return {
            'daemonset_status': daemonset_status,
        }
