# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The mount table of a process, read from /proc/PID/mountinfo (what findmnt and mountpoint read)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

CGROUP_ROOT = '/sys/fs/cgroup'
_ESCAPE = re.compile(r'\\([0-7]{3})')


@dataclasses.dataclass(frozen=True)
class Mount:
    target: str
    fstype: str
    source: str
    super_options: str
    optional: tuple[str, ...] = ()

    @property
    def propagation(self) -> str:
        """``shared``, ``private``, ... as findmnt names it (the first tag wins)."""
        for tag in self.optional:
            if tag.startswith('shared:'):
                return 'shared'
            if tag.startswith('master:'):
                return 'slave'
            if tag == 'unbindable':
                return 'unbindable'
        return 'private'


def _unescape(field: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse(text: str) -> list[Mount]:
    """Mounts of a mountinfo text: ``id parent maj:min root target options [optional...] - fstype source super``."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if '-' not in fields[6:]:
            continue
        sep = fields.index('-', 6)
        mounts.append(Mount(target=_unescape(fields[4]), fstype=fields[sep + 1], source=_unescape(fields[sep + 2]),
                            super_options=fields[sep + 3] if len(fields) > sep + 3 else '',
                            optional=tuple(fields[6:sep])))
    return mounts


def read(pid: int | str = 'self', proc: Path = Path('/proc')) -> list[Mount]:
    return parse((proc / str(pid) / 'mountinfo').read_text(encoding='utf-8', errors='replace'))


def is_mountpoint(path: str, mounts: list[Mount]) -> bool:
    return any(m.target == path for m in mounts)


def cgroup_hierarchies(mounts: list[Mount], root: str = CGROUP_ROOT) -> list[Mount]:
    """The cgroup (v1) and cgroup2 file systems mounted below root."""
    return [m for m in mounts if m.target.startswith(f'{root}/') and m.fstype in ('cgroup', 'cgroup2')]
