# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/attachment_preflight.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import attachment_preflight as plugin

IPVLAN = {'name': 'ipvlan-conf-1', 'plugin': 'ipvlan', 'mode': 'l3', 'master': 'eth1', 'ipam': 'per_node'}
NIC = {'addresses': ['192.168.1.13/24'], 'addresses6': [], 'held': [], 'arp_ignore': 0, 'variable': '',
       'variable6': '', 'where': 'secondary_nic_'}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'attachment_preflight': plugin.attachment_preflight}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'attachment_preflight'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.attachment_preflight).parameters)[1:]
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'list'
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_answers():
    assert plugin.attachment_preflight([IPVLAN], {'eth1': NIC}) == []
    (problem,) = plugin.attachment_preflight((IPVLAN,), {'eth1': dict(NIC, held=['192.168.1.13'])})
    assert 'the node itself holds the pod addresses 192.168.1.13 on eth1' in problem


@pytest.mark.parametrize('args, message', [
    (('x', {}), "attachment_preflight: the input must be the list of attachments, got 'x'"),
    (([IPVLAN], []), r'attachment_preflight: nics must be the per-NIC result of secondary_nic, got \[\]'),
    (([IPVLAN], {'eth1': dict(NIC, held=['not-an-address'])}), 'attachment_preflight: .*not-an-address'),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.attachment_preflight(*args)
