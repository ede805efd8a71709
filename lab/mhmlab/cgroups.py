# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The cgroups of the lab's kubelets (``/mhm-NODE`` in every hierarchy): swept on the way down.

The pods' containers run in their own namespaces, out of reach of a node's
process sweep; their cgroups still name them.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from mhmlab.mounts import CGROUP_ROOT


def find(pattern: str, root: Path = Path(CGROUP_ROOT)) -> list[Path]:
    """Directories named like pattern right below each hierarchy (``ROOT/*/PATTERN``)."""
    try:
        hierarchies = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return []
    found = []
    for hierarchy in hierarchies:
        try:
            found += sorted(d for d in hierarchy.iterdir() if d.is_dir() and fnmatch.fnmatchcase(d.name, pattern))
        except OSError:
            continue
    return found


def member_pids(dirs: Iterable[Path]) -> set[int]:
    """Every pid in cgroup.procs below dirs."""
    found = set()
    for top in dirs:
        for here, _subdirs, files in os.walk(top):
            if 'cgroup.procs' in files:
                try:
                    text = (Path(here) / 'cgroup.procs').read_text(encoding='utf-8')
                except OSError:
                    continue
                found.update(int(word) for word in text.split() if word.isdigit())
    return found


def remove(dirs: Iterable[Path]) -> None:
    """rmdir every cgroup below dirs, deepest first; busy ones stay."""
    for top in dirs:
        for here, _subdirs, _files in os.walk(top, topdown=False):
            try:
                os.rmdir(here)
            except OSError:
                pass


def sweep(pattern: str, stop: Callable[[Iterable[int]], object], root: Path = Path(CGROUP_ROOT),
          prog: str = 'mhmlab') -> list[Path]:
    """Stop what runs in the cgroups named like pattern, remove them; returns what is left."""
    dirs = find(pattern, root)
    if not dirs:
        return []
    pids = member_pids(dirs)
    if pids:
        stop(pids)
    remove(dirs)
    left = find(pattern, root)
    if left:
        print(f'{prog}: warning: cgroups left: {" ".join(map(str, left))}', file=sys.stderr)
    return left


def v1_hierarchies(root: Path = Path(CGROUP_ROOT)) -> list[Path]:
    """The cgroup v1 hierarchies (not the aliases, not a v2 tree) the kubelets' cgroupfs driver uses."""
    try:
        found = sorted(root.iterdir())
    except OSError:
        return []
    return [d for d in found if d.is_dir() and not d.is_symlink() and (d / 'cgroup.procs').exists()
            and not (d / 'cgroup.controllers').exists()]


def make_root(name: str, root: Path = Path(CGROUP_ROOT)) -> None:
    """A kubelet's cgroup root ``/NAME`` in every hierarchy, with cpuset's cpus and mems of the parent."""
    for hierarchy in v1_hierarchies(root):
        own = hierarchy / name
        own.mkdir(exist_ok=True)
        for key in ('cpuset.cpus', 'cpuset.mems'):
            if (hierarchy / key).exists():
                (own / key).write_text((hierarchy / key).read_text(encoding='utf-8'), encoding='utf-8')
