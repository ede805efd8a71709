# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: attachment_preflight
short_description: What a worker must look like for the plugins of its per-node attachments, as a list of problems
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Checks each per_node attachment against the result of the secondary_nic role for its master NIC and returns
    one message per problem (empty when the node is fit). Each message names the attachment, the plugin, the NIC,
    the addresses, the variable to change and the fix.
  - ipvlan (every mode) - the node must not hold a pod address on the NIC; ipvlan pods share the NIC's MAC address
    and the network (in a cloud, its fabric) delivers their addresses to the NIC.
  - macvlan - when the node holds IPv4 pod addresses on the NIC, its effective C(arp_ignore) must be 8, or the node
    answers ARP for its pods; IPv6 pod addresses the node holds are refused (no such setting exists for IPv6).
  - host-device, and attachments of the other ipam modes or whose NIC has no result, are not checked.
positional: nics
options:
  _input:
    description: The attachments with their defaults filled in (C(name), C(plugin), C(mode), C(master), C(ipam), C(dual_stack)).
    type: list
    elements: dict
    required: true
  nics:
    description: The per-NIC result of the secondary_nic role, C(secondary_nic_result) (see P(multihome.multus.nic_addresses#filter)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse before any change when the node does not suit the plugins
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ inventory_hostname }}: {{ problems | join(' ') }}"
  vars:
    problems: "{{ network_attachments_entries | multihome.multus.attachment_preflight(secondary_nic_result) }}"
"""

RETURN = r"""
_value:
  description: One message per problem, in the order of the attachments; empty when there is none.
  type: list
  elements: str
  sample:
    - >-
      network_attachments_list entry ipvlan-conf-1 (ipvlan l3 on eth1): the node itself holds the pod addresses
      192.168.1.13 on eth1. ...
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._attachment_preflight import (
    attachment_preflight as _attachment_preflight,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def attachment_preflight(entries, nics):
    """The problems of the node for the plugins of its per_node attachments."""
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Sequence):
        raise AnsibleFilterError(f'attachment_preflight: the input must be the list of attachments, got {entries!r}')
    if not isinstance(nics, Mapping):
        raise AnsibleFilterError(f'attachment_preflight: nics must be the per-NIC result of secondary_nic, got {nics!r}')
    try:
        return _attachment_preflight(list(entries), nics)
    except (IpamError, ValueError) as exc:
        raise AnsibleFilterError(f'attachment_preflight: {exc}') from exc


class FilterModule:
    """The attachment_preflight filter."""

    def filters(self):
        return {
            'attachment_preflight': attachment_preflight,
        }
