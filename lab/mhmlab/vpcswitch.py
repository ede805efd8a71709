# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The VPC stand-in: the segment of the VMs' eth1, and the fabric that delivers assigned secondary IPs.

Each VM's eth1 is a QEMU socket netdev that sends its Ethernet frames as UDP
datagrams to this switch (127.0.0.1, the plan's ``switch_port``) and receives
from it on its own port. The switch knows every port's MAC from the plan, so it
forwards unicast to the owner and floods broadcast and multicast to the other
ports.

In a cloud VPC, assigning a secondary IP to a NIC in the console makes the
fabric deliver that IP to the NIC; the OS never configures it. ipvlan l3 slaves
(the pods) are NOARP, so on a plain segment nobody would answer for them. Like
the fabric, the switch answers every ARP request for an assigned secondary IP
(broadcast, or a unicast refresh) with the MAC of the eth1 it is assigned to,
from the fabric's own MAC. Nothing of it is in the collection: a real VPC needs
no such step.

Run by ``vms up`` as ``python -m mhmlab vms switch`` (process name ``mhm-vpc``).
"""

from __future__ import annotations

import ctypes
import ipaddress
import socket
import struct
import sys
from collections.abc import Mapping

from mhmlab.plan import Plan, VmWorld

ETH_P_ARP = 0x0806
_ARP = struct.Struct('!HHBBH6s4s6s4s')
_ETHERTYPE = struct.Struct('!H')


def mac_bytes(mac: str) -> bytes:
    return bytes.fromhex(mac.replace(':', ''))


def arp_reply(frame: bytes, owners: Mapping[ipaddress.IPv4Address, bytes], fabric_mac: bytes) -> bytes | None:
    """The fabric's ARP reply to a frame, or None when it is not a request for an assigned secondary IP."""
    if len(frame) < 14 + _ARP.size or frame[12:14] != _ETHERTYPE.pack(ETH_P_ARP):
        return None
    htype, ptype, hlen, plen, oper, sha, spa, _tha, tpa = _ARP.unpack_from(frame, 14)
    if (htype, ptype, hlen, plen, oper) != (1, 0x0800, 6, 4, 1):
        return None
    target = ipaddress.IPv4Address(tpa)
    if target not in owners or spa == tpa:  # not assigned, or a gratuitous announcement
        return None
    arp = _ARP.pack(1, 0x0800, 6, 4, 2, owners[target], tpa, sha, spa)
    return sha + fabric_mac + _ETHERTYPE.pack(ETH_P_ARP) + arp


class Switch:
    """Where each frame goes (pure: ports are numbers, frames bytes)."""

    def __init__(self, world: VmWorld):
        self.ports = {vm.vpc_port: mac_bytes(vm.eth1_mac) for vm in world.vms}
        self.port_of = {mac: port for port, mac in self.ports.items()}
        self.owners = {address: mac_bytes(vm.eth1_mac) for address, vm in world.owners().items()}
        self.fabric_mac = mac_bytes(world.fabric_mac)

    def forward(self, frame: bytes, source: int) -> list[tuple[bytes, int]]:
        """(frame, port) pairs to send for a frame that came in on port ``source``."""
        if source not in self.ports or len(frame) < 14:
            return []
        reply = arp_reply(frame, self.owners, self.fabric_mac)
        if reply:
            return [(reply, source)]
        destination = frame[0:6]
        if destination[0] & 1:  # broadcast or multicast
            return [(frame, port) for port in self.ports if port != source]
        port = self.port_of.get(destination)
        return [(frame, port)] if port is not None and port != source else []


def _name_process(name: str) -> None:
    libc = ctypes.CDLL(None)
    libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def serve(world: VmWorld) -> None:
    _name_process(world.switch)
    switch = Switch(world)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((str(world.address), world.switch_port))
    print(f'{world.switch}: {world.address}:{world.switch_port}, ports {sorted(switch.ports)}; answers ARP for '
          f'{", ".join(str(a) for a in sorted(switch.owners))}', flush=True)
    while True:
        frame, (host, port) = sock.recvfrom(65536)
        if host != str(world.address):
            continue
        for data, target in switch.forward(frame, port):
            try:
                sock.sendto(data, (str(world.address), target))
            except OSError:  # a VM that is gone
                pass


def main(plan: Plan) -> int:
    try:
        serve(plan.vm)
    except OSError as exc:
        print(f'{plan.vm.switch}: {exc}', file=sys.stderr, flush=True)
        return 1
    return 0
