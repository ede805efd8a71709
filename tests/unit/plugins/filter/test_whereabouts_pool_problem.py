# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/whereabouts_pool_problem.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import whereabouts_pool_problem as plugin


def test_filter_mapping_and_documentation():
    assert plugin.FilterModule().filters() == {'whereabouts_pool_problem': plugin.whereabouts_pool_problem}
    assert yaml.safe_load(plugin.DOCUMENTATION)['name'] == 'whereabouts_pool_problem'
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'str'


def test_answers():
    assert plugin.whereabouts_pool_problem({'whereabouts_range': '198.19.2.0/24'}) == ''
    assert 'holds no address' in plugin.whereabouts_pool_problem({'whereabouts_range': '198.19.2.0/28',
                                                                  'whereabouts_exclude': ['198.19.2.0/24']})
    assert 'has no /prefix' in plugin.whereabouts_pool_problem({})


def test_input_must_be_a_dict():
    with pytest.raises(AnsibleFilterError, match='whereabouts_pool_problem: the input must be an attachment dict'):
        plugin.whereabouts_pool_problem('198.19.2.0/24')
