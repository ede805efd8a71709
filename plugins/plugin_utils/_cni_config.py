# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""CNI network config rendering behind the ``multihome.multus.cni_config`` filter.

Builds the config of an ipvlan, macvlan or host-device attachment in the
guide's form, and holds the validators for Kubernetes object names and Linux
interface names that roles reuse. Standard library only; no Ansible imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ansible_collections.multihome.multus.plugins.plugin_utils._cni_options import MTU_MAX, MTU_MIN, check_routes, check_tuning, ipam_subnets
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import RANGE_KEYS, check_range, show

# Valid modes per plugin; the first one is the default. host-device has no mode.
PLUGIN_MODES = {
    'ipvlan': ('l2', 'l3', 'l3s'),
    'macvlan': ('bridge', 'private', 'vepa', 'passthru'),
    'host-device': (),
}

# CNI spec versions the containernetworking plugins understand.
CNI_VERSIONS = ('0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0')

K8S_NAME_MAX = 253
IFNAME_MAX = 15  # IFNAMSIZ (16) minus the terminating NUL

_DNS1123_LABEL = r'[a-z0-9]([-a-z0-9]*[a-z0-9])?'
_DNS1123_SUBDOMAIN = re.compile(rf'{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*')


def k8s_name_problem(name: object) -> str | None:
    """Return why ``name`` is not a valid Kubernetes object name (DNS-1123 subdomain), or None."""
    if not isinstance(name, str):
        return f'{show(name)} is not a string'
    if not name:
        return 'the name is empty'
    if len(name) > K8S_NAME_MAX:
        return f'{show(name)} is longer than {K8S_NAME_MAX} characters'
    if not _DNS1123_SUBDOMAIN.fullmatch(name):
        return (f'{show(name)} is not a valid Kubernetes name (DNS-1123 subdomain: lowercase letters, digits, '
                "'-' and '.', starting and ending with a letter or digit)")
    return None


def interface_name_problem(name: object) -> str | None:
    """Return why ``name`` is not a valid Linux interface name, or None (the kernel's dev_valid_name rules)."""
    if not isinstance(name, str):
        return f'{show(name)} is not a string'
    if not name:
        return 'the interface name is empty'
    if len(name.encode('utf-8', 'surrogatepass')) > IFNAME_MAX:
        return f'{show(name)} is longer than {IFNAME_MAX} bytes'
    if name in ('.', '..'):
        return f'{show(name)} is not a valid interface name'
    for char in name:
        if char in '/:\0' or char.isspace():
            return f'{show(name)} contains {show(char)}, which is not allowed in an interface name'
    return None


def validate_k8s_name(name: object, what: str = 'name') -> str:
    """Return ``name`` if it is a valid Kubernetes object name, else raise IpamError."""
    problem = k8s_name_problem(name)
    if problem is not None:
        raise IpamError(f'{what}: {problem}')
    return str(name)


def validate_interface_name(name: object, what: str = 'master') -> str:
    """Return ``name`` if it is a valid Linux interface name, else raise IpamError."""
    problem = interface_name_problem(name)
    if problem is not None:
        raise IpamError(f'{what}: {problem}')
    return str(name)


def _range_dict(value: object, where: str) -> dict:
    checked = check_range(value, where)
    section = {'subnet': str(checked.subnet), 'rangeStart': str(checked.start), 'rangeEnd': str(checked.end)}
    if checked.gateway is not None:
        section['gateway'] = str(checked.gateway)
    return section


def _range_sets(ipam: Mapping) -> dict:
    """host-local with one range set per address family: ``{"ranges": [[range, ...], ...]}``."""
    if set(ipam) != {'ranges'}:
        extra = sorted(str(key) for key in ipam if key != 'ranges')
        raise IpamError(f'ipam: unknown key {show(extra[0])} next to "ranges" in {show(ipam)}')
    sets = ipam['ranges']
    if not isinstance(sets, (list, tuple)) or not sets:
        raise IpamError(f'ipam: ranges must be a non-empty list of range sets, got {show(sets)}')
    result = []
    versions = []
    for index, range_set in enumerate(sets):
        if not isinstance(range_set, (list, tuple)) or not range_set:
            raise IpamError(f'ipam: ranges[{index}] must be a non-empty list of ranges, got {show(range_set)}')
        ranges = [_range_dict(item, f'ipam: ranges[{index}][{pos}]') for pos, item in enumerate(range_set)]
        versions.append(check_range(ranges[0], 'ipam').subnet.version)
        result.append(ranges)
    if len(set(versions)) != len(versions):
        raise IpamError('ipam: two range sets of the same address family; give one set per family')
    return {'type': 'host-local', 'ranges': result}


def _ipam_section(ipam: object) -> dict:
    if not isinstance(ipam, Mapping):
        raise IpamError(f'ipam: expected a range dict or a dict with a "type" key, got {show(ipam)}')
    if 'type' in ipam:
        if not isinstance(ipam['type'], str) or not ipam['type']:
            raise IpamError(f'ipam: type {show(ipam["type"])} is not a non-empty string')
        return dict(ipam)
    if 'ranges' in ipam:
        return _range_sets(ipam)
    unknown = sorted(str(key) for key in ipam if key not in RANGE_KEYS)
    if unknown:
        raise IpamError(f'ipam: unknown key {show(unknown[0])} in {show(ipam)}; expected {", ".join(RANGE_KEYS)}')
    return {'type': 'host-local', **_range_dict(ipam, 'ipam')}


def cni_config(ipam: object, name: object, plugin: object, master: object,
               mode: object = None, cni_version: object = '0.3.1', mtu: object = None,
               routes: object = None, tuning: object = None) -> dict:
    """Return the CNI network config dict for one attachment.

    Key order: cniVersion, name, type, master (device for host-device), mode, mtu, ipam.
    Non-empty ``routes`` go to ``ipam.routes``, each gateway checked against the
    IPAM subnets. With ``tuning`` the result is a conflist: ``cniVersion``, ``name``
    and ``plugins`` (the main plugin, then the tuning plugin).
    """
    if not isinstance(plugin, str) or plugin not in PLUGIN_MODES:
        raise IpamError(f'plugin {show(plugin)} is not supported; use one of {", ".join(PLUGIN_MODES)}')
    plugin = str(plugin)
    modes = PLUGIN_MODES[plugin]
    if mode is None:
        mode = modes[0] if modes else None
    elif not modes:
        raise IpamError(f'mode {show(mode)} is not valid for plugin {plugin}, which takes no mode')
    elif not isinstance(mode, str) or mode not in modes:
        raise IpamError(f'mode {show(mode)} is not valid for plugin {plugin}; use one of {", ".join(modes)}')
    if not isinstance(cni_version, str) or cni_version not in CNI_VERSIONS:
        raise IpamError(f'cniVersion {show(cni_version)} is not supported; use one of {", ".join(CNI_VERSIONS)}')
    name = validate_k8s_name(name, 'name')
    master = validate_interface_name(master, 'master')
    if mtu is not None and (isinstance(mtu, bool) or not isinstance(mtu, int) or not MTU_MIN <= mtu <= MTU_MAX):
        raise IpamError(f'mtu {show(mtu)} is not an integer in {MTU_MIN}..{MTU_MAX}')
    if mtu is not None and plugin == 'host-device':
        raise IpamError(f'mtu {show(mtu)} cannot be set for plugin host-device, which keeps the device MTU')

    config = {
        'cniVersion': str(cni_version),
        'name': name,
        'type': plugin,
        ('device' if plugin == 'host-device' else 'master'): master,
    }
    if mode is not None:
        config['mode'] = str(mode)
    if mtu is not None:
        config['mtu'] = int(mtu)
    config['ipam'] = _ipam_section(ipam)
    if routes:
        config['ipam']['routes'] = check_routes(routes, ipam_subnets(config['ipam']) or None)
    if tuning is None:
        return config
    chained = check_tuning(tuning)
    main = {key: value for key, value in config.items() if key not in ('cniVersion', 'name')}
    return {'cniVersion': config['cniVersion'], 'name': config['name'], 'plugins': [main, chained]}
