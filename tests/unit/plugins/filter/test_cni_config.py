# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/cni_config.py."""

from __future__ import annotations

import inspect
import json
import re

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import cni_config as plugin

RANGE = {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'cni_config': plugin.cni_config}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'cni_config'
    assert str(doc['version_added']) == '0.1.0'
    assert doc['short_description'] and doc['description'] and doc['author']
    parameters = inspect.signature(plugin.cni_config).parameters
    assert list(doc['options']) == ['_input'] + list(parameters)[1:]
    assert doc['options']['cni_version']['default'] == parameters['cni_version'].default
    assert doc['options']['plugin']['choices'] == ['ipvlan', 'macvlan', 'host-device']
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)


def test_guide_config_as_json():
    result = plugin.cni_config(RANGE, 'ipvlan-conf-1', 'ipvlan', 'eth1', 'l3', '0.3.0')
    assert json.dumps(result) == (
        '{"cniVersion": "0.3.0", "name": "ipvlan-conf-1", "type": "ipvlan", "master": "eth1", "mode": "l3", '
        '"ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "rangeStart": "192.168.1.13", '
        '"rangeEnd": "192.168.1.17", "gateway": "192.168.1.1"}}')


@pytest.mark.parametrize('ipam, kwargs, message', [
    ('192.168.1.0/24', {}, "cni_config: the input must be an IPAM dict, got '192.168.1.0/24'"),
    (RANGE, {'name': None}, 'cni_config: name must be a string, got None'),
    (RANGE, {'plugin': ['macvlan']}, "cni_config: plugin must be a string, got ['macvlan']"),
    (RANGE, {'master': 1}, 'cni_config: master must be a string, got 1'),
    (RANGE, {'cni_version': 1.0}, 'cni_config: cni_version must be a string, got 1.0'),
    (RANGE, {'mode': 3}, 'cni_config: mode must be a string, got 3'),
    (RANGE, {'mtu': '1500'}, "cni_config: mtu must be an integer, got '1500'"),
    (RANGE, {'mtu': False}, 'cni_config: mtu must be an integer, got False'),
    (RANGE, {'plugin': 'sriov'}, "cni_config: plugin 'sriov' is not supported"),
    (RANGE, {'mode': 'l3'}, "cni_config: mode 'l3' is not valid for plugin macvlan"),
    (RANGE, {'name': 'Macvlan_Net1'}, "cni_config: name: 'Macvlan_Net1' is not a valid Kubernetes name"),
    (RANGE, {'master': 'eth1:0'}, "cni_config: master: 'eth1:0' contains ':'"),
    (RANGE, {'mtu': 70000}, 'cni_config: mtu 70000 is not an integer in 68..65535'),
    (RANGE, {'cni_version': '2.0.0'}, "cni_config: cniVersion '2.0.0' is not supported"),
    (dict(RANGE, rangeEnd='192.168.2.1'), {}, 'cni_config: ipam: rangeEnd 192.168.2.1 is outside subnet 192.168.1.0/24'),
])
def test_errors_become_ansible_filter_errors(ipam, kwargs, message):
    arguments = {'name': 'macvlan-net1', 'plugin': 'macvlan', 'master': 'eth1'}
    arguments.update(kwargs)
    with pytest.raises(AnsibleFilterError) as info:
        plugin.cni_config(ipam, **arguments)
    assert str(info.value).startswith(message)


def test_routes_and_tuning_pass_through():
    lab = {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.15'}
    result = plugin.cni_config(lab, 'net-t', 'macvlan', 'eth1', routes=({'dst': '198.19.0.0/16', 'gw': '198.18.0.1'},),
                               tuning={'mtu': 9000})
    assert result == {'cniVersion': '0.3.1', 'name': 'net-t', 'plugins': [
        {'type': 'macvlan', 'master': 'eth1', 'mode': 'bridge',
         'ipam': {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.15',
                  'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}]}},
        {'type': 'tuning', 'mtu': 9000}]}


@pytest.mark.parametrize('kwargs, message', [
    ({'routes': {'dst': '198.19.0.0/16'}}, "cni_config: routes must be a list of {dst, gw} dicts, got {'dst': '198.19.0.0/16'}"),
    ({'tuning': 9000}, 'cni_config: tuning must be a dict with mtu and/or sysctl, got 9000'),
    ({'tuning': {'mtu': 9}}, 'cni_config: tuning: mtu 9 is not an integer in 68..65535'),
])
def test_routes_and_tuning_errors(kwargs, message):
    with pytest.raises(AnsibleFilterError, match=re.escape(message)):
        plugin.cni_config(RANGE, 'n', 'ipvlan', 'eth1', **kwargs)
