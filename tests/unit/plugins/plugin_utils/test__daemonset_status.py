# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_daemonset_status.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._daemonset_status import (
    count,
    crd_is_established,
    daemonset_images,
    daemonset_status,
)

MULTUS = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2-thick'
NAD = 'network-attachment-definitions.k8s.cni.cncf.io'


def crd(name, established='True'):
    return {'metadata': {'name': name},
            'status': {'conditions': [{'type': 'NamesAccepted', 'status': 'True'},
                                      {'type': 'Established', 'status': established}]}}


DAEMONSET = {
    'metadata': {'name': 'kube-multus-ds', 'namespace': 'kube-system'},
    'spec': {'template': {'spec': {
        'initContainers': [{'name': 'install-multus-binary', 'image': MULTUS}],
        'containers': [{'name': 'kube-multus', 'image': MULTUS}],
    }}},
    'status': {'desiredNumberScheduled': 3, 'updatedNumberScheduled': 3, 'numberReady': 2},
}


def test_rolled_out_daemonset_with_its_crd():
    assert daemonset_status([DAEMONSET], [crd(NAD)]) == {
        'crd_established': True,
        'crds_present': [NAD],
        'crds_established': [NAD],
        'daemonset_present': True,
        'images': [MULTUS],
        'desired': 3,
        'updated': 3,
        'ready': 2,
    }


@pytest.mark.parametrize('daemonsets', [[], [{}], [None]])
def test_absent_daemonset_and_no_crd(daemonsets):
    assert daemonset_status(daemonsets) == {
        'crd_established': False,
        'crds_present': [],
        'crds_established': [],
        'daemonset_present': False,
        'images': [],
        'desired': 0,
        'updated': 0,
        'ready': 0,
    }


def test_only_the_first_daemonset_counts():
    other = {'metadata': {'name': 'other'}, 'status': {'numberReady': 9}}
    assert daemonset_status([DAEMONSET, other])['ready'] == 2


def test_daemonset_without_status_or_template():
    assert daemonset_status([{'metadata': {'name': 'x'}, 'spec': None}]) == {
        'crd_established': False,
        'crds_present': [],
        'crds_established': [],
        'daemonset_present': True,
        'images': [],
        'desired': 0,
        'updated': 0,
        'ready': 0,
    }


def test_crds_in_order_some_not_established():
    crds = [crd('ippools.whereabouts.cni.cncf.io'), crd('overlappingrangeipreservations.whereabouts.cni.cncf.io', 'False'),
            {'metadata': {'name': 'nodeslicepools.whereabouts.cni.cncf.io'}}]
    result = daemonset_status([DAEMONSET], crds)
    assert result['crds_present'] == ['ippools.whereabouts.cni.cncf.io',
                                      'overlappingrangeipreservations.whereabouts.cni.cncf.io',
                                      'nodeslicepools.whereabouts.cni.cncf.io']
    assert result['crds_established'] == ['ippools.whereabouts.cni.cncf.io']
    assert result['crd_established'] is False


def test_every_crd_established():
    assert daemonset_status([], [crd('a'), crd('b')])['crd_established'] is True


@pytest.mark.parametrize('value, established', [
    (crd('a'), True),
    (crd('a', 'False'), False),
    (crd('a', True), False),  # the API server writes the string "True"
    ({'status': {'conditions': [{'type': 'NamesAccepted', 'status': 'True'}]}}, False),
    ({'status': {'conditions': None}}, False),
    ({'status': None}, False),
    ({}, False),
    (None, False),
])
def test_crd_is_established(value, established):
    assert crd_is_established(value) is established


def test_images_of_containers_then_init_containers_each_once():
    ds = {'spec': {'template': {'spec': {
        'containers': [{'image': 'a:1'}, {'image': 'b:1'}, {'image': 'a:1'}],
        'initContainers': [{'image': 'c:1'}, {'image': 'b:1'}],
    }}}}
    assert daemonset_images(ds) == ['a:1', 'b:1', 'c:1']
    assert daemonset_images(ds, init_containers=False) == ['a:1', 'b:1']


def test_images_that_differ_only_in_case_count_once():
    ds = {'spec': {'template': {'spec': {'containers': [{'image': 'a:V1'}, {'image': 'a:v1'}]}}}}
    assert daemonset_images(ds) == ['a:V1']


@pytest.mark.parametrize('value, number', [
    (3, 3), ('4', 4), ('2.7', 2), (None, 0), ('', 0), ('many', 0), ([1], 0), (True, 1),
])
def test_count(value, number):
    assert count(value) == number


def test_counters_that_are_not_numbers_are_zero():
    status = {'desiredNumberScheduled': '3', 'updatedNumberScheduled': None, 'numberReady': 'n/a'}
    ds = {'metadata': {'name': 'x'}, 'status': status}
    result = daemonset_status([ds])
    assert (result['desired'], result['updated'], result['ready']) == (3, 0, 0)
