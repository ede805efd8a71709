# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Optional parts of an attachment's CNI config: IPAM routes and the chained tuning plugin.

Checks and normalises ``routes`` (``[{dst: CIDR, gw: IP?}]``, rendered into
``ipam.routes``) and ``tuning`` (``{mtu: int, sysctl: {name: value}}``,
rendered as a ``tuning`` plugin chained after the main one), and finds the
subnets an IPAM section hands out addresses from, so that a route's gateway
can be checked against them. Standard library only; no Ansible imports.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import Network, parse_address, show

ROUTE_KEYS = ('dst', 'gw')
TUNING_KEYS = ('mtu', 'sysctl')

MTU_MIN = 68
MTU_MAX = 65535

# The tuning plugin writes /proc/sys/<name with '.' as '/'> inside the pod's
# network namespace and refuses anything outside /proc/sys/net/.
_SYSCTL_NAME = re.compile(r'net(\.[A-Za-z0-9_-]+)+')


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple))


def parse_network(value: object, what: str) -> Network:
    """Parse a CIDR in network form (host bits set is an error)."""
    if not isinstance(value, str) or '/' not in value:
        raise IpamError(f'{what} {show(value)} is not a network in CIDR form, e.g. 198.18.0.0/15')
    try:
        return ipaddress.ip_network(str(value), strict=True)
    except ValueError as exc:
        raise IpamError(f'{what} {show(value)} is not a network in CIDR form ({exc})') from None


def _subnet(value: object) -> Network:
    """A subnet as host-local (``a.b.c.0/24``) or whereabouts (``first-last/prefix``, host bits allowed) write it."""
    if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return value
    try:
        return ipaddress.ip_network(str(value).rpartition('-')[2], strict=False)
    except ValueError:
        raise IpamError(f'subnet {show(value)} of the attachment is not a network') from None


def ipam_subnets(ipam: object) -> list:
    """The subnets an IPAM section takes addresses from: host-local ``subnet`` or ``ranges``, whereabouts ``range``.

    Returns networks in order; an unknown IPAM type gives an empty list.
    """
    if not isinstance(ipam, Mapping):
        return []
    texts: list = []
    if 'subnet' in ipam:
        texts.append(ipam['subnet'])
    for range_set in ipam.get('ranges') or []:
        texts.extend(item.get('subnet') for item in range_set if isinstance(item, Mapping))
    if ipam.get('type') == 'whereabouts' and 'range' in ipam:
        texts.append(ipam['range'])
    return [_subnet(text) for text in texts]


def check_routes(routes: object, subnets: object = None, where: str = 'routes') -> list:
    """Return ``routes`` as ``[{"dst": network[, "gw": address]}]`` with canonical addresses.

    ``dst`` must be a network, ``gw`` an address of the same family; when
    ``subnets`` is given (a list of networks or CIDR strings), ``gw`` must lie
    in the one of its family. Raises IpamError naming the route.
    """
    if not _is_list(routes):
        raise IpamError(f'{where}: expected a list of {{dst, gw}} dicts, got {show(routes)}')
    if subnets is not None and not _is_list(subnets):
        raise IpamError(f'{where}: the subnets to check gw against must be a list, got {show(subnets)}')
    networks = None if subnets is None else [_subnet(net) for net in subnets]
    result = []
    for index, route in enumerate(routes):
        here = f'{where}[{index}]'
        if not isinstance(route, Mapping):
            raise IpamError(f'{here}: expected a dict with dst and optional gw, got {show(route)}')
        unknown = sorted(str(key) for key in route if key not in ROUTE_KEYS)
        if unknown:
            raise IpamError(f'{here}: unknown key {show(unknown[0])}; a route has dst and optional gw')
        if 'dst' not in route:
            raise IpamError(f'{here}: missing key "dst" in {show(route)}')
        dst = parse_network(route['dst'], f'{here}: dst')
        entry = {'dst': str(dst)}
        if route.get('gw') is not None:
            try:
                gw = parse_address(route['gw'], 'gw')
            except IpamError as exc:
                raise IpamError(f'{here}: {exc}') from None
            if gw.version != dst.version:
                raise IpamError(f'{here}: gw {gw} is IPv{gw.version} but dst {dst} is IPv{dst.version}')
            if networks is not None:
                family = [net for net in networks if net.version == gw.version]
                if not family:
                    raise IpamError(f'{here}: gw {gw} is IPv{gw.version} but the attachment has no IPv{gw.version} subnet')
                if not any(gw in net for net in family):
                    raise IpamError(f'{here}: gw {gw} is outside the subnet {", ".join(str(n) for n in family)}')
            entry['gw'] = str(gw)
        result.append(entry)
    return result


def sysctl_name_problem(name: object) -> str | None:
    """Return why ``name`` is not a per-interface network sysctl the tuning plugin accepts, or None."""
    if not isinstance(name, str):
        return f'sysctl name {show(name)} is not a string'
    if not _SYSCTL_NAME.fullmatch(name):
        return (f'sysctl {show(name)} is not a network sysctl; the tuning plugin sets only net.* names '
                '(e.g. net.ipv4.conf.net1.arp_filter or net.ipv6.conf.net1.accept_ra)')
    return None


def check_tuning(tuning: object, where: str = 'tuning') -> dict:
    """Return the ``tuning`` plugin config (``{"type": "tuning"[, "mtu"][, "sysctl"]}``); raise IpamError if invalid."""
    if not isinstance(tuning, Mapping):
        raise IpamError(f'{where}: expected a dict with mtu and/or sysctl, got {show(tuning)}')
    unknown = sorted(str(key) for key in tuning if key not in TUNING_KEYS)
    if unknown:
        raise IpamError(f'{where}: unknown key {show(unknown[0])}; tuning takes mtu and sysctl')
    if tuning.get('mtu') is None and not tuning.get('sysctl'):
        raise IpamError(f'{where}: give mtu or sysctl (or leave tuning out)')
    plugin: dict = {'type': 'tuning'}
    mtu = tuning.get('mtu')
    if mtu is not None:
        if isinstance(mtu, bool) or not isinstance(mtu, int) or not MTU_MIN <= mtu <= MTU_MAX:
            raise IpamError(f'{where}: mtu {show(mtu)} is not an integer in {MTU_MIN}..{MTU_MAX}')
        plugin['mtu'] = int(mtu)
    sysctl = tuning.get('sysctl')
    if sysctl:
        if not isinstance(sysctl, Mapping):
            raise IpamError(f'{where}: sysctl must be a dict of name -> value, got {show(sysctl)}')
        values = {}
        for name, value in sysctl.items():
            problem = sysctl_name_problem(name)
            if problem is not None:
                raise IpamError(f'{where}: {problem}')
            if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == '':
                raise IpamError(f'{where}: sysctl {name} has the value {show(value)}; give a string or an integer')
            values[str(name)] = str(value)
        plugin['sysctl'] = values
    return plugin


def options_problem(routes: object = None, tuning: object = None, subnets: object = None) -> str | None:
    """Return why the routes or the tuning of an attachment are invalid, or None (for validation tasks)."""
    try:
        if routes is not None:
            check_routes(routes, subnets)
        if tuning is not None:
            check_tuning(tuning)
    except IpamError as exc:
        return str(exc)
    return None
