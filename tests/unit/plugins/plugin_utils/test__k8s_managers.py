# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_k8s_managers.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._k8s_managers import k8s_managers, object_managers


def obj(name='cilium', labels=None, annotations=None):
    meta = {'name': name, 'namespace': 'kube-system'}
    if labels is not None:
        meta['labels'] = labels
    if annotations is not None:
        meta['annotations'] = annotations
    return {'metadata': meta}


def test_unmanaged_and_absent_objects_have_no_manager():
    assert k8s_managers({'DaemonSet': obj(labels={'k8s-app': 'cilium'}), 'ConfigMap': {}}, 'kube-system') == []
    assert k8s_managers({'DaemonSet': None, 'ConfigMap': 'x'}, 'kube-system') == []
    assert k8s_managers({}, 'kube-system') == []


def test_helm_and_addon_manager_in_the_given_order():
    helm = obj(labels={'app.kubernetes.io/managed-by': 'Helm'},
               annotations={'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system'})
    addon = obj('cilium-config', labels={'addonmanager.kubernetes.io/mode': 'Reconcile'})
    assert k8s_managers({'DaemonSet': helm, 'ConfigMap': addon}, 'kube-system') == [
        'DaemonSet kube-system/cilium is managed by Helm (release cilium)',
        'ConfigMap kube-system/cilium-config is managed by the addon manager (mode Reconcile)',
    ]


def test_helm_label_alone_has_an_unknown_release():
    assert object_managers('DaemonSet', obj(labels={'app.kubernetes.io/managed-by': 'Helm'}), 'kube-system') == [
        'DaemonSet kube-system/cilium is managed by Helm (release unknown)']


def test_helm_annotation_alone_is_enough():
    assert object_managers('DaemonSet', obj(annotations={'meta.helm.sh/release-name': 'c1'}), 'ns') == [
        'DaemonSet ns/cilium is managed by Helm (release c1)']


def test_another_manager_label_is_not_helm():
    assert object_managers('DaemonSet', obj(labels={'app.kubernetes.io/managed-by': 'argocd'}), 'ns') == []


def test_one_object_with_both_managers():
    both = obj(labels={'app.kubernetes.io/managed-by': 'Helm', 'addonmanager.kubernetes.io/mode': 'EnsureExists'})
    assert object_managers('ConfigMap', both, 'ns') == [
        'ConfigMap ns/cilium is managed by Helm (release unknown)',
        'ConfigMap ns/cilium is managed by the addon manager (mode EnsureExists)',
    ]


def test_addon_mode_annotation_counts_without_the_label():
    assert object_managers('ConfigMap', obj(annotations={'addonmanager.kubernetes.io/mode': 'Reconcile'}), 'ns') == [
        'ConfigMap ns/cilium is managed by the addon manager (mode Reconcile)']


def test_an_empty_addon_mode_label_wins_over_the_annotation():
    found = obj(labels={'addonmanager.kubernetes.io/mode': ''}, annotations={'addonmanager.kubernetes.io/mode': 'Reconcile'})
    assert object_managers('ConfigMap', found, 'ns') == []


def test_object_without_a_name():
    assert object_managers('DaemonSet', {'metadata': {'labels': {'addonmanager.kubernetes.io/mode': 'Reconcile'}}},
                           'kube-system') == ['DaemonSet kube-system/? is managed by the addon manager (mode Reconcile)']


@pytest.mark.parametrize('objects', [[obj()], 'DaemonSet', None])
def test_input_must_be_a_mapping(objects):
    with pytest.raises(TypeError, match='expected a dict of kind -> object'):
        k8s_managers(objects, 'ns')
