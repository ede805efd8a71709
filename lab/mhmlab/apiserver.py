# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""``python -m mhmlab cluster restart-apiserver [SECONDS]``: a kube-apiserver restart, for fault drills.

kwokctl's binary runtime starts each component once and does not watch it, so a
killed API server stays down. This stops the lab's kube-apiserver (TERM, then
KILL), keeps it down for SECONDS (default 0), and starts it again with the same
command line, working directory and environment, its output appended to
kwokctl's log and its pid in kwokctl's pid file, then waits for /readyz.
kube-controller-manager and kube-scheduler exit when they cannot renew their
leader lease for 10 s; as the kubelet does for a real control plane's static
pods, the ones that exited are started again the same way.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mhmlab import procs, waits
from mhmlab.clusterdown import PROG, log

COMPONENT = 'kube-apiserver'
LEASE_HOLDERS = ('kube-controller-manager', 'kube-scheduler')
# Time for a lease holder that has lost its lease to exit, once the API server is back.
SETTLE = 3


@dataclass(frozen=True)
class Launch:
    """How a running process was started: enough to start it again the same way."""

    argv: list[str]
    cwd: str
    env: dict[str, str]


def launch_of(pid: int, proc: Path = procs.PROC) -> Launch:
    """The command line, working directory and environment of pid (ValueError when it is gone)."""
    # /proc/<pid>/cmdline ends with a NUL, so the split leaves one empty string at the end.
    argv = procs.argv(pid, proc)[:-1]
    try:
        cwd = os.readlink(proc / str(pid) / 'cwd')
        raw = (proc / str(pid) / 'environ').read_bytes().decode(errors='replace')
    except OSError as exc:
        raise ValueError(f'process {pid} is gone: {exc}') from exc
    if not argv:
        raise ValueError(f'process {pid} is gone or has no command line')
    env = dict(item.split('=', 1) for item in raw.split('\0') if '=' in item)
    return Launch(argv=argv, cwd=cwd, env=env)


def start(cp, component: str, launch: Launch) -> int:
    """Start a component as LAUNCH says, output to kwokctl's log, pid to kwokctl's pid file."""
    with open(cp.cluster_dir / 'logs' / f'{component}.log', 'a', encoding='utf-8') as out:
        child = subprocess.Popen(launch.argv, cwd=launch.cwd, env=launch.env, stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    (cp.cluster_dir / 'pids' / f'{component}.pid').write_text(f'{child.pid}\n', encoding='utf-8')
    log(f'started {component} again (pid {child.pid})')
    return child.pid


def restart(cluster, down_seconds: float = 0) -> int:
    """Stop the lab's kube-apiserver, wait, start it again as it was started; 0 once /readyz answers."""
    cp = cluster.cp
    pid = cp.component_pid(COMPONENT)
    if not pid:
        log(f'error: {COMPONENT} of cluster {cp.name} is not running')
        return 1
    launch = launch_of(pid)
    holders = {name: launch_of(holder) for name in LEASE_HOLDERS if (holder := cp.component_pid(name))}
    log(f'stopping {COMPONENT} (pid {pid})')
    if procs.stop([pid], prog=PROG):
        log(f'error: {COMPONENT} (pid {pid}) does not stop')
        return 1
    if down_seconds > 0:
        log(f'{COMPONENT} stays down for {down_seconds:g} s')
        time.sleep(down_seconds)
    start(cp, COMPONENT, launch)
    if not waits.within(f'{COMPONENT} /readyz', cluster.readyz, cp.wait_up, step=0.5, prog=PROG):
        log(f'error: {COMPONENT} not ready after {cp.wait_up} s; see {cp.cluster_dir}/logs/{COMPONENT}.log')
        return 1
    log(f'{COMPONENT} is ready')
    time.sleep(SETTLE)
    for name, holder in holders.items():
        if not cp.component_pid(name):
            log(f'{name} exited while {COMPONENT} was down (lost its leader lease)')
            start(cp, name, holder)
    return 0
