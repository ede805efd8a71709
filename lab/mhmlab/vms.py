# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""VM workers: ``python -m mhmlab vms up|down|status|ssh|exec|kernel``.

``up`` keeps what is healthy and rebuilds what is half-made: the kernel and
initramfs (once, vmkernel.py), the lab key, the plugins archive, the VPC switch
(vpcswitch.py), and per VM its guest files (guest.json, sshd config, host key)
and QEMU as a daemon with a pid file; then it waits, bounded, until sshd answers
in every VM. ``down`` stops the VMs, then the switch, and removes the state (the
kernel stays); it is fine when half-made or already down. Nothing is made on the
host's network: sshd is a QEMU port forward on 127.0.0.1, the VPC a UDP switch
on 127.0.0.1. State: ``<cache>/vms/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mhmlab import boot, cniarchive, guestinit, guestpod, qemu, vmkernel
from mhmlab.controlplane import ControlPlane
from mhmlab.plan import Plan, Vm
from mhmlab.runner import CommandError, Runner

GUEST_INIT = Path(__file__).resolve().parent / 'guestinit.py'
LAB = Path(__file__).resolve().parents[1]
BOOT_TIMEOUT = 300.0
STOP_TIMEOUT = 15.0
SSH_OPTIONS = ('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
               '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10')


def state_dir(plan: Plan) -> Path:
    return Path(plan.paths.vm_state)


def vm_dir(plan: Plan, vm: Vm) -> Path:
    return state_dir(plan) / vm.name


def key_path(plan: Plan) -> Path:
    return state_dir(plan) / 'id_ed25519'


def ssh_argv(plan: Plan, vm: Vm, command: list[str] | None = None) -> list[str]:
    """ssh to vm as root with the lab key."""
    return ['ssh', '-i', str(key_path(plan)), '-p', str(vm.ssh_port), *SSH_OPTIONS,
            f'root@{plan.vm.address}', *(command or [])]


def ssh_config(plan: Plan) -> str:
    """An ssh_config naming each VM (``ssh -F <state>/ssh_config vm1``; testinfra's ssh backend reads it)."""
    lines = []
    for vm in plan.vm.vms:
        lines += [f'Host {vm.name}', f'  HostName {plan.vm.address}', f'  Port {vm.ssh_port}', '  User root',
                  f'  IdentityFile {key_path(plan)}', '  IdentitiesOnly yes', '  StrictHostKeyChecking no',
                  '  UserKnownHostsFile /dev/null', '  LogLevel ERROR', '  BatchMode yes']
    return '\n'.join(lines) + '\n'


def sshd_config(vm: Vm) -> str:
    """The guest's sshd config; guestinit.py copies it with the host key and authorized_keys to its SSHD_DIR."""
    return '\n'.join([
        'Port 22',
        f'ListenAddress {vm.guest_address.ip}',
        f'HostKey {guestinit.SSHD_DIR}/ssh_host_ed25519_key',
        f'AuthorizedKeysFile {guestinit.SSHD_DIR}/authorized_keys',
        'PidFile /run/sshd.pid',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'Subsystem sftp /usr/lib/openssh/sftp-server',
        '',
    ])


def guest_conf(plan: Plan, vm: Vm) -> dict:
    """guest.json: the VM's names and addresses, and what a Cilium node has before the collection runs."""
    source = Path(plan.versions.cni_plugins_source)
    return {'hostname': vm.name, 'mgmt_mac': vm.mgmt_mac, 'eth1_mac': vm.eth1_mac,
            'eth0': str(vm.guest_address), 'eth1': str(vm.eth1),
            'seed_binaries': {target: str(source / plugin) for target, plugin in boot.SEEDED_BINARIES.items()},
            'seed_files': {boot.CONFLIST: boot.conflist(plan, vm)}}


def teardown_order(plan: Plan) -> list[tuple[str, str]]:
    """What ``down`` removes, in order: the VMs, the switch they send to, then the state their files are in."""
    world = plan.vm
    return [('vm', vm.name) for vm in world.vms] + [('switch', world.switch), ('state', str(state_dir(plan)))]


# Processes ------------------------------------------------------------------------------------------

def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f'/proc/{pid}/cmdline').read_bytes().decode(errors='replace').split('\0')
    except OSError:
        return []


def is_vm_process(pid: int, vm: Vm) -> bool:
    args = _cmdline(pid)
    return bool(args) and args[0].endswith(qemu.QEMU) and f'{vm.process},process={vm.process}' in args


def is_switch(pid: int) -> bool:
    args = [a for a in _cmdline(pid) if a]
    return args[-4:] == ['-m', 'mhmlab', 'vms', 'switch']


def _pids(match: Callable[[int], bool], pidfile: Path) -> list[int]:
    """The pid of the pid file when it matches, else every process that matches (a half-made start)."""
    try:
        pid = int(pidfile.read_text(encoding='ascii').strip())
        if match(pid):
            return [pid]
    except (OSError, ValueError):
        pass
    return [int(p.name) for p in Path('/proc').iterdir() if p.name.isdigit() and match(int(p.name))]


def vm_pids(plan: Plan, vm: Vm) -> list[int]:
    return _pids(lambda pid: is_vm_process(pid, vm), vm_dir(plan, vm) / 'qemu.pid')


def switch_pids(plan: Plan) -> list[int]:
    return _pids(is_switch, state_dir(plan) / 'switch.pid')


def stop(pids: list[int], timeout: float = STOP_TIMEOUT) -> None:
    """TERM, then KILL after timeout seconds."""
    guestpod.terminate(pids, timeout, os.kill)


# up / down / status ---------------------------------------------------------------------------------

def _ensure_key(plan: Plan, runner: Runner) -> None:
    key = key_path(plan)
    if not key.is_file():
        runner.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'mhm-vm-lab', '-f', key], timeout=30)
    public = key.with_suffix('.pub').read_text(encoding='ascii')
    (state_dir(plan) / 'authorized_keys').write_text(public, encoding='ascii')
    (state_dir(plan) / 'ssh_config').write_text(ssh_config(plan), encoding='ascii')


def _ensure_switch(plan: Plan, say: Callable[[str], None]) -> None:
    if switch_pids(plan):
        return
    log = open(state_dir(plan) / 'switch.log', 'ab')  # pylint: disable=consider-using-with
    env = {**os.environ, 'PYTHONPATH': str(LAB)}
    proc = subprocess.Popen([sys.executable, '-m', 'mhmlab', 'vms', 'switch'],  # pylint: disable=consider-using-with
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True)
    log.close()
    (state_dir(plan) / 'switch.pid').write_text(f'{proc.pid}\n', encoding='ascii')
    say(f'created VPC switch {plan.vm.switch} on {plan.vm.address}:{plan.vm.switch_port} (pid {proc.pid})')


def _start_vm(plan: Plan, vm: Vm, kernel: Path, runner: Runner, say: Callable[[str], None]) -> None:
    base = vm_dir(plan, vm)
    stop(vm_pids(plan, vm))
    if base.exists():
        subprocess.run(['rm', '-rf', str(base)], check=True, timeout=60)
    base.mkdir(parents=True)
    runner.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', f'{vm.name}-host', '-f',
                base / 'ssh_host_ed25519_key'], timeout=30)
    (base / 'sshd_config').write_text(sshd_config(vm), encoding='ascii')
    shutil.copyfile(state_dir(plan) / 'authorized_keys', base / 'authorized_keys')
    (base / 'guest.json').write_text(json.dumps(guest_conf(plan, vm), indent=2) + '\n', encoding='ascii')
    cp = ControlPlane.from_plan(plan)
    runner.run(qemu.command(plan.vm, vm, kernel, base, GUEST_INIT, api=(cp.address, cp.apiserver_port),
                            python=sys.executable), timeout=60)
    say(f'created {vm.name} (pid {",".join(map(str, vm_pids(plan, vm)))}, ssh {plan.vm.address}:{vm.ssh_port}, '
        f'eth1 {vm.eth1} {vm.eth1_mac} on {plan.vm.switch})')


def ssh_ok(plan: Plan, vm: Vm, runner: Runner) -> bool:
    return runner.run(ssh_argv(plan, vm, ['true']), timeout=40, check=False).returncode == 0


def wait_ssh(plan: Plan, vms: list[Vm], runner: Runner, timeout: float = BOOT_TIMEOUT) -> list[str]:
    """Wait until sshd answers in every VM; returns the names that never did."""
    waiting = list(vms)
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        waiting = [vm for vm in waiting if vm_pids(plan, vm) and not ssh_ok(plan, vm, runner)]
        if waiting:
            time.sleep(2)
    return [vm.name for vm in waiting] + [vm.name for vm in vms if not vm_pids(plan, vm)]


def up(plan: Plan, runner: Runner, say: Callable[[str], None] = print) -> int:
    kernel = vmkernel.ensure(plan, runner, say)
    state_dir(plan).mkdir(parents=True, exist_ok=True)
    _ensure_key(plan, runner)
    cniarchive.ensure(plan)
    _ensure_switch(plan, say)
    started = []
    for vm in plan.vm.vms:
        if vm_pids(plan, vm) and ssh_ok(plan, vm, runner):
            continue
        _start_vm(plan, vm, kernel, runner, say)
        started.append(vm)
    t0 = time.monotonic()
    failed = wait_ssh(plan, started, runner)
    if started and not failed:
        say(f'vms: sshd answers in {", ".join(v.name for v in started)} after {time.monotonic() - t0:.1f} s')
    for name in failed:
        console = vm_dir(plan, plan.vm.vm(name)) / 'console.log'
        tail = console.read_text(errors='replace')[-2000:] if console.exists() else '(no console log)'
        print(f'vms: {name} did not answer on ssh within {BOOT_TIMEOUT:.0f} s; console:\n{tail}', file=sys.stderr)
    if not switch_pids(plan):
        print(f'vms: the VPC switch died; see {state_dir(plan) / "switch.log"}', file=sys.stderr)
        return 1
    return 1 if failed else 0


def down(plan: Plan, _runner: Runner, say: Callable[[str], None] = print) -> int:
    problems = []
    for kind, name in teardown_order(plan):
        try:
            if kind == 'vm':
                vm = plan.vm.vm(name)
                pids = vm_pids(plan, vm)
                if pids:
                    stop(pids)
                    say(f'removed {name} (pid {",".join(map(str, pids))})')
            elif kind == 'switch':
                pids = switch_pids(plan)
                if pids:
                    stop(pids)
                    say(f'removed VPC switch {name} (pid {",".join(map(str, pids))})')
            elif kind == 'state' and Path(name).exists():
                subprocess.run(['rm', '-rf', name], check=True, timeout=60)
        except (CommandError, OSError, subprocess.SubprocessError) as exc:
            problems.append(f'{kind} {name}: {exc}')
    for problem in problems:
        print(f'vms down: {problem}', file=sys.stderr)
    return 1 if problems else 0


def status(plan: Plan, runner: Runner) -> int:
    """0 all healthy, 1 something broken, 3 down."""
    parts = {f'VPC switch {plan.vm.switch}': bool(switch_pids(plan))}
    for vm in plan.vm.vms:
        parts[f'{vm.name} process'] = bool(vm_pids(plan, vm))
        parts[f'{vm.name} ssh {plan.vm.address}:{vm.ssh_port}'] = parts[f'{vm.name} process'] and ssh_ok(plan, vm, runner)
    for what, ok in parts.items():
        print(f'{"ok  " if ok else "DOWN"} {what}')
    if not any(parts.values()):
        return 3
    return 0 if all(parts.values()) else 1
