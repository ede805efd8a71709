# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Logic behind the ``multihome.multus.attachment_preflight`` filter.

What a node must look like for each plugin of its per_node attachments,
checked against the per-NIC result of the secondary_nic role (which pod
addresses the node's OS holds on the NIC, and the NIC's arp_ignore):

- ipvlan (every mode): the pods share the NIC's MAC address and the network
  delivers their addresses to the NIC; the node must not hold a pod address
  itself, or node and pod both own it.
- macvlan: each pod has its own MAC address. When the node holds the pod
  addresses on the NIC too (an image that configures the secondary IPs),
  the node must not answer ARP for them: arp_ignore 8 ("do not reply for
  all local addresses"; 1 to 3 still answer for addresses of the incoming
  interface, which these are). IPv6 has no such setting, so a node holding
  IPv6 pod addresses is refused.
- host-device: the NIC moves into the pod; nothing to check on the node.

Standard library only; no Ansible imports.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_range import show

ARP_IGNORE_ALL_LOCAL = 8


def _pool(entry: Mapping, nic: Mapping) -> set:
    texts = list(nic.get('addresses') or [])
    if entry.get('dual_stack'):
        texts += list(nic.get('addresses6') or [])
    return {ipaddress.ip_interface(text).ip for text in texts}


def _label(entry: Mapping) -> str:
    mode = f" {entry['mode']}" if entry.get('mode') else ''
    return f"network_attachments_list entry {entry['name']} ({entry['plugin']}{mode} on {entry['master']})"


def _declare_in(nic: Mapping, suffix: str = '') -> str:
    return nic.get('variable' + suffix) or f"{nic.get('where', 'secondary_nic_')}addresses{suffix}"


def _ipvlan(entry: Mapping, nic: Mapping, held: list) -> str:
    master = entry['master']
    example = next((text for text in nic['addresses'] + nic['addresses6']
                    if ipaddress.ip_interface(text).ip == held[0]), str(held[0]))
    return (f"{_label(entry)}: the node itself holds the pod addresses {', '.join(map(str, held))} on {master}. "
            f"ipvlan pods share {master}'s MAC address and the network delivers their addresses to the NIC (a cloud "
            "does so for the secondary IPs assigned in its console) without the node holding them; a node that "
            "holds them too keeps its own traffic to them and answers for them in the pods' place. Fix: remove them "
            f"from {master} in the OS (ip address del {example} dev {master}, and from the image's network "
            f"configuration) and declare them in {_declare_in(nic)}; or, on a network that accepts the extra "
            "MAC addresses of macvlan (not a cloud VPC), use plugin: macvlan")


def _macvlan_arp(entry: Mapping, nic: Mapping, held: list) -> str:
    master = entry['master']
    value = nic.get('arp_ignore')
    read = (f'is {value}' if value is not None
            else f'could not be read from /proc/sys/net/ipv4/conf/{{all,{master}}}/arp_ignore')
    return (f"{_label(entry)}: the node holds the pod addresses {', '.join(map(str, held))} on {master} and its "
            f"arp_ignore {read} (the higher of net.ipv4.conf.all.arp_ignore and net.ipv4.conf.{master}.arp_ignore "
            f"counts), so the node answers ARP for them with {master}'s own MAC address and takes the pods' traffic. "
            f"Fix: set net.ipv4.conf.{master}.arp_ignore=8 (do not answer for any local address; 1 to 3 still answer "
            f"for addresses of {master}) and keep it in /etc/sysctl.d/; or remove the addresses from {master} in the "
            f"OS and declare them in {_declare_in(nic)}")


def _macvlan_ipv6(entry: Mapping, nic: Mapping, held: list) -> str:
    master = entry['master']
    return (f"{_label(entry)}: the node holds the IPv6 pod addresses {', '.join(map(str, held))} on {master}; Linux "
            "has no setting that keeps a node from answering neighbour solicitations for its own addresses, so node "
            f"and pods would both claim them. Fix: remove them from {master} in the OS and declare the pods' IPv6 "
            f"addresses in {_declare_in(nic, '6')}, or set dual_stack: false")


def attachment_preflight(entries: object, nics: object) -> list:
    """The problems of the node for its per_node attachments, one message per attachment and cause; [] when none.

    ``entries`` are the normalised attachments (name, plugin, mode, master,
    ipam, dual_stack); ``nics`` is the per-NIC result of the secondary_nic
    role. Attachments of other ipam modes, and those whose NIC has no
    result (the range computation names that), are not checked.
    """
    if not isinstance(entries, Sequence) or isinstance(entries, (str, bytes)):
        raise IpamError(f'expected the list of attachments, got {show(entries)}')
    if not isinstance(nics, Mapping):
        raise IpamError(f'nics must be the per-NIC result of secondary_nic (a dict), got {show(nics)}')
    problems = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not {'name', 'plugin', 'master', 'ipam'} <= set(entry):
            raise IpamError(f'{show(entry)} is not a normalised attachment (name, plugin, master, ipam)')
        nic = nics.get(entry['master'])
        if entry['ipam'] != 'per_node' or not isinstance(nic, Mapping):
            continue
        pool = _pool(entry, nic)
        held = sorted((address for address in {ipaddress.ip_address(text) for text in nic.get('held') or []}
                       if address in pool), key=lambda address: (address.version, address))
        held4 = [address for address in held if address.version == 4]
        held6 = [address for address in held if address.version == 6]
        if entry['plugin'] == 'ipvlan' and held:
            problems.append(_ipvlan(entry, nic, held))
        if entry['plugin'] == 'macvlan' and held4 and nic.get('arp_ignore') != ARP_IGNORE_ALL_LOCAL:
            problems.append(_macvlan_arp(entry, nic, held4))
        if entry['plugin'] == 'macvlan' and held6:
            problems.append(_macvlan_ipv6(entry, nic, held6))
    return problems
