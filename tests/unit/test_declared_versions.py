# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The versions the collection declares are the oldest ones ``make matrix`` tests (tests/matrix/*.txt)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MATRIX = sorted((REPO / 'tests' / 'matrix').glob('*.txt'))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split('.'))


def _pinned(pattern: str) -> list[str]:
    found = []
    for spec in MATRIX:
        found += re.findall(pattern, spec.read_text(encoding='utf-8'), re.MULTILINE)
    return sorted(found, key=_version)


def test_matrix_has_entries() -> None:
    assert MATRIX, 'tests/matrix/ has no entry'
    assert len(_pinned(r'^ansible-core==([0-9.]+)$')) == len(MATRIX)
    assert len(_pinned(r'^# collection: kubernetes[.]core==([0-9.]+) from ansible==[0-9.]+$')) == len(MATRIX)


def test_requires_ansible_is_the_oldest_tested_core() -> None:
    runtime = yaml.safe_load((REPO / 'meta' / 'runtime.yml').read_text(encoding='utf-8'))
    assert runtime['requires_ansible'] == '>=' + _pinned(r'^ansible-core==([0-9.]+)$')[0]


def test_kubernetes_core_floor_is_the_oldest_tested() -> None:
    galaxy = yaml.safe_load((REPO / 'galaxy.yml').read_text(encoding='utf-8'))
    oldest = _pinned(r'^# collection: kubernetes[.]core==([0-9.]+) from ansible==[0-9.]+$')[0]
    assert galaxy['dependencies']['kubernetes.core'].startswith(f'>={oldest},<')


def test_runtime_requirements_range_starts_at_the_oldest_tested_core() -> None:
    lines = (REPO / 'requirements.txt').read_text(encoding='utf-8').splitlines()
    core = [line for line in lines if line.startswith('ansible-core')]
    assert core == ['ansible-core>=' + _pinned(r'^ansible-core==([0-9.]+)$')[0] + ',<2.20']


def test_kubernetes_client_floor_is_the_oldest_tested() -> None:
    lines = (REPO / 'requirements.txt').read_text(encoding='utf-8').splitlines()
    assert [line for line in lines if line.startswith('kubernetes')] == [
        'kubernetes>=' + _pinned(r'^kubernetes==([0-9.]+)$')[0]]
