# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/cilium_poststart_patch.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import cilium_poststart_patch as plugin

GUIDE = {'spec': {'template': {'spec': {'containers': [
    {'name': 'cilium-agent',
     'lifecycle': {'postStart': {'exec': {'command': ['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=true']}}}},
]}}}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'cilium_poststart_patch': plugin.cilium_poststart_patch}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'cilium_poststart_patch'
    assert set(doc['options']) == {'_input', 'container', 'enabled'}
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {
        'container_index', 'command_path', 'matches', 'current', 'desired', 'patch_needed', 'patch', 'error'}


def test_answers():
    plan = plugin.cilium_poststart_patch(GUIDE, 'cilium-agent', False)
    assert plan['patch'] == [
        {'op': 'test', 'path': '/spec/template/spec/containers/0/lifecycle/postStart/exec/command/2',
         'value': '--cni-exclusive=true'},
        {'op': 'replace', 'path': '/spec/template/spec/containers/0/lifecycle/postStart/exec/command/2',
         'value': '--cni-exclusive=false'},
    ]
    assert plugin.cilium_poststart_patch(None, 'cilium-agent', True)['error'] == \
        'the DaemonSet has no container named cilium-agent'


@pytest.mark.parametrize('args, message', [
    ((['a'], 'cilium-agent', False), r"cilium_poststart_patch: the input must be a DaemonSet object \(a dict\), got \['a'\]"),
    ((GUIDE, '', False), "cilium_poststart_patch: container must be a non-empty string, got ''"),
    ((GUIDE, 3, False), 'cilium_poststart_patch: container must be a non-empty string, got 3'),
    ((GUIDE, 'cilium-agent', 'false'), "cilium_poststart_patch: enabled must be a boolean .*, got 'false'"),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.cilium_poststart_patch(*args)
