# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Every kubernetes.core task of the collection uses options that the installed kubernetes.core has.

``make matrix`` runs this against the oldest kubernetes.core the collection
declares (galaxy.yml), the main venv against the newest, so an option that
only a newer release knows fails here instead of on a user's cluster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]

TASK_KEYWORDS = {'block', 'rescue', 'always'}


def _tasks(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        yield node
        for key in ('tasks', 'pre_tasks', 'post_tasks', 'handlers', *TASK_KEYWORDS):
            if key in node:
                yield from _tasks(node[key])


def _uses() -> list[tuple[str, str, dict[str, Any]]]:
    """(file:task name, module, arguments) of every kubernetes.core task."""
    files = sorted(REPO.glob('roles/*/tasks/*.yml')) + sorted(REPO.glob('roles/*/handlers/*.yml')) \
        + sorted(REPO.glob('playbooks/*.yml'))
    uses = []
    for path in files:
        for task in _tasks(yaml.safe_load(path.read_text(encoding='utf-8'))):
            for key, args in task.items():
                if key.startswith('kubernetes.core.') and isinstance(args, dict):
                    uses.append((f"{path.relative_to(REPO)}: {task.get('name', '?')}", key, args))
    return uses


USES = _uses()


@pytest.fixture(name='module_docs', scope='module')
def fixture_module_docs(ansible_doc: Callable[..., Any]) -> dict[str, Any]:
    result = ansible_doc('-j', '-t', 'module', *sorted({use[1] for use in USES}))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_there_are_kubernetes_core_tasks() -> None:
    assert {use[1] for use in USES} >= {'kubernetes.core.k8s', 'kubernetes.core.k8s_info'}


@pytest.mark.parametrize('where,module,args', USES, ids=[f'{use[0]} ({use[1]})' for use in USES])
def test_options_exist(module_docs: dict[str, Any], where: str, module: str, args: dict[str, Any]) -> None:
    options = module_docs[module]['doc']['options']
    known = set(options)
    for spec in options.values():
        known.update(spec.get('aliases') or [])
    assert sorted(set(args) - known) == [], f'{where}: {module} has no such option'
