# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""cni_plugins on scratch directories: only the binaries that differ from the verified archive are copied.

The archive is a small one made here (its sha256 declared in cni_plugins_checksums),
unpacked into a scratch controller cache. Each run is a real ansible-playbook run
of the role; a binary that was not copied keeps its inode (copy replaces a file
with a new one).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest

PLUGINS = ('host-local', 'ipvlan', 'macvlan', 'tuning')
SELECTED = ['ipvlan', 'macvlan', 'host-local']


def make_archive(path: Path, names: tuple[str, ...], origin: str = 'the test archive') -> str:
    with tarfile.open(path, 'w:gz') as tar:
        for name in names:
            data = f'#!/bin/sh\n# {name} of {origin}\n'.encode()
            info = tarfile.TarInfo(f'./{name}')
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changed_per_host(stdout: str) -> dict[str, int]:
    return {host: int(count) for host, count in re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', stdout, re.M)}


def node_files(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """name -> (content, mode, inode) of the node's plugin directory."""
    return {p.name: (p.read_bytes(), p.stat().st_mode & 0o7777, p.stat().st_ino) for p in sorted((root / 'bin').iterdir())}


@pytest.fixture(name='world')
def fixture_world(tmp_path) -> dict[str, Any]:
    if os.geteuid() != 0:
        pytest.fail('cni_plugins installs root-owned binaries: run as root (make test does)')
    archive = tmp_path / 'cni-plugins-linux-amd64-v1.9.1.tgz'
    sha = make_archive(archive, PLUGINS)
    expected = {name: (f'#!/bin/sh\n# {name} of the test archive\n').encode() for name in SELECTED}

    def host(name: str) -> dict[str, Any]:
        root = tmp_path / name
        return {'cni_plugins_bin_dir': str(root / 'bin'), 'cni_plugins_record_dir': str(root / 'record'),
                'cni_plugins_cache_dir': str(tmp_path / 'cache'), 'cni_plugins_local_archive': str(archive),
                'cni_plugins_version': '1.9.1', 'cni_plugins_checksums': {'1.9.1': {'amd64': sha}},
                'cni_plugins_binaries': SELECTED}

    return {'root': tmp_path, 'host': host, 'expected': expected}


def contents_and_modes(files: dict[str, tuple[bytes, int, int]]) -> dict[str, tuple[bytes, int]]:
    return {name: (content, mode) for name, (content, mode, _inode) in files.items()}


def run(ansible_runner, hosts: dict[str, dict[str, Any]], *args: str):
    result = ansible_runner('cni_plugins.yml', hosts, with_defaults=False, args=args)[0]
    return result, changed_per_host(result.stdout)


def test_first_run_installs_rerun_changes_nothing(ansible_runner, world):
    hosts = {'fresh': world['host']('fresh')}
    result, changed = run(ansible_runner, hosts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed['fresh'] > 0
    first = node_files(world['root'] / 'fresh')
    assert contents_and_modes(first) == {
        name: (content, 0o755) for name, content in world['expected'].items()}
    record = (world['root'] / 'fresh' / 'record' / 'cni-plugins.yml').read_text(encoding='utf-8')
    assert sorted(re.search(r'"installed": \[([^]]*)\]', record).group(1).replace('"', '').split(', ')) == sorted(SELECTED)

    result, changed = run(ansible_runner, hosts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed['fresh'] == 0
    assert node_files(world['root'] / 'fresh') == first
    # No per-binary round trip on a rerun: one find answers for all of them.
    assert re.findall(r'\(item=(?:ipvlan|macvlan|host-local)\)', result.stdout) == []


def test_only_the_binaries_that_differ_are_copied(ansible_runner, world):
    hosts = {'drift': world['host']('drift')}
    result = run(ansible_runner, hosts)[0]
    assert result.returncode == 0, result.stdout + result.stderr
    bin_dir = world['root'] / 'drift' / 'bin'
    (bin_dir / 'macvlan').write_bytes(b'#!/bin/sh\n# tampered\n')
    (bin_dir / 'host-local').chmod(0o700)
    before = node_files(world['root'] / 'drift')

    result, changed = run(ansible_runner, hosts, '--check')
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed['drift'] > 0
    assert node_files(world['root'] / 'drift') == before

    result, changed = run(ansible_runner, hosts)
    assert result.returncode == 0, result.stdout + result.stderr
    after = node_files(world['root'] / 'drift')
    assert contents_and_modes(after) == {
        name: (content, 0o755) for name, content in world['expected'].items()}
    assert after['ipvlan'][2] == before['ipvlan'][2], 'an unchanged binary was copied again'
    assert after['macvlan'][2] != before['macvlan'][2]
    copied = re.findall(r'^changed: \[drift\] => \(item=([\w-]+)\)', result.stdout, re.M)
    assert sorted(copied) == ['host-local', 'macvlan']


def test_a_distribution_plugin_is_kept_before_it_is_replaced(ansible_runner, world):
    hosts = {'distro': world['host']('distro')}
    bin_dir = world['root'] / 'distro' / 'bin'
    bin_dir.mkdir(parents=True)
    (bin_dir / 'host-local').write_bytes(b'distribution host-local\n')
    (bin_dir / 'host-local').chmod(0o755)
    result, changed = run(ansible_runner, hosts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (bin_dir / 'host-local').read_bytes() == world['expected']['host-local']
    kept = world['root'] / 'distro' / 'record' / 'replaced' / 'host-local'
    assert kept.read_bytes() == b'distribution host-local\n'
    record = (world['root'] / 'distro' / 'record' / 'cni-plugins.yml').read_text(encoding='utf-8')
    assert '"replaced": ["host-local"]' in record


def test_a_plugin_missing_from_the_archive_stops_before_any_change(ansible_runner, world):
    host = dict(world['host']('missing'), cni_plugins_binaries=['ipvlan', 'vrf'])
    result = run(ansible_runner, {'missing': host})[0]
    assert result.returncode != 0
    text = ' '.join(result.stdout.split())
    assert 'missing: the containernetworking plugins archive v1.9.1 (amd64) has no vrf; nothing was installed.' in text
    assert 'cni_plugins_binaries' in text
    assert not (world['root'] / 'missing' / 'bin').exists()


def other_world(world, name: str, plugins: tuple[str, ...]) -> dict[str, Any]:
    """A host of another cluster served from the same controller cache: same version, other archive bytes."""
    archive = world['root'] / 'other' / 'cni-plugins-linux-amd64-v1.9.1.tgz'
    archive.parent.mkdir(exist_ok=True)
    sha = make_archive(archive, plugins, origin='another build')
    return dict(world['host'](name), cni_plugins_local_archive=str(archive),
                cni_plugins_checksums={'1.9.1': {'amd64': sha}}, cni_plugins_binaries=list(plugins))


def test_another_archive_of_the_version_leaves_check_mode_true(ansible_runner, world):
    ours = {'ours': world['host']('ours')}
    theirs = {'theirs': other_world(world, 'theirs', ('host-local', 'ipvlan', 'macvlan', 'vrf'))}
    for hosts in (ours, theirs):
        result = run(ansible_runner, hosts)[0]
        assert result.returncode == 0, result.stdout + result.stderr

    result, changed = run(ansible_runner, ours, '--check')
    assert result.returncode == 0, result.stdout + result.stderr
    assert changed['ours'] == 0, 'check mode announced changes a real run would not make:\n' + result.stdout


def test_a_plugin_left_by_another_archive_of_the_version_is_not_taken(ansible_runner, world):
    theirs = {'theirs': other_world(world, 'theirs', ('host-local', 'ipvlan', 'vrf'))}
    result = run(ansible_runner, theirs)[0]
    assert result.returncode == 0, result.stdout + result.stderr

    host = dict(world['host']('ours'), cni_plugins_binaries=['ipvlan', 'vrf'])
    result = run(ansible_runner, {'ours': host})[0]
    assert result.returncode != 0, 'vrf of another archive was installed:\n' + result.stdout
    assert 'has no vrf; nothing was installed.' in ' '.join(result.stdout.split())
    assert not (world['root'] / 'ours' / 'bin').exists()
