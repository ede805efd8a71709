# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Drift test behind the ``multihome.multus.k8s_drift`` filter.

Standard library only; no Ansible imports.

An object is up to date when every field the wanted definition sets holds the
same value in the live object. Fields the live object has on top (status,
server defaults, metadata the API server adds) are not drift. Lists are
compared item by item and must have the same length, because the API server
keeps list order and a shorter list means a removed item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _path(parent: str, key: object) -> str:
    return f'{parent}.{key}' if parent else str(key)


def _walk(wanted: object, live: object, path: str, out: list[str]) -> None:
    if isinstance(wanted, Mapping):
        if not isinstance(live, Mapping):
            out.append(path or '.')
            return
        for key, value in wanted.items():
            if key not in live:
                # An empty value the API server drops (annotations: {}) is no drift.
                if value not in (None, {}, []):
                    out.append(_path(path, key))
                continue
            _walk(value, live[key], _path(path, key), out)
    elif _is_list(wanted):
        if not _is_list(live) or len(wanted) != len(live):
            out.append(path or '.')
            return
        for index, (item, live_item) in enumerate(zip(wanted, live)):
            _walk(item, live_item, f'{path}[{index}]', out)
    elif isinstance(wanted, bool) != isinstance(live, bool) or wanted != live:
        # 1 == True in Python, but not in a manifest. Beyond that no exact type
        # test: Ansible hands over str and dict subclasses.
        out.append(path or '.')


def k8s_drift(wanted: object, live: object) -> list[str]:
    """Return the dotted paths where ``live`` differs from ``wanted``; empty when up to date.

    ``live`` None (the object does not exist) is drift at the root, ``'.'``.
    Raises TypeError when ``wanted`` is not a mapping.
    """
    if not isinstance(wanted, Mapping):
        raise TypeError(f'the wanted definition must be a dict, got {type(wanted).__name__}')
    if live is None:
        return ['.']
    out: list[str] = []
    _walk(wanted, live, '', out)
    return out


def k8s_drift_results(results: object, loop_var: str = 'item') -> list[dict]:
    """Pair each definition of a ``k8s_info`` loop with its drift: ``[{'definition', 'paths', 'api_found'}]``, in loop order.

    ``results`` are the ``results`` of ``k8s_info`` looped over the wanted
    definitions, each carrying its definition under ``loop_var`` and the live
    object (if any) as the first of its ``resources``. ``api_found`` is false
    when the API server does not serve the kind yet (a CRD that an earlier step
    of the same run creates, not created in check mode). Raises TypeError for
    results that are not a list of dicts or a definition that is not a dict,
    ValueError for a result without ``loop_var``.
    """
    if not _is_list(results):
        raise TypeError(f'the k8s_info results must be a list, got {type(results).__name__}')
    drift = []
    for index, result in enumerate(results):
        if not isinstance(result, Mapping):
            raise TypeError(f'k8s_info result {index} must be a dict, got {type(result).__name__}')
        if loop_var not in result:
            raise ValueError(f'k8s_info result {index} has no loop variable {loop_var!r}; pass the loop_var of the loop')
        definition = result[loop_var]
        resources = result.get('resources')
        live = resources[0] if _is_list(resources) and resources else None
        drift.append({
            'definition': definition,
            'paths': k8s_drift(definition, live),
            'api_found': result.get('api_found') is not False,
        })
    return drift
