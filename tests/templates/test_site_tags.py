# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The guide-step tags of playbooks/site.yml, offline.

``--list-tags`` and ``--list-tasks --tags X`` run against a throw-away
inventory (no cluster, no node is reached); the tasks a tag selects are mapped
to the role entry points they include by reading site.yml. Then ``--tags nads``
and ``--tags verify`` really run the node plays over two local "workers" (the
loopback NIC, addresses given in ``secondary_nic_addresses``, no controller
group) and end with the allocation table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, _ansible_playbook, _env

SITE = REPO / 'playbooks' / 'site.yml'
STEPS = {'cilium', 'multus', 'plugins', 'nic', 'nads', 'verify', 'whereabouts'}
# Read-only steps that every tag runs (the others need their facts).
ALWAYS = {'secondary_nic:main', 'network_attachments:ranges', 'cluster access', 'allocation table'}
SELECTED = {
    'cilium': {'cilium_exclusive:node', 'cilium_exclusive:main'},
    'multus': {'multus:main'},
    'plugins': {'cni_plugins:main'},
    'nic': set(),
    'nads': {'network_attachments:files', 'whereabouts:main', 'network_attachments:main'},
    'verify': {'verification:main'},
    'whereabouts': {'whereabouts:main'},
}
EVERYTHING = ALWAYS | set().union(*SELECTED.values())


def task_steps() -> dict[str, str]:
    """Task name in site.yml -> the role entry point it includes (or what it is)."""
    steps = {}
    for play in yaml.safe_load(SITE.read_text(encoding='utf-8')):
        for task in play.get('pre_tasks', []) + play.get('tasks', []):
            role = task.get('ansible.builtin.include_role')
            if role:
                steps[task['name']] = f"{role['name'].rsplit('.', 1)[-1]}:{role.get('tasks_from', 'main')}"
            elif 'multihome.multus.allocation_table' in str(task):
                steps[task['name']] = 'allocation table'
    access = yaml.safe_load((REPO / 'playbooks' / 'tasks' / 'cluster_access.yml').read_text(encoding='utf-8'))
    while access:
        task = access.pop()
        steps[task['name']] = 'cluster access'
        access += task.get('block', []) + task.get('rescue', []) + task.get('always', [])
    return steps


@pytest.fixture(name='inventory', scope='module')
def fixture_inventory(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp('site')
    workers = {
        'node1': ['198.19.0.101', '198.19.0.102', '198.19.0.103'],
        'node2': ['198.19.0.111', '198.19.0.112'],
    }
    hosts = {name: {'secondary_nic_addresses': addresses, 'network_attachments_conf_dir': str(base / name / 'net.d')}
             for name, addresses in workers.items()}
    inventory = {'all': {'children': {'multus_workers': {'hosts': hosts, 'vars': {
        'ansible_connection': 'local',
        'ansible_python_interpreter': sys.executable,
        'ansible_become': False,
        'secondary_nic_name': 'lo',
        'secondary_nic_subnet': '198.19.0.0/24',
        'network_attachments_list': [
            {'name': 'net-a', 'plugin': 'macvlan', 'mode': 'bridge', 'master': 'lo'},
            {'name': 'pool-b', 'plugin': 'macvlan', 'master': 'lo', 'ipam': 'whereabouts',
             'whereabouts_range': '198.19.2.0/24', 'whereabouts_exclude': ['198.19.2.0/28']},
        ],
    }}}}}
    path = base / 'hosts.yml'
    path.write_text(yaml.safe_dump(inventory), encoding='utf-8')
    return path


def site(inventory: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([_ansible_playbook(), '-i', str(inventory), str(SITE), *args], cwd=REPO, env=_env(),
                            capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def listed(inventory: Path, *args: str) -> set[str]:
    """The role entry points (and other steps) that ``--list-tasks`` with these arguments selects."""
    names = re.findall(r'^ {6}(\S.*?)\tTAGS: \[', site(inventory, '--list-tasks', *args).stdout, re.M)
    steps = task_steps()
    unknown = [name for name in names if name not in steps]
    assert not unknown, f'tasks of site.yml that are neither a role include nor a known step: {unknown}'
    return {steps[name] for name in names}


def test_list_tags_shows_every_guide_step(inventory):
    found = set()
    for line in re.findall(r'TASK TAGS: \[(.*)\]', site(inventory, '--list-tags').stdout):
        found |= {tag.strip() for tag in line.split(',')}
    assert found == STEPS | {'always'}


def test_without_tags_everything_runs(inventory):
    assert listed(inventory) == EVERYTHING


@pytest.mark.parametrize('tag', sorted(SELECTED))
def test_each_tag_selects_its_roles_and_the_read_only_steps(inventory, tag):
    assert listed(inventory, '--tags', tag) == ALWAYS | SELECTED[tag]


def test_skip_nads_skips_the_ranges_too(inventory):
    assert listed(inventory, '--skip-tags', 'nads') == EVERYTHING - SELECTED['nads'] - {'network_attachments:ranges'}


def test_skip_nic_skips_only_the_preflight(inventory):
    assert listed(inventory, '--skip-tags', 'nic') == EVERYTHING - {'secondary_nic:main'}


def table(stdout: str) -> list[str]:
    """The allocation table's lines, from the debug output of the last task."""
    block = stdout.split('TASK [Show the address allocation per node]', 1)[1].split('PLAY RECAP', 1)[0]
    lines = block.split('msg: |-\n', 1)[1].splitlines()
    return [line[8:] for line in lines if line.startswith(' ' * 8) or not line.strip()][:-1]


ROWS = [
    'NODE         NIC  NAD     IPAM         RANGE                                    ADDRESSES  STATE',
    'node1        lo   net-a   per_node     198.19.0.101-198.19.0.103                3          {state}',
    'node2        lo   net-a   per_node     198.19.0.111-198.19.0.112                2          {state}',
    '(all nodes)  lo   pool-b  whereabouts  pool 198.19.2.0/24 except 198.19.2.0/28  239        cluster-wide pool',
    '',
    '2 workers, 2 per-node ranges holding 5 addresses.',
    'Cluster-wide: pool-b (whereabouts, 239 addresses).',
]


def test_nads_alone_writes_the_node_files_and_reports_them(inventory):
    first = site(inventory, '--tags', 'nads')
    assert 'cni_plugins' not in first.stdout and 'cilium_exclusive' not in first.stdout
    assert 'secondary_nic : Check the NIC' in first.stdout
    for node, start in (('node1', '198.19.0.101'), ('node2', '198.19.0.111')):
        conf = yaml.safe_load((inventory.parent / node / 'net.d' / 'net-a.conf').read_text(encoding='utf-8'))
        assert conf['ipam']['rangeStart'] == start
    assert table(first.stdout) == [row.format(state='written') for row in ROWS] + [
        'Per-node configs written in this run: node1/net-a, node2/net-a.']

    again = site(inventory, '--tags', 'nads')
    assert table(again.stdout) == [row.format(state='unchanged') for row in ROWS] + [
        'Per-node configs unchanged: node1/net-a, node2/net-a.']


def test_verify_alone_still_computes_the_ranges(inventory):
    result = site(inventory, '--tags', 'verify')
    assert 'Write the per-node network configs' not in result.stdout
    assert table(result.stdout) == [row.format(state='computed, not written') for row in ROWS] + [
        'Ranges computed but not written (step nads skipped): node1/net-a, node2/net-a.']
