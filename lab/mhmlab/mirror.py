# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The plugins mirror: Debian's CNI plugins in the upstream archive layout, served over HTTP on loopback.

The archive has upstream's name and layout (``./``, ``./bridge``, ...,
``./LICENSE``, ``./README.md``) and reproducible bytes; the ``.sha256`` next
to it is written as upstream writes it (``<hex>  <file name>``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import socket
import subprocess
import sys
import tarfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

from mhmlab import procs, waits
from mhmlab.plan import Plan
from mhmlab.runner import Runner
from mhmlab.state import State

COPYRIGHT = Path('/usr/share/doc/containernetworking-plugins/copyright')


class MirrorError(RuntimeError):
    """The mirror cannot be served."""


def architecture(runner: Runner) -> str:
    return runner.output(['dpkg', '--print-architecture'], timeout=30).strip()


def readme(plan: Plan) -> str:
    version, source = plan.versions.cni_plugins, plan.versions.cni_plugins_source
    return (f'containernetworking plugins v{version} for the multihome.multus lab,\n'
            f"rebuilt from Debian's containernetworking-plugins binaries ({source})\n"
            'with the layout of the upstream release archive.\n')


def _member(name: str, mode: int, data: bytes | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mode, info.uid, info.gid, info.uname, info.gname, info.mtime = mode, 0, 0, '', '', 0
    if data is None:
        info.type = tarfile.DIRTYPE
    else:
        info.size = len(data)
    return info


def archive_bytes(files: dict[str, tuple[int, bytes]]) -> bytes:
    """A gzipped tar of ``./`` and the files (name -> (mode, bytes)), sorted by name, owner 0, time 0."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=tarfile.GNU_FORMAT) as tar:
        tar.addfile(_member('./', 0o755))
        for name in sorted(files):
            mode, data = files[name]
            tar.addfile(_member(f'./{name}', mode, data), io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=out, compresslevel=1, mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def archive_files(plan: Plan, source: Path, copyright_file: Path = COPYRIGHT) -> dict[str, tuple[int, bytes]]:
    """The plugins of source (executable files), LICENSE (Debian's copyright) and README.md."""
    files = {p.name: (0o755, p.read_bytes()) for p in sorted(source.iterdir())
             if p.is_file() and p.stat().st_mode & 0o111}
    if copyright_file.is_file():
        files['LICENSE'] = (0o644, copyright_file.read_bytes())
    files['README.md'] = (0o644, readme(plan).encode())
    return files


def sums_line(name: str, data: bytes) -> str:
    return f'{hashlib.sha256(data).hexdigest()}  {name}\n'


def archive_valid(directory: Path, name: str) -> bool:
    """The archive and its .sha256 exist and agree (``sha256sum -c``)."""
    archive, sums = directory / name, directory / f'{name}.sha256'
    try:
        data, line = archive.read_bytes(), sums.read_text(encoding='utf-8')
    except OSError:
        return False
    return bool(data) and line == sums_line(name, data)


def debian_version(runner: Runner) -> str:
    """Debian's containernetworking-plugins version without epoch and revision (``1.1.1``)."""
    out = runner.run(['dpkg-query', '-W', '-f=${Version}', 'containernetworking-plugins'], timeout=30, check=False)
    version = out.stdout.strip() if out.returncode == 0 else ''
    return version.split(':', 1)[-1].split('+', 1)[0].split('-', 1)[0]


def ensure_archive(runner: Runner, plan: Plan, state: State, say: Callable[[str], None], log: Callable[[str], None]) -> str:
    """Build the archive unless a valid one is there; returns its name."""
    name = plan.versions.cni_archive(architecture(runner))
    if archive_valid(state.mirror, name):
        return name
    version = plan.versions.cni_plugins
    found = debian_version(runner)
    if found != version:
        log(f'warning: Debian ships containernetworking-plugins {found}; the archive is still named v{version}')
    data = archive_bytes(archive_files(plan, Path(plan.versions.cni_plugins_source)))
    for path, content in ((state.mirror / name, data), (state.mirror / f'{name}.sha256', sums_line(name, data).encode())):
        tmp = path.with_name(f'.{path.name}.tmp')
        tmp.write_bytes(content)
        tmp.chmod(0o644)
        tmp.replace(path)
    say(f'created mirror archive {state.mirror / name}')
    return name


def is_server(candidate: int, state: State) -> bool:
    args = procs.argv(candidate)
    return any('http.server' in a for a in args) and any(
        args[i:i + 2] == ['--directory', str(state.mirror)] for i in range(len(args)))


def pid(state: State) -> int | None:
    """The mirror's pid: from its pid file, else found by its command line (an interrupted up)."""
    recorded = procs.read_pid(state.mirror_pid)
    if procs.alive(recorded) and is_server(recorded, state):
        return recorded
    return next((p for p in procs.pids() if is_server(p, state)), None)


def port_free(plan: Plan) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((str(plan.mirror.address), plan.mirror.port))
        except OSError:
            return False
    return True


def busy_message(runner: Runner, plan: Plan) -> str:
    out = runner.run(['ss', '-Hltnp', f'sport = :{plan.mirror.port}'], timeout=30, check=False).stdout
    users = ' '.join(' '.join(line.split()) for line in out.splitlines()[:3])
    return (f'{plan.mirror.address}:{plan.mirror.port} is busy: {users}; '
            'stop that process (the lab mirror needs this port)')


def serves(plan: Plan, state: State, name: str) -> bool:
    """The server answers with the .sha256 file of the archive."""
    try:
        with urllib.request.urlopen(f'{plan.mirror.url}/{name}.sha256', timeout=3) as answer:
            return answer.read() == (state.mirror / f'{name}.sha256').read_bytes()
    except OSError:
        return False


def ensure_server(runner: Runner, plan: Plan, state: State, name: str, say: Callable[[str], None], prog: str) -> None:
    where = f'{plan.mirror.address}:{plan.mirror.port}'
    running = pid(state)
    if running:
        if not waits.until(f'the mirror on {where}', lambda: serves(plan, state, name), prog=prog):
            raise MirrorError(f"mirror process {running} runs but does not serve {state.mirror}; run '{prog} down'")
        state.mirror_pid.write_text(f'{running}\n', encoding='utf-8')
        return
    if not port_free(plan):
        raise MirrorError(busy_message(runner, plan))
    with open(state.logs / 'mirror.log', 'a', encoding='utf-8') as out:
        subprocess.Popen(  # pylint: disable=consider-using-with  # a daemon: it outlives this process
            [sys.executable, '-m', 'http.server', str(plan.mirror.port), '--bind', str(plan.mirror.address),
             '--directory', str(state.mirror)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    if not waits.until(f'the mirror on {where}', lambda: serves(plan, state, name), prog=prog):
        raise MirrorError(f'mirror did not start; see {state.logs / "mirror.log"}')
    state.mirror_pid.unlink(missing_ok=True)
    running = pid(state)
    if not running:
        raise MirrorError('mirror serves but its process was not found')
    state.mirror_pid.write_text(f'{running}\n', encoding='utf-8')
    say(f'created mirror {plan.mirror.url}/ (pid {running})')
