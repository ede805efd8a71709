# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Decision behind the ``multihome.multus.crd_removal`` filter.

Standard library only; no Ansible imports.

Deleting a CustomResourceDefinition deletes every object of its kind in the
whole cluster: other teams' NetworkAttachmentDefinitions, whereabouts IP pools
that still hold the addresses of running pods. An uninstall therefore deletes a
CRD only when nothing of that kind is left that the collection does not own,
unless the operator opts in.

An object blocks the deletion when it is
- foreign: neither its ``namespace/name`` nor its ``spec.range`` is among the
  owned ones, or
- in use: it holds allocations (a whereabouts ``IPPool`` or ``NodeSlicePool``
  with a non-empty ``spec.allocations``) or is itself a reservation of an
  address (whereabouts ``OverlappingRangeIPReservation``), whoever owns it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

POLICIES = ('when_unused', 'always', 'never')
RESERVATION_KINDS = frozenset({'OverlappingRangeIPReservation'})


def _identity(obj: Mapping) -> str:
    meta = obj.get('metadata') or {}
    namespace = meta.get('namespace')
    name = meta.get('name', '?')
    return f'{namespace}/{name}' if namespace else str(name)


def _blocker(obj: Mapping, owned_names: frozenset, owned_ranges: frozenset) -> str | None:
    """Why OBJ stops the deletion, or None when it does not."""
    kind = obj.get('kind', '?')
    spec = obj.get('spec') or {}
    if kind in RESERVATION_KINDS:
        return 'reserves an address'
    allocations = spec.get('allocations') or {}
    if allocations:
        count = len(allocations)
        return f'holds {count} allocation{"s" if count != 1 else ""}'
    if _identity(obj) in owned_names or (spec.get('range') and spec.get('range') in owned_ranges):
        return None
    return 'not installed by multihome.multus'


def crd_removal(objects: Iterable[Mapping], policy: str, crds: Iterable[str],
                owned_names: Iterable[str] = (), owned_ranges: Iterable[str] = (),
                variable: str = 'the removal policy') -> dict:
    """Decide whether CRDS may be deleted, given the live OBJECTS of their kinds.

    Returns ``{'delete': bool, 'blocking': [str], 'message': str}``. ``blocking``
    names every object that a deletion would destroy although it is not ours or
    still in use, as ``Kind namespace/name (reason)``.
    """
    if policy not in POLICIES:
        raise ValueError(f"{variable} must be one of {', '.join(POLICIES)}, got {policy!r}")
    crds = sorted(crds)
    if not crds:
        raise ValueError('no CRD names given')
    names, ranges = frozenset(owned_names), frozenset(owned_ranges)
    blocking = []
    for obj in objects:
        if not isinstance(obj, Mapping):
            raise TypeError(f'objects must be Kubernetes objects (mappings), got {obj!r}')
        reason = _blocker(obj, names, ranges)
        if reason:
            blocking.append(f"{obj.get('kind', '?')} {_identity(obj)} ({reason})")
    blocking.sort()
    what = ', '.join(crds)
    if policy == 'never':
        return {'delete': False, 'blocking': blocking, 'message': f'kept CRD {what}: {variable}=never'}
    if policy == 'always':
        lost = f'; deleted with it: {"; ".join(blocking)}' if blocking else ''
        return {'delete': True, 'blocking': blocking, 'message': f'deleting CRD {what}: {variable}=always{lost}'}
    if blocking:
        return {'delete': False, 'blocking': blocking,
                'message': (f'kept CRD {what}: deleting it would delete {"; ".join(blocking)}. '
                            f'Remove those first, or set {variable}=always to delete them with it')}
    return {'delete': True, 'blocking': [], 'message': f'deleting CRD {what}: no object of its kind is left'}
