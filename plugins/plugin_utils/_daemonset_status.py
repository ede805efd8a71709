# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Summary behind the ``multihome.multus.daemonset_status`` filter.

Summarises a DaemonSet and the CustomResourceDefinitions it serves, as read by
``kubernetes.core.k8s_info``, into the few values a role checks after a
rollout: is it there, which images it runs, how many pods are desired,
updated and ready, and which CRDs exist and are Established. Standard library
only; no Ansible imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _mapping(value: object) -> Mapping:
    """``value`` when it is a non-empty dict, else an empty one."""
    return value if isinstance(value, Mapping) and value else {}


def _items(value: object) -> list:
    """``value`` when it is a non-empty list, else an empty one."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and value:
        return list(value)
    return []


def count(value: object) -> int:
    """A status counter as an int; 0 when it is missing or not a number (like Jinja's ``int`` filter)."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        pass
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0


def crd_is_established(crd: object) -> bool:
    """Whether the CRD has the condition Established with status 'True'."""
    conditions = _items(_mapping(_mapping(crd).get('status')).get('conditions'))
    return any(_mapping(c).get('type') == 'Established' and _mapping(c).get('status') == 'True' for c in conditions)


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def daemonset_images(daemonset: object, init_containers: bool = True) -> list:
    """Images of the pod template's containers (then init containers), each once, in order.

    Images that differ only in case count once, the first one kept, as
    Ansible's ``unique`` filter did when the roles summarised in Jinja.
    """
    pod = _mapping(_mapping(_mapping(_mapping(daemonset).get('spec')).get('template')).get('spec'))
    containers = _items(pod.get('containers'))
    if init_containers:
        containers += _items(pod.get('initContainers'))
    images: list = []
    seen: list = []
    for container in containers:
        image = _mapping(container).get('image')
        if _fold(image) not in seen:
            seen.append(_fold(image))
            images.append(image)
    return images


def daemonset_status(daemonsets: object, crds: object = (), init_containers: bool = True) -> dict:
    """Summarise the DaemonSet that ``k8s_info`` found and the CRDs it serves.

    ``daemonsets`` is the ``resources`` list of ``k8s_info`` (the first one
    counts; none means absent), ``crds`` the CRD objects that were found.
    ``init_containers`` also lists the init containers' images.
    Returns ``daemonset_present``, ``images``, ``desired``, ``updated``,
    ``ready``, ``crds_present`` and ``crds_established`` (names, in the order
    given) and ``crd_established`` (at least one CRD, and all of them
    Established).
    """
    found = _items(daemonsets)
    daemonset = _mapping(found[0]) if found else {}
    status = _mapping(daemonset.get('status'))
    present: list = []
    established: list = []
    for crd in _items(crds):
        name = _mapping(_mapping(crd).get('metadata')).get('name')
        present.append(name)
        if crd_is_established(crd):
            established.append(name)
    return {
        'crd_established': len(present) > 0 and len(established) == len(present),
        'crds_present': present,
        'crds_established': established,
        'daemonset_present': len(daemonset) > 0,
        'images': daemonset_images(daemonset, init_containers),
        'desired': count(status.get('desiredNumberScheduled', 0)),
        'updated': count(status.get('updatedNumberScheduled', 0)),
        'ready': count(status.get('numberReady', 0)),
    }
