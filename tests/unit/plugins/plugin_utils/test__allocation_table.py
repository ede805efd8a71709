# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_allocation_table.py, against hand-written tables."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils import _allocation_table as table

NET = {'name': 'ipvlan-net', 'master': 'eth1'}
R1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
R2 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.111', 'rangeEnd': '198.19.0.113'}
R3 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.121', 'rangeEnd': '198.19.0.125'}


def written(changed: bool) -> dict:
    return {'results': [{'item': NET, 'changed': changed}]}


def test_range_size():
    assert table.range_size('198.19.0.101', '198.19.0.105') == 5
    assert table.range_size('2001:db8::10', '2001:db8::1f') == 16
    with pytest.raises(ValueError, match='198.19.0.5-198.19.0.1 does not run from a lower to a higher'):
        table.range_size('198.19.0.5', '198.19.0.1')
    with pytest.raises(ValueError, match='of one family'):
        table.range_size('198.19.0.1', '2001:db8::1')


@pytest.mark.parametrize('pool, exclude, size', [
    ('198.19.2.0/24', [], 254),
    ('198.19.2.0/24', ['198.19.2.0/28'], 239),          # .1-.15 out; .0 was never handed out
    ('198.19.2.0/24', ['198.19.2.0/28', '198.19.2.8/29', '10.0.0.0/8'], 239),  # overlapping and foreign excludes
    ('198.19.2.0/24', ['198.19.0.0/16'], 0),
    ('198.19.2.0/31', [], 2),
    ('198.19.2.10-198.19.2.20/24', ['198.19.2.20/32'], 10),
    ('2001:db8::/120', ['2001:db8::/124'], 240),
])
def test_pool_size(pool, exclude, size):
    assert table.pool_size(pool, exclude) == size


def test_pool_size_rejects_an_empty_range():
    with pytest.raises(ValueError, match='the last address 198.19.2.10 comes before the first 198.19.2.20'):
        table.pool_size('198.19.2.20-198.19.2.10/24')


def test_full_run():
    hostvars = {
        'node1': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': R1},
                  'network_attachments_written': written(True)},
        'node2': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': R2},
                  'network_attachments_written': written(False)},
    }
    assert table.allocation_table(['node1', 'node2'], hostvars) == [
        'NODE   NIC   NAD         IPAM      RANGE                      ADDRESSES  STATE',
        'node1  eth1  ipvlan-net  per_node  198.19.0.101-198.19.0.105  5          written',
        'node2  eth1  ipvlan-net  per_node  198.19.0.111-198.19.0.113  3          unchanged',
        '',
        '2 workers, 2 per-node ranges holding 8 addresses.',
        'Per-node configs written in this run: node1/ipvlan-net.',
        'Per-node configs unchanged: node2/ipvlan-net.',
    ]


def test_dual_stack_range_shows_both_families_and_counts_the_pairs():
    six = {'subnet': '2001:2:0:1::/64', 'rangeStart': '2001:2:0:1::65', 'rangeEnd': '2001:2:0:1::6c'}
    hostvars = {'node1': {'network_attachments_entries': [NET],
                          'network_attachments_node_ranges': {'ipvlan-net': {'ranges': [[R2], [six]]}},
                          'network_attachments_written': written(True)}}
    rows = table.allocation_table(['node1'], hostvars)
    assert rows[1].split()[4:8] == ['198.19.0.111-198.19.0.113,', '2001:2:0:1::65-2001:2:0:1::6c', '3', 'written']
    assert rows[3] == '1 worker, 1 per-node range holding 3 addresses.'


def test_limit_new_worker_in_check_mode():
    """--limit new-worker --check: the others are outside the run, their ranges read from their files."""
    gathered = {'new-worker/ipvlan-net': R3, 'node1/ipvlan-net': R1}
    hostvars = {
        # Outside the run: inventory variables only, the list not yet normalised.
        'node1': {'network_attachments_list': [{'name': 'ipvlan-net'}]},
        'node2': {'network_attachments_list': [{'name': 'ipvlan-net'}], 'network_attachments_default_master': 'ens5'},
        'new-worker': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': R3},
                       'network_attachments_all_ranges': gathered, 'network_attachments_written': written(True)},
    }
    assert table.allocation_table(['node1', 'node2', 'new-worker'], hostvars, check_mode=True) == [
        'NODE        NIC   NAD         IPAM      RANGE                      ADDRESSES  STATE',
        'node1       eth1  ipvlan-net  per_node  198.19.0.101-198.19.0.105  5          deployed (not in this run)',
        'node2       ens5  ipvlan-net  per_node  -                          -          unknown (not in this run)',
        'new-worker  eth1  ipvlan-net  per_node  198.19.0.121-198.19.0.125  5          would be written',
        '',
        '3 workers, 3 per-node ranges holding 10 addresses.',
        'Per-node configs that would be written (check mode): new-worker/ipvlan-net.',
        'Workers outside this run, range read from their deployed file: node1/ipvlan-net.',
        'Workers outside this run whose range is unknown: node2/ipvlan-net.',
    ]


def test_a_later_host_s_gathered_range_replaces_an_earlier_one():
    hostvars = {
        'node1': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': R1},
                  'network_attachments_all_ranges': {'node3/ipvlan-net': R2}},
        'node2': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': R1},
                  'network_attachments_all_ranges': {'node3/ipvlan-net': R3}},
        'node3': {'network_attachments_list': [{'name': 'ipvlan-net'}]},
    }
    rows = table.allocation_rows(['node1', 'node2', 'node3'], hostvars)
    assert (rows[2]['range'], rows[2]['state']) == (f"{R3['rangeStart']}-{R3['rangeEnd']}", table.DEPLOYED)


class CountingVars(dict):
    """Host variables that count the reads of the gathered ranges."""

    reads = 0

    def get(self, key, default=None):
        if key == 'network_attachments_all_ranges':
            CountingVars.reads += 1
        return super().get(key, default)


def test_a_run_that_computed_every_range_reads_no_gathered_ranges():
    hosts = [f'node{index}' for index in range(50)]
    gathered = {f'{host}/ipvlan-net': R1 for host in hosts}
    hostvars = {host: CountingVars(network_attachments_entries=[NET], network_attachments_node_ranges={'ipvlan-net': R1},
                                   network_attachments_all_ranges=gathered) for host in hosts}
    CountingVars.reads = 0
    rows = table.allocation_rows(hosts, hostvars)
    assert [row['state'] for row in rows] == [table.COMPUTED] * len(hosts)
    assert CountingVars.reads == 0


def test_the_gathered_ranges_are_read_once_per_host_for_workers_outside_the_run():
    inside = [f'node{index}' for index in range(20)]
    outside = [f'old{index}' for index in range(20)]
    gathered = {f'{host}/ipvlan-net': R2 for host in inside + outside}
    hostvars = {host: CountingVars(network_attachments_entries=[NET], network_attachments_node_ranges={'ipvlan-net': R1},
                                   network_attachments_all_ranges=gathered) for host in inside}
    hostvars.update({host: CountingVars(network_attachments_list=[{'name': 'ipvlan-net'}]) for host in outside})
    CountingVars.reads = 0
    rows = table.allocation_rows(inside + outside, hostvars)
    assert [row['state'] for row in rows] == [table.COMPUTED] * len(inside) + [table.DEPLOYED] * len(outside)
    assert CountingVars.reads == len(inside + outside)


def test_an_invalid_gathered_ranges_variable_fails_when_a_row_needs_it():
    hostvars = {'node1': {'network_attachments_entries': [NET], 'network_attachments_all_ranges': ['x']}}
    with pytest.raises(ValueError, match=r"network_attachments_all_ranges of host node1 must be a dict, got \['x'\]"):
        table.allocation_rows(['node1'], hostvars)


def test_cluster_wide_ranges_and_computed_only():
    host_local = {'name': 'shared', 'master': 'eth2', 'ipam': 'host_local',
                  'range': {'subnet': '10.1.0.0/24', 'rangeStart': '10.1.0.10', 'rangeEnd': '10.1.0.19'}}
    pool = {'name': 'pool', 'master': 'eth1', 'ipam': 'whereabouts', 'whereabouts_range': '198.19.2.0/24',
            'whereabouts_exclude': ['198.19.2.0/28']}
    hostvars = {'node1': {'network_attachments_entries': [NET, host_local, pool],
                          'network_attachments_node_ranges': {'ipvlan-net': R1},
                          'network_attachments_written': {'results': [{'item': NET, 'skipped': True}]}}}
    assert table.allocation_table(['node1', 'gone'], hostvars) == [
        'NODE         NIC   NAD         IPAM         RANGE                                    ADDRESSES  STATE',
        'node1        eth1  ipvlan-net  per_node     198.19.0.101-198.19.0.105                5          computed, not written',
        '(all nodes)  eth2  shared      host_local   10.1.0.10-10.1.0.19                      10         one range on every node',
        '(all nodes)  eth1  pool        whereabouts  pool 198.19.2.0/24 except 198.19.2.0/28  239        cluster-wide pool',
        '',
        '1 worker, 1 per-node range holding 5 addresses.',
        'Cluster-wide: shared (host_local, 10 addresses); pool (whereabouts, 239 addresses).',
        'Ranges computed but not written (step nads skipped): node1/ipvlan-net.',
    ]


def test_nothing_to_report():
    assert table.allocation_table(['node1'], {'node1': {}}) == [
        'No attachment to report: network_attachments_list is empty on every worker.']


@pytest.mark.parametrize('hostvars, message', [
    ({'node1': {'network_attachments_list': 'net'}}, "the attachments of host node1 must be a list of dicts with a name, got 'net'"),
    ({'node1': {'network_attachments_list': [{'master': 'eth1'}]}}, 'the attachments of host node1 must be a list'),
    ({'node1': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': ['x']}},
     r"network_attachments_node_ranges of host node1 must be a dict, got \['x'\]"),
    ({'node1': {'network_attachments_entries': [NET], 'network_attachments_node_ranges': {'ipvlan-net': {'subnet': 'x'}}}},
     r"range \{'subnet': 'x'\} has no rangeStart and rangeEnd"),
])
def test_errors_name_the_host_or_the_range(hostvars, message):
    with pytest.raises(ValueError, match=message):
        table.allocation_rows(['node1'], hostvars)
