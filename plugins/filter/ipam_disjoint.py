# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: ipam_disjoint
short_description: Check that host-local IPAM ranges of different nodes share no address
version_added: 0.1.0
author:
  - multihome.multus maintainers
description:
  - Takes host-local ranges keyed by a label (a node name, or C(node/nad-name)) and returns them
    unchanged when no two ranges of the same address family have an address in common.
  - Only the C(rangeStart)..C(rangeEnd) intervals are compared; several nodes may share one subnet.
  - >-
    Fails naming both labels, both ranges and the lowest shared address when two ranges
    overlap, for example
    C(ipam_disjoint: the ranges of node1 (198.19.0.101-198.19.0.105) and node2 (198.19.0.104-198.19.0.110) overlap at 198.19.0.104).
  - Also fails, naming the label, when a value is not a valid range (a missing key, an invalid
    address or subnet, a range outside its subnet or running backwards).
options:
  _input:
    description:
      - A dict of label to range, each range a dict with C(subnet), C(rangeStart), C(rangeEnd)
        and optionally C(gateway), as returned by P(multihome.multus.ipam_range#filter).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Fail before writing anything when two nodes would hand out the same address
  ansible.builtin.set_fact:
    all_ranges: >-
      {{ dict(ansible_play_hosts
              | zip(ansible_play_hosts | map('extract', hostvars, 'node_range')))
         | multihome.multus.ipam_disjoint }}

- name: Disjoint ranges come back unchanged
  ansible.builtin.debug:
    msg: >-
      {{ {'node1': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'},
          'node2': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.106', 'rangeEnd': '198.19.0.110'}}
         | multihome.multus.ipam_disjoint }}
"""

RETURN = r"""
_value:
  description: The input, unchanged.
  type: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_disjoint import ipam_disjoint as _ipam_disjoint
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def ipam_disjoint(ranges):
    """Return the ranges unchanged if no two of one family overlap."""
    if not isinstance(ranges, Mapping):
        raise AnsibleFilterError(f'ipam_disjoint: the input must be a dict of label -> range, got {ranges!r}')
    try:
        return _ipam_disjoint(ranges)
    except IpamError as exc:
        raise AnsibleFilterError(f'ipam_disjoint: {exc}') from exc


class FilterModule:
    """The ipam_disjoint filter."""

    def filters(self):
        return {
            'ipam_disjoint': ipam_disjoint,
        }
