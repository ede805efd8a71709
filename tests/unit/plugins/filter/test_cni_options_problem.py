# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/cni_options_problem.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import cni_options_problem as plugin


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'cni_options_problem': plugin.cni_options_problem}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'cni_options_problem'
    assert str(doc['version_added']) == '0.3.0'
    assert list(doc['options']) == ['_input'] + list(inspect.signature(plugin.cni_options_problem).parameters)[1:]
    assert isinstance(yaml.safe_load(plugin.EXAMPLES), list)
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'str'


@pytest.mark.parametrize('attachment, subnets, answer', [
    ({'name': 'a'}, None, ''),
    ({'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}], 'tuning': {'mtu': 9000}}, ('198.18.0.0/24',), ''),
    ({'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}]}, ['198.18.0.0/24'],
     'routes[0]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24'),
    ({'tuning': {'sysctl': {'kernel.shmmax': 1}}}, None, "tuning: sysctl 'kernel.shmmax' is not a network sysctl"),
])
def test_answers(attachment, subnets, answer):
    assert plugin.cni_options_problem(attachment, subnets).startswith(answer)
    assert (plugin.cni_options_problem(attachment, subnets) == '') == (answer == '')


@pytest.mark.parametrize('args, message', [
    ((['routes'],), "cni_options_problem: the input must be an attachment dict, got \\['routes'\\]"),
    (({}, '198.18.0.0/24'), "cni_options_problem: subnets must be a list of CIDRs, got '198.18.0.0/24'"),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.cni_options_problem(*args)
