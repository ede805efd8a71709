# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/crd_removal.py."""

from __future__ import annotations

import inspect

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import crd_removal as plugin

CRD = ['network-attachment-definitions.k8s.cni.cncf.io']


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'crd_removal': plugin.crd_removal}


def test_documentation_matches_the_signature():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'crd_removal'
    assert doc['short_description'] and doc['description'] and doc['author']
    parameters = list(inspect.signature(plugin.crd_removal).parameters)
    assert list(doc['options']) == ['_input'] + parameters[1:]
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {'delete', 'blocking', 'message'}


def test_decision_passes_through():
    foreign = {'kind': 'NetworkAttachmentDefinition', 'metadata': {'namespace': 'team-a', 'name': 'n'}}
    decision = plugin.crd_removal([foreign], 'when_unused', CRD, owned_names=['default/macvlan-net1'])
    assert decision['delete'] is False
    assert decision['blocking'] == ['NetworkAttachmentDefinition team-a/n (not installed by multihome.multus)']


@pytest.mark.parametrize(('args', 'kwargs', 'needle'), [
    (({'kind': 'x'}, 'when_unused', CRD), {}, 'input must be a list'),
    (([], 'when_unused', 'crd-name'), {}, 'crds must be a list of strings'),
    (([], 'when_unused', CRD), {'owned_names': [1]}, 'owned_names must be a list of strings'),
    (([], 'when_unused', CRD), {'owned_ranges': '198.19.0.0/24'}, 'owned_ranges must be a list of strings'),
    (([], True, CRD), {'variable': 'multus_remove_crd'}, "multus_remove_crd must be one of"),
    ((['x'], 'when_unused', CRD), {}, 'mappings'),
])
def test_bad_input_names_the_filter(args, kwargs, needle):
    with pytest.raises(AnsibleFilterError, match=r'^crd_removal: ') as err:
        plugin.crd_removal(*args, **kwargs)
    assert needle in str(err.value)
