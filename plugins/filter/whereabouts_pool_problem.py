# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: whereabouts_pool_problem
short_description: Say what is wrong with the whereabouts pool of an attachment, for a validation task
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Checks C(whereabouts_range) and C(whereabouts_exclude) of a C(network_attachments_list) entry with
    C(ipam=whereabouts) and returns an empty string when the pool hands out at least one address, or one sentence
    naming the offending value otherwise, for the C(that) and C(fail_msg) of an M(ansible.builtin.assert).
  - C(whereabouts_range) is a CIDR (whereabouts never hands out the IPv4 network and broadcast addresses) or
    C(<first>-<last>/<prefix>) with both addresses in that prefix, the first not after the last.
  - C(whereabouts_exclude) is a list of CIDRs of the range's family.
  - Overlaps of a pool with the nodes' ranges or with other pools are the business of
    P(multihome.multus.gather_ranges#filter) and P(multihome.multus.ipam_disjoint#filter).
options:
  _input:
    description: The attachment, a dict with C(whereabouts_range) and optionally C(whereabouts_exclude).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check each whereabouts pool
  ansible.builtin.assert:
    that: problem | length == 0
    fail_msg: "{{ inventory_hostname }}: network_attachments_list entry {{ item.name }}: {{ problem }}"
  vars:
    problem: "{{ item | multihome.multus.whereabouts_pool_problem }}"
  loop: "{{ network_attachments_list | selectattr('ipam', 'eq', 'whereabouts') }}"

- name: A range that leaves its prefix
  ansible.builtin.debug:
    msg: "{{ {'whereabouts_range': '198.19.2.200-198.19.3.10/24'} | multihome.multus.whereabouts_pool_problem }}"
  # -> "whereabouts_range '198.19.2.200-198.19.3.10/24': 198.19.3.10 is not in 198.19.2.0/24, the subnet of 198.19.2.200"
"""

RETURN = r"""
_value:
  description: An empty string when the pool is valid and not empty, else what is wrong with it.
  type: str
  sample: "whereabouts_exclude entry '198.19.2.0' is not a CIDR"
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._whereabouts_pool import pool_problem


def whereabouts_pool_problem(attachment):
    """Return '' when the attachment's whereabouts pool is valid, else the problem."""
    if not isinstance(attachment, Mapping):
        raise AnsibleFilterError(f'whereabouts_pool_problem: the input must be an attachment dict, got {attachment!r}')
    return pool_problem(attachment.get('whereabouts_range'), attachment.get('whereabouts_exclude') or [])


class FilterModule:
    """The whereabouts_pool_problem filter."""

    def filters(self):
        return {
            'whereabouts_pool_problem': whereabouts_pool_problem,
        }
