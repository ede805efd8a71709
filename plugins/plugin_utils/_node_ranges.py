# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Logic behind the ``multihome.multus.node_ranges`` filter.

A worker's host-local range for each of its per_node attachments, from the
secondary IPs that the secondary_nic role published for the attachment's
master NIC; an error names the NIC, its addresses, the attachment and the
variable to fix. Standard library only; no Ansible imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import dual_stack_ranges, ipam_range, show


def _range(entry: Mapping, nic: Mapping) -> dict:
    if entry.get('dual_stack'):
        return dual_stack_ranges([list(nic['addresses']), list(nic['addresses6'])],
                                 subnets=[nic.get('subnet') or None, nic.get('subnet6') or None],
                                 gateways=[entry.get('gateway'), entry.get('gateway6')])
    return ipam_range(list(nic['addresses']), subnet=nic.get('subnet') or None, gateway=entry.get('gateway'))


def node_ranges(entries: object, nics: object) -> dict:
    """``{attachment name: host-local range}`` of the per_node entries, in their order.

    ``entries`` are the normalised attachments (name, master, ipam, and
    optionally gateway, dual_stack, gateway6); ``nics`` is the per-NIC result
    of the secondary_nic role. Raises IpamError naming the attachment, the NIC,
    its addresses and the variables that declared them.
    """
    if not isinstance(entries, Sequence) or isinstance(entries, (str, bytes)):
        raise IpamError(f'expected the list of attachments, got {show(entries)}')
    if not isinstance(nics, Mapping):
        raise IpamError(f'nics must be the per-NIC result of secondary_nic (a dict), got {show(nics)}')
    ranges = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not {'name', 'master', 'ipam'} <= set(entry):
            raise IpamError(f'{show(entry)} is not a normalised attachment (name, master, ipam)')
        if entry['ipam'] != 'per_node':
            continue
        nic = nics.get(entry['master'])
        if not isinstance(nic, Mapping) or not {'addresses', 'addresses6'} <= set(nic):
            raise IpamError(f'attachment {entry["name"]} takes its range from the secondary IPs of {entry["master"]}, '
                            f'which the secondary_nic role did not check (it checked {", ".join(nics) or "no NIC"})')
        try:
            ranges[entry['name']] = _range(entry, nic)
        except IpamError as exc:
            where = nic.get('where', 'secondary_nic_')
            addresses = ', '.join(list(nic['addresses']) + (list(nic['addresses6']) if entry.get('dual_stack') else []))
            raise IpamError(
                f'the secondary IPs of {entry["master"]} ({addresses or "none"}) cannot serve as a host-local range '
                f'for attachment {entry["name"]}: {exc}. Fix the addresses in the cloud console (a series of '
                f'connected IPs inside one subnet) and in {nic.get("variable") or where + "addresses"} '
                f'(IPv6: {nic.get("variable6") or where + "addresses6"})') from None
    return ranges
