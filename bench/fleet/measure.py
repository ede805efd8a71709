# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""One ansible-playbook run against the lab's workers, with every figure the benchmark reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from . import probes
from .lab import REPO, Worker
from .mirror import Mirror


def _kill_group(group: probes.CpuGroup) -> None:
    """Ends what a run left behind in its cgroup (Ansible's SSH masters), so the next run starts cold."""
    for pid in (group.path / 'cgroup.procs').read_text().split():
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while (group.path / 'cgroup.procs').read_text().split() and time.monotonic() < deadline:
        time.sleep(0.1)


def run(argv: list[str], workers: list[Worker], node_groups: dict[str, probes.CpuGroup],
        controller: probes.CpuGroup, mirror: Mirror, archive: str, log: Path) -> dict:
    """Runs ``argv`` from the repository root and returns its figures; raises when it fails."""
    with tempfile.TemporaryDirectory(prefix='mhm-bench-run-') as scratch:
        scratch_dir = Path(scratch)
        env = {**os.environ, **probes.trip_wrappers(scratch_dir),
               'ANSIBLE_SSH_CONTROL_PATH_DIR': str(scratch_dir / 'cp'),
               'ANSIBLE_CALLBACK_PLUGINS': str(REPO / 'bench' / 'callback_plugins'),
               'ANSIBLE_CALLBACKS_ENABLED': 'task_timing',
               'MHM_BENCH_TASKS': str(scratch_dir / 'tasks.json')}
        cpu_before = {name: group.seconds() for name, group in node_groups.items()}
        tx_before = {w.name: probes.tx_bytes(w.host_veth) for w in workers}
        controller_before = controller.seconds()
        mark = mirror.mark()
        started = time.monotonic()
        with log.open('a', encoding='utf-8') as out:
            out.write(f'\n$ {" ".join(argv)}\n')
            out.flush()
            done = subprocess.run(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  preexec_fn=lambda: controller.add(os.getpid()), check=False)
        wall = time.monotonic() - started
        _kill_group(controller)
        if done.returncode != 0:
            raise RuntimeError(f'{argv[3]} failed with exit code {done.returncode}; see {log}')
        trips = probes.count_trips(scratch_dir / 'trips.log', {w.address: w.name for w in workers})
        tasks = json.loads((scratch_dir / 'tasks.json').read_text())
    return {
        'wall_s': round(wall, 3),
        'controller_cpu_s': round(controller.seconds() - controller_before, 3),
        'node_cpu_s': {n: round(g.seconds() - cpu_before[n], 3) for n, g in node_groups.items()},
        'bytes_to_node': {w.name: probes.tx_bytes(w.host_veth) - tx_before[w.name] for w in workers},
        'round_trips': trips,
        'archive_fetches': mirror.fetches(archive, mark),
        'tasks': tasks,
    }
