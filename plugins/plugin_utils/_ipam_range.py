# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Address math behind the ``multihome.multus.ipam_range`` filter.

Turns the secondary addresses of a NIC into a host-local IPAM range
(``subnet``, ``rangeStart``, ``rangeEnd`` and optionally ``gateway``), and
validates such a range. Standard library only; no Ansible imports.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import NamedTuple, Optional, Union

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

RANGE_KEYS = ('subnet', 'rangeStart', 'rangeEnd', 'gateway')


class Entry(NamedTuple):
    """One parsed input address, with the network its prefix implies (if any)."""

    address: Address
    network: Optional[Network]
    text: str


class Range(NamedTuple):
    """A validated host-local range."""

    subnet: Network
    start: Address
    end: Address
    gateway: Optional[Address]


def show(value: object) -> str:
    """Render a value for an error message: strings as they are, the rest as repr."""
    if isinstance(value, str):
        return repr(str(value))
    return repr(value)


def parse_address(value: object, what: str = 'address') -> Address:
    """Parse a plain IP address (no prefix, no zone index)."""
    if not isinstance(value, str):
        raise IpamError(f'{what} {show(value)} is not a string')
    try:
        address = ipaddress.ip_address(str(value))
    except ValueError:
        raise IpamError(f'{what} {show(value)} is not a valid IP address') from None
    if getattr(address, 'scope_id', None):
        raise IpamError(f'{what} {show(value)} carries a zone index, which host-local IPAM cannot use')
    return address


def _netmask_to_prefix(mask: str, text: str) -> int:
    try:
        value = int(ipaddress.IPv4Address(mask))
    except ValueError:
        raise IpamError(f'{show(text)} has an invalid prefix length or netmask {show(mask)}') from None
    host_bits = ~value & 0xFFFFFFFF
    if host_bits & (host_bits + 1):
        raise IpamError(f'{show(text)} has an invalid netmask {show(mask)} (its one bits are not contiguous)')
    return 32 - host_bits.bit_length()


def _parse_prefix(prefix: object, address: Address, text: str) -> int:
    """Return the prefix length given as an int, a decimal string or an IPv4 netmask."""
    if isinstance(prefix, bool):
        raise IpamError(f'{show(text)} has an invalid prefix length {show(prefix)}')
    if isinstance(prefix, int):
        length = prefix
    elif isinstance(prefix, str) and prefix.isdecimal() and prefix.isascii():
        length = int(prefix)
    elif isinstance(prefix, str) and address.version == 4 and '.' in prefix:
        length = _netmask_to_prefix(str(prefix), text)
    else:
        raise IpamError(f'{show(text)} has an invalid prefix length or netmask {show(prefix)}')
    if not 0 <= length <= address.max_prefixlen:
        raise IpamError(f'{show(text)} has a prefix length {length} outside 0..{address.max_prefixlen}')
    return length


def parse_entry(entry: object) -> Entry:
    """Parse one input element: 'addr', 'addr/prefix', 'addr/netmask' or an Ansible fact dict."""
    if isinstance(entry, str):
        text = str(entry)
        addr_text, sep, prefix = text.partition('/')
        address = parse_address(addr_text)
        if not sep:
            return Entry(address, None, str(address))
        length = _parse_prefix(prefix, address, text)
    elif isinstance(entry, Mapping):
        if 'address' not in entry:
            raise IpamError(f'address entry {show(entry)} has no key "address"')
        address = parse_address(entry['address'])
        text = str(address)
        length = None
        if entry.get('prefix') is not None:
            length = _parse_prefix(entry['prefix'], address, f'{address}/{entry["prefix"]}')
        if entry.get('netmask') is not None:
            mask = entry['netmask']
            if not isinstance(mask, str) or address.version != 4:
                raise IpamError(f'address entry {show(entry)} has an invalid netmask {show(mask)}')
            mask_length = _netmask_to_prefix(str(mask), f'{address}/{mask}')
            if length is not None and length != mask_length:
                raise IpamError(f'address entry {show(entry)}: netmask {mask} (/{mask_length}) and prefix {length} disagree')
            length = mask_length
        if length is None:
            return Entry(address, None, text)
    else:
        raise IpamError(f'address entry {show(entry)} is neither a string nor a dict with an "address" key')
    network = ipaddress.ip_network((address, length), strict=False)
    return Entry(address, network, f'{address}/{length}')


def parse_subnet(value: object, what: str = 'subnet') -> Network:
    """Parse a subnet in canonical network form ('a.b.c.0/24'); host bits set is an error."""
    if not isinstance(value, str):
        raise IpamError(f'{what} {show(value)} is not a string')
    text = str(value)
    addr_text, sep, prefix = text.partition('/')
    if not sep:
        raise IpamError(f'{what} {show(value)} has no prefix length; write it as network/prefix, e.g. 192.168.1.0/24')
    try:
        address = ipaddress.ip_address(addr_text)
    except ValueError:
        raise IpamError(f'{what} {show(value)} is not a valid network') from None
    if getattr(address, 'scope_id', None):
        raise IpamError(f'{what} {show(value)} is not a valid network')
    try:
        length = _parse_prefix(prefix, address, text)
    except IpamError as exc:
        raise IpamError(f'{what} {exc}') from None
    network = ipaddress.ip_network((address, length), strict=False)
    if network.network_address != address:
        raise IpamError(f'{what} {show(value)} has host bits set; the network is {network}')
    return network


def _family(version: int) -> str:
    return f'IPv{version}'


def _check_not_network_or_broadcast(address: Address, subnet: Network, what: str) -> None:
    """IPv4 subnets up to /30 reserve their first and last address."""
    if subnet.version != 4 or subnet.prefixlen >= 31:
        return
    if address == subnet.network_address:
        raise IpamError(f'{what} {address} is the network address of subnet {subnet}')
    if address == subnet.broadcast_address:
        raise IpamError(f'{what} {address} is the broadcast address of subnet {subnet}')


def _check_gateway(gateway: Address, subnet: Network, start: Address, end: Address) -> None:
    if gateway.version != subnet.version:
        raise IpamError(f'gateway {gateway} is {_family(gateway.version)} but subnet {subnet} is {_family(subnet.version)}')
    if gateway not in subnet:
        raise IpamError(f'gateway {gateway} is outside subnet {subnet}')
    _check_not_network_or_broadcast(gateway, subnet, 'gateway')
    if start <= gateway <= end:
        raise IpamError(f'gateway {gateway} lies inside the range {start}-{end}')


def _resolve_subnet(entries: list, subnet: object, version: int) -> Network:
    if subnet is not None:
        network = parse_subnet(subnet)
        if network.version != version:
            raise IpamError(f'subnet {network} is {_family(network.version)} but the addresses are {_family(version)}')
        for entry in entries:
            if entry.network is not None and entry.network != network:
                raise IpamError(f'address {entry.text} is in network {entry.network}, not in subnet {network}')
        return network
    carriers = [entry for entry in entries if entry.network is not None]
    if not carriers:
        raise IpamError('no subnet given and no address carries a prefix length or netmask; pass subnet=..., e.g. subnet="192.168.1.0/24"')
    first = carriers[0]
    for entry in carriers[1:]:
        if entry.network != first.network:
            raise IpamError(
                f'address {entry.text} is in network {entry.network} but address {first.text} is in network {first.network}; '
                'fix the prefixes or pass subnet=...')
    return first.network


def ipam_range(addresses: object, subnet: object = None, gateway: object = None) -> dict:
    """Compute the host-local range covering a contiguous block of addresses.

    Returns ``{"subnet", "rangeStart", "rangeEnd"[, "gateway"]}`` in that key order.
    Raises IpamError naming the offending value for every invalid input.
    """
    if isinstance(addresses, (str, bytes, Mapping)) or not isinstance(addresses, (list, tuple)):
        raise IpamError(f'expected a list of addresses, got {show(addresses)}')
    if not addresses:
        raise IpamError('no addresses given (the list is empty)')
    entries = [parse_entry(item) for item in addresses]

    version = entries[0].address.version
    for entry in entries[1:]:
        if entry.address.version != version:
            raise IpamError(
                f'mixed address families: {entries[0].text} is {_family(version)} '
                f'but {entry.text} is {_family(entry.address.version)}')

    seen = set()
    for entry in entries:
        if entry.address in seen:
            raise IpamError(f'address {entry.address} is listed more than once')
        seen.add(entry.address)

    network = _resolve_subnet(entries, subnet, version)

    for entry in entries:
        if entry.address not in network:
            raise IpamError(f'address {entry.text} is outside subnet {network}')
        _check_not_network_or_broadcast(entry.address, network, 'address')

    ordered = sorted(entry.address for entry in entries)
    for lower, upper in zip(ordered, ordered[1:]):
        if int(upper) != int(lower) + 1:
            raise IpamError(
                f'the addresses are not a contiguous block: {lower + 1} is missing (between {lower} and {upper})')

    result = {
        'subnet': str(network),
        'rangeStart': str(ordered[0]),
        'rangeEnd': str(ordered[-1]),
    }
    if gateway is not None:
        gateway_address = parse_address(gateway, 'gateway')
        _check_gateway(gateway_address, network, ordered[0], ordered[-1])
        result['gateway'] = str(gateway_address)
    return result


def check_range(value: object, where: str) -> Range:
    """Validate a range dict as returned by ipam_range; ``where`` prefixes every message."""
    if not isinstance(value, Mapping):
        raise IpamError(f'{where}: expected a dict with subnet, rangeStart and rangeEnd, got {show(value)}')
    for key in RANGE_KEYS[:3]:
        if key not in value:
            raise IpamError(f'{where}: missing key {show(key)} in {show(value)}')
    try:
        subnet = parse_subnet(value['subnet'])
        start = parse_address(value['rangeStart'], 'rangeStart')
        end = parse_address(value['rangeEnd'], 'rangeEnd')
        for what, address in (('rangeStart', start), ('rangeEnd', end)):
            if address.version != subnet.version:
                raise IpamError(
                    f'{what} {address} is {_family(address.version)} but subnet {subnet} is {_family(subnet.version)}')
            if address not in subnet:
                raise IpamError(f'{what} {address} is outside subnet {subnet}')
            _check_not_network_or_broadcast(address, subnet, what)
        if start > end:
            raise IpamError(f'rangeStart {start} is after rangeEnd {end}')
        gateway = None
        if value.get('gateway') is not None:
            gateway = parse_address(value['gateway'], 'gateway')
            _check_gateway(gateway, subnet, start, end)
    except IpamError as exc:
        raise IpamError(f'{where}: {exc}') from None
    return Range(subnet, start, end, gateway)


def dual_stack_ranges(blocks: object, subnets: object = None, gateways: object = None) -> dict:
    """Compute host-local range sets from an IPv4 block and an IPv6 block.

    ``blocks`` is ``[ipv4_addresses, ipv6_addresses]``; ``subnets`` and
    ``gateways`` are optional two-element lists in the same order (None for
    "not given"). Each block must be a valid ``ipam_range`` input. Returns
    ``{"ranges": [[ipv4_range], [ipv6_range]]}``, the host-local form for
    two address families. Raises IpamError naming the family and the value.
    """
    if not isinstance(blocks, (list, tuple)) or len(blocks) != 2:
        raise IpamError(f'expected [IPv4 addresses, IPv6 addresses], got {show(blocks)}')
    options = []
    for what, value in (('subnets', subnets), ('gateways', gateways)):
        if value is None:
            value = [None, None]
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise IpamError(f'{what} must be a list of two (IPv4, IPv6; null for none), got {show(value)}')
        options.append(value)
    sets = []
    for index, version in enumerate((4, 6)):
        block = blocks[index]
        if isinstance(block, (list, tuple)) and not block:
            raise IpamError(f'no {_family(version)} addresses given (the {_family(version)} list is empty)')
        try:
            result = ipam_range(block, subnet=options[0][index], gateway=options[1][index])
        except IpamError as exc:
            raise IpamError(f'{_family(version)} block: {exc}') from None
        found = ipaddress.ip_network(result['subnet']).version
        if found != version:
            raise IpamError(f'the {_family(version)} block holds {_family(found)} addresses ({result["rangeStart"]}); '
                            'give the IPv4 addresses first and the IPv6 addresses second')
        sets.append([result])
    return {'ranges': sets}
