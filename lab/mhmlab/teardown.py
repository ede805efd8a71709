# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Taking the namespace lab down, in its careful order; fine when half-made or already down.

Processes first (twice: a container runtime still running in a node can start
a shim while the first pass stops it), then the pods' cgroups, then the
namespaces, the links their veths leave behind, the host's leftover
``/run/netns`` mounts, the host directories the lab made (deepest first;
``/run/netns`` only when empty), the state directory, and last a check that
nothing is left. Every step goes through ``Host``, so the order is tested
with a recording stand-in (tests/unit/lab/test_lab_teardown.py).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from mhmlab import cgroups, mounts, netns, procs, waits
from mhmlab.plan import Node, Plan
from mhmlab.runner import Runner
from mhmlab.state import MADE_MARK, State

RUN_NETNS = '/run/netns'
_UNMOUNT_TRIES = 8


class LeftBehind(RuntimeError):
    """down finished but something of the lab is still there."""


class Host:
    """What teardown does to the machine, one method per kind of step."""

    def __init__(self, runner: Runner, plan: Plan, prog: str):
        self.runner, self.plan, self.prog = runner, plan, prog

    def lab_netns(self) -> list[str]:
        return netns.lab_names(self.runner, self.plan)

    def netns_exists(self, name: str) -> bool:
        return netns.exists(self.runner, name)

    def netns_pids(self, name: str) -> list[int]:
        return netns.pids(self.runner, name)

    def mntns_pids(self, mntns: str) -> list[int]:
        return procs.in_mntns(mntns)

    def pids_with_arg(self, needle: str) -> list[int]:
        return procs.with_arg(needle)

    def stop(self, pids: Iterable[int]) -> None:
        procs.stop(pids, prog=self.prog)

    def sweep_cgroups(self, pattern: str) -> None:
        cgroups.sweep(pattern, self.stop, prog=self.prog)

    def netns_del(self, name: str) -> bool:
        return self.runner.ip('netns', 'del', name, check=False).returncode == 0

    def host_links(self) -> list[str]:
        return netns.host_links(self.runner, self.plan)

    def link_del(self, name: str, netns_name: str | None = None) -> None:
        self.runner.ip('link', 'del', name, netns=netns_name, check=False)

    def wait(self, what: str, probe) -> bool:
        return waits.until(what, probe, prog=self.prog)

    def mount_targets(self) -> list[str]:
        return [m.target for m in mounts.read()]

    def mount_sources(self) -> list[str]:
        return [m.source for m in mounts.read()]

    def umount(self, target: str, lazy: bool) -> bool:
        return self.runner.umount(target, lazy=lazy, check=False).returncode == 0

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(path)

    def exists(self, path: str) -> bool:
        return os.path.lexists(path)

    def listdir(self, path: str) -> list[str]:
        try:
            return os.listdir(path)
        except OSError:
            return []

    def remove_file(self, path: str) -> None:
        try:
            os.unlink(path)
        except OSError:
            pass

    def rmdir(self, path: str) -> bool:
        try:
            os.rmdir(path)
        except OSError:
            return False
        return True

    def rmtree(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def read(self, path: Path) -> str:
        try:
            return path.read_text(encoding='utf-8').strip()
        except OSError:
            return ''

    def log(self, message: str) -> None:
        print(f'{self.prog}: {message}', file=sys.stderr)


def node_dirs(state: State) -> list[Path]:
    try:
        return sorted(p for p in state.nodes.iterdir() if p.is_dir())
    except OSError:
        return []


def stop_processes(host: Host, state: State) -> None:
    """Everything in a lab namespace, in a node's mount namespace, or started with a state dir path; twice."""
    for attempt in (1, 2):
        pids: list[int] = []
        for name in host.lab_netns():
            pids += host.netns_pids(name)
        for nd in node_dirs(state):
            pids += host.mntns_pids(host.read(nd / 'mntns'))
        # Anything started with a path of the state dir: sshd -f ..., http.server --directory ...
        pids += host.pids_with_arg(f'{state.root}/')
        if attempt == 2 and not pids:
            break
        host.stop(pids)


def delete_links(host: Host) -> None:
    """Veth ends go away with their namespaces, asynchronously; delete what is left."""
    def none_left() -> bool:
        for link in host.host_links():
            host.link_del(link)
        return not host.host_links()

    host.wait('lab links to disappear', none_left)


def unmount_netns_leftovers(host: Host, plan: Plan) -> None:
    for target in host.mount_targets():
        if target.startswith(f'{RUN_NETNS}/{plan.prefix}-'):
            host.umount(target, lazy=True)
            host.remove_file(target)


def made_dirs(recorded: Iterable[str], marked: Iterable[str]) -> list[str]:
    """The host directories to remove, deepest first: recorded ones, marked mount points (with
    /opt/cni for /opt/cni/bin) and /run/netns (iproute2 makes it again on demand)."""
    found = set(recorded) | {RUN_NETNS}
    for path in marked:
        found.add(path)
        if os.path.dirname(path) == '/opt/cni':
            found.add('/opt/cni')
    return sorted(found, key=lambda p: (-len(p), p))


def remove_made_dirs(host: Host, state: State, mountpoints: Iterable[str]) -> None:
    marked = [d for d in mountpoints if host.exists(f'{d}/{MADE_MARK}')]
    for path in made_dirs(state.recorded_dirs(), marked):
        if not host.is_dir(path):
            continue
        if path == RUN_NETNS:
            if host.listdir(path):
                continue
            for _try in range(_UNMOUNT_TRIES):
                if path not in host.mount_targets() or not host.umount(path, lazy=False):
                    break
        host.remove_file(f'{path}/{MADE_MARK}')
        if not host.rmdir(path):
            host.log(f'kept {path} (not empty or busy)')


def leftovers(host: Host, plan: Plan, state: State) -> list[str]:
    left = []
    if names := host.lab_netns():
        left.append(f'namespaces: {" ".join(names)}')
    if links := host.host_links():
        left.append(f'links: {" ".join(links)}')
    if pids := host.pids_with_arg(f'{state.root}/'):
        left.append(f'processes: {" ".join(map(str, pids))}')
    lab_mount = (plan.prefix, f'{RUN_NETNS}/{plan.prefix}')
    if any(t.startswith(lab_mount) for t in host.mount_targets() + host.mount_sources()):
        left.append('mounts')
    return left


def down(host: Host, plan: Plan, state: State, mountpoints: Iterable[str]) -> None:
    """Remove everything the lab made; raises LeftBehind naming what is still there."""
    stop_processes(host, state)
    host.sweep_cgroups(f'{plan.prefix}-*')
    for name in host.lab_netns():
        host.netns_del(name)
    delete_links(host)
    unmount_netns_leftovers(host, plan)
    remove_made_dirs(host, state, mountpoints)
    host.rmtree(state.root)
    if left := leftovers(host, plan, state):
        raise LeftBehind(f'down left: {"; ".join(left)}')


def remove_node(host: Host, plan: Plan, state: State, node: Node) -> None:
    """One node: its processes (twice), its pods' cgroups, its namespace, its links, its state."""
    nd = state.node_dir(node.name)
    mntns = host.read(nd / 'mntns')
    for _attempt in (1, 2):
        host.stop(host.netns_pids(node.netns) + host.mntns_pids(mntns) + host.pids_with_arg(f'{nd}/'))
    host.sweep_cgroups(f'{plan.prefix}-{node.name}')
    if host.netns_exists(node.netns):
        if not host.netns_del(node.netns):
            host.umount(f'{RUN_NETNS}/{node.netns}', lazy=True)
        host.remove_file(f'{RUN_NETNS}/{node.netns}')
    host.link_del(node.host_veth)
    host.link_del(node.fabric_veth, plan.fabric.netns)
    host.wait(f'links of {node.name} to disappear', lambda: node.host_veth not in host.host_links())
    host.rmtree(nd)
