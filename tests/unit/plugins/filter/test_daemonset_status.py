# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/daemonset_status.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import daemonset_status as plugin

DS = {'metadata': {'name': 'whereabouts'},
      'spec': {'template': {'spec': {'containers': [{'image': 'w:1'}], 'initContainers': [{'image': 'i:1'}]}}},
      'status': {'desiredNumberScheduled': 2, 'updatedNumberScheduled': 2, 'numberReady': 2}}


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'daemonset_status': plugin.daemonset_status}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'daemonset_status'
    assert set(doc['options']) == {'_input', 'crds', 'init_containers'}
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {
        'daemonset_present', 'images', 'desired', 'updated', 'ready', 'crds_present', 'crds_established', 'crd_established'}


def test_answers():
    assert plugin.daemonset_status([DS]) == {
        'crd_established': False, 'crds_present': [], 'crds_established': [], 'daemonset_present': True,
        'images': ['w:1', 'i:1'], 'desired': 2, 'updated': 2, 'ready': 2}
    assert plugin.daemonset_status([DS], crds=[], init_containers=False)['images'] == ['w:1']


@pytest.mark.parametrize('args, kwargs, message', [
    ((DS,), {}, r"daemonset_status: the input must be a list of Kubernetes objects \(dicts\), got \{'metadata'"),
    (('ds',), {}, r"daemonset_status: the input must be a list of Kubernetes objects \(dicts\), got 'ds'"),
    (([None],), {}, r'daemonset_status: the input must be a list of Kubernetes objects \(dicts\), got \[None\]'),
    (([DS],), {'crds': 'ippools'}, r"daemonset_status: crds must be a list of Kubernetes objects \(dicts\), got 'ippools'"),
    (([DS],), {'init_containers': 'no'}, "daemonset_status: init_containers must be a boolean, got 'no'"),
])
def test_errors_name_the_filter_and_the_value(args, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plugin.daemonset_status(*args, **kwargs)
