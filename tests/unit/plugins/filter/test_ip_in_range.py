# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/ip_in_range.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import ip_in_range as plugin

NODE1 = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'ip_in_range': plugin.ip_in_range}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'ip_in_range'
    assert set(doc['options']) == {'_input', 'ipam'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'bool'


def test_answers():
    assert plugin.ip_in_range('198.19.0.104/24', NODE1) is True
    assert plugin.ip_in_range('198.19.0.111', NODE1) is False


@pytest.mark.parametrize('address, ipam, message', [
    (None, NODE1, 'ip_in_range: the address must be a string'),
    ('198.19.0.101', ['198.19.0.101'], 'ip_in_range: the range must be a dict'),
    ('not-an-ip', NODE1, "ip_in_range: .*not-an-ip"),
])
def test_errors(address, ipam, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.ip_in_range(address, ipam)
