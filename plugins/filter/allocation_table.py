# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: allocation_table
short_description: Lay out the address ranges each worker hands out, and what the run wrote
version_added: 0.3.0
author:
  - multihome.multus maintainers
description:
  - Builds the text of the table printed at the end of C(site.yml) - one row per worker and C(per_node) attachment
    with the node, the NIC, the NetworkAttachmentDefinition, its host-local range and the number of addresses in it,
    then one row per cluster-wide range (a C(host_local) range shared by every node, a C(whereabouts) pool less its
    C(whereabouts_exclude)) - followed by a short summary of what changed.
  - Reads only what the roles published as host variables - the attachments (C(network_attachments_entries), else
    C(network_attachments_list)), the ranges the C(network_attachments) role computed this run
    (C(network_attachments_node_ranges)), the ranges it read from the deployed files of workers outside the run
    (C(network_attachments_all_ranges)) and the registered result of writing the per-node files
    (C(network_attachments_written)).
  - The STATE column says whether a node's config was written, would be written (check mode), was unchanged, was
    only computed (the C(nads) step skipped), or belongs to a worker outside the run (C(--limit)), its range read
    from the deployed file or unknown.
  - Fails naming the host or the range when the attachments are not a list of dicts with a C(name), a published
    variable is not a dict, or a range has no C(rangeStart) and C(rangeEnd).
positional: hostvars, check_mode
options:
  _input:
    description: The workers to report, usually C(groups['multus_workers']), in the order of the rows.
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) of the play.
    type: dict
    required: true
  check_mode:
    description: Whether the run is in check mode (C(ansible_check_mode)); a changed write then reads C(would be written).
    type: bool
    default: false
"""

EXAMPLES = r"""
# A double-quoted YAML string, so that "\n" is a real line break.
- name: Show the address allocation per node
  ansible.builtin.debug:
    msg: "{{ groups['multus_workers'] | multihome.multus.allocation_table(hostvars, ansible_check_mode) | join('\n') }}"
  run_once: true
  # NODE        NIC   NAD           IPAM         RANGE                      ADDRESSES  STATE
  # node1       eth1  macvlan-net1  per_node     198.19.0.101-198.19.0.105  5          written
  # node2       eth1  macvlan-net1  per_node     198.19.0.111-198.19.0.115  5          unchanged
  # (all nodes) eth1  pool-net      whereabouts  pool 198.19.2.0/24         254        cluster-wide pool
  #
  # 2 workers, 2 per-node ranges holding 10 addresses.
  # Cluster-wide: pool-net (whereabouts, 254 addresses).
  # Per-node configs written in this run: node1/macvlan-net1.
  # Per-node configs unchanged: node2/macvlan-net1.
"""

RETURN = r"""
_value:
  description: The lines of the table (a header, then the rows), an empty line, and the lines of the summary.
  type: list
  elements: str
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._allocation_table import allocation_table as _allocation_table


def allocation_table(hosts, hostvars, check_mode=False):
    """Lay out the per-node address ranges and the summary of what the run wrote."""
    if isinstance(hosts, (str, bytes)) or not isinstance(hosts, Sequence):
        raise AnsibleFilterError(f'allocation_table: the input must be a list of host names, got {hosts!r}')
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError(f'allocation_table: hostvars must be the hostvars dict, got {type(hostvars).__name__}')
    if not isinstance(check_mode, bool):
        raise AnsibleFilterError(f'allocation_table: check_mode must be a boolean, got {check_mode!r}')
    try:
        return _allocation_table(list(hosts), hostvars, check_mode)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError(f'allocation_table: {exc}') from exc


class FilterModule:
    """The allocation_table filter."""

    def filters(self):
        return {
            'allocation_table': allocation_table,
        }
