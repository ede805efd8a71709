# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The namespace lab's state directory (keys, logs, per-node files), its lock, and the host dirs it made.

``created-dirs`` records every host directory the lab made; a marker file left
inside each node mount point the lab made lets ``down`` find them even when the
state directory is lost.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import time
from pathlib import Path

from mhmlab.plan import Paths

MADE_MARK = '.mhm-lab-made'
# Host paths a node mounts its own file systems on: a state dir below them would be hidden in the nodes.
_HIDDEN = ('/run/', '/var/run/', '/etc/cni/', '/opt/cni/', '/var/lib/cni/')


class StateError(RuntimeError):
    """The state directory cannot be used."""


@dataclasses.dataclass(frozen=True)
class State:
    """The state directory of the plan's paths (``$MULTIHOME_CACHE/lab``)."""

    paths: Paths

    @property
    def root(self) -> Path:
        return Path(self.paths.lab_state)

    @property
    def nodes(self) -> Path:
        return self.root / 'nodes'

    @property
    def mirror(self) -> Path:
        return Path(self.paths.mirror_dir)

    @property
    def logs(self) -> Path:
        return self.root / 'logs'

    @property
    def key(self) -> Path:
        return Path(self.paths.ssh_key)

    @property
    def authorized_keys(self) -> Path:
        return self.root / 'authorized_keys'

    @property
    def created_dirs(self) -> Path:
        return self.root / 'created-dirs'

    @property
    def mirror_pid(self) -> Path:
        return self.root / 'mirror.pid'

    @property
    def lock_file(self) -> Path:
        return self.root / '.lock'

    def node_dir(self, name: str) -> Path:
        return self.nodes / name

    def check_path(self) -> None:
        if f'{self.root}/'.startswith(_HIDDEN):
            raise StateError(f'state dir {self.root} is hidden inside the nodes; set MULTIHOME_CACHE elsewhere')

    def ensure(self) -> None:
        self.check_path()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)
        for path in (self.nodes, self.mirror, self.logs):
            path.mkdir(exist_ok=True)
        self.created_dirs.touch()

    def recorded_dirs(self) -> list[str]:
        try:
            return [line for line in self.created_dirs.read_text(encoding='utf-8').splitlines() if line]
        except OSError:
            return []

    def mkdir_tracked(self, path: str) -> None:
        """Make path and its missing parents (mode 0755), recording each one made."""
        part = Path('/')
        for component in Path(path).parts[1:]:
            part = part / component
            if not part.exists():
                with open(self.created_dirs, 'a', encoding='utf-8') as record:
                    record.write(f'{part}\n')
                part.mkdir()
                part.chmod(0o755)


class Lock:
    """An exclusive flock on the state dir's lock file, held until the process ends."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def take(self, wait: float, step: float = 0.2) -> bool:
        """True once held; False when another holder kept it for ``wait`` seconds."""
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(step)
