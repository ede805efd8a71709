# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: cni_options_problem
short_description: Say what is wrong with the routes or the tuning of an attachment, for a validation task
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Checks the optional C(routes) and C(tuning) keys of a C(network_attachments_list) entry the way
    P(multihome.multus.cni_config#filter) renders them, and returns an empty string when they are valid or
    one sentence naming the offending value otherwise, for the C(that) and C(fail_msg) of an
    M(ansible.builtin.assert).
  - C(routes) is a list of C({dst, gw}); C(dst) must be a network in CIDR form (host bits unset), C(gw) an
    address of the same family and, when O(subnets) is given, inside the subnet of that family.
  - C(tuning) is a dict with C(mtu) (an integer in 68..65535) and/or C(sysctl) (a dict of network sysctl
    names, C(net.*), to string or integer values), as the CNI C(tuning) plugin takes them.
positional: subnets
options:
  _input:
    description: The attachment, a dict that may have C(routes) and C(tuning) keys (other keys are ignored).
    type: dict
    required: true
  subnets:
    description:
      - The subnets the attachment hands out addresses from (host-local C(subnet) or a whereabouts range).
      - Left out, the gateways are checked for their family only (the per_node subnet is known on the node).
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Check the routes against the attachment's subnet
  ansible.builtin.assert:
    that: problem | length == 0
    fail_msg: "{{ inventory_hostname }}: network_attachments_list entry {{ item.name }}: {{ problem }}"
  vars:
    problem: "{{ item | multihome.multus.cni_options_problem(subnets=[item.range.subnet]) }}"
  loop: "{{ network_attachments_list }}"

- name: A gateway outside the subnet
  ansible.builtin.debug:
    msg: >-
      {{ {'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}]}
         | multihome.multus.cni_options_problem(subnets=['198.18.0.0/24']) }}
  # -> "routes[0]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24"
"""

RETURN = r"""
_value:
  description: An empty string when the routes and the tuning are valid, else what is wrong with them.
  type: str
  sample: "tuning: sysctl 'kernel.shmmax' is not a network sysctl; the tuning plugin sets only net.* names"
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._cni_options import options_problem


def cni_options_problem(attachment, subnets=None):
    """Return '' when the attachment's routes and tuning are valid, else the problem."""
    if not isinstance(attachment, Mapping):
        raise AnsibleFilterError(f'cni_options_problem: the input must be an attachment dict, got {attachment!r}')
    if subnets is not None and (isinstance(subnets, (str, bytes)) or not isinstance(subnets, Sequence)):
        raise AnsibleFilterError(f'cni_options_problem: subnets must be a list of CIDRs, got {subnets!r}')
    problem = options_problem(attachment.get('routes'), attachment.get('tuning'),
                              None if subnets is None else list(subnets))
    return problem or ''


class FilterModule:
    """The cni_options_problem filter."""

    def filters(self):
        return {
            'cni_options_problem': cni_options_problem,
        }
