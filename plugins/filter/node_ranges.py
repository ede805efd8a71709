# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: node_ranges
short_description: A worker's host-local range for each per-node attachment, from the secondary IPs of its NIC
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - For each attachment with C(ipam) C(per_node), computes the host-local range from the result that the
    secondary_nic role published for the attachment's C(master) NIC, with P(multihome.multus.ipam_range#filter)
    (or, with C(dual_stack), P(multihome.multus.ipam_dual_stack#filter)) and the attachment's C(gateway) and
    C(gateway6). Several NICs, each with its own attachment, give each attachment its NIC's range.
  - Fails naming the attachment, the NIC, its addresses, the reason (a gap, an address outside the subnet, a
    gateway inside the range, ...) and the variables that declared the addresses, or that the NIC was not checked.
positional: nics
options:
  _input:
    description: The attachments with their defaults filled in (C(name), C(master), C(ipam), optionally C(gateway),
      C(dual_stack), C(gateway6)); entries of other ipam modes are skipped.
    type: list
    elements: dict
    required: true
  nics:
    description: The per-NIC result of the secondary_nic role, C(secondary_nic_result) (see P(multihome.multus.nic_addresses#filter)).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: The ranges of this worker
  ansible.builtin.set_fact:
    network_attachments_node_ranges: "{{ network_attachments_entries | multihome.multus.node_ranges(secondary_nic_result) }}"
  # -> {"ipvlan-conf-1": {"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.13", "rangeEnd": "192.168.1.17",
  #                       "gateway": "192.168.1.1"}}
"""

RETURN = r"""
_value:
  description: >-
    Attachment name to its host-local range (a dual-stack one as C({"ranges": [[IPv4 range], [IPv6 range]]})).
  type: dict
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._node_ranges import node_ranges as _node_ranges


def node_ranges(entries, nics):
    """The host-local range of each per_node attachment, from its NIC's secondary IPs."""
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Sequence):
        raise AnsibleFilterError(f'node_ranges: the input must be the list of attachments, got {entries!r}')
    if not isinstance(nics, Mapping):
        raise AnsibleFilterError(f'node_ranges: nics must be the per-NIC result of secondary_nic, got {nics!r}')
    try:
        return _node_ranges(list(entries), nics)
    except IpamError as exc:
        raise AnsibleFilterError(f'node_ranges: {exc}') from exc


class FilterModule:
    """The node_ranges filter."""

    def filters(self):
        return {
            'node_ranges': node_ranges,
        }
