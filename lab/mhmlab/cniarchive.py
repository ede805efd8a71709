# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The plugins archive the VM inventory installs (``cni_plugins_local_archive``).

Same bytes' recipe as labctl's mirror archive: Debian's containernetworking
plugins (``/usr/lib/cni``) in the upstream release layout (``./``, ``./bridge``,
``./host-local``, ``./ipvlan``, ...), owner root, mtime 0, with its ``.sha256``
next to it as upstream writes it (``<hex>  <file name>``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

from mhmlab.plan import Plan

ARCH = 'amd64'


def _info(name: str, mode: int, size: int = 0, kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mode, info.size, info.type, info.mtime = mode, size, kind, 0
    info.uid = info.gid = 0
    info.uname = info.gname = ''
    return info


def archive_bytes(source: Path, version: str) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=tarfile.GNU_FORMAT) as tar:
        tar.addfile(_info('./', 0o755, kind=tarfile.DIRTYPE))
        for path in sorted(source.iterdir()):
            if path.is_file():
                data = path.read_bytes()
                tar.addfile(_info(f'./{path.name}', 0o755, len(data)), io.BytesIO(data))
        readme = (f'containernetworking plugins v{version} for the multihome.multus lab, rebuilt from Debian\'s '
                  f'binaries ({source}) with the layout of the upstream release archive.\n').encode()
        tar.addfile(_info('./README.md', 0o644, len(readme)), io.BytesIO(readme))
    return gzip.compress(raw.getvalue(), compresslevel=1, mtime=0)


def ensure(plan: Plan) -> Path:
    """Write the archive and its .sha256 below the VM state unless they are there and agree."""
    name = plan.versions.cni_archive(ARCH)
    target = Path(plan.paths.vm_state) / name
    sums = target.with_name(f'{name}.sha256')
    if target.is_file() and sums.is_file():
        if sums.read_text(encoding='ascii').split()[0] == hashlib.sha256(target.read_bytes()).hexdigest():
            return target
    data = archive_bytes(Path(plan.versions.cni_plugins_source), plan.versions.cni_plugins)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    sums.write_text(f'{hashlib.sha256(data).hexdigest()}  {name}\n', encoding='ascii')
    return target
