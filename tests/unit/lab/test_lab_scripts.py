# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The bash tools take the lab's addresses from the plan and repeat none of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCRIPTS = ['lab/labctl', 'lab/cluster/clusterctl', 'lab/cluster/kubeletctl', 'hack/build-cluster-binaries.sh']
LITERAL = re.compile(r'198\.1[89]\.|\b18080\b|\b1644[3]\b|\b10250\b|v4\.3\.0|1\.36\.3')


@pytest.mark.parametrize('script', SCRIPTS)
def test_script_reads_the_plan_and_repeats_no_address(script):
    text = (REPO / script).read_text(encoding='utf-8')
    assert 'python3 -m mhmlab plan shell' in text
    code = [line for line in text.splitlines() if not line.lstrip().startswith('#')]
    assert [line for line in code if LITERAL.search(line)] == []
