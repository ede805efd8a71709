# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: nic_addresses
short_description: Join a worker's declared secondary IPs with those its OS holds, one result per NIC
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Takes the declared NICs (the output of P(multihome.multus.declared_secondaries#filter)) and the node's network
    facts, and returns per NIC the addresses pods may use, their subnet, the NIC's primary address, the pod
    addresses the node's OS holds itself and the NIC's effective C(arp_ignore).
  - "IPv4: declared addresses count when the OS holds no secondary IPs on the NIC (a cloud delivers them without
    the OS configuring them); without a declaration the OS's secondary IPs count; when both exist they must be the
    same addresses. Declared addresses without a subnet take the network of an address the NIC holds that contains
    them all."
  - "IPv6: the OS does not tell the node's own global addresses from the pods', so declared addresses count as they
    are; without a declaration the NIC's global IPv6 addresses count."
  - Fails naming the NIC, the variable and the addresses when a NIC does not exist, when the declared and the
    OS-held IPv4 secondary IPs differ (both lists of differences), when a declared address is the NIC's primary
    address, and when no subnet can be found.
positional: facts, sysctls
options:
  _input:
    description: The declared NICs, from P(multihome.multus.declared_secondaries#filter).
    type: list
    elements: dict
    required: true
  facts:
    description: C(ansible_facts) with the network subset (a NIC's facts under its name, C(-) and C(.) as C(_)).
    type: dict
    required: true
  sysctls:
    description:
      - The C(results) of an M(ansible.builtin.slurp) loop over C(/proc/sys/net/ipv4/conf/<item>/arp_ignore) whose
        items are C(all) and the NIC names. Results without C(content) are unread values.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: One result per NIC
  ansible.builtin.set_fact:
    secondary_nic_result: >-
      {{ declared | multihome.multus.nic_addresses(ansible_facts, sysctls=arp_ignore_read.results) }}
  # -> {"eth1": {"addresses": ["192.168.1.13/24", ...], "subnet": "192.168.1.0/24",
  #              "addresses6": [], "subnet6": "", "primary": "192.168.0.12/24", "held": [], "arp_ignore": 0,
  #              "variable": "secondary_nic_interfaces[0].first/count", "variable6": "",
  #              "where": "secondary_nic_interfaces[0]."}}
"""

RETURN = r"""
_value:
  description: One result per NIC, keyed by its name.
  type: dict
  contains:
    addresses:
      description: The IPv4 pod addresses, C(address/prefix).
      type: list
      elements: str
      sample: [192.168.1.13/24, 192.168.1.14/24]
    subnet:
      description: Their subnet; empty when the OS holds them in several networks.
      type: str
      sample: 192.168.1.0/24
    addresses6:
      description: The IPv6 pod addresses, C(address/prefix).
      type: list
      elements: str
    subnet6:
      description: Their subnet, as C(subnet).
      type: str
    primary:
      description: The NIC's primary IPv4 address, C(address/prefix); empty when it has none.
      type: str
      sample: 192.168.0.12/24
    held:
      description: The pod addresses (both families) that the node's OS holds on the NIC.
      type: list
      elements: str
    arp_ignore:
      description: The higher of C(net.ipv4.conf.all.arp_ignore) and the NIC's; null when one was not read.
      type: int
    variable:
      description: The variables that declared the IPv4 addresses; empty when they were read from the NIC.
      type: str
    variable6:
      description: As C(variable), for IPv6.
      type: str
    where:
      description: The prefix of the NIC's variables, for messages.
      type: str
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._nic_addresses import nic_addresses as _nic_addresses


def nic_addresses(declared, facts, sysctls=None):
    """One result per declared NIC: its pod addresses, agreed between declaration and OS."""
    if isinstance(declared, (str, bytes, Mapping)) or not isinstance(declared, Sequence):
        raise AnsibleFilterError(f'nic_addresses: the input must be the list of declared NICs, got {declared!r}')
    if not isinstance(facts, Mapping):
        raise AnsibleFilterError(f'nic_addresses: facts must be ansible_facts, got {type(facts).__name__}')
    sysctls = [] if sysctls is None else sysctls
    if isinstance(sysctls, (str, bytes, Mapping)) or not isinstance(sysctls, Sequence):
        raise AnsibleFilterError(f'nic_addresses: sysctls must be the results list of a slurp loop, got {sysctls!r}')
    try:
        return _nic_addresses(list(declared), facts, list(sysctls))
    except IpamError as exc:
        raise AnsibleFilterError(f'nic_addresses: {exc}') from exc


class FilterModule:
    """The nic_addresses filter."""

    def filters(self):
        return {
            'nic_addresses': nic_addresses,
        }
