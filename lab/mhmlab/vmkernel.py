# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The VM workers' kernel and initramfs, built once into ``<cache>/vm-kernel/<version>/``.

The kernel is Debian's (``apt-get download`` of the package ``linux-image-amd64``
depends on, unpacked with ``dpkg-deb -x``): it has ipvlan, which the host's kernel
lacks. The initramfs holds busybox-static, the modules of the plan (with their
dependencies, read from each module's ``.modinfo``) and ``/init``: load them,
mount the host's root read-only over 9p under a tmpfs overlay, put the loaded
modules at ``/lib/modules/<version>`` (the host's are another kernel's), and hand
over to the lab's guest init (``guestinit.py``) with ``switch_root``.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from mhmlab.plan import Plan
from mhmlab.runner import Runner

BUSYBOX = Path('/bin/busybox')
GUEST_INIT = Path(__file__).resolve().parent / 'guestinit.py'
_DEPENDS = re.compile(rb'(?:^|\0)depends=([A-Za-z0-9_,-]*)\0')


def kernel_dependency(apt_cache_depends: str) -> str:
    """The linux-image-<version> a meta package's ``apt-cache depends`` output names."""
    for line in apt_cache_depends.splitlines():
        match = re.match(r'\s*Depends:\s*(linux-image-\S+)$', line)
        if match:
            return match.group(1)
    raise ValueError(f'no linux-image dependency in: {apt_cache_depends.strip()!r}')


def release_of(package: str) -> str:
    """linux-image-6.1.0-57-amd64 -> 6.1.0-57-amd64 (the directory below /lib/modules)."""
    return package.removeprefix('linux-image-')


def module_depends(data: bytes) -> list[str]:
    """The ``depends=`` of a module file's .modinfo section."""
    match = _DEPENDS.search(data)
    if not match or not match.group(1):
        return []
    return match.group(1).decode().split(',')


def load_order(wanted: Iterable[str], depends: Callable[[str], list[str]]) -> list[str]:
    """Every module of ``wanted`` after its dependencies, each once (insmod knows no dependencies)."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ValueError(f'module dependency cycle at {name}')
        visiting.add(name)
        for dep in depends(name):
            visit(dep)
        visiting.discard(name)
        order.append(name)

    for name in wanted:
        visit(name)
    return order


def init_script(release: str, modules: list[str]) -> str:
    """The initramfs's /init (busybox sh)."""
    return f'''#!/bin/busybox sh
# Written by lab/mhmlab/vmkernel.py: modules, the host's root read-only under a tmpfs overlay, then the lab's init.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() {{ echo "mhm-initramfs: $*"; sleep 2; poweroff -f; }}
for m in {' '.join(modules)}; do insmod "/modules/$m.ko" || fail "insmod $m"; done
mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower || fail "9p mount"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot || fail "overlay"
mkdir -p /newroot/lib/modules
mount -t tmpfs -o mode=0755 modules /newroot/lib/modules
mkdir -p /newroot/lib/modules/{release}/kernel
cp /modules/*.ko /newroot/lib/modules/{release}/kernel/
for d in proc sys dev; do mount --move /$d /newroot/$d; done
init=$(sed -n 's/.*mhm.init=\\([^ ]*\\).*/\\1/p' /newroot/proc/cmdline)
state=$(sed -n 's/.*mhm.state=\\([^ ]*\\).*/\\1/p' /newroot/proc/cmdline)
exec switch_root /newroot /usr/bin/python3 "$init" "$state"
'''


def _cpio_entry(name: str, mode: int, data: bytes = b'', ino: int = 1) -> bytes:
    """One cpio 'newc' record (the format the kernel unpacks), owner root, mtime 0."""
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    header = b'070701' + b''.join(f'{f:08x}'.encode() for f in fields)
    record = header + name.encode() + b'\0'
    record += b'\0' * (-len(record) % 4)
    record += data + b'\0' * (-len(data) % 4)
    return record


def cpio_newc(entries: list[tuple[str, int, bytes]]) -> bytes:
    """A cpio archive of (path, mode, data) entries; directories have mode 0o040755 and no data."""
    out = io.BytesIO()
    for ino, (name, mode, data) in enumerate(entries, start=1):
        out.write(_cpio_entry(name, mode, data, ino))
    out.write(_cpio_entry('TRAILER!!!', 0, b'', 0))
    return out.getvalue()


def initramfs(release: str, modules_dir: Path, wanted: Iterable[str]) -> tuple[bytes, list[str]]:
    """The gzip'd initramfs and the module load order."""
    paths = {p.stem: p for p in modules_dir.rglob('*.ko')}
    missing = [m for m in wanted if m not in paths]
    if missing:
        raise FileNotFoundError(f'modules not in {modules_dir}: {", ".join(missing)}')
    order = load_order(wanted, lambda name: module_depends(paths[name].read_bytes()))
    entries: list[tuple[str, int, bytes]] = [(d, 0o040755, b'') for d in ('bin', 'dev', 'proc', 'sys', 'modules')]
    entries.append(('bin/busybox', 0o100755, BUSYBOX.read_bytes()))
    entries.append(('init', 0o100755, init_script(release, order).encode()))
    entries += [(f'modules/{m}.ko', 0o100644, paths[m].read_bytes()) for m in order]
    return gzip.compress(cpio_newc(entries), compresslevel=6, mtime=0), order


def kernel_dir(plan: Plan, release: str) -> Path:
    return Path(plan.paths.vm_kernel) / release


def ensure(plan: Plan, runner: Runner, say: Callable[[str], None] = print) -> Path:
    """Fetch and unpack the kernel and write the initramfs unless present; returns the kernel's directory."""
    cached = sorted(Path(plan.paths.vm_kernel).glob('*/initrd.gz'))
    depends = runner.run(['apt-cache', 'depends', plan.vm.kernel_package], timeout=60, check=False)
    if depends.returncode != 0 or 'Depends:' not in depends.stdout:
        if cached:  # offline, or the package list is gone: the kernel built earlier still serves
            return cached[-1].parent
        raise RuntimeError(f'apt-cache depends {plan.vm.kernel_package} failed: {depends.stderr.strip()}; '
                           'run apt-get update')
    package = kernel_dependency(depends.stdout)
    release = release_of(package)
    target = kernel_dir(plan, release)
    if (target / 'initrd.gz').is_file() and (target / 'vmlinuz').is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='build-', dir=target.parent) as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)  # apt's download user must be able to write here
        say(f'vm kernel: apt-get download {package}')
        runner.run(['apt-get', 'download', package], timeout=600, cwd=work)
        debs = list(work.glob('*.deb'))
        if len(debs) != 1:
            raise RuntimeError(f'apt-get download {package} left {len(debs)} packages in {work}')
        unpacked = work / 'root'
        runner.run(['dpkg-deb', '-x', debs[0], unpacked], timeout=600)
        build = work / 'out'
        build.mkdir()
        shutil.copyfile(unpacked / 'boot' / f'vmlinuz-{release}', build / 'vmlinuz')
        data, order = initramfs(release, unpacked / 'lib' / 'modules' / release, plan.vm.modules)
        (build / 'initrd.gz').write_bytes(data)
        (build / 'modules').write_text('\n'.join(order) + '\n', encoding='utf-8')
        if target.exists():
            shutil.rmtree(target)
        build.rename(target)
    say(f'created vm kernel {target} ({release})')
    return target
