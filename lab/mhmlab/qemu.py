# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The QEMU command line of a VM worker (pure: tested without starting anything).

TCG only (KVM guests hang on these machines). One emulated CPU, no default
devices, the console to a file, the process daemonized with a pid file and
named ``mhm-<vm>``. Two NICs: eth0 on QEMU user networking, isolated
(``restrict=on``: no way out of the guest but the forwarded sshd port on
127.0.0.1 and the guest's ``api_address``, whose connections relay.py carries
to the lab API server), and eth1 a port of the VPC switch (its frames as UDP datagrams
on 127.0.0.1). The root file system
is the host's ``/`` read-only over 9p (``multidevs=remap``: it spans several
devices).
"""

from __future__ import annotations

from pathlib import Path

from mhmlab.plan import Vm, VmWorld

QEMU = 'qemu-system-x86_64'


RELAY = Path(__file__).resolve().parent / 'relay.py'


def command(world: VmWorld, vm: Vm, kernel: Path, state: Path, guest_init: Path, *,
            api: tuple[str, int], python: str = 'python3') -> list[str]:
    """argv of ``vm`` with the kernel directory ``kernel``, the VM's state directory ``state``.

    ``api`` is the lab API server (address, port) on the host.
    """
    relay = f'{python} {RELAY} {api[0]} {api[1]}'
    user = (f'user,id=mgmt,net={vm.user_network},host={vm.host_address},dhcpstart={vm.guest_address.ip},'
            f'restrict=on,hostfwd=tcp:{world.address}:{vm.ssh_port}-{vm.guest_address.ip}:22,'
            f'guestfwd=tcp:{vm.api_address}:{world.api_port}-cmd:{relay}')
    append = f'console=ttyS0 panic=-1 quiet mhm.init={guest_init} mhm.state={state}'
    return [
        QEMU,
        '-name', f'{vm.process},process={vm.process}',
        '-accel', 'tcg',
        '-cpu', 'max',
        '-m', str(world.memory_mib),
        '-smp', '1',
        '-nodefaults', '-no-user-config', '-no-reboot',
        '-display', 'none',
        '-monitor', 'none',
        '-serial', f'file:{state / "console.log"}',
        '-kernel', str(kernel / 'vmlinuz'),
        '-initrd', str(kernel / 'initrd.gz'),
        '-append', append,
        '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap',
        '-netdev', user,
        '-device', f'virtio-net-pci,netdev=mgmt,mac={vm.mgmt_mac}',
        '-netdev', f'socket,id=vpc,udp={world.address}:{world.switch_port},localaddr={world.address}:{vm.vpc_port}',
        '-device', f'virtio-net-pci,netdev=vpc,mac={vm.eth1_mac}',
        '-pidfile', str(state / 'qemu.pid'),
        '-daemonize',
    ]
