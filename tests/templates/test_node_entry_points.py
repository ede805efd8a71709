# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The cluster-side roles' `node` entry points on fixture directories of this machine.

Each scenario gets its own CNI conf and bin directories under a temporary
directory. The entry points run three times, as an operator would: with
``--check --diff`` (reports, changes nothing), for real, and again (changes nothing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

# Files each scenario starts with: relative path -> content.
START: dict[str, dict[str, str]] = {
    'cilium_restore': {
        'net.d/05-cilium.conflist': 'cilium',
        'net.d/00-multus.conf.cilium_bak': 'multus',
        'net.d/10-flannel.conflist.cilium_bak': 'flannel',
        'net.d/20-old.conf.cilium_bak': 'old',
        'net.d/20-old.conf': 'new',
        # Cilium >= 1.14 renames the legacy config of Cilium < 1.14 itself: never restored.
        'net.d/05-cilium.conf.cilium_bak': 'legacy cilium',
    },
    'cilium_still_exclusive': {
        'net.d/05-cilium.conflist': 'cilium',
        'net.d/00-multus.conf.cilium_bak': 'multus',
    },
    'multus_absent': {
        'net.d/05-cilium.conflist': 'cilium',
        'net.d/00-multus.conf': 'multus',
        'net.d/multus.d/multus.kubeconfig': 'kubeconfig',
        'bin/multus': 'binary',
        'bin/passthru': 'binary',
        'bin/macvlan': 'plugin',
        'bin/cilium-cni': 'cilium',
    },
    'multus_present': {
        'net.d/00-multus.conf': 'multus',
        'bin/multus': 'binary',
    },
    'whereabouts_absent': {
        'net.d/05-cilium.conflist': 'cilium',
        'net.d/whereabouts.d/whereabouts.conf': '{}',
        'bin/whereabouts': 'binary',
        'bin/host-local': 'plugin',
    },
}

# What each scenario must hold once the entry point has run.
END: dict[str, dict[str, str]] = {
    'cilium_restore': {
        'net.d/05-cilium.conflist': 'cilium',
        'net.d/00-multus.conf': 'multus',
        'net.d/10-flannel.conflist': 'flannel',
        'net.d/20-old.conf.cilium_bak': 'old',  # kept: the original name is taken again
        'net.d/20-old.conf': 'new',
        'net.d/05-cilium.conf.cilium_bak': 'legacy cilium',
    },
    'cilium_still_exclusive': START['cilium_still_exclusive'],
    'multus_absent': {
        'net.d/05-cilium.conflist': 'cilium',
        'bin/macvlan': 'plugin',
        'bin/cilium-cni': 'cilium',
    },
    'multus_present': START['multus_present'],
    'whereabouts_absent': {
        'net.d/05-cilium.conflist': 'cilium',
        'bin/host-local': 'plugin',
    },
}


def scenario_vars(name: str, root: Path) -> dict[str, Any]:
    conf, binary = str(root / 'net.d'), str(root / 'bin')
    if name.startswith('cilium'):
        return {'case_role': 'cilium_exclusive', 'cilium_exclusive_cni_conf_dir': conf,
                'cilium_exclusive_enabled': name == 'cilium_still_exclusive'}
    if name.startswith('multus'):
        return {'case_role': 'multus', 'multus_cni_conf_dir': conf, 'multus_cni_bin_dir': binary,
                'multus_state': 'absent' if name.endswith('absent') else 'present'}
    return {'case_role': 'whereabouts', 'whereabouts_cni_conf_dir': conf, 'whereabouts_cni_bin_dir': binary,
            'whereabouts_state': 'absent'}


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding='utf-8') for p in sorted(root.rglob('*')) if p.is_file()}


def changed_per_host(stdout: str) -> dict[str, int]:
    return {host: int(count) for host, count in re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', stdout, re.M)}


@pytest.fixture(name='runs', scope='module')
def fixture_runs(ansible_runner, tmp_path_factory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp('nodes')
    roots = {name: base / name for name in START}
    for name, files in START.items():
        for rel, content in files.items():
            path = roots[name] / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding='utf-8')
    (roots['multus_absent'] / 'bin').chmod(0o755)
    hosts = {name: scenario_vars(name, roots[name]) for name in START}
    found: dict[str, Any] = {}
    for step, args in (('check', ('--check', '--diff')), ('apply', ()), ('again', ())):
        result = ansible_runner('node.yml', hosts, with_defaults=False, args=args)[0]
        assert result.returncode == 0, result.stdout + result.stderr
        found[step] = {'changed': changed_per_host(result.stdout), 'files': {n: snapshot(r) for n, r in roots.items()},
                       'stdout': result.stdout}
    return found


@pytest.mark.parametrize('name', sorted(START))
def test_check_mode_reports_and_changes_nothing(runs, name):
    assert runs['check']['files'][name] == START[name]
    expected_changes = END[name] != START[name]
    assert (runs['check']['changed'][name] > 0) is expected_changes


@pytest.mark.parametrize('name', sorted(START))
def test_apply_leaves_exactly_the_expected_files(runs, name):
    assert runs['apply']['files'][name] == END[name]
    assert (runs['apply']['changed'][name] > 0) is (END[name] != START[name])


@pytest.mark.parametrize('name', sorted(START))
def test_second_run_changes_nothing(runs, name):
    assert runs['again']['changed'][name] == 0
    assert runs['again']['files'][name] == END[name]


def test_restore_reports_what_it_did(runs):
    check, apply = (' '.join(runs[step]['stdout'].split()) for step in ('check', 'apply'))
    assert re.search(r'Would restore: \S*/00-multus\.conf, \S*/10-flannel\.conflist\.', check)
    assert re.search(r'Restored: \S*/00-multus\.conf, \S*/10-flannel\.conflist\.', apply)
    assert re.search(r'Kept \(the original name exists again\): \S*/20-old\.conf\.cilium_bak\.', apply)
