# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/k8s_managers.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import k8s_managers as plugin


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'k8s_managers': plugin.k8s_managers}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'k8s_managers'
    assert set(doc['options']) == {'_input', 'namespace'}
    assert yaml.safe_load(plugin.RETURN)['_value']['type'] == 'list'


def test_answers():
    helm = {'metadata': {'name': 'cilium', 'annotations': {'meta.helm.sh/release-name': 'cilium'}}}
    assert plugin.k8s_managers({'DaemonSet': helm, 'ConfigMap': {}}, 'kube-system') == [
        'DaemonSet kube-system/cilium is managed by Helm (release cilium)']


@pytest.mark.parametrize('args, message', [
    (([{'metadata': {}}], 'kube-system'), r"k8s_managers: the input must be a dict of kind -> object, got \[\{'metadata': \{\}\}\]"),
    (({'DaemonSet': {}}, None), 'k8s_managers: namespace must be a string, got None'),
])
def test_errors_name_the_filter_and_the_value(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.k8s_managers(*args)
