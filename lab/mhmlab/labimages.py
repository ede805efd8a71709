# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The images the lab's pods use, made locally and imported into every node's containerd (no registry, no pulls).

busybox, the sandbox ("pause") image, Multus laid out like the upstream image
from the binaries built from its Go modules (under the name the lab inventory's
mirror override gives it), whereabouts laid out like its release image, and
the lab's Cilium for >= 1.14 and < 1.14. An archive is remade only when an
input is newer (mhmlab.imagearchive writes it).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from mhmlab import imagearchive
from mhmlab.controlplane import BUILD, cluster_bin
from mhmlab.plan import Plan
from mhmlab.runner import Runner

PROG = 'kubeletctl'
LAB = Path(__file__).resolve().parents[1]
CLUSTER_DIR = LAB / 'cluster'
IMAGE_ARCHIVE = Path(imagearchive.__file__)
BUSYBOX = '/bin/busybox'
BUSYBOX_IMAGE = 'docker.io/library/busybox:1.36.1'
PAUSE_IMAGE = 'registry.k8s.io/pause:3.10'
MULTUS_SRC_BINARIES = ('multus', 'passthru', 'install_multus', 'multus-daemon', 'multus-shim')
# At the image's root, as in whereabouts' release image.
WHEREABOUTS_FILES = ('whereabouts', 'ip-control-loop', 'install-cni.sh', 'lib.sh', 'token-watcher.sh')
# PID 1 of the sandbox: waits for its TERM.
PAUSE_SCRIPT = 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'
# The legacy release's hook scripts need bash and GNU find (-delete).
LEGACY_TOOLS = ('/bin/bash', '/usr/bin/find')
BUILD_WAIT = 3 * 3600


def log(message: str) -> None:
    print(f'{PROG}: {message}', file=sys.stderr, flush=True)


@dataclasses.dataclass(frozen=True)
class Images:
    plan: Plan
    environ: Mapping[str, str]

    @property
    def cache(self) -> Path:
        return Path(self.plan.cache)

    @property
    def dir(self) -> Path:
        return self.cache / 'lab-images'

    @property
    def multus_version(self) -> str:
        return self.environ.get('MULTUS_VERSION') or self.plan.versions.multus

    @property
    def multus_bin(self) -> Path:
        return cluster_bin(self.cache, f'multus-{self.multus_version}')

    @property
    def multus_image(self) -> str:
        return (self.environ.get('MHM_MULTUS_IMAGE')
                or f'{self.plan.cluster.multus_registry}/k8snetworkplumbingwg/multus-cni:{self.multus_version}')

    @property
    def whereabouts_bin(self) -> Path:
        return cluster_bin(self.cache, f'whereabouts-{self.plan.versions.whereabouts}')

    @property
    def whereabouts_image(self) -> str:
        return f'{self.plan.cluster.multus_registry}/k8snetworkplumbingwg/whereabouts:{self.plan.versions.whereabouts}'

    @property
    def cilium_bin(self) -> Path:
        return cluster_bin(self.cache, f'cilium-{self.plan.versions.cilium}')

    @property
    def cilium_legacy_bin(self) -> Path:
        return cluster_bin(self.cache, f'cilium-{self.plan.versions.cilium_legacy}')

    def archive(self, ref: str) -> Path:
        return self.dir / f'{re.sub("[/:@]", "_", ref)}.tar'


def fresh(archive: Path, inputs: Sequence[Path | str]) -> bool:
    """The archive exists and is newer than every input."""
    try:
        stamp = archive.stat()
    except OSError:
        return False
    return stamp.st_size > 0 and all(stamp.st_mtime > os.stat(i).st_mtime for i in inputs)


def install(source: Path | str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o755)


def busybox_rootfs(runner: Runner, root: Path) -> None:
    for sub in ('bin', 'etc', 'tmp', 'root'):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / 'tmp').chmod(0o1777)
    install(BUSYBOX, root / 'bin' / 'busybox')
    applets = runner.output([BUSYBOX, '--list'], timeout=30).split()
    for applet in applets:
        link = root / 'bin' / applet
        if not os.path.lexists(link):
            link.symlink_to('busybox')
    root_user(root)


def root_user(root: Path) -> None:
    """/etc/passwd and /etc/group naming root (Go's os/user reads them: the thick daemon checks it runs as root)."""
    (root / 'etc').mkdir(parents=True, exist_ok=True)
    (root / 'etc' / 'passwd').write_text('root:x:0:0:root:/root:/bin/sh\n', encoding='utf-8')
    (root / 'etc' / 'group').write_text('root:x:0:\n', encoding='utf-8')


def host_binary(runner: Runner, root: Path, *binaries: str) -> None:
    """Host binaries with the shared libraries they load, at the same paths."""
    for binary in binaries:
        install(binary, root / binary.lstrip('/'))
        for lib in re.findall(r'(/\S*)', runner.output(['ldd', binary], timeout=30)):
            target = root / lib.lstrip('/')
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(lib, target)
                shutil.copymode(lib, target)


class Maker:
    def __init__(self, images: Images, runner: Runner):
        self.images, self.runner = images, runner

    def make(self, ref: str, inputs: Sequence[Path | str], fill: Callable[[Path], None], *,
             entrypoint: list[str] | None = None, cmd: list[str] | None = None) -> None:
        archive = self.images.archive(ref)
        # This file too: how an image is laid out is written here.
        if fresh(archive, [*inputs, IMAGE_ARCHIVE, Path(__file__)]):
            return
        log(f'making image {ref}')
        self.images.dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix='.rootfs.', dir=self.images.dir) as work:
            fill(Path(work))
            image_id = imagearchive.write_archive(Path(work), archive, [ref], entrypoint, cmd, [])
            print(imagearchive.summary(archive, image_id, [ref]), file=sys.stderr, flush=True)

    def build(self, what: str, env: Mapping[str, str] | None = None) -> None:
        done = self.runner.run(['nice', '-n', '10', 'bash', BUILD, what], timeout=BUILD_WAIT, check=False,
                               env={**os.environ, **(env or {})})
        sys.stderr.write(done.stdout + done.stderr)
        if done.returncode:
            raise RuntimeError(f'{BUILD} {what} exited {done.returncode}')

    def fill_multus(self, root: Path) -> None:
        bin_dir = self.images.multus_bin
        (root / 'tmp').mkdir(parents=True, exist_ok=True)
        root_user(root)
        for name in ('install_multus', 'thin_entrypoint'):
            install(bin_dir / name, root / name)
        # Where both flavours' DaemonSets find them (thick: install_multus, multus-daemon, multus-shim).
        for name in MULTUS_SRC_BINARIES:
            install(bin_dir / name, root / 'usr' / 'src' / 'multus-cni' / 'bin' / name)

    def fill_whereabouts(self, root: Path) -> None:
        busybox_rootfs(self.runner, root)
        for name in WHEREABOUTS_FILES:
            install(self.images.whereabouts_bin / name, root / name)

    def fill_busybox(self, root: Path) -> None:
        busybox_rootfs(self.runner, root)

    def fill_cilium(self, root: Path) -> None:
        busybox_rootfs(self.runner, root)
        install(self.images.cilium_bin / 'cilium-cni-config', root / 'usr' / 'bin' / 'cilium-agent')

    def fill_cilium_legacy(self, root: Path) -> None:
        """Cilium < 1.14: the agent writes its CNI config once the release's postStart hook is done."""
        self.fill_cilium(root)
        host_binary(self.runner, root, *LEGACY_TOOLS)
        for name in ('cni-install.sh', 'cni-uninstall.sh'):
            install(self.images.cilium_legacy_bin / name, root / name)
        install(self.images.cilium_bin / 'cilium-cni-config', root / 'usr' / 'bin' / 'cilium-cni-config')
        install(CLUSTER_DIR / 'images' / 'cilium-agent-legacy', root / 'usr' / 'bin' / 'cilium-agent')

    def ensure(self) -> None:
        images = self.images
        if not os.access(images.multus_bin / 'multus-daemon', os.X_OK):
            log('building the Multus binaries')
            self.build('multus', {'MULTUS_VERSION': images.multus_version})
        self.make(BUSYBOX_IMAGE, [BUSYBOX], self.fill_busybox, cmd=['sh'])
        self.make(PAUSE_IMAGE, [BUSYBOX], self.fill_busybox, entrypoint=['/bin/sh', '-c', PAUSE_SCRIPT])
        multus = [images.multus_bin / n for n in ('install_multus', 'thin_entrypoint', *MULTUS_SRC_BINARIES)]
        self.make(images.multus_image, multus, self.fill_multus, entrypoint=['/thin_entrypoint'])
        # The thick flavour's tag (the multus role's multus_image_ref); the same files.
        self.make(f'{images.multus_image}-thick', multus, self.fill_multus,
                  entrypoint=['/usr/src/multus-cni/bin/multus-daemon'])
        if not os.access(images.whereabouts_bin / 'ip-control-loop', os.X_OK):
            log('building whereabouts')
            self.build('whereabouts')
        self.make(images.whereabouts_image, [BUSYBOX, *(images.whereabouts_bin / n for n in WHEREABOUTS_FILES)],
                  self.fill_whereabouts, cmd=['/install-cni.sh'])
        if not (os.access(images.cilium_bin / 'cilium-cni-config', os.X_OK)
                and os.access(images.cilium_legacy_bin / 'cni-install.sh', os.X_OK)):
            log("building the lab's Cilium agent")
            self.build('cilium')
        agent = ['/usr/bin/cilium-agent']
        config = images.cilium_bin / 'cilium-cni-config'
        self.make(f'quay.io/cilium/cilium:{self.images.plan.versions.cilium}', [BUSYBOX, config], self.fill_cilium,
                  entrypoint=agent)
        self.make(f'quay.io/cilium/cilium:{self.images.plan.versions.cilium_legacy}',
                  [BUSYBOX, *LEGACY_TOOLS, config, images.cilium_legacy_bin / 'cni-install.sh',
                   CLUSTER_DIR / 'images' / 'cilium-agent-legacy'], self.fill_cilium_legacy, entrypoint=agent)
