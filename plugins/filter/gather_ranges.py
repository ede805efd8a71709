# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: gather_ranges
short_description: Collect the host-local ranges of every worker and the whereabouts pools, for the overlap check
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Builds one dict of every worker's host-local ranges, keyed C(<host>/<attachment>), to be checked with
    P(multihome.multus.ipam_disjoint#filter).
  - First the ranges the hosts of the play computed, read from a host variable that maps an attachment name to
    its range (hosts without the variable add nothing); then the ranges that the per-node network configs of
    workers outside the play really hold, from the results of an M(ansible.builtin.slurp) loop over
    C([host, attachment]) pairs. Files that could not be read (no C(content)) are left out; the C(ipam) key of
    the others is taken. A later key replaces an earlier one.
  - Last the cluster-wide whereabouts pools of O(pools), keyed C(whereabouts pool <attachment>[<n>]), one range per
    run of addresses the pool hands out (its C(whereabouts_range) less its C(whereabouts_exclude)), so that a pool
    over a node's secondary IPs or over another pool is an overlap too.
  - Fails naming the host or the file when the variable is not a dict or a file is not a JSON network config
    with an C(ipam) key.
positional: hostvars, files, variable, pools
options:
  _input:
    description: The hosts of the play whose ranges count, usually C(ansible_play_hosts).
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) of the play.
    type: dict
    required: true
  files:
    description: The C(results) of the M(ansible.builtin.slurp) loop, whose C(item) is a C([host, attachment]) pair
      (the attachment a dict with a C(name)).
    type: list
    elements: dict
    default: []
  variable:
    description: The host variable that maps an attachment name to its range.
    type: str
    default: network_attachments_node_ranges
  pools:
    description: The attachments (C(network_attachments_list) entries); those with C(ipam=whereabouts) add their pool.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: Collect the ranges of every worker
  ansible.builtin.set_fact:
    all_ranges: >-
      {{ ansible_play_hosts | multihome.multus.gather_ranges(hostvars, files=other_files.results,
                                                             pools=network_attachments_list) }}
  run_once: true
  # -> {"node1/ipvlan-net": {"subnet": "198.19.0.0/24", "rangeStart": "198.19.0.101", "rangeEnd": "198.19.0.105"},
  #     "node3/ipvlan-net": {"subnet": "198.19.0.0/24", "rangeStart": "198.19.0.111", "rangeEnd": "198.19.0.115"},
  #     "whereabouts pool pool-net[0]": {"subnet": "198.19.0.0/24", "rangeStart": "198.19.0.200",
  #                                      "rangeEnd": "198.19.0.209"}}

- name: Check that no two nodes hand out the same address
  ansible.builtin.assert:
    that: all_ranges | multihome.multus.ipam_disjoint | length == all_ranges | length
  run_once: true
"""

RETURN = r"""
_value:
  description: The ranges, keyed C(<host>/<attachment>) (the play's hosts first) and C(whereabouts pool <attachment>[<n>]).
  type: dict
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._gather_ranges import gather_ranges as _gather_ranges


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def gather_ranges(hosts, hostvars, files=None, variable='network_attachments_node_ranges', pools=None):
    """Collect the ranges of the play's hosts and of the files read from other workers."""
    if not _is_list(hosts):
        raise AnsibleFilterError(f'gather_ranges: the input must be a list of host names, got {hosts!r}')
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError(f'gather_ranges: hostvars must be the hostvars dict, got {type(hostvars).__name__}')
    files = [] if files is None else files
    if not _is_list(files):
        raise AnsibleFilterError(f'gather_ranges: files must be the results list of a slurp loop, got {files!r}')
    if not isinstance(variable, str):
        raise AnsibleFilterError(f'gather_ranges: variable must be a string, got {variable!r}')
    pools = [] if pools is None else pools
    if not _is_list(pools) or not all(isinstance(entry, Mapping) for entry in pools):
        raise AnsibleFilterError(f'gather_ranges: pools must be a list of attachment dicts, got {pools!r}')
    try:
        return _gather_ranges(hostvars, hosts, files, variable, pools)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError(f'gather_ranges: {exc}') from exc


class FilterModule:
    """The gather_ranges filter."""

    def filters(self):
        return {
            'gather_ranges': gather_ranges,
        }
