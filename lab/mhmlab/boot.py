# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""A node's own file systems and seed, then its sshd; runs inside the node.

Started as ``ip netns exec mhm-NODE unshare --mount --uts --propagation private
python3 -m mhmlab nodes __boot NODE``: a private mount namespace with its own
``/run`` (``/run/sshd``, ``/run/netns``), tmpfs CNI, containerd and kubelet
directories (shared, so pods' Bidirectional hostPath mounts work), the host's
cgroup hierarchies mounted again under the node's own ``/sys``, and the files
a Cilium node has before the collection runs. Ends by exec'ing sshd.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from pathlib import Path

from mhmlab import mounts, procs, sshd
from mhmlab.plan import Node, Plan, Vm
from mhmlab.runner import Runner
from mhmlab.state import State

# Host directories every node mounts a private tmpfs on: the CNI directories,
# and the state of the container runtime and kubelet (lab/cluster/kubeletctl).
MOUNTPOINTS = ('/etc/cni', '/opt/cni/bin', '/var/lib/cni',
               '/var/lib/containerd', '/var/lib/kubelet', '/var/log/pods', '/var/log/containers')
CONFLIST = '/etc/cni/net.d/05-cilium.conflist'
# The source the lab's Cilium agent writes CONFLIST from (read-cni-conf in
# cilium-config), as Helm's cni.configMap mounts one.
CONFLIST_SOURCE = '/etc/cni/mhm-cilium/05-cilium.conflist'
# Files every node has before the collection runs: Cilium's (its binary is
# Debian's ptp plugin, so the conflist runs), and the loopback plugin
# containerd runs for every pod's lo. Seeded file -> the plugin it is a copy of.
SEEDED_BINARIES = {'/opt/cni/bin/cilium-cni': 'ptp', '/opt/cni/bin/loopback': 'loopback'}
SEEDED_FILES = (*SEEDED_BINARIES, CONFLIST)
# Times /run/netns may be mounted over itself (iproute2's bind mounts).
_UNMOUNT_TRIES = 8


class BootError(RuntimeError):
    """Not inside a node's own namespaces: nothing is mounted."""


def conflist(plan: Plan, node: Node | Vm) -> str:
    """Cilium's CNI config, as on a Cilium node: host-local IPAM from the node's pod CIDR."""
    ipam = {'type': 'host-local', 'ranges': [[{'subnet': str(node.pod_cidr)}]], 'routes': [{'dst': str(plan.pod_network)}]}
    return json.dumps({'cniVersion': '0.3.1', 'name': 'cilium', 'plugins': [{'type': 'cilium-cni', 'ipam': ipam}]},
                      indent=2) + '\n'


def seed_record(paths: tuple[str, ...]) -> tuple[str, str]:
    """``seed.json`` (checksum, mode, owner, size by path) and ``seed.sha256`` (sha256sum's format)."""
    record, sums = {}, []
    for path in paths:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        info = os.stat(path)
        record[path] = {'sha256': digest, 'mode': f'{info.st_mode & 0o7777:04o}', 'uid': info.st_uid,
                        'gid': info.st_gid, 'size': info.st_size}
        sums.append(f'{digest}  {path}\n')
    return json.dumps(record) + '\n', ''.join(sums)


def tmpfs_source(plan: Plan, node: Node, mountpoint: str) -> str:
    """``mhm-node1-etc-cni`` for /etc/cni: every lab mount is named with the prefix."""
    return f'{plan.prefix}-{node.name}{mountpoint.replace("/", "-")}'


HOST_NS_ENV = 'MHM_BOOT_HOST_NS'
_KINDS = ('mnt', 'net')


def host_namespaces() -> str:
    """The caller's (the host's) mount and network namespaces, for ``MHM_BOOT_HOST_NS``."""
    return ' '.join(str(procs.namespace('self', kind)) for kind in _KINDS)


def check_private(host_ns: str) -> None:
    """Never mount over the host's directories: refuse unless in other namespaces than host_ns, / private."""
    own = host_namespaces()
    if not host_ns or any(mine == theirs for mine, theirs in zip(own.split(), host_ns.split())):
        raise BootError(f"__boot outside a node's own namespaces (own {own}, host {host_ns or 'unknown'})")
    root = [m for m in mounts.read() if m.target == '/']
    if not root or root[-1].propagation != 'private':
        raise BootError('__boot: / is not private')


def own_run(runner: Runner, plan: Plan, node: Node) -> None:
    """Drop this copy's references to the other lab namespaces, then give the node its own /run."""
    for target in sorted((m.target for m in mounts.read() if m.target.startswith('/run/netns/')), reverse=True):
        runner.umount(target, lazy=True)
    for _try in range(_UNMOUNT_TRIES):
        if not mounts.is_mountpoint('/run/netns', mounts.read()):
            break
        runner.umount('/run/netns', lazy=True)
    runner.mount('-t', 'tmpfs', '-o', 'mode=0755,nosuid,nodev,size=64m', f'{plan.prefix}-{node.name}-run', '/run')
    for path, mode in (('/run/sshd', 0o755), ('/run/netns', 0o755), ('/run/lock', 0o1777)):
        os.mkdir(path)
        os.chmod(path, mode)
    runner.mount('-t', 'tmpfs', '-o', 'mode=0755,nosuid,nodev,size=8m', f'{plan.prefix}-{node.name}-netns', '/run/netns')


def own_dirs(runner: Runner, plan: Plan, node: Node) -> None:
    for mountpoint in MOUNTPOINTS:
        runner.mount('-t', 'tmpfs', '-o', 'mode=0755,nodev,size=1g', tmpfs_source(plan, node, mountpoint), mountpoint)
        runner.mount('--make-shared', mountpoint)


def own_cgroups(runner: Runner, plan: Plan, node: Node) -> None:
    """The host's cgroup hierarchies, mounted again with their options (a v1 hierarchy mounted twice is one)."""
    hierarchies = mounts.cgroup_hierarchies(mounts.read(1))
    source = f'{plan.prefix}-{node.name}'
    runner.mount('-t', 'tmpfs', '-o', 'mode=0755,nosuid,nodev,noexec,size=1m', f'{source}-cgroup', mounts.CGROUP_ROOT)
    for hierarchy in hierarchies:
        os.makedirs(hierarchy.target, exist_ok=True)
        runner.mount('-t', hierarchy.fstype, '-o', f'nosuid,nodev,noexec,{hierarchy.super_options}',
                     f'{source}-{hierarchy.fstype}', hierarchy.target)


def seed(plan: Plan, node: Node, state: State) -> None:
    """Cilium-owned files, as on a Cilium node (the collection must not touch them), and their record."""
    os.mkdir(os.path.dirname(CONFLIST))
    os.chmod(os.path.dirname(CONFLIST), 0o755)
    for target, plugin in SEEDED_BINARIES.items():
        shutil.copyfile(Path(plan.versions.cni_plugins_source) / plugin, target)
        os.chown(target, 0, 0)
        os.chmod(target, 0o755)
    for path in (CONFLIST, CONFLIST_SOURCE):
        os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
        Path(path).write_text(conflist(plan, node), encoding='utf-8')
        os.chmod(path, 0o644)
    record, sums = seed_record(SEEDED_FILES)
    nd = state.node_dir(node.name)
    (nd / 'seed.json').write_text(record, encoding='utf-8')
    (nd / 'seed.sha256').write_text(sums, encoding='utf-8')


def boot(runner: Runner, plan: Plan, node: Node, state: State, host_ns: str) -> None:
    check_private(host_ns)
    Path('/proc/sys/kernel/hostname').write_text(node.name, encoding='utf-8')
    own_run(runner, plan, node)
    own_dirs(runner, plan, node)
    own_cgroups(runner, plan, node)
    seed(plan, node, state)
    # Python ignores SIGPIPE; sshd must get the default back.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = sshd.argv(state, node)
    os.execv(args[0], args)
