# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/nic_addresses.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import nic_addresses as plugin

DECLARED = [{'name': 'eth1', 'where': 'secondary_nic_', 'addresses': ['192.168.1.13'], 'subnet': '192.168.1.0/24',
             'variable': 'secondary_nic_addresses', 'addresses6': [], 'subnet6': '', 'variable6': ''}]
FACTS = {'eth1': {'active': True, 'ipv4': {'address': '192.168.0.12', 'prefix': '24'}}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'nic_addresses': plugin.nic_addresses}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'nic_addresses'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.nic_addresses).parameters)[1:]
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {
        'addresses', 'subnet', 'addresses6', 'subnet6', 'primary', 'held', 'arp_ignore', 'variable', 'variable6', 'where'}
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_answer():
    found = plugin.nic_addresses(DECLARED, FACTS)['eth1']
    assert (found['addresses'], found['primary'], found['held']) == (['192.168.1.13/24'], '192.168.0.12/24', [])


@pytest.mark.parametrize('args, message', [
    (({'name': 'eth1'}, FACTS), r"nic_addresses: the input must be the list of declared NICs, got \{'name': 'eth1'\}"),
    ((DECLARED, []), 'nic_addresses: facts must be ansible_facts, got list'),
    ((DECLARED, FACTS, {'results': []}), 'nic_addresses: sysctls must be the results list of a slurp loop'),
    ((DECLARED, {}), r'nic_addresses: the NIC eth1 \(secondary_nic_name\) does not exist'),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.nic_addresses(*args)
