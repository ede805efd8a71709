# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Building behind the ``multihome.multus.allocation_table`` filter.

Lays out, for the end of ``site.yml``, which addresses each worker hands out:
one row per worker and per_node attachment (the host-local range the
``network_attachments`` role computed, or the range the node's deployed file
holds when the worker was outside the run), one row per cluster-wide range
(``host_local`` and ``whereabouts`` attachments), then a short summary of what
the run wrote. Reads only what the roles published: the host variables
``network_attachments_entries`` (or ``network_attachments_list``),
``network_attachments_node_ranges``, ``network_attachments_all_ranges`` and the
registered ``network_attachments_written``. Standard library only; no Ansible
imports.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._whereabouts_pool import pool_size

COLUMNS = ('NODE', 'NIC', 'NAD', 'IPAM', 'RANGE', 'ADDRESSES', 'STATE')
CLUSTER = '(all nodes)'

# STATE of a row, and how the summary names the rows in that state.
WRITTEN, WOULD_WRITE, UNCHANGED = 'written', 'would be written', 'unchanged'
COMPUTED, DEPLOYED, UNKNOWN = 'computed, not written', 'deployed (not in this run)', 'unknown (not in this run)'
SUMMARY = (
    (WRITTEN, 'Per-node configs written in this run'),
    (WOULD_WRITE, 'Per-node configs that would be written (check mode)'),
    (UNCHANGED, 'Per-node configs unchanged'),
    (COMPUTED, 'Ranges computed but not written (step nads skipped)'),
    (DEPLOYED, 'Workers outside this run, range read from their deployed file'),
    (UNKNOWN, 'Workers outside this run whose range is unknown'),
)


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def range_size(start: str, end: str) -> int:
    """Number of addresses from ``start`` to ``end``, both included."""
    first, last = ipaddress.ip_address(start), ipaddress.ip_address(end)
    if first.version != last.version or last < first:
        raise ValueError(f'range {start}-{end} does not run from a lower to a higher address of one family')
    return int(last) - int(first) + 1


def _entries(host: str, variables: Mapping) -> list[dict]:
    """The host's attachments with the role's defaults (``ipam`` per_node, ``master`` the default NIC)."""
    entries = variables.get('network_attachments_entries')
    if entries is None:
        entries = variables.get('network_attachments_list', [])
    if not _is_list(entries) or not all(isinstance(entry, Mapping) and 'name' in entry for entry in entries):
        raise ValueError(f'the attachments of host {host} must be a list of dicts with a name, got {entries!r}')
    master = variables.get('network_attachments_default_master', 'eth1')
    return [{'ipam': 'per_node', 'master': master, 'namespace': 'default', **entry} for entry in entries]


def _dict_var(host: str, variables: Mapping, name: str) -> Mapping:
    found = variables.get(name)
    if found is None:
        return {}
    if not isinstance(found, Mapping):
        raise ValueError(f'{name} of host {host} must be a dict, got {found!r}')
    return found


def _written(host: str, variables: Mapping) -> dict[str, bool]:
    """Attachment name -> changed, from the registered loop ``network_attachments_written`` (skipped items left out)."""
    results = _dict_var(host, variables, 'network_attachments_written').get('results', [])
    written = {}
    for result in results if _is_list(results) else []:
        item = result.get('item') if isinstance(result, Mapping) else None
        if isinstance(item, Mapping) and 'name' in item and not result.get('skipped'):
            written[item['name']] = bool(result.get('changed'))
    return written


def _range_text(found: Mapping) -> tuple[str, int]:
    """Text and size of a host-local range; a dual-stack ``ranges`` list counts the pairs it hands out (its smaller family)."""
    if 'ranges' in found and _is_list(found['ranges']):
        parts = [_range_text(range_set[0]) for range_set in found['ranges'] if _is_list(range_set) and range_set]
        if not parts:
            raise ValueError(f'range {dict(found)!r} has no range in its ranges')
        return ', '.join(text for text, _size in parts), min(size for _text, size in parts)
    if not {'rangeStart', 'rangeEnd'} <= set(found):
        raise ValueError(f'range {dict(found)!r} has no rangeStart and rangeEnd')
    return f"{found['rangeStart']}-{found['rangeEnd']}", range_size(found['rangeStart'], found['rangeEnd'])


class _Deployed:
    """The union, in host order, of every host's ``network_attachments_all_ranges``, read on first use.

    The role publishes that dict (every worker's range) on each host of its
    play, so merging it host by host costs workers squared; a run that
    computed the range of every row never needs it.
    """

    def __init__(self, hosts: Sequence, variables: Mapping) -> None:
        self._hosts, self._variables, self._ranges = hosts, variables, None

    def _merged(self) -> dict:
        if self._ranges is None:
            self._ranges = {}
            for host in self._hosts:
                self._ranges.update(_dict_var(host, self._variables[host], 'network_attachments_all_ranges'))
        return self._ranges

    def __contains__(self, label: object) -> bool:
        return label in self._merged()

    def __getitem__(self, label: str) -> object:
        return self._merged()[label]


def _node_row(host: str, entry: Mapping, variables: Mapping, deployed: _Deployed, check_mode: bool) -> dict:
    row = {'node': host, 'nic': entry['master'], 'nad': entry['name'], 'ipam': 'per_node',
           'range': '-', 'addresses': None}
    computed = _dict_var(host, variables, 'network_attachments_node_ranges')
    if entry['name'] in computed:
        row['range'], row['addresses'] = _range_text(computed[entry['name']])
        written = _written(host, variables)
        if entry['name'] not in written:
            row['state'] = COMPUTED
        elif written[entry['name']]:
            row['state'] = WOULD_WRITE if check_mode else WRITTEN
        else:
            row['state'] = UNCHANGED
    elif f"{host}/{entry['name']}" in deployed:
        row['range'], row['addresses'] = _range_text(deployed[f"{host}/{entry['name']}"])
        row['state'] = DEPLOYED
    else:
        row['state'] = UNKNOWN
    return row


def _cluster_row(entry: Mapping) -> dict:
    row = {'node': CLUSTER, 'nic': entry['master'], 'nad': entry['name'], 'ipam': entry['ipam']}
    if entry['ipam'] == 'whereabouts':
        exclude = entry.get('whereabouts_exclude') or []
        row['range'] = f"pool {entry.get('whereabouts_range')}" + (f" except {', '.join(exclude)}" if exclude else '')
        try:
            row['addresses'] = pool_size(entry.get('whereabouts_range'), exclude)
        except ValueError as exc:
            raise ValueError(f"the whereabouts pool of {entry['name']}: {exc}") from None
        row['state'] = 'cluster-wide pool'
    else:
        row['range'], row['addresses'] = _range_text(entry.get('range') or {})
        row['state'] = 'one range on every node'
    return row


def allocation_rows(hosts: Sequence, hostvars: Mapping, check_mode: bool = False) -> list[dict]:
    """One row per worker and per_node attachment, in the order of ``hosts``, then one per cluster-wide range.

    A row is ``{node, nic, nad, ipam, range, addresses, state}``; ``addresses``
    is ``None`` when the range is unknown. Raises ValueError naming the host
    for attachments or ranges that are not what the roles publish.
    """
    variables = {host: hostvars[host] if host in hostvars else {} for host in hosts}
    deployed = _Deployed(hosts, variables)
    rows, cluster = [], {}
    for host in hosts:
        for entry in _entries(host, variables[host]):
            if entry['ipam'] == 'per_node':
                rows.append(_node_row(host, entry, variables[host], deployed, check_mode))
            else:
                cluster.setdefault(entry['name'], entry)
    return rows + [_cluster_row(entry) for entry in cluster.values()]


def render_table(rows: Sequence[Mapping]) -> list[str]:
    """The rows as aligned text lines under a header."""
    cells = [COLUMNS] + [
        (row['node'], row['nic'], row['nad'], row['ipam'], row['range'],
         '-' if row['addresses'] is None else str(row['addresses']), row['state'])
        for row in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS) - 1)]
    return ['  '.join([cell.ljust(width) for cell, width in zip(line, widths)] + [line[-1]]) for line in cells]


def summary(rows: Sequence[Mapping]) -> list[str]:
    """Short account of the rows: totals, then the node/attachment pairs in each state."""
    nodes = [row for row in rows if row['node'] != CLUSTER]
    workers = len({row['node'] for row in nodes})
    counted = sum(row['addresses'] for row in nodes if row['addresses'] is not None)
    lines = [f"{workers} worker{'s' if workers != 1 else ''}, {len(nodes)} per-node "
             f"range{'s' if len(nodes) != 1 else ''} holding {counted} address{'es' if counted != 1 else ''}."]
    pools = [row for row in rows if row['node'] == CLUSTER]
    if pools:
        lines.append('Cluster-wide: ' + '; '.join(f"{row['nad']} ({row['ipam']}, {row['addresses']} addresses)"
                                                  for row in pools) + '.')
    for state, text in SUMMARY:
        pairs = [f"{row['node']}/{row['nad']}" for row in nodes if row['state'] == state]
        if pairs:
            lines.append(f"{text}: {', '.join(pairs)}.")
    if not rows:
        lines = ['No attachment to report: network_attachments_list is empty on every worker.']
    return lines


def allocation_table(hosts: Sequence, hostvars: Mapping, check_mode: bool = False) -> list[str]:
    """The table, an empty line, and the summary, as text lines."""
    rows = allocation_rows(hosts, hostvars, check_mode)
    return (render_table(rows) + [''] if rows else []) + summary(rows)
