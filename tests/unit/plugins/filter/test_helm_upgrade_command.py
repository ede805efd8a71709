# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/helm_upgrade_command.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import helm_upgrade_command as plugin


def test_filter_mapping_and_documentation():
    assert plugin.FilterModule().filters() == {'helm_upgrade_command': plugin.helm_upgrade_command}
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'helm_upgrade_command'
    assert set(doc['options']) == {'_input', 'namespace', 'values', 'repo'}


def test_answers():
    managed = {'metadata': {'labels': {'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'cilium-1.13.18'},
                            'annotations': {'meta.helm.sh/release-name': 'cilium'}}}
    assert plugin.helm_upgrade_command(managed, 'kube-system', {'cni.exclusive': False}) == (
        'helm upgrade cilium cilium/cilium --namespace kube-system --version 1.13.18 --reuse-values --set cni.exclusive=false')


@pytest.mark.parametrize('args', [('kube-system', {}), (1, {'a': 1}), ('kube-system', ['a'])])
def test_bad_input(args):
    with pytest.raises(AnsibleFilterError):
        plugin.helm_upgrade_command({}, *args)
