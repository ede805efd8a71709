# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Gathering behind the ``multihome.multus.gather_ranges`` filter.

Collects the host-local ranges of every worker into one dict keyed
``<host>/<attachment>``, ready for ``ipam_disjoint``: the ranges the hosts of
the play computed (a host variable of attachment name -> range), then the
ranges that the per-node files of workers outside the play really hold (read
with ``ansible.builtin.slurp`` in a loop over ``[host, attachment]`` pairs), and
the runs of addresses of every whereabouts pool.
Standard library only; no Ansible imports.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._whereabouts_pool import pool_ranges


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def split_range_sets(label: str, value: object) -> dict:
    """``{label: value}``, or for host-local range sets (a ``ranges`` key) ``{label[n]: range}`` for each range."""
    if not isinstance(value, Mapping) or 'ranges' not in value:
        return {label: value}
    sets = value['ranges']
    if not _is_list(sets) or not all(_is_list(range_set) for range_set in sets):
        raise ValueError(f'the ranges of {label} must be a list of range sets (lists), got {sets!r}')
    flat = [item for range_set in sets for item in range_set]
    return {f'{label}[{index}]': item for index, item in enumerate(flat)}


def play_ranges(hostvars: Mapping, hosts: Sequence, variable: str) -> dict:
    """``{host/name: range}`` from the ``variable`` (name -> range) of each host; hosts without it add nothing."""
    ranges: dict = {}
    for host in hosts:
        found = hostvars[host].get(variable) if host in hostvars else None
        if found is None:
            continue
        if not isinstance(found, Mapping):
            raise TypeError(f'{variable} of host {host} must be a dict of attachment name -> range, got {found!r}')
        for name, value in found.items():
            ranges.update(split_range_sets(f'{host}/{name}', value))
    return ranges


def file_range(result: Mapping) -> tuple[str, object]:
    """``(host/name, ipam)`` of one ``slurp`` loop result whose item is ``[host, attachment]``."""
    item = result.get('item')
    if not _is_list(item) or len(item) < 2 or not isinstance(item[1], Mapping) or 'name' not in item[1]:
        raise ValueError(f'slurp result has no [host, attachment] item: {item!r}')
    label = f"{item[0]}/{item[1]['name']}"
    try:
        config = json.loads(base64.b64decode(str(result["content"])).decode('utf-8'))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f'the per-node file of {label} is not base64-encoded JSON: {exc}') from None
    if isinstance(config, Mapping) and _is_list(config.get('plugins')) and config['plugins']:
        config = config['plugins'][0]
    if not isinstance(config, Mapping) or 'ipam' not in config:
        raise ValueError(f'the per-node file of {label} has no "ipam" key')
    return label, config['ipam']


def gather_ranges(hostvars: Mapping, hosts: Sequence, files: Sequence = (),
                  variable: str = 'network_attachments_node_ranges', pools: Sequence = ()) -> dict:
    """All ranges, ``{host/name: range}``: those the play's ``hosts`` computed, those of the files read, the pools.

    ``files`` are the ``results`` of a ``slurp`` loop; results without
    ``content`` (the file could not be read) are left out. A later key
    replaces an earlier one. Raises TypeError or ValueError naming the host
    or file for a variable that is not a dict or a file that is not a
    network config.
    """
    ranges = play_ranges(hostvars, hosts, variable)
    for result in files:
        if isinstance(result, Mapping) and 'content' in result:
            label, ipam = file_range(result)
            ranges.update(split_range_sets(label, ipam))
    for entry in pools:
        if entry.get('ipam') == 'whereabouts':
            ranges.update(pool_ranges(entry['name'], entry.get('whereabouts_range'),
                                      entry.get('whereabouts_exclude') or []))
    return ranges
