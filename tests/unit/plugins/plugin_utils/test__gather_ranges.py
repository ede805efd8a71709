# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_gather_ranges.py."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._gather_ranges import (
    file_range,
    gather_ranges,
    play_ranges,
    split_range_sets,
)

VAR = 'network_attachments_node_ranges'
R1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
R2 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.106', 'rangeEnd': '198.19.0.110', 'gateway': '198.19.0.1'}
R3 = {'type': 'host-local', 'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.111', 'rangeEnd': '198.19.0.115'}

HOSTVARS = {
    'node1': {VAR: {'net-a': R1, 'net-b': R2}, 'other': 1},
    'node2': {VAR: {'net-a': R2}},
    'node3': {'other': 2},
}


def slurped(host, name, content=None, text=None):
    """A slurp loop result as Ansible registers it (content omitted when the file could not be read)."""
    result = {'item': [host, {'name': name, 'ipam': 'per_node'}], 'changed': False}
    if content is not None:
        text = json.dumps(content)
    if text is not None:
        result['content'] = base64.b64encode(text.encode('utf-8')).decode('ascii')
        result['encoding'] = 'base64'
    else:
        result['failed'] = True
        result['msg'] = 'file not found'
    return result


def test_ranges_of_the_play_hosts_in_host_order():
    assert play_ranges(HOSTVARS, ['node2', 'node1', 'node3'], VAR) == {
        'node2/net-a': R2,
        'node1/net-a': R1,
        'node1/net-b': R2,
    }


def test_hosts_outside_the_list_do_not_count():
    assert play_ranges(HOSTVARS, ['node1'], VAR) == {'node1/net-a': R1, 'node1/net-b': R2}
    assert play_ranges(HOSTVARS, ['unknown'], VAR) == {}


def test_ipam_of_the_files_read_follows_the_play_hosts():
    files = [slurped('node4', 'net-a', {'cniVersion': '1.0.0', 'type': 'ipvlan', 'ipam': R3}),
             slurped('node4', 'net-b')]
    assert gather_ranges(HOSTVARS, ['node1', 'node2'], files, VAR) == {
        'node1/net-a': R1,
        'node1/net-b': R2,
        'node2/net-a': R2,
        'node4/net-a': R3,
    }


def test_no_files_and_no_hosts():
    assert gather_ranges(HOSTVARS, [], [], VAR) == {}
    assert gather_ranges({}, []) == {}


def test_a_file_replaces_a_range_of_the_same_key():
    files = [slurped('node2', 'net-a', {'ipam': R3})]
    assert gather_ranges(HOSTVARS, ['node2'], files, VAR) == {'node2/net-a': R3}


def test_file_range():
    assert file_range(slurped('node4', 'net-a', {'ipam': {'type': 'host-local'}})) == ('node4/net-a', {'type': 'host-local'})


def test_variable_must_be_a_dict():
    with pytest.raises(TypeError, match=r"network_attachments_node_ranges of host node1 must be a dict of attachment name -> range, got \['x'\]"):
        play_ranges({'node1': {VAR: ['x']}}, ['node1'], VAR)


@pytest.mark.parametrize('result, message', [
    (slurped('node4', 'net-a', text='not json'), 'the per-node file of node4/net-a is not base64-encoded JSON'),
    (dict(slurped('node4', 'net-a', {'ipam': R3}), content='%%%'), 'the per-node file of node4/net-a is not base64-encoded JSON'),
    ({'item': ['node4', {'name': 'net-a'}], 'content': '//4='}, 'the per-node file of node4/net-a is not base64-encoded JSON'),
    (slurped('node4', 'net-a', {'type': 'ipvlan'}), 'the per-node file of node4/net-a has no "ipam" key'),
    (slurped('node4', 'net-a', ['ipam']), 'the per-node file of node4/net-a has no "ipam" key'),
    ({'item': 'node4', 'content': 'e30='}, "slurp result has no \\[host, attachment\\] item: 'node4'"),
    ({'item': ['node4', {'ipam': 'per_node'}], 'content': 'e30='}, 'slurp result has no \\[host, attachment\\] item'),
])
def test_unreadable_files_are_errors_naming_the_file(result, message):
    with pytest.raises(ValueError, match=message):
        gather_ranges(HOSTVARS, [], [result], VAR)


# --- dual stack and conflists ---------------------------------------------------------------------

V4 = {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.15'}
V6 = {'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::11', 'rangeEnd': '2001:db8:1::15'}


def test_range_sets_are_split_per_range():
    assert split_range_sets('n1/ds', {'ranges': [[V4], [V6]]}) == {'n1/ds[0]': V4, 'n1/ds[1]': V6}
    assert split_range_sets('n1/a', R1) == {'n1/a': R1}
    with pytest.raises(ValueError, match='the ranges of n1/ds must be a list of range sets'):
        split_range_sets('n1/ds', {'ranges': [V4]})


def test_dual_stack_hosts_and_conflist_files():
    hostvars = {'n1': {VAR: {'ds': {'ranges': [[V4], [V6]]}, 'a': R1}}}
    conflist = {'cniVersion': '1.0.0', 'name': 'ds', 'plugins': [
        {'type': 'ipvlan', 'master': 'eth1',
         'ipam': {'type': 'host-local', 'ranges': [[R2], [V6]], 'routes': [{'dst': '0.0.0.0/0'}]}},
        {'type': 'tuning', 'mtu': 1400}]}
    assert gather_ranges(hostvars, ['n1'], [slurped('n3', 'ds', conflist)]) == {
        'n1/ds[0]': V4, 'n1/ds[1]': V6, 'n1/a': R1, 'n3/ds[0]': R2, 'n3/ds[1]': V6}
