# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: ip_in_range
short_description: Tell whether an address lies in a host-local IPAM range
version_added: 0.1.0
author:
  - multihome.multus maintainers
description:
  - Returns V(true) when the address lies between C(rangeStart) and C(rangeEnd) of the range, both included.
  - The address may carry a prefix, as CNI results and the C(k8s.v1.cni.cncf.io/network-status) annotation do.
  - An address of the other address family is not in the range.
  - Fails naming the value when the address or the range is invalid.
options:
  _input:
    description: The address, plain or as C(address/prefix).
    type: str
    required: true
  ipam:
    description:
      - The range, a dict with C(subnet), C(rangeStart), C(rangeEnd) and optionally C(gateway),
        as returned by P(multihome.multus.ipam_range#filter).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check that a pod's net1 address comes from its node's range
  ansible.builtin.assert:
    that: pod_ip | multihome.multus.ip_in_range(node_range)
  vars:
    pod_ip: 198.19.0.102
    node_range: {subnet: 198.19.0.0/24, rangeStart: 198.19.0.101, rangeEnd: 198.19.0.105}
"""

RETURN = r"""
_value:
  description: Whether the address is in the range.
  type: bool
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ip_in_range import ip_in_range as _ip_in_range
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def ip_in_range(address, ipam):
    """Return whether the address lies in the range."""
    if not isinstance(address, str):
        raise AnsibleFilterError(f'ip_in_range: the address must be a string, got {address!r}')
    if not isinstance(ipam, Mapping):
        raise AnsibleFilterError(f'ip_in_range: the range must be a dict with subnet, rangeStart and rangeEnd, got {ipam!r}')
    try:
        return _ip_in_range(address, ipam)
    except IpamError as exc:
        raise AnsibleFilterError(f'ip_in_range: {exc}') from exc


class FilterModule:
    """The ip_in_range filter."""

    def filters(self):
        return {
            'ip_in_range': ip_in_range,
        }
