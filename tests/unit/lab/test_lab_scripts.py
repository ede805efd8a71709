# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The lab's tools take its addresses from the plan and repeat none of them; ported tools are thin entry points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# Bash tools that still eval the plan.
SCRIPTS = ['hack/build-cluster-binaries.sh']
# Entry points over the package: a few lines that exec `python3 -m mhmlab GROUP`.
ENTRY_POINTS = {'lab/labctl': 'nodes', 'lab/cluster/clusterctl': 'cluster', 'lab/cluster/kubeletctl': 'kubelets'}
MODULES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / 'lab' / 'mhmlab').rglob('*')
                 if p.is_file() and p.name != 'plan.py' and p.suffix != '.pyc')
LITERAL = re.compile(r'198\.1[89]\.|\b18080\b|\b1644[3]\b|\b10250\b|v4\.3\.0|1\.36\.3')


def code_lines(path: str) -> list[str]:
    text = (REPO / path).read_text(encoding='utf-8')
    return [line for line in text.splitlines() if not line.lstrip().startswith('#')]


@pytest.mark.parametrize('script', SCRIPTS)
def test_script_reads_the_plan_and_repeats_no_address(script):
    assert 'python3 -m mhmlab plan shell' in (REPO / script).read_text(encoding='utf-8')
    assert [line for line in code_lines(script) if LITERAL.search(line)] == []


@pytest.mark.parametrize('script', sorted(ENTRY_POINTS))
def test_entry_point_is_thin(script):
    code = [line for line in code_lines(script) if line.strip()]
    assert len(code) <= 3, code
    assert f'exec /usr/bin/python3 -m mhmlab {ENTRY_POINTS[script]} "$@"' in code[-1]


@pytest.mark.parametrize('module', MODULES)
def test_package_repeats_no_address_of_the_plan(module):
    assert [line for line in code_lines(module) if LITERAL.search(line)] == []
