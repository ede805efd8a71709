# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: crd_removal
short_description: Decide whether an uninstall may delete CustomResourceDefinitions
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Deleting a CRD deletes every object of its kind in the cluster. Given the live objects of the CRDs' kinds,
    this filter says whether the CRDs may go and which objects would be lost with them.
  - An object blocks the deletion when it is foreign (neither its C(namespace/name) nor its C(spec.range) is
    owned) or in use (a whereabouts pool with allocations, or an address reservation, whoever owns it).
  - With O(policy=when_unused) the CRDs are deleted only when nothing blocks; V(always) deletes them anyway and
    names what is lost; V(never) keeps them.
options:
  _input:
    description: The live objects of the CRDs' kinds, as returned by M(kubernetes.core.k8s_info) in C(resources).
    type: list
    elements: dict
    required: true
  policy:
    description: V(when_unused), V(always) or V(never).
    type: str
    required: true
  crds:
    description: Names of the CRDs, for the message.
    type: list
    elements: str
    required: true
  owned_names:
    description: C(namespace/name) (or C(name) for cluster-scoped objects) of the objects the collection owns.
    type: list
    elements: str
    default: []
  owned_ranges:
    description: C(spec.range) values of the IP pools the collection owns (its whereabouts ranges).
    type: list
    elements: str
    default: []
  variable:
    description: Name of the policy variable, for the message.
    type: str
    default: the removal policy
"""

EXAMPLES = r"""
- name: List every NetworkAttachmentDefinition left in the cluster
  kubernetes.core.k8s_info:
    api_version: k8s.cni.cncf.io/v1
    kind: NetworkAttachmentDefinition
  register: nads

- name: Delete the CRD only when no foreign NetworkAttachmentDefinition remains
  kubernetes.core.k8s:
    state: absent
    api_version: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    name: network-attachment-definitions.k8s.cni.cncf.io
  when: >-
    (nads.resources | multihome.multus.crd_removal(policy='when_unused',
     crds=['network-attachment-definitions.k8s.cni.cncf.io'], owned_names=['default/ipvlan-conf-1'])).delete
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    delete:
      description: Whether the CRDs may be deleted.
      type: bool
    blocking:
      description: The objects that would be lost, as C(Kind namespace/name (reason)).
      type: list
      elements: str
    message:
      description: One line for the operator saying what is done and why.
      type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._crd_removal import crd_removal as _crd_removal


def crd_removal(objects, policy, crds, owned_names=None, owned_ranges=None, variable='the removal policy'):
    """Return the CRD deletion decision for the live OBJECTS."""
    if not isinstance(objects, list):
        raise AnsibleFilterError(f'crd_removal: the input must be a list of objects, got {objects!r}')
    for name, value in (('crds', crds), ('owned_names', owned_names or []), ('owned_ranges', owned_ranges or [])):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AnsibleFilterError(f'crd_removal: {name} must be a list of strings, got {value!r}')
    try:
        return _crd_removal(objects, str(policy), crds, owned_names or [], owned_ranges or [], variable)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError(f'crd_removal: {exc}') from exc


class FilterModule:
    """The crd_removal filter."""

    def filters(self):
        return {
            'crd_removal': crd_removal,
        }
