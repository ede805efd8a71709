# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: declared_secondaries
short_description: Parse the secondary IPs a worker's NICs were given in the cloud console
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Reads the declared secondary IPs of each NIC of a worker, in the forms a cloud console shows them, and
    returns one plain entry per NIC, addresses spelled out.
  - "A NIC entry has a C(name) and, per address family, one of three forms: C(addresses) (a list, V(192.168.1.13)
    or V(192.168.1.13/24)), C(first) and C(count), or C(first) and C(last); C(subnet) is the subnet of addresses
    without a prefix. The IPv6 keys end in C(6) (C(addresses6), C(first6), C(count6), C(last6), C(subnet6)).
    A family without a form is not declared (the secondary_nic role then reads the NIC)."
  - When the input is empty, O(shorthand) (the single-NIC variables) is the one NIC.
  - Fails naming the variable (C(secondary_nic_interfaces[1].count), C(secondary_nic_addresses), ...), the bad
    value and the fix for an invalid NIC name, a NIC declared twice, unknown keys, two forms at once, an incomplete
    form, an address of the other family, a duplicate, a last address before the first, more than 4096 addresses,
    an invalid subnet, an address outside it, and the list and the shorthand both set.
positional: shorthand
options:
  _input:
    description: The NICs, C(secondary_nic_interfaces).
    type: list
    elements: dict
    required: true
  shorthand:
    description:
      - The single-NIC variables as one entry, C({name, addresses, subnet, addresses6, subnet6}); used when the
        input is empty. Naming errors, its keys are called C(secondary_nic_name), C(secondary_nic_addresses), ...
      - Setting its addresses or subnets as well as the input is an error.
    type: dict
"""

EXAMPLES = r"""
- name: The guide's five secondary IPs, as a first address and a count
  ansible.builtin.debug:
    msg: >-
      {{ [{'name': 'eth1', 'first': '192.168.1.13', 'count': 5, 'subnet': '192.168.1.0/24'}]
         | multihome.multus.declared_secondaries }}
  # -> [{"name": "eth1", "where": "secondary_nic_interfaces[0].",
  #      "addresses": ["192.168.1.13", "192.168.1.14", "192.168.1.15", "192.168.1.16", "192.168.1.17"],
  #      "subnet": "192.168.1.0/24", "variable": "secondary_nic_interfaces[0].first/count",
  #      "addresses6": [], "subnet6": "", "variable6": ""}]

- name: The single-NIC variables when no list is given
  ansible.builtin.set_fact:
    declared: >-
      {{ secondary_nic_interfaces | multihome.multus.declared_secondaries(shorthand={
           'name': secondary_nic_name, 'addresses': secondary_nic_addresses, 'subnet': secondary_nic_subnet,
           'addresses6': secondary_nic_addresses6, 'subnet6': secondary_nic_subnet6}) }}
"""

RETURN = r"""
_value:
  description: One entry per NIC, in the order given.
  type: list
  elements: dict
  contains:
    name:
      description: The NIC.
      type: str
      sample: eth1
    where:
      description: The prefix of the NIC's variables in error messages.
      type: str
      sample: secondary_nic_interfaces[0].
    addresses:
      description: The declared IPv4 addresses, plain and in order; empty when none are declared.
      type: list
      elements: str
      sample: [192.168.1.13, 192.168.1.14]
    subnet:
      description: Their subnet, given or implied by their prefixes; empty when neither says it.
      type: str
      sample: 192.168.1.0/24
    variable:
      description: The variables that declared them; empty when none did.
      type: str
      sample: secondary_nic_interfaces[0].first/count
    addresses6:
      description: The declared IPv6 addresses, as C(addresses).
      type: list
      elements: str
    subnet6:
      description: Their subnet, as C(subnet).
      type: str
    variable6:
      description: The variables that declared them, as C(variable).
      type: str
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._declared_secondaries import (
    declared_secondaries as _declared_secondaries,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def declared_secondaries(interfaces, shorthand=None):
    """The declared NICs of a worker, addresses spelled out."""
    if isinstance(interfaces, (str, bytes, Mapping)) or not isinstance(interfaces, Sequence):
        raise AnsibleFilterError(f'declared_secondaries: the input must be the list secondary_nic_interfaces, '
                                 f'got {interfaces!r}')
    if shorthand is not None and not isinstance(shorthand, Mapping):
        raise AnsibleFilterError(f'declared_secondaries: shorthand must be a dict, got {shorthand!r}')
    try:
        return _declared_secondaries(list(interfaces), shorthand)
    except IpamError as exc:
        raise AnsibleFilterError(f'declared_secondaries: {exc}') from exc


class FilterModule:
    """The declared_secondaries filter."""

    def filters(self):
        return {
            'declared_secondaries': declared_secondaries,
        }
