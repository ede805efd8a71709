# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Detection behind the ``multihome.multus.k8s_managers`` filter.

Helm (label ``app.kubernetes.io/managed-by: Helm`` or annotation
``meta.helm.sh/release-name``) and the addon manager (label or annotation
``addonmanager.kubernetes.io/mode``) put an object back as they know it on
their next upgrade or reconcile loop, which undoes a change made by hand.
Standard library only; no Ansible imports.
"""

from __future__ import annotations

from collections.abc import Mapping

HELM_LABEL = 'app.kubernetes.io/managed-by'
HELM_RELEASE = 'meta.helm.sh/release-name'
ADDON_MODE = 'addonmanager.kubernetes.io/mode'


def _mapping(value: object) -> Mapping:
    """``value`` when it is a non-empty dict, else an empty one."""
    return value if isinstance(value, Mapping) and value else {}


def object_managers(kind: str, obj: object, namespace: str) -> list[str]:
    """Sentences naming who manages ``obj``, e.g. 'DaemonSet kube-system/cilium is managed by Helm (release cilium)'."""
    meta = _mapping(_mapping(obj).get('metadata'))
    labels = _mapping(meta.get('labels'))
    notes = _mapping(meta.get('annotations'))
    what = f"{kind} {namespace}/{meta['name'] if 'name' in meta else '?'}"
    found = []
    if labels.get(HELM_LABEL, '') == 'Helm' or HELM_RELEASE in notes:
        found.append(f"{what} is managed by Helm (release {notes.get(HELM_RELEASE, 'unknown')})")
    # The label wins over the annotation, even when it is empty.
    mode = labels[ADDON_MODE] if ADDON_MODE in labels else notes.get(ADDON_MODE, '')
    if mode is not None and str(mode):
        found.append(f'{what} is managed by the addon manager (mode {mode})')
    return found


def k8s_managers(objects: Mapping, namespace: str) -> list[str]:
    """Who manages each object of ``objects`` (kind -> object, in order); empty when nobody does.

    An absent object ({} or None) has no manager. Raises TypeError when
    ``objects`` is not a mapping.
    """
    if not isinstance(objects, Mapping):
        raise TypeError(f'expected a dict of kind -> object, got {objects!r}')
    found: list[str] = []
    for kind, obj in objects.items():
        found += object_managers(str(kind), obj, namespace)
    return found
