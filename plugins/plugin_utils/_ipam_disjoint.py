# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Overlap check behind the ``multihome.multus.ipam_disjoint`` filter.

Given host-local ranges keyed by a label (a node name, or ``node/nad``), make
sure that no address belongs to two ranges of the same family. Only the
``rangeStart``..``rangeEnd`` intervals are compared: nodes may share a subnet.
Standard library only; no Ansible imports.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import check_range, show


def find_overlap(intervals: list) -> tuple | None:
    """Return the overlap with the lowest shared address, or None.

    ``intervals`` holds ``(start, end, label)`` tuples of one address family.
    The result is ``(first, second, shared)`` where ``first`` and ``second``
    are the overlapping intervals, ``first`` starting no later than
    ``second``, and ``shared`` is the lowest address that any two of the
    intervals have in common.
    """
    ordered = sorted(intervals, key=lambda item: (item[0], item[1], item[2]))
    for previous, current in zip(ordered, ordered[1:]):
        # The intervals before `current` are pairwise disjoint, so `previous`
        # reaches furthest among them; and any address shared with `current`
        # or a later interval is >= current's start, so that start is the
        # lowest shared address there is.
        if current[0] <= previous[1]:
            return previous, current, current[0]
    return None


def ipam_disjoint(ranges: object) -> object:
    """Return ``ranges`` unchanged if no two ranges of one family share an address.

    Raises IpamError naming both labels, both ranges and the first shared address.
    """
    if not isinstance(ranges, Mapping):
        raise IpamError(f'expected a dict of label -> range, got {show(ranges)}')
    by_family: dict = {4: [], 6: []}
    for label, value in ranges.items():
        if not isinstance(label, str) or not label:
            raise IpamError(f'label {show(label)} is not a non-empty string')
        checked = check_range(value, f'the range of {label}')
        by_family[checked.start.version].append((checked.start, checked.end, str(label)))
    for version in (4, 6):
        overlap = find_overlap(by_family[version])
        if overlap is not None:
            first, second, shared = overlap
            raise IpamError(
                f'the ranges of {first[2]} ({first[0]}-{first[1]}) and {second[2]} ({second[0]}-{second[1]}) '
                f'overlap at {shared}')
    return ranges
