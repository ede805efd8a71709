# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Each node's sshd (Debian's, on the node's eth0, root by key only) and the controller's ssh to it."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from mhmlab import procs, templates
from mhmlab.plan import Node
from mhmlab.runner import CommandError, Runner
from mhmlab.state import State

SSHD = '/usr/sbin/sshd'
SFTP_SERVER = '/usr/lib/openssh/sftp-server'
PORT = 22
SSH_OPTIONS = ('-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
               '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5')
LOGIN_TRIES = 5


def config_path(state: State, node: Node) -> Path:
    return state.node_dir(node.name) / 'sshd_config'


def log_path(state: State, node: Node) -> Path:
    return state.node_dir(node.name) / 'sshd.log'


def config(state: State, node: Node) -> str:
    return templates.render('sshd_config', name=node.name, port=PORT, address=node.mgmt.ip,
                            node_dir=state.node_dir(node.name), authorized_keys=state.authorized_keys,
                            sftp_server=SFTP_SERVER)


def make_keys(runner: Runner, state: State, node: Node, prefix: str) -> None:
    """The node's host key and sshd_config (0600)."""
    nd = state.node_dir(node.name)
    runner.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', f'{prefix}-{node.name}-host',
                '-f', nd / 'ssh_host_ed25519_key'], timeout=30)
    path = config_path(state, node)
    path.write_text(config(state, node), encoding='utf-8')
    path.chmod(0o600)


def argv(state: State, node: Node) -> list[str]:
    return [SSHD, '-f', str(config_path(state, node)), '-E', str(log_path(state, node))]


def pid(state: State, node: Node) -> int | None:
    """The pid of the node's sshd, when it runs with the node's config."""
    found = procs.read_pid(state.node_dir(node.name) / 'sshd.pid')
    line = procs.cmdline(found) if procs.alive(found) else ''
    return found if 'sshd' in line and str(config_path(state, node)) in line else None


def tcp_open(address: object, port: int = PORT, timeout: float = 2) -> bool:
    try:
        with socket.create_connection((str(address), port), timeout=timeout):
            return True
    except OSError:
        return False


def ssh_argv(state: State, node: Node, command: list[str]) -> list[str]:
    return ['ssh', '-i', str(state.key), *SSH_OPTIONS, f'root@{node.mgmt.ip}', *command]


def can_log_in(runner: Runner, state: State, node: Node, tries: int = LOGIN_TRIES) -> bool:
    """ssh root@eth0 true with the lab key, up to ``tries`` times a second apart."""
    for attempt in range(1, tries + 1):
        try:
            if runner.run(ssh_argv(state, node, ['true']), timeout=15, check=False).returncode == 0:
                return True
        except CommandError:
            pass
        if attempt < tries:
            time.sleep(1)
    return False
