# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""A container image from a directory, as a docker-archive tar (``python -m mhmlab image-archive``).

The lab has no registry and no image builder. This writes the format of
`docker save` (manifest.json, one layer, an image config), which
`ctr images import` loads into a node's containerd under the given names.
The layer is reproducible: entries sorted, owner root, mtime 0.

    python -m mhmlab image-archive ROOTFS OUT.tar --tag ghcr.io/org/image:v1 \
        [--tag ...] [--entrypoint '["/bin/sh"]'] [--cmd '[...]'] [--env K=V ...]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path


def layer_bytes(rootfs: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(rootfs.rglob('*')):
            info = tar.gettarinfo(str(path), arcname=str(path.relative_to(rootfs)))
            info.uid = info.gid = 0
            info.uname = info.gname = 'root'
            info.mtime = 0
            if info.isreg():
                with path.open('rb') as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)
    return buf.getvalue()


def image_config(diff_id: str, entrypoint: list | None, cmd: list | None, env: list[str]) -> dict:
    config: dict = {'Env': ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', *env],
                    'WorkingDir': '/'}
    if entrypoint is not None:
        config['Entrypoint'] = entrypoint
    if cmd is not None:
        config['Cmd'] = cmd
    return {'architecture': 'amd64', 'os': 'linux', 'config': config,
            'rootfs': {'type': 'layers', 'diff_ids': [diff_id]},
            'history': [{'created_by': 'multihome.multus mhmlab.imagearchive'}]}


def add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def write_archive(rootfs: Path, out: Path, tags: list[str], entrypoint: list | None, cmd: list | None,
                  env: list[str]) -> str:
    layer = layer_bytes(rootfs)
    diff_id = 'sha256:' + hashlib.sha256(layer).hexdigest()
    config = json.dumps(image_config(diff_id, entrypoint, cmd, env), sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + '.json'
    layer_name = diff_id.split(':', 1)[1] + '/layer.tar'
    manifest = [{'Config': config_name, 'RepoTags': tags, 'Layers': [layer_name]}]
    tmp = out.with_name(out.name + '.tmp')
    with tarfile.open(tmp, mode='w') as tar:
        add_file(tar, layer_name, layer)
        add_file(tar, config_name, config)
        add_file(tar, 'manifest.json', json.dumps(manifest).encode())
    os.replace(tmp, out)
    return config_name.removesuffix('.json')


def summary(out: Path, image_id: str, tags: list[str]) -> str:
    """The line that reports a written archive."""
    return f'{out}: sha256:{image_id} {" ".join(tags)}'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m mhmlab image-archive', description=__doc__.split('\n', 1)[0])
    parser.add_argument('rootfs', type=Path)
    parser.add_argument('out', type=Path)
    parser.add_argument('--tag', action='append', required=True, help='full image reference, repeatable')
    parser.add_argument('--entrypoint', type=json.loads, help='JSON list')
    parser.add_argument('--cmd', type=json.loads, help='JSON list')
    parser.add_argument('--env', action='append', default=[], help='K=V, repeatable')
    args = parser.parse_args(argv)
    if not args.rootfs.is_dir():
        parser.error(f'{args.rootfs} is not a directory')
    image_id = write_archive(args.rootfs, args.out, args.tag, args.entrypoint, args.cmd, args.env)
    print(summary(args.out, image_id, args.tag))
    return 0
