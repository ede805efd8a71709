# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The namespace lab with N workers, through lab/labctl, and what the benchmark needs to know of its nodes."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'lab'))

from mhmlab import plan as lab_plan  # noqa: E402 - lab/ is not an installed package

LABCTL = REPO / 'lab' / 'labctl'


@dataclasses.dataclass(frozen=True)
class Worker:
    name: str
    address: str
    host_veth: str


def plan_for(count: int) -> lab_plan.Plan:
    return lab_plan.from_env({**os.environ, 'MHM_LAB_MAX_NODES': str(max(count, lab_plan.DEFAULT_MAX_NODES))})


def workers(count: int) -> list[Worker]:
    plan = plan_for(count)
    return [Worker(n.name, str(n.mgmt.ip), n.host_veth) for n in plan.nodes[:count]]


def _labctl(count: int, *args: str, capture: bool = False) -> str:
    env = {**os.environ, 'MHM_LAB_MAX_NODES': str(max(count, lab_plan.DEFAULT_MAX_NODES))}
    done = subprocess.run([str(LABCTL), *args], env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return done.stdout or ''


def up(count: int) -> None:
    """A fresh lab of ``count`` workers: whatever was up goes down first."""
    _labctl(count, 'down')
    _labctl(count, 'up', *(w.name for w in workers(count)))


def down(count: int) -> None:
    _labctl(count, 'down')


def sshd_pid(count: int, name: str) -> int:
    for line in _labctl(count, 'env', name, capture=True).splitlines():
        key, _sep, value = line.partition('=')
        if key == 'MHM_PID':
            return int(value.strip("'\""))
    raise RuntimeError(f'labctl env {name} printed no MHM_PID')


def management_gateway(count: int) -> str:
    return str(plan_for(count).management.gateway)


def mirror_dir(count: int) -> Path:
    return Path(plan_for(count).paths.mirror_dir)


def archive_name(count: int) -> str:
    return plan_for(count).versions.cni_archive('amd64')
