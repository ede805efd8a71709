# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""``plan env NODE`` and ``plan shell``: what the bash tools eval."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mhmlab import cli
from mhmlab import plan as lab_plan
from mhmlab import shellenv

REPO = Path(__file__).resolve().parents[3]
LAB = REPO / 'lab'
BASH = shutil.which('bash')


def mhmlab(*args, env=None):
    return subprocess.run([sys.executable, '-m', 'mhmlab', *args], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, 'PYTHONPATH': str(LAB), 'PYTHONDONTWRITEBYTECODE': '1', **(env or {})})


def test_env_has_the_plan_keys_of_labctl_env():
    done = mhmlab('plan', 'env', 'node2')
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:8] == [
        'MHM_NODE=node2',
        'MHM_NODE_INDEX=2',
        'MHM_NETNS=mhm-node2',
        'MHM_MGMT_IP=198.18.0.12',
        'MHM_MGMT_BRIDGE=mhm-mgmt',
        'MHM_MGMT_GATEWAY=198.18.0.1',
        'MHM_FABRIC_IP=198.19.0.12',
        'MHM_SECONDARIES=198.19.0.111-198.19.0.115',
    ]
    assert 'MHM_POD_CIDR=198.18.130.0/24' in lines
    assert not any(line.startswith(('MHM_PID', 'MHM_NSENTER', 'MHM_STATE')) for line in lines)


def test_env_refuses_unknown_and_outside_nodes():
    assert 'unknown node name' in mhmlab('plan', 'env', 'node3').stderr
    done = mhmlab('plan', 'env', 'node10')
    assert done.returncode == 2 and 'outside this plan of 9 nodes' in done.stderr
    assert mhmlab('--max-nodes', '10', 'plan', 'env', 'node10').returncode == 0
    assert mhmlab('plan', 'env', 'node10', env={'MHM_LAB_MAX_NODES': '10'}).returncode == 0


@pytest.mark.skipif(BASH is None, reason='no bash')
def test_shell_evals_in_bash_as_readonly():
    script = r'''
set -euo pipefail
plan=$(python3 -m mhmlab plan shell)
eval "$plan"
printf '%s\n' "$PLAN_KUBE_VERSION" "$PLAN_MULTUS_VERSION" "$PLAN_CILIUM_LEGACY_VERSION"
( PLAN_KUBE_VERSION=x ) 2>/dev/null && echo writable || echo readonly
'''
    env = {**os.environ, 'PYTHONPATH': str(LAB), 'PYTHONDONTWRITEBYTECODE': '1'}
    env['PATH'] = f'{Path(sys.executable).parent}{os.pathsep}{env["PATH"]}'
    done = subprocess.run([BASH, '-c', script], capture_output=True, text=True, timeout=60, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        '1.36.3', 'v4.3.0', 'v1.13.18', 'readonly']


def test_shell_has_only_what_the_bash_tools_read():
    names = [item[0] for item in shellenv.shell_items(lab_plan.build())]
    assert 'PLAN_MGMT_IP' not in names and 'PLAN_SERVICE_IP' not in names
    script = (REPO / 'hack' / 'build-cluster-binaries.sh').read_text(encoding='utf-8')
    assert all(f'${name}' in script for name in names)
    assert len(names) == len(set(names))


def test_shell_line_quotes():
    assert shellenv.shell_line('PLAN_X', "a b'c") == "readonly PLAN_X='a b'\"'\"'c'"
    assert shellenv.shell_line('PLAN_A', ('x', 'y z')) == "readonly -a PLAN_A=(x 'y z')"


def test_every_shell_name_is_a_plan_name():
    names = [name for name, value in shellenv.shell_items(lab_plan.build())]
    assert len(names) == len(set(names))
    assert all(name.startswith('PLAN_') for name in names)


def test_nodes_table(capsys):
    assert cli.main(['--max-nodes', '10', 'plan', 'nodes']) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('fabric 198.19.0.0/24,')
    assert out[-1].split() == ['node10', '10', 'eth0', '198.18.0.20/24', 'eth1', '198.19.0.20/24', '+',
                               '198.19.0.191-198.19.0.195', 'pods', '198.18.138.0/24']
