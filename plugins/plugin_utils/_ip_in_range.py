# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Membership test behind the ``multihome.multus.ip_in_range`` filter.

Standard library only; no Ansible imports.
"""

from __future__ import annotations

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import check_range, parse_address


def ip_in_range(address: object, ipam: object) -> bool:
    """Return whether ``address`` lies in ``ipam``'s rangeStart..rangeEnd.

    ``address`` may carry a prefix (``198.19.0.101/24``), as CNI results do.
    An address of the other family is simply not in the range.
    Raises IpamError for an invalid address or range.
    """
    text = address.split('/', 1)[0] if isinstance(address, str) else address
    parsed = parse_address(text, 'address')
    checked = check_range(ipam, 'the range')
    if parsed.version != checked.start.version:
        return False
    return checked.start <= parsed <= checked.end
