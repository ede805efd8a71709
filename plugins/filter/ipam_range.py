# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: ipam_range
short_description: Compute a host-local IPAM range from a NIC's contiguous secondary addresses
version_added: 0.1.0
author:
  - multihome.multus maintainers
description:
  - Turns a block of connected IP addresses (the secondary IPs of a node's NIC) into the
    C(subnet), C(rangeStart), C(rangeEnd) and optional C(gateway) of a C(host-local) IPAM
    configuration, as the Multus guide writes it by hand.
  - The addresses may come in any order, as plain strings, as C(address/prefix) or
    C(address/netmask) strings, or as the dicts that Ansible facts give in C(ipv4_secondaries)
    and C(ipv6) (keys C(address) and C(prefix) or C(netmask)). IPv4 and IPv6 are supported.
  - Fails naming the offending value for an empty list, an invalid address, an address listed
    twice, a gap in the block (the first missing address is named), mixed address families,
    an address outside the subnet, the network or broadcast address of an IPv4 subnet (except
    /31 and /32), an input prefix that disagrees with the subnet or with another input, a
    subnet with host bits set, and a gateway that is outside the subnet or inside the range.
positional: subnet, gateway
options:
  _input:
    description:
      - The addresses of the block, in any order.
      - Each element is a string (V(192.168.1.13), V(192.168.1.13/24), V(192.168.1.13/255.255.255.0))
        or a dict with an C(address) key and optionally C(prefix) or C(netmask), such as an
        entry of C(ansible_facts.eth1.ipv4_secondaries).
    type: list
    elements: raw
    required: true
  subnet:
    description:
      - The subnet in network form, for example V(192.168.1.0/24). Host bits set are an error.
      - May be left out when the input carries a prefix or netmask; all such inputs must then
        agree on one network. When given, an input whose own prefix puts it in another network
        is an error.
    type: str
  gateway:
    description:
      - The gateway address. It must lie in the subnet and outside the range.
      - When left out, the result has no C(gateway) key.
    type: str
"""

EXAMPLES = r"""
- name: Range from the guide's five secondary IPs
  ansible.builtin.debug:
    msg: >-
      {{ ['192.168.1.13', '192.168.1.14', '192.168.1.15', '192.168.1.16', '192.168.1.17']
         | multihome.multus.ipam_range(subnet='192.168.1.0/24', gateway='192.168.1.1') }}
  # -> {"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.13",
  #     "rangeEnd": "192.168.1.17", "gateway": "192.168.1.1"}

- name: Range from the facts of the secondary NIC, subnet taken from their prefix
  ansible.builtin.set_fact:
    node_range: "{{ ansible_facts['eth1']['ipv4_secondaries'] | multihome.multus.ipam_range }}"

- name: IPv6 block given with prefixes
  ansible.builtin.debug:
    msg: "{{ ['2001:db8::11/64', '2001:db8::10/64'] | multihome.multus.ipam_range }}"
  # -> {"subnet": "2001:db8::/64", "rangeStart": "2001:db8::10", "rangeEnd": "2001:db8::11"}
"""

RETURN = r"""
_value:
  description: The host-local range, keys in this order.
  type: dict
  contains:
    subnet:
      description: The subnet in canonical network form.
      type: str
      sample: 192.168.1.0/24
    rangeStart:
      description: The lowest address of the block.
      type: str
      sample: 192.168.1.13
    rangeEnd:
      description: The highest address of the block.
      type: str
      sample: 192.168.1.17
    gateway:
      description: The gateway, only when O(gateway) was given.
      type: str
      sample: 192.168.1.1
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import ipam_range as _ipam_range


def ipam_range(addresses, subnet=None, gateway=None):
    """Compute the host-local range of a contiguous block of addresses."""
    if isinstance(addresses, (str, bytes, Mapping)) or not isinstance(addresses, Sequence):
        raise AnsibleFilterError(f'ipam_range: the input must be a list of addresses, got {addresses!r}')
    for option, value in (('subnet', subnet), ('gateway', gateway)):
        if value is not None and not isinstance(value, str):
            raise AnsibleFilterError(f'ipam_range: {option} must be a string, got {value!r}')
    try:
        return _ipam_range(list(addresses), subnet=subnet, gateway=gateway)
    except IpamError as exc:
        raise AnsibleFilterError(f'ipam_range: {exc}') from exc


class FilterModule:
    """The ipam_range filter."""

    def filters(self):
        return {
            'ipam_range': ipam_range,
        }
