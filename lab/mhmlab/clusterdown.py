# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Taking the lab cluster down, in its careful order; fine when half-made or already down.

An interrupted kwokctl first (it would start components again), then
``kwokctl delete cluster``, then whatever still runs: the components from
their pid files, clients first and etcd last (the API server shuts down
cleanly while etcd answers), then any process of the cluster /proc still
shows, then the state directory. Every step goes through ``Host``, so the
order is tested with a recording stand-in (tests/unit/lab/test_lab_cluster.py).
"""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Iterable

from mhmlab import hostside, procs, waits
from mhmlab.controlplane import COMPONENTS, ControlPlane
from mhmlab.runner import Runner

PROG = 'clusterctl'
# kwokctl delete stops every component itself; seconds.
DELETE_WAIT = 90
# TERM, then KILL after this many seconds (100 polls, 0.2 s apart).
STOP_STEPS = 100


class LeftBehind(RuntimeError):
    """Processes of the cluster outlived TERM and KILL."""


def log(message: str) -> None:
    print(f'{PROG}: {message}', file=sys.stderr, flush=True)


class Host:
    """What the teardown does to the machine, one method per kind of step."""

    def __init__(self, runner: Runner, cp: ControlPlane):
        self.runner, self.cp = runner, cp

    def kwokctl_pids(self) -> list[int]:
        return self.cp.kwokctl_pids()

    def component_pid(self, component: str) -> int | None:
        return self.cp.component_pid(component)

    def owned_pids(self) -> list[int]:
        return self.cp.owned_pids()

    def stop(self, pids: Iterable[int]) -> list[int]:
        return procs.stop(pids, prog=PROG, is_alive=self.cp.owns,
                          wait=functools.partial(waits.until, steps=STOP_STEPS))

    def can_delete(self) -> bool:
        cp = self.cp
        return cp.cluster_dir.is_dir() and cp.kwokctl.is_file() and cp.kwok_config.is_file()

    def kwokctl_delete(self) -> bool:
        # --kubeconfig must name a file to remove the context from: never ~/.kube/config.
        argv = self.cp.kwokctl_argv('delete', 'cluster', '--kubeconfig', str(self.cp.state / 'no-such-kubeconfig'))
        done = self.runner.run(argv, timeout=DELETE_WAIT, check=False, env=self.cp.kwokctl_env())
        relay(done.stdout, done.stderr)
        return done.returncode == 0

    def port_in_use(self, port: int) -> bool:
        return port_in_use(self.runner, port)

    def rmtree(self) -> None:
        shutil.rmtree(self.cp.state, ignore_errors=True)


def relay(*texts: str) -> None:
    """A child's captured output, onto our stderr (stdout stays for the command's answer)."""
    for text in texts:
        if text:
            sys.stderr.write(text if text.endswith('\n') else f'{text}\n')
    sys.stderr.flush()


def port_in_use(runner: Runner, port: int) -> bool:
    return bool(hostside.listeners(runner, port).strip())


def down(host: Host, cp: ControlPlane) -> None:
    """Stop every process of the cluster and remove its state; raises LeftBehind when processes stay."""
    if pids := host.kwokctl_pids():
        log(f'stopping an interrupted kwokctl: {" ".join(map(str, pids))}')
        host.stop(pids)
    if host.can_delete() and not host.kwokctl_delete():
        log('kwokctl delete cluster failed; stopping the processes directly')
    for component in reversed(COMPONENTS):
        if pid := host.component_pid(component):
            log(f'stopping {component} (pid {pid})')
            host.stop([pid])
    if pids := host.owned_pids():
        log(f'stopping leftover processes: {" ".join(map(str, pids))}')
        host.stop(pids)
    if pids := host.owned_pids():
        raise LeftBehind(f'processes still running: {" ".join(map(str, pids))}')
    host.rmtree()
    if busy := [str(p) for p in cp.ports if host.port_in_use(p)]:
        log(f'warning: ports still in use (not ours?): {" ".join(busy)}')
    log(f'cluster {cp.name} is down')
