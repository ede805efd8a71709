# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The lab's Cilium runs the module versions the plan pins: the program's go.mod, the images of cilium.yml."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from mhmlab import plan as lab_plan

CLUSTER = Path(__file__).resolve().parents[3] / 'lab' / 'cluster'
VERSIONS = lab_plan.Versions()


def test_program_requires_the_plans_cilium_module():
    gomod = (CLUSTER / 'cilium-cni-config' / 'go.mod').read_text(encoding='utf-8')
    required = re.findall(r'^\s*(?:require\s+)?github\.com/cilium/cilium (\S+)$', gomod, re.M)
    assert required == [VERSIONS.cilium]
    assert (CLUSTER / 'cilium-cni-config' / 'go.sum').is_file()


def test_cilium_playbook_images_carry_the_plans_versions():
    play = yaml.safe_load((CLUSTER / 'cilium.yml').read_text(encoding='utf-8'))[0]
    assert play['vars']['lab_cluster_cilium_images'] == {
        'configmap': f'quay.io/cilium/cilium:{VERSIONS.cilium}',
        'poststart': f'quay.io/cilium/cilium:{VERSIONS.cilium_legacy}',
    }


def test_legacy_version_reads_exclusivity_from_poststart_and_new_from_configmap():
    # The role switches at 1.14.0 (cilium_exclusive_configmap_min_version).
    assert tuple(int(p) for p in VERSIONS.cilium_legacy.lstrip('v').split('.')[:2]) < (1, 14)
    assert tuple(int(p) for p in VERSIONS.cilium.lstrip('v').split('.')[:2]) >= (1, 14)
