# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The three ways of putting the same plugins on N nodes, as ansible-playbook command lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .lab import REPO

PLUGINS = ('ipvlan', 'macvlan', 'host-local')
BENCH_PLAYBOOKS = REPO / 'bench' / 'playbooks'


@dataclasses.dataclass(frozen=True)
class Contender:
    name: str
    playbook: Path
    runs: tuple[str, ...]  # 'first', then 'rerun' where an idempotent rerun is measured
    limit: str = 'multus_workers'
    tags: str = ''

    def extra_vars(self, mirror_url: str, archive: str, checksum: str, version: str, scratch: Path) -> dict:
        common = {'bench_mirror_url': mirror_url, 'bench_archive': archive, 'bench_plugins': list(PLUGINS)}
        if self.name.startswith('guide'):
            return common
        if self.name == 'kubespray':
            return {**common, 'bench_controller_dir': str(scratch), 'bench_node_dir': '/var/lib/cni'}
        return {'cni_plugins_mirror_url': mirror_url, 'cni_plugins_binaries': list(PLUGINS),
                'cni_plugins_cache_dir': str(scratch), 'cni_plugins_checksums': {version: {'amd64': checksum}}}


CONTENDERS = {
    'guide': Contender('guide', BENCH_PLAYBOOKS / 'guide_way.yml', ('first',)),
    'kubespray': Contender('kubespray', BENCH_PLAYBOOKS / 'kubespray_way.yml', ('first',)),
    'collection': Contender('collection', REPO / 'playbooks' / 'site.yml', ('first', 'rerun')),
    # Like for like with the two above: only site.yml's plugin step (and the read-only
    # preflight tagged `always`).
    'collection-plugins': Contender('collection-plugins', REPO / 'playbooks' / 'site.yml', ('first', 'rerun'),
                                    tags='plugins'),
}


def command(contender: Contender, inventory: Path, extra: dict, forks: int) -> list[str]:
    argv = ['ansible-playbook', '-i', str(inventory), str(contender.playbook), '--limit', contender.limit,
            '-f', str(forks), '-e', json.dumps(extra)]
    return argv + ['--tags', contender.tags] if contender.tags else argv
