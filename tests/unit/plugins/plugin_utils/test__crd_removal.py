# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_crd_removal.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._crd_removal import crd_removal

NAD_CRD = ['network-attachment-definitions.k8s.cni.cncf.io']
POOL_CRDS = ['overlappingrangeipreservations.whereabouts.cni.cncf.io', 'ippools.whereabouts.cni.cncf.io']


def nad(namespace, name):
    return {'kind': 'NetworkAttachmentDefinition', 'metadata': {'namespace': namespace, 'name': name}, 'spec': {'config': '{}'}}


def pool(name, cidr, allocations=None):
    return {'kind': 'IPPool', 'metadata': {'namespace': 'kube-system', 'name': name},
            'spec': {'range': cidr, 'allocations': allocations or {}}}


def test_nothing_left_deletes():
    assert crd_removal([], 'when_unused', NAD_CRD) == {
        'delete': True, 'blocking': [],
        'message': 'deleting CRD network-attachment-definitions.k8s.cni.cncf.io: no object of its kind is left'}


def test_only_our_own_objects_left_deletes():
    # Check mode: our NADs are still there because nothing was deleted yet.
    decision = crd_removal([nad('default', 'ipvlan-conf-1')], 'when_unused', NAD_CRD, owned_names=['default/ipvlan-conf-1'])
    assert decision['delete'] is True
    assert decision['blocking'] == []


def test_foreign_nad_keeps_the_crd_and_is_named():
    decision = crd_removal([nad('team-a', 'storage-net'), nad('default', 'ipvlan-conf-1')], 'when_unused', NAD_CRD,
                           owned_names=['default/ipvlan-conf-1'], variable='multus_remove_crd')
    assert decision['delete'] is False
    assert decision['blocking'] == ['NetworkAttachmentDefinition team-a/storage-net (not installed by multihome.multus)']
    assert decision['message'] == (
        'kept CRD network-attachment-definitions.k8s.cni.cncf.io: deleting it would delete NetworkAttachmentDefinition '
        'team-a/storage-net (not installed by multihome.multus). Remove those first, or set multus_remove_crd=always '
        'to delete them with it')


def test_same_name_in_another_namespace_is_foreign():
    decision = crd_removal([nad('team-b', 'ipvlan-conf-1')], 'when_unused', NAD_CRD, owned_names=['default/ipvlan-conf-1'])
    assert decision['blocking'] == ['NetworkAttachmentDefinition team-b/ipvlan-conf-1 (not installed by multihome.multus)']


def test_our_empty_pool_does_not_block():
    decision = crd_removal([pool('198.19.8.0-24', '198.19.8.0/24')], 'when_unused', POOL_CRDS, owned_ranges=['198.19.8.0/24'])
    assert decision['delete'] is True


def test_our_pool_in_use_blocks():
    allocations = {'5': {'id': 'abc', 'podref': 'team-a/db-0'}, '6': {'id': 'def', 'podref': 'team-a/db-1'}}
    decision = crd_removal([pool('198.19.8.0-24', '198.19.8.0/24', allocations)], 'when_unused', POOL_CRDS,
                           owned_ranges=['198.19.8.0/24'])
    assert decision['delete'] is False
    assert decision['blocking'] == ['IPPool kube-system/198.19.8.0-24 (holds 2 allocations)']


def test_reservation_blocks_and_message_lists_crds_sorted():
    reservation = {'kind': 'OverlappingRangeIPReservation', 'metadata': {'namespace': 'kube-system', 'name': '198.19.8.5'},
                   'spec': {'podref': 'team-a/db-0'}}
    decision = crd_removal([reservation], 'when_unused', POOL_CRDS)
    assert decision['blocking'] == ['OverlappingRangeIPReservation kube-system/198.19.8.5 (reserves an address)']
    assert decision['message'].startswith('kept CRD ippools.whereabouts.cni.cncf.io, '
                                          'overlappingrangeipreservations.whereabouts.cni.cncf.io: ')


def test_cluster_scoped_identity_has_no_namespace():
    decision = crd_removal([{'kind': 'Thing', 'metadata': {'name': 'x'}}], 'when_unused', ['things.example.org'],
                           owned_names=['x'])
    assert decision['delete'] is True


def test_always_deletes_and_names_the_loss():
    decision = crd_removal([nad('team-a', 'storage-net')], 'always', NAD_CRD, variable='multus_remove_crd')
    assert decision['delete'] is True
    assert decision['message'] == (
        'deleting CRD network-attachment-definitions.k8s.cni.cncf.io: multus_remove_crd=always; deleted with it: '
        'NetworkAttachmentDefinition team-a/storage-net (not installed by multihome.multus)')


def test_never_keeps_even_when_empty():
    decision = crd_removal([], 'never', NAD_CRD, variable='multus_remove_crd')
    assert decision == {'delete': False, 'blocking': [],
                        'message': 'kept CRD network-attachment-definitions.k8s.cni.cncf.io: multus_remove_crd=never'}


@pytest.mark.parametrize('policy', ['true', 'True', '', 'when-unused'])
def test_unknown_policy_is_refused(policy):
    with pytest.raises(ValueError, match="multus_remove_crd must be one of when_unused, always, never"):
        crd_removal([], policy, NAD_CRD, variable='multus_remove_crd')


def test_no_crd_names_is_refused():
    with pytest.raises(ValueError, match='no CRD names'):
        crd_removal([], 'when_unused', [])


def test_non_mapping_object_is_refused():
    with pytest.raises(TypeError, match='mappings'):
        crd_removal(['default/x'], 'when_unused', NAD_CRD)
