# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""network_attachments' node_overlap.yml: every worker's ranges gathered over hostvars and deployed files.

Workers n1 and n2 are in the play (``--limit``) and carry the ranges they
computed; worker n3 is outside it and has a deployed per-node file for
attachment ``net-a`` (its file for ``net-b`` does not exist).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ENTRIES = [
    {'name': 'net-a', 'ipam': 'per_node', 'master': 'eth1'},
    {'name': 'net-b', 'ipam': 'per_node', 'master': 'eth2'},
    {'name': 'pool', 'ipam': 'whereabouts', 'master': 'eth1', 'whereabouts_range': '198.19.0.240-198.19.0.249/24'},
]


def rng(start: str, end: str) -> dict[str, str]:
    return {'subnet': '198.19.0.0/24', 'rangeStart': start, 'rangeEnd': end}


def scenario(tmp_path: Path, n3_range: dict[str, str]) -> dict[str, dict[str, Any]]:
    conf_dir = tmp_path / 'net.d'
    conf_dir.mkdir()
    (conf_dir / 'net-a.conf').write_text(json.dumps(
        {'cniVersion': '1.0.0', 'name': 'net-a', 'type': 'ipvlan', 'master': 'eth1',
         'ipam': dict(n3_range, type='host-local')}), encoding='utf-8')
    common = {'network_attachments_worker_group': 'scenarios', 'network_attachments_entries': ENTRIES,
              'network_attachments_conf_dir': str(conf_dir)}
    return {
        'n1': dict(common, network_attachments_node_ranges={'net-a': rng('198.19.0.101', '198.19.0.105'),
                                                            'net-b': rng('198.19.0.201', '198.19.0.202')}),
        'n2': dict(common, network_attachments_node_ranges={'net-a': rng('198.19.0.106', '198.19.0.110')}),
        'n3': dict(common),
    }


def run(ansible_runner, hosts):
    result, out = ansible_runner('overlap.yml', hosts, with_defaults=False, args=('--limit', 'n1,n2'))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_ranges_of_the_play_and_of_deployed_files_are_gathered(ansible_runner, tmp_path):
    out = run(ansible_runner, scenario(tmp_path, rng('198.19.0.111', '198.19.0.115')))
    assert not (out / 'failed.txt').exists(), (out / 'failed.txt').read_text(encoding='utf-8')
    assert json.loads((out / 'ranges.json').read_text(encoding='utf-8')) == {
        'n1/net-a': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'},
        'n1/net-b': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.201', 'rangeEnd': '198.19.0.202'},
        'n2/net-a': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.106', 'rangeEnd': '198.19.0.110'},
        'n3/net-a': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.111', 'rangeEnd': '198.19.0.115',
                     'type': 'host-local'},
        'whereabouts pool pool[0]': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.240', 'rangeEnd': '198.19.0.249'},
    }


@pytest.mark.parametrize('start, end, words', [
    ('198.19.0.110', '198.19.0.115', ['n2/net-a', 'n3/net-a', 'overlap at 198.19.0.110', 'Nothing was written']),
    ('198.19.0.200', '198.19.0.201', ['n1/net-b', 'n3/net-a', 'overlap at 198.19.0.201']),
])
def test_a_deployed_file_that_overlaps_fails_the_check(ansible_runner, tmp_path, start, end, words):
    out = run(ansible_runner, scenario(tmp_path, rng(start, end)))
    message = (out / 'failed.txt').read_text(encoding='utf-8')
    for word in words:
        assert word in message


def with_pools(hosts: dict[str, dict[str, Any]], *pools: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries = ENTRIES[:2] + [{'name': f'pool{n}', 'ipam': 'whereabouts', 'master': 'eth1', **pool}
                             for n, pool in enumerate(pools)]
    return {host: dict(variables, network_attachments_entries=entries) for host, variables in hosts.items()}


@pytest.mark.parametrize('pools, words', [
    # A pool over node n2's secondary IPs: whereabouts and host-local would both hand out 198.19.0.106.
    ([{'whereabouts_range': '198.19.0.100-198.19.0.109/24'}],
     ['whereabouts pool pool0', 'n1/net-a', 'overlap at 198.19.0.101', 'Nothing was written', 'whereabouts_exclude']),
    # A CIDR pool covers every node range unless they are excluded; one range left in is enough.
    ([{'whereabouts_range': '198.19.0.0/24', 'whereabouts_exclude': ['198.19.0.96/27', '198.19.0.200/30']}],
     ['whereabouts pool pool0', 'n3/net-a', 'overlap at 198.19.0.128']),
    # Two pools that share addresses.
    ([{'whereabouts_range': '198.19.0.220-198.19.0.229/24'}, {'whereabouts_range': '198.19.0.228/30'}],
     ['whereabouts pool pool0', 'whereabouts pool pool1', 'overlap at 198.19.0.229']),
])
def test_a_whereabouts_pool_that_overlaps_fails_the_check(ansible_runner, tmp_path, pools, words):
    out = run(ansible_runner, with_pools(scenario(tmp_path, rng('198.19.0.128', '198.19.0.130')), *pools))
    assert (out / 'failed.txt').exists(), 'no overlap reported'
    message = (out / 'failed.txt').read_text(encoding='utf-8')
    for word in words:
        assert word in message, message


def test_a_pool_that_excludes_the_node_ranges_passes(ansible_runner, tmp_path):
    excluded = ['198.19.0.96/27', '198.19.0.128/30', '198.19.0.200/30']
    pool = {'whereabouts_range': '198.19.0.0/24', 'whereabouts_exclude': excluded}
    out = run(ansible_runner, with_pools(scenario(tmp_path, rng('198.19.0.128', '198.19.0.130')), pool))
    assert not (out / 'failed.txt').exists(), (out / 'failed.txt').read_text(encoding='utf-8')
    gathered = json.loads((out / 'ranges.json').read_text(encoding='utf-8'))
    assert {label: (r['rangeStart'], r['rangeEnd']) for label, r in gathered.items()
            if label.startswith('whereabouts')} == {
        'whereabouts pool pool0[0]': ('198.19.0.1', '198.19.0.95'),
        'whereabouts pool pool0[1]': ('198.19.0.132', '198.19.0.199'),
        'whereabouts pool pool0[2]': ('198.19.0.204', '198.19.0.254')}
