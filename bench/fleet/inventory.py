# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""An inventory of N lab workers: the lab's connection settings and group vars, the N hosts."""

from __future__ import annotations

from pathlib import Path

import yaml

from .lab import REPO, Worker

LAB_INVENTORY = REPO / 'inventories' / 'lab'


def write(directory: Path, workers: list[Worker]) -> Path:
    """Writes ``directory/hosts.yml`` and links the lab's group vars; returns the directory."""
    lab_hosts = yaml.safe_load((LAB_INVENTORY / 'hosts.yml').read_text())
    group = lab_hosts['all']['children']['multus_workers']
    group['hosts'] = {w.name: {'ansible_host': w.address} for w in workers}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / 'hosts.yml').write_text(yaml.safe_dump(lab_hosts, sort_keys=False))
    link = directory / 'group_vars'
    if not link.exists():
        link.symlink_to(LAB_INVENTORY / 'group_vars')
    return directory
