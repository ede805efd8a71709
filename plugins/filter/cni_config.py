# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers

from __future__ import annotations

DOCUMENTATION = r"""
name: cni_config
short_description: Render the CNI network config of an ipvlan, macvlan or host-device attachment
version_added: 0.1.0
author:
  - multihome.multus maintainers
description:
  - Builds the CNI network configuration that a NetworkAttachmentDefinition's C(spec.config) or a
    per-node file under C(/etc/cni/multus/net.d/) holds, in the form of the Multus guide.
  - >-
    The input is the IPAM part. A host-local range as returned by
    P(multihome.multus.ipam_range#filter) becomes C({"type": "host-local", "subnet": ..., "rangeStart": ...,
    "rangeEnd": ...[, "gateway": ...]}). Range sets as returned by P(multihome.multus.ipam_dual_stack#filter)
    (C({"ranges": [[...], [...]]})) become C({"type": "host-local", "ranges": [[...], [...]]}). A dict that
    already has a C(type) key (for example
    C({"type": "whereabouts", "range": "198.19.0.0/24"})) is passed through as it is.
  - Keys of the result, in order - C(cniVersion), C(name), C(type), C(master) (C(device) for
    host-device), C(mode) (not for host-device), C(mtu) (only when given), C(ipam).
  - With O(routes), C(ipam.routes) holds them. With O(tuning), the result is a conflist instead - C(cniVersion),
    C(name) and C(plugins), the main plugin (without C(cniVersion) and C(name)) followed by the C(tuning)
    plugin. A per-node file holding a conflist must be named C(<name>.conflist).
  - Fails naming the offending value for an unknown plugin, a mode the plugin does not have, a
    name that is not a valid Kubernetes object name (DNS-1123 subdomain), a master that is not a
    valid Linux interface name, an MTU outside 68..65535, an unsupported CNI version, an
    invalid range, a route whose C(dst) is not a network or whose C(gw) is of the other family
    or outside the IPAM subnets, and a tuning sysctl that is not a C(net.*) name.
positional: name, plugin, master, mode, cni_version, mtu, routes, tuning
options:
  _input:
    description:
      - The IPAM configuration - a host-local range dict (C(subnet), C(rangeStart), C(rangeEnd),
        optional C(gateway)) or a complete IPAM dict with a C(type) key.
    type: dict
    required: true
  name:
    description:
      - The network name, normally the NetworkAttachmentDefinition's name.
      - Must be a valid Kubernetes object name - lowercase letters, digits, C(-) and C(.),
        starting and ending with a letter or digit, at most 253 characters.
    type: str
    required: true
  plugin:
    description: The CNI plugin.
    type: str
    required: true
    choices: [ipvlan, macvlan, host-device]
  master:
    description:
      - The node's interface the attachment uses (C(master) for ipvlan and macvlan, C(device)
        for host-device).
      - Must be a valid Linux interface name - 1 to 15 bytes, no C(/), C(:), whitespace or NUL,
        not C(.) or C(..).
    type: str
    required: true
  mode:
    description:
      - The plugin mode. ipvlan takes V(l2), V(l3) or V(l3s) (default V(l2)); macvlan takes
        V(bridge), V(private), V(vepa) or V(passthru) (default V(bridge)); host-device takes none.
    type: str
  cni_version:
    description: The C(cniVersion) of the config.
    type: str
    default: 0.3.1
    choices: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']
  mtu:
    description:
      - The MTU of the pod interface, an integer in 68..65535. Left out of the config when not given.
      - Not valid for host-device, which keeps the device's MTU.
    type: int
  routes:
    description:
      - Routes for C(ipam.routes), each a dict with C(dst) (a network in CIDR form) and optional C(gw)
        (an address of the same family inside the subnet of the IPAM config). Empty or left out, no routes.
    type: list
    elements: dict
  tuning:
    description:
      - Chains the C(tuning) plugin after the main plugin. A dict with C(mtu) (68..65535) and/or C(sysctl)
        (network sysctl names, C(net.*), to values; the values are written as strings).
    type: dict
"""

EXAMPLES = r"""
- name: The guide's ipvlan config, with the range computed from the NIC's secondary IPs
  ansible.builtin.debug:
    msg: >-
      {{ ['192.168.1.13', '192.168.1.14', '192.168.1.15', '192.168.1.16', '192.168.1.17']
         | multihome.multus.ipam_range(subnet='192.168.1.0/24', gateway='192.168.1.1')
         | multihome.multus.cni_config(name='ipvlan-conf-1', plugin='ipvlan', master='eth1', mode='l3', cni_version='0.3.0') }}
  # -> {"cniVersion": "0.3.0", "name": "ipvlan-conf-1", "type": "ipvlan", "master": "eth1", "mode": "l3",
  #     "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "rangeStart": "192.168.1.13",
  #              "rangeEnd": "192.168.1.17", "gateway": "192.168.1.1"}}

- name: Write a node's per-node macvlan config
  ansible.builtin.copy:
    dest: /etc/cni/multus/net.d/macvlan-net1.conf
    content: "{{ node_range | multihome.multus.cni_config(name='macvlan-net1', plugin='macvlan', master='eth1') | to_nice_json }}"
    mode: "0644"

- name: Cluster-wide pool with whereabouts
  ansible.builtin.debug:
    msg: >-
      {{ {'type': 'whereabouts', 'range': '198.19.0.0/24'}
         | multihome.multus.cni_config(name='pool-net', plugin='macvlan', master='eth1', mtu=1500) }}

- name: A route through a gateway of the subnet, and the tuning plugin chained after macvlan
  ansible.builtin.debug:
    msg: >-
      {{ {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.15'}
         | multihome.multus.cni_config(name='tuned', plugin='macvlan', master='eth1',
                                       routes=[{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}],
                                       tuning={'mtu': 9000, 'sysctl': {'net.ipv4.conf.net1.arp_filter': 1}}) }}
  # -> {"cniVersion": "0.3.1", "name": "tuned",
  #     "plugins": [{"type": "macvlan", "master": "eth1", "mode": "bridge",
  #                  "ipam": {"type": "host-local", "subnet": "198.18.0.0/24", "rangeStart": "198.18.0.11",
  #                           "rangeEnd": "198.18.0.15", "routes": [{"dst": "198.19.0.0/16", "gw": "198.18.0.1"}]}},
  #                 {"type": "tuning", "mtu": 9000, "sysctl": {"net.ipv4.conf.net1.arp_filter": "1"}}]}
"""

RETURN = r"""
_value:
  description: The CNI network config, ready for C(to_json).
  type: dict
  contains:
    cniVersion:
      description: The CNI spec version.
      type: str
      sample: 0.3.1
    name:
      description: The network name.
      type: str
      sample: macvlan-net1
    plugins:
      description: With O(tuning) only - the main plugin's config (the keys below but C(cniVersion) and C(name)),
        then the C(tuning) plugin's. The keys below are then not at the top level.
      type: list
      elements: dict
    type:
      description: The plugin.
      type: str
      sample: macvlan
    master:
      description: The parent interface (ipvlan, macvlan).
      type: str
      sample: eth1
    device:
      description: The device moved into the pod (host-device only).
      type: str
      sample: eth1
    mode:
      description: The plugin mode (ipvlan, macvlan).
      type: str
      sample: bridge
    mtu:
      description: The MTU, only when given.
      type: int
      sample: 1500
    ipam:
      description: The IPAM configuration.
      type: dict
      sample: {"type": "host-local", "subnet": "192.168.1.0/24", "rangeStart": "192.168.1.13", "rangeEnd": "192.168.1.17"}
"""

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.plugin_utils._cni_config import cni_config as _cni_config
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def cni_config(ipam, name, plugin, master, mode=None, cni_version='0.3.1', mtu=None, routes=None, tuning=None):
    """Return the CNI network config dict of one attachment."""
    if not isinstance(ipam, Mapping):
        raise AnsibleFilterError(f'cni_config: the input must be an IPAM dict, got {ipam!r}')
    for option, value in (('name', name), ('plugin', plugin), ('master', master), ('cni_version', cni_version)):
        if not isinstance(value, str):
            raise AnsibleFilterError(f'cni_config: {option} must be a string, got {value!r}')
    if mode is not None and not isinstance(mode, str):
        raise AnsibleFilterError(f'cni_config: mode must be a string, got {mode!r}')
    if mtu is not None and (isinstance(mtu, bool) or not isinstance(mtu, int)):
        raise AnsibleFilterError(f'cni_config: mtu must be an integer, got {mtu!r}')
    if routes is not None and (isinstance(routes, (str, bytes, Mapping)) or not isinstance(routes, Sequence)):
        raise AnsibleFilterError(f'cni_config: routes must be a list of {{dst, gw}} dicts, got {routes!r}')
    if tuning is not None and not isinstance(tuning, Mapping):
        raise AnsibleFilterError(f'cni_config: tuning must be a dict with mtu and/or sysctl, got {tuning!r}')
    try:
        return _cni_config(ipam, name=name, plugin=plugin, master=master, mode=mode, cni_version=cni_version, mtu=mtu,
                           routes=None if routes is None else list(routes), tuning=tuning)
    except IpamError as exc:
        raise AnsibleFilterError(f'cni_config: {exc}') from exc


class FilterModule:
    """The cni_config filter."""

    def filters(self):
        return {
            'cni_config': cni_config,
        }
