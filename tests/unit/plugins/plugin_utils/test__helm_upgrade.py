# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_helm_upgrade.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._helm_upgrade import helm_upgrade_command

OFF = {'cni.exclusive': False}


def obj(labels=None, annotations=None):
    return {'metadata': {'name': 'cilium-config', 'namespace': 'kube-system', 'labels': labels or {},
                         'annotations': annotations or {}}}


def test_not_managed_by_helm():
    assert helm_upgrade_command(obj(labels={'app.kubernetes.io/part-of': 'cilium'}), 'kube-system', OFF) == ''
    assert helm_upgrade_command({}, 'kube-system', OFF) == ''
    assert helm_upgrade_command(None, 'kube-system', OFF) == ''


def test_helm_release_chart_and_version_from_the_object():
    managed = obj(labels={'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'cilium-1.18.6'},
                  annotations={'meta.helm.sh/release-name': 'cni', 'meta.helm.sh/release-namespace': 'cilium-system'})
    assert helm_upgrade_command(managed, 'kube-system', OFF) == (
        'helm upgrade cni cilium/cilium --namespace cilium-system --version 1.18.6 --reuse-values --set cni.exclusive=false')


def test_label_only_names_the_release_after_the_chart_and_pins_no_unknown_version():
    assert helm_upgrade_command(obj(labels={'app.kubernetes.io/managed-by': 'Helm'}), 'kube-system', {'cni.exclusive': 'true'}) == (
        'helm upgrade cilium cilium/cilium --namespace kube-system --reuse-values --set cni.exclusive=true')


def test_annotation_alone_is_helm_and_odd_words_are_quoted():
    managed = obj(annotations={'meta.helm.sh/release-name': 'my release'})
    assert helm_upgrade_command(managed, 'kube-system', OFF, repo='mirror') == (
        "helm upgrade 'my release' mirror/mirror --namespace kube-system --reuse-values --set cni.exclusive=false")


def test_values_must_be_given():
    with pytest.raises(TypeError):
        helm_upgrade_command(obj(), 'kube-system', {})
