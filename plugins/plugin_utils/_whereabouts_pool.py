# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The addresses a whereabouts pool hands out: its range less its exclusions.

A pool (``whereabouts_range``) is a CIDR, whose IPv4 network and broadcast
addresses whereabouts never hands out, or whereabouts' ``<first>-<last>/<prefix>``
form, whose first and last must lie in that prefix. ``whereabouts_exclude`` is
a list of CIDRs of the same family. Standard library only; no Ansible imports.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence


def _address(text: str, what: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f'{what} {text!r} is not an IP address') from None


def pool_bounds(pool: object) -> tuple:
    """(first, last, network) of the addresses the range names, before exclusions."""
    text = str(pool)
    address_part, slash, prefix = text.partition('/')
    if not slash:
        raise ValueError(f'whereabouts_range {text!r} has no /prefix: write a CIDR or <first>-<last>/<prefix>')
    if '-' in address_part:
        first_text, _dash, last_text = address_part.partition('-')
        first, last = _address(first_text, 'the first address'), _address(last_text, 'the last address')
        try:
            network = ipaddress.ip_network(f'{first}/{prefix}', strict=False)
        except ValueError:
            raise ValueError(f'whereabouts_range {text!r}: /{prefix} is not a prefix length of {first}') from None
        if last.version != first.version or last not in network:
            raise ValueError(f'whereabouts_range {text!r}: {last} is not in {network}, the subnet of {first}')
        if last < first:
            raise ValueError(f'whereabouts_range {text!r}: the last address {last} comes before the first {first}')
        return first, last, network
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f'whereabouts_range {text!r} is not a CIDR nor <first>-<last>/<prefix>') from None
    first, last = network.network_address, network.broadcast_address
    if network.version == 4 and network.prefixlen < 31:
        first, last = first + 1, last - 1
    return first, last, network


def pool_pieces(pool: object, exclude: Sequence = ()) -> list:
    """The (first, last) runs of addresses the pool hands out, in order (none when all are excluded).

    Raises ValueError naming what is wrong with the range or an exclusion.
    """
    first, last, network = pool_bounds(pool)
    if isinstance(exclude, (str, bytes)) or not isinstance(exclude, Sequence):
        raise ValueError(f'whereabouts_exclude must be a list of CIDRs, got {exclude!r}')
    holes = []
    for cidr in exclude:
        try:
            hole = ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            raise ValueError(f'whereabouts_exclude entry {cidr!r} is not a CIDR') from None
        if hole.version != network.version:
            raise ValueError(f'whereabouts_exclude entry {cidr} is not of the family of {pool}')
        holes.append(hole)
    pieces, start = [], first
    for hole in ipaddress.collapse_addresses(holes):
        low, high = hole.network_address, hole.broadcast_address
        if high < start or low > last:
            continue
        if low > start:
            pieces.append((start, low - 1))
        if high >= last:
            start = None
            break
        start = high + 1
    if start is not None:
        pieces.append((start, last))
    return pieces


def pool_problem(pool: object, exclude: Sequence = ()) -> str:
    """'' for a pool that hands out at least one address, else what is wrong with it."""
    try:
        if not pool_pieces(pool, exclude):
            return f'whereabouts pool {pool} holds no address once {", ".join(map(str, exclude))} are excluded'
    except ValueError as exc:
        return str(exc)
    return ''


def pool_ranges(name: str, pool: object, exclude: Sequence = ()) -> dict:
    """``{'whereabouts pool <name>[k]': {subnet, rangeStart, rangeEnd}}``, one per run, for the overlap check."""
    network = pool_bounds(pool)[2]
    return {f'whereabouts pool {name}[{index}]': {'subnet': str(network), 'rangeStart': str(low), 'rangeEnd': str(high)}
            for index, (low, high) in enumerate(pool_pieces(pool, exclude))}


def pool_size(pool: object, exclude: Sequence = ()) -> int:
    """How many addresses the pool hands out."""
    return sum(int(high) - int(low) + 1 for low, high in pool_pieces(pool, exclude))
