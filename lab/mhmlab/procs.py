# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Processes of the lab, found through /proc, and stopped TERM first, then KILL, bounded."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from mhmlab import waits

PROC = Path('/proc')


def pids(proc: Path = PROC) -> list[int]:
    return sorted(int(p.name) for p in proc.iterdir() if p.name.isdigit())


def argv(pid: int, proc: Path = PROC) -> list[str]:
    """The command line of pid (empty when it is gone)."""
    try:
        raw = (proc / str(pid) / 'cmdline').read_bytes()
    except OSError:
        return []
    return raw.decode(errors='replace').split('\0')


def cmdline(pid: int, proc: Path = PROC) -> str:
    """The command line as one string, arguments joined by spaces (a trailing one included)."""
    return ' '.join(argv(pid, proc))


def namespace(pid: int | str, kind: str, proc: Path = PROC) -> str | None:
    """``net:[4026531840]``-like identity of a process's namespace, None when unknown."""
    try:
        return os.readlink(proc / str(pid) / 'ns' / kind)
    except OSError:
        return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding='utf-8').strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def with_arg(needle: str, proc: Path = PROC) -> list[int]:
    """Processes (this one aside) whose command line contains needle, e.g. a path of the state dir."""
    return [pid for pid in pids(proc) if pid != os.getpid() and needle in cmdline(pid, proc)]


def in_mntns(mntns: str, proc: Path = PROC) -> list[int]:
    """Processes in the mount namespace ``mntns`` (``mnt:[...]``); none for an empty one."""
    if not mntns:
        return []
    return [pid for pid in pids(proc) if namespace(pid, 'mnt', proc) == mntns]


def stop(candidates: Iterable[int | str], *, prog: str, kill: Callable[[int, int], None] = os.kill,
         is_alive: Callable[[int], bool] = alive, wait: Callable[..., bool] = waits.until) -> list[int]:
    """TERM the processes, wait, KILL the ones left, wait; returns the pids still alive."""
    targets = sorted({int(p) for p in candidates if str(p).isdigit()} - {0, 1, os.getpid()})
    if not targets:
        return []

    def send(sig: int) -> None:
        for pid in targets:
            try:
                kill(pid, sig)
            except OSError:
                pass

    def all_gone() -> bool:
        return not any(is_alive(p) for p in targets)

    send(signal.SIGTERM)
    if wait(f'processes {targets} to exit', all_gone, prog=prog):
        return []
    send(signal.SIGKILL)
    if wait(f'killed processes {targets}', all_gone, prog=prog):
        return []
    left = [p for p in targets if is_alive(p)]
    print(f'{prog}: warning: processes still alive: {left}', file=sys.stderr)
    return left
