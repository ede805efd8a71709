# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Logic behind the ``multihome.multus.nic_addresses`` filter.

Joins what the user declared for each NIC (``declared_secondaries``) with what
the node's OS holds on it (Ansible's network facts) into one result per NIC:
the pod addresses with their subnet, the NIC's primary address, which pod
addresses the node itself holds, and the NIC's effective ``arp_ignore``.

IPv4: declared only, the declaration counts (the cloud delivers the
addresses, the OS does not configure them); held only by the OS, those count
(as before); both, they must be the same addresses, or IpamError names the
NIC and the differing addresses. IPv6: the OS cannot tell a node's own global
address from a pod's, so a declaration counts as it is and the OS's global
addresses are only used when nothing is declared. Standard library only.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import parse_entry, show


def fact_key(nic: str) -> str:
    """The key of a NIC in ``ansible_facts`` (Ansible writes '-' and '.' as '_')."""
    return nic.replace('-', '_').replace('.', '_')


def _joined(addresses) -> str:
    return ', '.join(str(address) for address in sorted(addresses))


def _os_entries(values: object, nic: str, what: str) -> list:
    if values is None:
        return []
    if not isinstance(values, Sequence) or isinstance(values, (str, bytes)):
        raise IpamError(f'the facts of {nic} have {what} {show(values)}, not a list')
    return [parse_entry(value) for value in values]


def _common_network(entries: list):
    networks = {entry.network for entry in entries}
    return networks.pop() if len(networks) == 1 else None


def _subnet_from_nic(addresses: list, candidates: list, nic: str, declared: Mapping, suffix: str):
    """The network of an address the NIC holds that contains every declared address."""
    for entry in candidates:
        if entry.network is not None and all(address in entry.network for address in addresses):
            return entry.network
    where = declared['where']
    held = ', '.join(entry.text for entry in candidates) or 'none'
    raise IpamError(f'{declared["variable" + suffix]} gives {nic} the addresses {_joined(addresses)} without a subnet, '
                    f'and no address the NIC holds ({held}) has a network that contains them all; set '
                    f'{where}subnet{suffix} to the subnet of the secondary IPs, e.g. '
                    f'{"192.168.1.0/24" if not suffix else "2001:db8:1::/64"}, or write them as address/prefix')


def _ipv4(declared: Mapping, facts: Mapping, nic: str) -> tuple[list, str, list]:
    """(pod addresses as address/prefix, subnet, those the OS holds) of IPv4."""
    held = _os_entries(facts.get('ipv4_secondaries'), nic, 'ipv4_secondaries')
    primary = _os_entries([facts['ipv4']], nic, 'ipv4') if isinstance(facts.get('ipv4'), Mapping) else []
    if not declared['addresses']:
        network = _common_network(held)
        return [entry.text for entry in held], str(network) if network else '', [entry.address for entry in held]
    variable = declared['variable']
    addresses = [parse_entry(text).address for text in declared['addresses']]
    for entry in primary:
        if entry.address in addresses:
            raise IpamError(f'{variable} declares {entry.address} for {nic}, but that is the NIC\'s own primary '
                            'address (the node\'s), not a secondary IP; leave it out of the declaration')
    if held:
        wanted, found = set(addresses), {entry.address for entry in held}
        if wanted != found:
            parts = []
            if wanted - found:
                parts.append(f'declared but not held by the NIC: {_joined(wanted - found)}')
            if found - wanted:
                parts.append(f'held by the NIC but not declared: {_joined(found - wanted)}')
            raise IpamError(
                f'{variable} and the secondary IPs that the OS holds on {nic} disagree ({"; ".join(parts)}). '
                f'Declare exactly the secondary IPs the cloud assigned to {nic} (the OS holds '
                f'{_joined(found)}), remove stale ones from the NIC (ip address del <address>/<prefix> dev {nic}), '
                f'or declare nothing for {nic} and let the role read the NIC')
        subnet = declared['subnet']
        network = _common_network(held)
        if subnet and network is not None and str(network) != subnet:
            raise IpamError(f'{declared["where"]}subnet={subnet}, but the OS holds the secondary IPs of {nic} in '
                            f'{network}; make the declared subnet agree with the NIC')
    if declared['subnet']:
        subnet, prefix = declared['subnet'], declared['subnet'].split('/')[1]
    else:
        network = _subnet_from_nic(addresses, held + primary, nic, declared, '')
        subnet, prefix = str(network), str(network.prefixlen)
    return [f'{address}/{prefix}' for address in addresses], subnet, list(addresses) if held else []


def _ipv6(declared: Mapping, facts: Mapping, nic: str) -> tuple[list, str, list]:
    """(pod addresses as address/prefix, subnet, those the OS holds) of IPv6."""
    values = facts.get('ipv6')
    if values is not None and (not isinstance(values, Sequence) or isinstance(values, (str, bytes))):
        raise IpamError(f'the facts of {nic} have ipv6 {show(values)}, not a list')
    found = _os_entries([value for value in values or [] if isinstance(value, Mapping)
                         and value.get('scope') == 'global'], nic, 'ipv6')
    if not declared['addresses6']:
        network = _common_network(found)
        return [entry.text for entry in found], str(network) if network else '', [entry.address for entry in found]
    addresses = [parse_entry(text).address for text in declared['addresses6']]
    if declared['subnet6']:
        subnet, prefix = declared['subnet6'], declared['subnet6'].split('/')[1]
    else:
        network = _subnet_from_nic(addresses, found, nic, declared, '6')
        subnet, prefix = str(network), str(network.prefixlen)
    on_nic = {entry.address for entry in found}
    return [f'{address}/{prefix}' for address in addresses], subnet, [a for a in addresses if a in on_nic]


def arp_ignore_values(results: object) -> dict:
    """{'all' or NIC: int} from the results of a slurp loop over /proc/sys/net/ipv4/conf/<item>/arp_ignore."""
    if not isinstance(results, Sequence) or isinstance(results, (str, bytes)):
        raise IpamError(f'sysctls must be the results list of a slurp loop, got {show(results)}')
    values = {}
    for result in results:
        if not isinstance(result, Mapping) or not isinstance(result.get('item'), str) or 'content' not in result:
            continue
        try:
            text = base64.b64decode(str(result['content']), validate=True).decode('ascii').strip()
        except (binascii.Error, UnicodeDecodeError):
            raise IpamError(f'arp_ignore of {result["item"]} is not base64-encoded text') from None
        if not text.isdecimal():
            raise IpamError(f'arp_ignore of {result["item"]} reads {text!r}, not a number')
        values[result['item']] = int(text)
    return values


def nic_addresses(declared: object, facts: object, sysctls: object = ()) -> dict:
    """One result per declared NIC, keyed by its name.

    Each value is ``{addresses, subnet, addresses6, subnet6, primary, held,
    arp_ignore, variable, variable6, where}``: the pod addresses as
    ``address/prefix`` strings, their subnets ('' when the NIC's own addresses
    span several), the NIC's primary IPv4 ``address/prefix`` (''), the pod
    addresses the node's OS holds on the NIC, the NIC's effective arp_ignore
    (the higher of ``all`` and the NIC; None when unread), the variables that
    declared the addresses ('' when read from the NIC) and the prefix of the
    NIC's variables. Raises IpamError naming the NIC and the values.
    """
    if not isinstance(declared, Sequence) or isinstance(declared, (str, bytes)):
        raise IpamError(f'expected the list of declared NICs (declared_secondaries), got {show(declared)}')
    if not isinstance(facts, Mapping):
        raise IpamError(f'facts must be ansible_facts (a dict), got {show(facts)}')
    sysctl = arp_ignore_values(sysctls)
    result = {}
    for item in declared:
        if not isinstance(item, Mapping) or not {'name', 'where', 'addresses', 'addresses6'} <= set(item):
            raise IpamError(f'{show(item)} is not a declared NIC of declared_secondaries')
        nic = item['name']
        nic_facts = facts.get(fact_key(nic))
        if not isinstance(nic_facts, Mapping):
            raise IpamError(f'the NIC {nic} ({item["where"]}name) does not exist on this node')
        addresses, subnet, held = _ipv4(item, nic_facts, nic)
        addresses6, subnet6, held6 = _ipv6(item, nic_facts, nic)
        primary = nic_facts.get('ipv4')
        values = [sysctl.get('all'), sysctl.get(nic)]
        result[nic] = {
            'addresses': addresses, 'subnet': subnet, 'addresses6': addresses6, 'subnet6': subnet6,
            'primary': parse_entry(primary).text if isinstance(primary, Mapping) and primary.get('address') else '',
            'held': [str(address) for address in held + held6],
            'arp_ignore': None if None in values else max(values),
            'variable': item.get('variable', ''), 'variable6': item.get('variable6', ''), 'where': item['where'],
        }
    return result
