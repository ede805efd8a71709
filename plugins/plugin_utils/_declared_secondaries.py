# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Parsing behind the ``multihome.multus.declared_secondaries`` filter.

A worker's secondary IPs, as the user declares them per NIC in the forms a
cloud console shows: a list of addresses, a first address and a count, or a
first and a last address; IPv6 the same with the keys ending in ``6``. The
single-NIC variables (``secondary_nic_name``, ``secondary_nic_addresses``, ...)
are the one-element shorthand of the list. Every error names the variable,
the bad value and the fix. Standard library only; no Ansible imports.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import parse_entry, parse_subnet, show

# More than a cloud NIC ever holds; a larger count is a typo, not a NIC.
MAX_ADDRESSES = 4096
NIC_NAME = re.compile(r'^[^/:\s]{1,15}$')
FAMILY_KEYS = ('addresses', 'first', 'count', 'last', 'subnet')
KEYS = frozenset({'name'} | set(FAMILY_KEYS) | {key + '6' for key in FAMILY_KEYS})
SHORTHAND_KEYS = frozenset({'name', 'addresses', 'subnet', 'addresses6', 'subnet6'})
EXAMPLE = {4: ('192.168.1.13', '192.168.1.0/24'), 6: ('2001:db8:1::10', '2001:db8:1::/64')}


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _given(value: object) -> bool:
    """A key counts as set unless it is missing, null, '' or []."""
    return value is not None and value != '' and value != []


def check_nic_name(name: object, variable: str) -> str:
    """The NIC name, or IpamError naming the variable and the rule."""
    if not isinstance(name, str) or not NIC_NAME.match(name) or name in ('.', '..'):
        raise IpamError(f'{variable}={show(name)} is not a valid interface name (1-15 characters, no "/", ":" or '
                        'blanks). Set it to the NIC that carries the secondary IPs, e.g. eth1')
    return str(name)


def _count(value: object, variable: str) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdecimal())):
        raise IpamError(f'{variable}={show(value)} is not a whole number; write how many secondary IPs follow '
                        'the first one, the first included, e.g. 5')
    number = int(value)
    if not 1 <= number <= MAX_ADDRESSES:
        raise IpamError(f'{variable}={number} is outside 1..{MAX_ADDRESSES}; write how many secondary IPs the cloud '
                        'console lists for the NIC')
    return number


class Family:
    """The declared addresses of one family of one NIC: ``where`` + key names the variables."""

    def __init__(self, entry: Mapping, where: str, version: int):
        self.entry = entry
        self.where = where
        self.version = version
        self.suffix = '' if version == 4 else '6'

    def name(self, key: str) -> str:
        return f'{self.where}{key}{self.suffix}'

    def get(self, key: str) -> object:
        return self.entry.get(key + self.suffix)

    def _address(self, value: object, key: str):
        """One entry (plain or with prefix) of this family, as parse_entry gives it."""
        if not isinstance(value, str):
            raise IpamError(f'{self.name(key)}: {show(value)} is not a string; write the address as text, e.g. '
                            f'{EXAMPLE[self.version][0]}')
        try:
            parsed = parse_entry(value)
        except IpamError as exc:
            raise IpamError(f'{self.name(key)}: {exc}. Write an address as the console shows it, e.g. '
                            f'{EXAMPLE[self.version][0]}') from None
        if parsed.address.version != self.version:
            other = self.name(key)[:-1] if self.suffix else self.name(key) + '6'
            raise IpamError(f'{self.name(key)}: {parsed.text} is an IPv{parsed.address.version} address; '
                            f'IPv{parsed.address.version} addresses go in {other}')
        return parsed

    def form(self) -> tuple[list, str]:
        """(parsed entries, variable naming the form) of the form used; ([], '') when none is."""
        given = {key for key in ('addresses', 'first', 'count', 'last') if _given(self.get(key))}
        if not given:
            return [], ''
        if 'addresses' in given and len(given) > 1:
            raise IpamError(f'{self.name("addresses")} and {"/".join(self.name(k) for k in sorted(given - {"addresses"}))} '
                            'are both set; declare the addresses in one form: a list (addresses), a first address '
                            'and a count (first, count), or a first and a last address (first, last)')
        if 'addresses' in given:
            return self._list(), self.name('addresses')
        if 'first' not in given:
            raise IpamError(f'{"/".join(self.name(k) for k in sorted(given))} is set without {self.name("first")}; '
                            f'add the first address, e.g. {self.name("first")}: {EXAMPLE[self.version][0]}')
        if given == {'first'}:
            raise IpamError(f'{self.name("first")} is set without {self.name("count")} or {self.name("last")}; add '
                            'how many addresses the NIC holds (count) or its last address (last)')
        if given == {'first', 'count', 'last'}:
            raise IpamError(f'{self.name("count")} and {self.name("last")} are both set; keep one of them')
        first = self._address(self.get('first'), 'first')
        if 'count' in given:
            number = _count(self.get('count'), self.name('count'))
            try:
                last = first.address + (number - 1)
            except ipaddress.AddressValueError:
                raise IpamError(f'{self.name("first")}={first.text} with {self.name("count")}={number} runs past '
                                'the end of the address space; check both values') from None
            return self._block(first, last), f'{self.name("first")}/count{self.suffix}'
        last = self._address(self.get('last'), 'last')
        if last.address < first.address:
            raise IpamError(f'{self.name("last")}={last.text} comes before {self.name("first")}={first.text}; '
                            'swap them')
        if int(last.address) - int(first.address) >= MAX_ADDRESSES:
            raise IpamError(f'{self.name("first")}={first.text} to {self.name("last")}={last.text} spans more than '
                            f'{MAX_ADDRESSES} addresses; a NIC holds far fewer, check both values')
        if last.network is not None and first.network is not None and last.network != first.network:
            raise IpamError(f'{self.name("first")}={first.text} and {self.name("last")}={last.text} are in different '
                            'networks; fix the prefix of one of them')
        return self._block(first, last.address), f'{self.name("first")}/last{self.suffix}'

    def _block(self, first, last) -> list:
        network = first.network
        count = int(last) - int(first.address) + 1
        return [parse_entry(f'{first.address + offset}/{network.prefixlen}' if network else str(first.address + offset))
                for offset in range(count)]

    def _list(self) -> list:
        value = self.get('addresses')
        if not _is_list(value):
            raise IpamError(f'{self.name("addresses")} must be a list of addresses, got {show(value)}; write e.g. '
                            f'[{EXAMPLE[self.version][0]}]')
        if len(value) > MAX_ADDRESSES:
            raise IpamError(f'{self.name("addresses")} lists {len(value)} addresses, more than {MAX_ADDRESSES}')
        entries = [self._address(item, 'addresses') for item in value]
        seen = set()
        for entry in entries:
            if entry.address in seen:
                raise IpamError(f'{self.name("addresses")} lists {entry.address} twice; list each address once')
            seen.add(entry.address)
        return entries

    def subnet(self, entries: list, variable: str):
        """The subnet given or implied by the prefixes; None when neither says it."""
        if _given(self.get('subnet')):
            try:
                network = parse_subnet(self.get('subnet'), self.name('subnet'))
            except IpamError as exc:
                raise IpamError(f'{exc}. Write the subnet the secondary IPs belong to, e.g. '
                                f'{EXAMPLE[self.version][1]}') from None
            if network.version != self.version:
                raise IpamError(f'{self.name("subnet")}={network} is IPv{network.version}; it must be an '
                                f'IPv{self.version} network like {variable}')
            for entry in entries:
                if entry.network is not None and entry.network != network:
                    raise IpamError(f'{variable}: {entry.text} is in network {entry.network}, not in '
                                    f'{self.name("subnet")}={network}; fix the prefix or the subnet')
                if entry.address not in network:
                    raise IpamError(f'{variable}: {entry.address} is outside {self.name("subnet")}={network}; '
                                    'declare the addresses of that subnet, or fix the subnet')
            return network
        networks = {entry.network for entry in entries if entry.network is not None}
        if len(networks) > 1:
            raise IpamError(f'{variable}: the prefixes put the addresses in different networks '
                            f'({", ".join(sorted(str(n) for n in networks))}); fix the prefixes or set {self.name("subnet")}')
        return networks.pop() if networks else None

    def declared(self) -> dict:
        entries, variable = self.form()
        if not entries:
            if _given(self.get('subnet')):
                raise IpamError(f'{self.name("subnet")} is set but no address is declared; add '
                                f'{self.name("addresses")}, or {self.name("first")} with {self.name("count")} or '
                                f'{self.name("last")}, or drop the subnet')
            return {'addresses' + self.suffix: [], 'subnet' + self.suffix: '', 'variable' + self.suffix: ''}
        network = self.subnet(entries, variable)
        return {'addresses' + self.suffix: [str(entry.address) for entry in entries],
                'subnet' + self.suffix: str(network) if network else '',
                'variable' + self.suffix: variable}


def declare(entry: object, where: str, name_variable: str) -> dict:
    """One NIC's declaration: name, the variables it came from, and each family's addresses and subnet."""
    if not isinstance(entry, Mapping):
        raise IpamError(f'{where.rstrip(".")} must be a dict with a name and the addresses, got {show(entry)}')
    unknown = sorted(str(key) for key in entry if key not in KEYS)
    if unknown:
        raise IpamError(f'{where.rstrip(".")} has unknown keys {", ".join(unknown)}; the keys are '
                        f'{", ".join(sorted(KEYS))}')
    name = check_nic_name(entry.get('name'), name_variable)
    result = {'name': name, 'where': where}
    for version in (4, 6):
        result.update(Family(entry, where, version).declared())
    return result


def declared_secondaries(interfaces: object, shorthand: object = None) -> list:
    """Every declared NIC of a worker, in the order given.

    ``interfaces`` is ``secondary_nic_interfaces``; when it is empty the
    ``shorthand`` (``{name, addresses, subnet, addresses6, subnet6}`` from the
    single-NIC variables) is the one NIC. Raises IpamError naming the variable,
    the value and the fix.
    """
    if not _is_list(interfaces):
        raise IpamError(f'secondary_nic_interfaces must be a list of NICs ({{name, addresses | first + count | '
                        f'first + last, subnet}}), got {show(interfaces)}')
    if not interfaces:
        if not isinstance(shorthand, Mapping) or set(shorthand) - SHORTHAND_KEYS:
            raise IpamError(f'the single-NIC shorthand must be a dict with the keys {", ".join(sorted(SHORTHAND_KEYS))}, '
                            f'got {show(shorthand)}')
        return [declare(shorthand, 'secondary_nic_', 'secondary_nic_name')]
    if isinstance(shorthand, Mapping):
        set_too = sorted(f'secondary_nic_{key}' for key in SHORTHAND_KEYS - {'name'} if _given(shorthand.get(key)))
        if set_too:
            raise IpamError(f'secondary_nic_interfaces and {", ".join(set_too)} are both set; declare every NIC in '
                            'secondary_nic_interfaces (its entries take the same keys) and leave the single-NIC '
                            'variables unset')
    declared = [declare(entry, f'secondary_nic_interfaces[{index}].', f'secondary_nic_interfaces[{index}].name')
                for index, entry in enumerate(interfaces)]
    names = [item['name'] for item in declared]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise IpamError(f'secondary_nic_interfaces[{index}] declares the NIC {name} again (first in '
                            f'secondary_nic_interfaces[{names.index(name)}]); declare each NIC once')
    return declared
