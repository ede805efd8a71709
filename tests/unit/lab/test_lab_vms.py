# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The VM workers' pure parts: plan, QEMU command line, teardown order, initramfs, VPC switch."""

from __future__ import annotations

import gzip
import ipaddress
import json
import struct
from pathlib import Path

import pytest

from mhmlab import plan as lab_plan
from mhmlab import qemu, vmkernel, vms, vpcswitch

PLAN = lab_plan.build(cache=Path('/c'))
WORLD = PLAN.vm


def test_vm_plan_addresses_are_lab_addresses_apart_from_the_namespace_lab():
    used = [PLAN.management.network, PLAN.cluster.service_network, PLAN.pod_network, PLAN.fabric.network,
            ipaddress.IPv4Network('198.19.248.0/24')]
    mine = [WORLD.network] + [vm.user_network for vm in WORLD.vms]
    for network in mine:
        assert network.subnet_of(lab_plan.LAB_NETWORK)
        assert not any(network.overlaps(other) for other in used), network
    assert [str(vm.eth1) for vm in WORLD.vms] == ['198.19.32.11/24', '198.19.32.12/24']
    assert WORLD.vm('vm2').secondaries[0].ip == ipaddress.IPv4Address('198.19.32.111')
    assert all(vm.process.startswith('mhm') for vm in WORLD.vms) and WORLD.switch.startswith('mhm')


def test_owners_map_each_secondary_to_one_vm_and_no_primary():
    owners = WORLD.owners()
    assert len(owners) == sum(len(vm.secondaries) for vm in WORLD.vms)
    assert not {vm.eth1.ip for vm in WORLD.vms} & set(owners)
    assert owners[ipaddress.IPv4Address('198.19.32.103')].name == 'vm1'


def test_unknown_vm_is_refused():
    with pytest.raises(lab_plan.PlanError, match='vm1, vm2'):
        WORLD.vm('vm3')


def test_qemu_command_is_tcg_isolated_and_loopback_only():
    vm = WORLD.vm('vm1')
    argv = qemu.command(WORLD, vm, Path('/k'), Path('/s/vm1'), Path('/lab/guestinit.py'), api=('127.0.0.1', 16443),
                        python='/usr/bin/python3')
    assert argv[argv.index('-accel') + 1] == 'tcg'
    assert argv[argv.index('-name') + 1] == 'mhm-vm1,process=mhm-vm1'
    user = argv[argv.index('-netdev') + 1]
    assert 'restrict=on' in user and 'hostfwd=tcp:127.0.0.1:18221-198.18.65.15:22' in user
    # The one other way out: the guest's api_address, relayed to the API server on the host's loopback.
    assert user.endswith(f',guestfwd=tcp:198.18.65.10:443-cmd:/usr/bin/python3 {qemu.RELAY} 127.0.0.1 16443')
    assert 'socket,id=vpc,udp=127.0.0.1:18230,localaddr=127.0.0.1:18231' in argv
    assert 'readonly=on' in argv[argv.index('-virtfs') + 1]
    assert 'mhm.state=/s/vm1' in argv[argv.index('-append') + 1]
    assert argv[-3:] == ['-pidfile', '/s/vm1/qemu.pid', '-daemonize']


def test_teardown_stops_vms_before_the_switch_and_removes_the_state_last():
    assert vms.teardown_order(PLAN) == [('vm', 'vm1'), ('vm', 'vm2'), ('switch', 'mhm-vpc'), ('state', '/c/vms')]


def test_sshd_listens_on_eth0_only_with_keys_copied_by_the_guest():
    text = vms.sshd_config(WORLD.vm('vm2'))
    assert 'ListenAddress 198.18.66.15' in text and 'UsePAM no' in text
    assert 'PasswordAuthentication no' in text


def test_kernel_dependency_and_release():
    out = 'linux-image-amd64\n  Depends: linux-image-6.1.0-57-amd64\n'
    assert vmkernel.kernel_dependency(out) == 'linux-image-6.1.0-57-amd64'
    assert vmkernel.release_of('linux-image-6.1.0-57-amd64') == '6.1.0-57-amd64'
    with pytest.raises(ValueError):
        vmkernel.kernel_dependency('nothing')


def test_module_depends_reads_modinfo():
    assert vmkernel.module_depends(b'\x00license=GPL\x00depends=virtio,9pnet\x00name=x\x00') == ['virtio', '9pnet']
    assert vmkernel.module_depends(b'\x00depends=\x00') == []


def test_load_order_puts_dependencies_first_once():
    deps = {'9p': ['9pnet', 'netfs'], '9pnet': [], 'netfs': [], 'ipvlan': [], '9pnet_virtio': ['9pnet']}
    assert vmkernel.load_order(['9pnet_virtio', '9p', 'ipvlan'], deps.__getitem__) == [
        '9pnet', '9pnet_virtio', 'netfs', '9p', 'ipvlan']
    with pytest.raises(ValueError, match='cycle'):
        vmkernel.load_order(['a'], {'a': ['b'], 'b': ['a']}.__getitem__)


def test_cpio_newc_records_are_aligned_and_end_with_the_trailer():
    data = vmkernel.cpio_newc([('init', 0o100755, b'#!/bin/sh\n'), ('bin', 0o040755, b'')])
    assert data.startswith(b'070701') and len(data) % 4 == 0
    assert b'TRAILER!!!' in data[-200:]
    assert gzip.decompress(gzip.compress(data)) == data


def test_init_script_loads_modules_in_order_and_hands_over():
    text = vmkernel.init_script('6.1.0-57-amd64', ['virtio', 'ipvlan'])
    assert 'for m in virtio ipvlan;' in text
    assert '/newroot/lib/modules/6.1.0-57-amd64' in text
    assert 'exec switch_root /newroot /usr/bin/python3' in text


def _arp_request(sender_mac: bytes, sender_ip: str, target_ip: str, destination: bytes = b'\xff' * 6) -> bytes:
    arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, sender_mac, ipaddress.IPv4Address(sender_ip).packed,
                      b'\0' * 6, ipaddress.IPv4Address(target_ip).packed)
    return destination + sender_mac + b'\x08\x06' + arp


VM1_MAC = vpcswitch.mac_bytes(WORLD.vm('vm1').eth1_mac)
VM2_MAC = vpcswitch.mac_bytes(WORLD.vm('vm2').eth1_mac)


def test_switch_answers_arp_for_a_secondary_with_the_owner_mac():
    switch = vpcswitch.Switch(WORLD)
    out = switch.forward(_arp_request(VM1_MAC, '198.19.32.11', '198.19.32.112'), 18231)
    assert len(out) == 1 and out[0][1] == 18231
    reply = out[0][0]
    assert reply[0:6] == VM1_MAC and reply[6:12] == vpcswitch.mac_bytes(WORLD.fabric_mac)
    _h, _p, _hl, _pl, oper, sha, spa, tha, tpa = struct.unpack_from('!HHBBH6s4s6s4s', reply, 14)
    assert (oper, sha, spa, tha, tpa) == (2, VM2_MAC, ipaddress.IPv4Address('198.19.32.112').packed, VM1_MAC,
                                          ipaddress.IPv4Address('198.19.32.11').packed)


def test_switch_answers_a_unicast_refresh_too():
    switch = vpcswitch.Switch(WORLD)
    out = switch.forward(_arp_request(VM1_MAC, '198.19.32.11', '198.19.32.112', destination=VM2_MAC), 18231)
    assert out[0][1] == 18231 and out[0][0][0:6] == VM1_MAC


def test_switch_floods_arp_for_a_primary_and_forwards_unicast_to_the_owner():
    switch = vpcswitch.Switch(WORLD)
    request = _arp_request(VM1_MAC, '198.19.32.11', '198.19.32.12')
    assert switch.forward(request, 18231) == [(request, 18232)]
    frame = VM1_MAC + VM2_MAC + b'\x08\x00' + b'\0' * 40
    assert switch.forward(frame, 18232) == [(frame, 18231)]
    assert switch.forward(b'\x02\0\0\0\0\x09' + VM2_MAC + b'\x08\x00' + b'\0' * 40, 18232) == []


def test_switch_ignores_gratuitous_arp_unknown_ports_and_runts():
    switch = vpcswitch.Switch(WORLD)
    gratuitous = _arp_request(VM1_MAC, '198.19.32.101', '198.19.32.101')
    assert switch.forward(gratuitous, 18231) == [(gratuitous, 18232)]
    assert switch.forward(_arp_request(VM1_MAC, '198.19.32.11', '198.19.32.112'), 9999) == []
    assert switch.forward(b'\xff' * 10, 18231) == []


def test_vm_addresses_stay_in_the_lab_range_and_apart():
    for vm in WORLD.vms:
        assert vm.api_address in vm.user_network and vm.api_address not in (vm.host_address, vm.guest_address.ip)
        assert vm.pod_cidr.subnet_of(PLAN.pod_network)
        assert all(not vm.pod_cidr.overlaps(node.pod_cidr) for node in PLAN.nodes)
    assert not WORLD.vms[0].pod_cidr.overlaps(WORLD.vms[1].pod_cidr)


def test_guest_is_seeded_like_a_cilium_node():
    conf = vms.guest_conf(PLAN, WORLD.vm('vm2'))
    assert conf['seed_binaries'] == {'/opt/cni/bin/cilium-cni': '/usr/lib/cni/ptp',
                                     '/opt/cni/bin/loopback': '/usr/lib/cni/loopback'}
    cilium = json.loads(conf['seed_files']['/etc/cni/net.d/05-cilium.conflist'])
    assert cilium['name'] == 'cilium'
    assert cilium['plugins'][0]['ipam']['ranges'] == [[{'subnet': '198.18.226.0/24'}]]
