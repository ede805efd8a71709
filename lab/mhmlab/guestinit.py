# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""PID 1 of a VM worker, run by the host's python3 inside the guest (``guestinit.py STATE_DIR``).

The initramfs (vmkernel.py) has mounted the host's root read-only under a tmpfs
overlay and moved /proc, /sys and /dev into it. This sets up what a booted
worker has: private /run and /tmp, its hostname, eth0 (QEMU user networking)
and eth1 (the VPC) found by their MAC addresses, eth1 with ONLY its primary
address, its own (empty) CNI directories seeded like a Cilium node's, and sshd
with its own host key; then it reaps orphans forever.
``STATE_DIR/guest.json`` (written by ``vms up`` on the host, read over 9p) holds
the values. Stdlib only: it runs before anything else in the guest.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

IP = '/usr/sbin/ip'
SSHD_DIR = '/run/mhm-sshd'
# Written by `vms up` into the VM's state directory; sshd_config names them below SSHD_DIR.
SSHD_FILES = ('sshd_config', 'ssh_host_ed25519_key', 'authorized_keys')
# The node's own CNI state, not the host's (the root file system is the host's).
PRIVATE_DIRS = ('/etc/cni', '/opt/cni/bin')


def log(message: str) -> None:
    print(f'mhm-guest: {message}', flush=True)


def run(*argv: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        log(f'{" ".join(argv)} exited {done.returncode}: {done.stderr.strip()}')


def link_by_mac(mac: str) -> str:
    for name in os.listdir('/sys/class/net'):
        try:
            with open(f'/sys/class/net/{name}/address', encoding='ascii') as handle:
                if handle.read().strip() == mac:
                    return name
        except OSError:
            continue
    raise RuntimeError(f'no interface with MAC {mac}')


def seed_cni(conf: dict) -> None:
    for path in PRIVATE_DIRS:
        os.makedirs(path, mode=0o755, exist_ok=True)
        run('/bin/mount', '-t', 'tmpfs', '-o', 'mode=0755', 'mhm-cni', path)
    for target, source in conf['seed_binaries'].items():
        shutil.copyfile(source, target)
        os.chmod(target, 0o755)
    for target, text in conf['seed_files'].items():
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        with open(target, 'w', encoding='utf-8') as handle:
            handle.write(text)


def setup(state: str, conf: dict) -> None:
    # As systemd does on every node: mounts propagate to the namespaces that ask for it (a pod's HostToContainer).
    run('/bin/mount', '--make-rshared', '/')
    run('/bin/mount', '-t', 'tmpfs', '-o', 'mode=0755,nosuid,nodev', 'run', '/run')
    run('/bin/mount', '-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev', 'tmp', '/tmp')
    os.makedirs('/dev/pts', exist_ok=True)
    run('/bin/mount', '-t', 'devpts', '-o', 'gid=5,mode=620,ptmxmode=666', 'devpts', '/dev/pts')
    # cgroup v2 with the memory controller for the pods' children: their memory limits hold, as on a node.
    run('/bin/mount', '-t', 'cgroup2', 'cgroup2', '/sys/fs/cgroup')
    with open('/sys/fs/cgroup/cgroup.subtree_control', 'w', encoding='ascii') as handle:
        handle.write('+memory\n')
    for path in ('/run/sshd', '/run/netns', '/var/lib/cni', SSHD_DIR):
        os.makedirs(path, mode=0o700 if path == SSHD_DIR else 0o755, exist_ok=True)
    # sshd's files come from the state (below the host's /root), then root gets a home of its own:
    # the host's /root (shell profile, caches) is not the node's.
    for name in SSHD_FILES:
        shutil.copyfile(os.path.join(state, name), os.path.join(SSHD_DIR, name))
        os.chmod(os.path.join(SSHD_DIR, name), 0o600)
    run('/bin/mount', '-t', 'tmpfs', '-o', 'mode=0700', 'root', '/root')
    seed_cni(conf)
    socket.sethostname(conf['hostname'])
    with open('/etc/hostname', 'w', encoding='ascii') as handle:
        handle.write(conf['hostname'] + '\n')
    # No IPv6 on the node's own links: eth1 shows exactly its primary address, as in the guide.
    for key in ('all', 'default'):
        with open(f'/proc/sys/net/ipv6/conf/{key}/disable_ipv6', 'w', encoding='ascii') as handle:
            handle.write('1\n')
    run(IP, 'link', 'set', 'lo', 'up')
    links = (('eth0', conf['mgmt_mac'], conf['eth0']), ('eth1', conf['eth1_mac'], conf['eth1']))
    # Named by MAC, not by probe order: first out of the way, then to their names.
    found = {wanted: link_by_mac(mac) for wanted, mac, _address in links}
    for wanted, name in found.items():
        run(IP, 'link', 'set', name, 'name', f'mhm-tmp-{wanted}')
    for wanted, _mac, address in links:
        run(IP, 'link', 'set', f'mhm-tmp-{wanted}', 'name', wanted)
        run(IP, 'addr', 'add', address, 'dev', wanted)
        run(IP, 'link', 'set', wanted, 'up')
    subprocess.run(['/usr/sbin/sshd', '-f', os.path.join(SSHD_DIR, 'sshd_config')], timeout=60, check=False)
    log('ready')


def reap_forever() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            time.sleep(1)


def main() -> None:
    os.environ['PATH'] = '/usr/sbin:/usr/bin:/sbin:/bin'
    try:
        with open(os.path.join(sys.argv[1], 'guest.json'), encoding='utf-8') as handle:
            setup(sys.argv[1], json.load(handle))
    except Exception as exc:  # pylint: disable=broad-except  # PID 1 must not exit
        log(f'set-up failed: {exc!r}')
    reap_forever()


if __name__ == '__main__':
    main()
