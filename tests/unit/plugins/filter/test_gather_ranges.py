# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/gather_ranges.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import gather_ranges as plugin

R1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
HOSTVARS = {'node1': {'network_attachments_node_ranges': {'net-a': R1}, 'my_ranges': {'x': R1}}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'gather_ranges': plugin.gather_ranges}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'gather_ranges'
    assert set(doc['options']) == {'_input', 'hostvars', 'files', 'variable', 'pools'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'dict'


def test_answers():
    assert plugin.gather_ranges(['node1'], HOSTVARS) == {'node1/net-a': R1}
    assert plugin.gather_ranges(['node1'], HOSTVARS, files=[{'item': ['node2', {'name': 'n'}], 'content': 'eyJpcGFtIjoge319'}],
                                variable='my_ranges') == {'node1/x': R1, 'node2/n': {}}


@pytest.mark.parametrize('args, kwargs, message', [
    (('node1', HOSTVARS), {}, "gather_ranges: the input must be a list of host names, got 'node1'"),
    ((['node1'], ['node1']), {}, 'gather_ranges: hostvars must be the hostvars dict, got list'),
    ((['node1'], HOSTVARS), {'files': {'results': []}}, r"gather_ranges: files must be the results list of a slurp loop, got \{'results': \[\]\}"),
    ((['node1'], HOSTVARS), {'variable': 3}, 'gather_ranges: variable must be a string, got 3'),
    ((['node1'], {'node1': {'network_attachments_node_ranges': 'x'}}), {},
     "gather_ranges: network_attachments_node_ranges of host node1 must be a dict of attachment name -> range, got 'x'"),
    ((['node1'], HOSTVARS), {'files': [{'item': ['node2', {'name': 'n'}], 'content': 'e30='}]},
     'gather_ranges: the per-node file of node2/n has no "ipam" key'),
])
def test_errors_name_the_filter_and_the_value(args, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.gather_ranges(*args, **kwargs)
