# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: ipam_dual_stack
short_description: Compute dual-stack host-local range sets from a NIC's IPv4 and IPv6 secondary addresses
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - >-
    Turns two blocks of connected addresses, the IPv4 and the IPv6 secondary IPs of a node's NIC, into the
    C(ranges) of a C(host-local) IPAM configuration with one range set per family,
    C({"ranges": [[<IPv4 range>], [<IPv6 range>]]}), so that a pod gets one address of each family.
  - Each block is checked as P(multihome.multus.ipam_range#filter) checks its input (contiguous, no duplicates,
    inside one subnet, gateway outside the range); the message names the family.
  - Fails when a block is empty or holds the other family (IPv4 comes first, IPv6 second).
  - The result is an input of P(multihome.multus.cni_config#filter); P(multihome.multus.gather_ranges#filter)
    splits it into one range per family for P(multihome.multus.ipam_disjoint#filter).
positional: subnets, gateways
options:
  _input:
    description:
      - A list of two address lists, C([ipv4_addresses, ipv6_addresses]), each in any of the forms that
        P(multihome.multus.ipam_range#filter) takes.
    type: list
    elements: list
    required: true
  subnets:
    description:
      - The subnets of the two blocks, C([ipv4_subnet, ipv6_subnet]); C(null) for a block whose addresses carry
        their prefix.
    type: list
    elements: str
  gateways:
    description:
      - The gateways of the two blocks, C([ipv4_gateway, ipv6_gateway]); C(null) for none.
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: One range per family from the NIC's secondary IPs
  ansible.builtin.debug:
    msg: >-
      {{ [['198.18.0.11/24', '198.18.0.12/24'], ['2001:db8:1::11/64', '2001:db8:1::12/64']]
         | multihome.multus.ipam_dual_stack(gateways=['198.18.0.1', none]) }}
  # -> {"ranges": [[{"subnet": "198.18.0.0/24", "rangeStart": "198.18.0.11", "rangeEnd": "198.18.0.12",
  #                  "gateway": "198.18.0.1"}],
  #                [{"subnet": "2001:db8:1::/64", "rangeStart": "2001:db8:1::11", "rangeEnd": "2001:db8:1::12"}]]}

- name: Per-node dual-stack config
  ansible.builtin.copy:
    dest: /etc/cni/multus/net.d/ipvlan-ds.conf
    content: >-
      {{ [secondary_nic_result.eth1.addresses, secondary_nic_result.eth1.addresses6] | multihome.multus.ipam_dual_stack
         | multihome.multus.cni_config(name='ipvlan-ds', plugin='ipvlan', master='eth1') | to_nice_json }}
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The host-local range sets, the IPv4 set first.
  type: dict
  contains:
    ranges:
      description: Two lists of one range each (C(subnet), C(rangeStart), C(rangeEnd), optional C(gateway)).
      type: list
      elements: list
      sample: [[{"subnet": "198.18.0.0/24", "rangeStart": "198.18.0.11", "rangeEnd": "198.18.0.12"}],
               [{"subnet": "2001:db8:1::/64", "rangeStart": "2001:db8:1::11", "rangeEnd": "2001:db8:1::12"}]]
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import dual_stack_ranges


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, Mapping))


def ipam_dual_stack(blocks, subnets=None, gateways=None):
    """Compute one host-local range per family from [IPv4 addresses, IPv6 addresses]."""
    if not _is_list(blocks) or not all(_is_list(block) for block in blocks):
        raise AnsibleFilterError(f'ipam_dual_stack: the input must be [IPv4 addresses, IPv6 addresses], got {blocks!r}')
    for option, value in (('subnets', subnets), ('gateways', gateways)):
        if value is not None and (not _is_list(value) or not all(v is None or isinstance(v, str) for v in value)):
            raise AnsibleFilterError(f'ipam_dual_stack: {option} must be a list of two strings or nulls, got {value!r}')
    try:
        return dual_stack_ranges([list(block) for block in blocks],
                                 subnets=None if subnets is None else list(subnets),
                                 gateways=None if gateways is None else list(gateways))
    except IpamError as exc:
        raise AnsibleFilterError(f'ipam_dual_stack: {exc}') from exc


class FilterModule:
    """The ipam_dual_stack filter."""

    def filters(self):
        return {
            'ipam_dual_stack': ipam_dual_stack,
        }
