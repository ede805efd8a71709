# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Run the cluster-side roles' templates and pure task files through Ansible itself.

There is no API server in this lab, so the roles' Kubernetes manifests are
rendered with ``ansible.builtin.template`` (the same engine that
``kubernetes.core.k8s`` uses for ``template:``) and checked offline. Roles
that read the cluster run against ``fake_api/``, a stand-in kubernetes.core
whose modules answer from a script.

Each scenario is a host of a throw-away inventory: the roles' defaults (and
derived ``vars/main.yml``) go to ``group_vars/all``, below the scenario's own
``host_vars``, which is the precedence a role's defaults have against inventory
variables. One ``ansible-playbook`` run serves every scenario of a kind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Callable

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PLAYBOOKS = HERE / 'playbooks'
# A kubernetes.core whose k8s_info and k8s answer from a script: roles that talk to the cluster, offline.
FAKE_API = HERE / 'fake_api'
CACHE = Path(os.environ.get('MULTIHOME_CACHE', Path.home() / '.cache' / 'multihome-multus'))
ROLES = ('cilium_exclusive', 'multus', 'whereabouts')


def _ansible_playbook() -> str:
    local = Path(sys.executable).parent / 'ansible-playbook'
    if local.exists():
        return str(local)
    found = shutil.which('ansible-playbook')
    if not found:
        pytest.fail('ansible-playbook is not installed: run `make setup` first')
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault(
        'ANSIBLE_COLLECTIONS_PATH',
        f"{CACHE / 'collections'}:{sysconfig.get_paths()['purelib']}",
    )
    env['ANSIBLE_CONFIG'] = str(REPO / 'ansible.cfg')
    env['ANSIBLE_NOCOLOR'] = '1'
    env['ANSIBLE_LOCALHOST_WARNING'] = 'false'
    env['ANSIBLE_INVENTORY_UNPARSED_WARNING'] = 'false'
    env['ANSIBLE_RETRY_FILES_ENABLED'] = 'false'
    return env


def role_variables() -> dict[str, Any]:
    """Defaults and derived vars of the three roles, as a role would see them."""
    merged: dict[str, Any] = {}
    for role in ROLES:
        for part in ('defaults', 'vars'):
            path = REPO / 'roles' / role / part / 'main.yml'
            if path.exists():
                merged.update(yaml.safe_load(path.read_text(encoding='utf-8')) or {})
    return merged


def write_inventory(base: Path, hosts: dict[str, dict[str, Any]], with_defaults: bool) -> Path:
    """Inventory dir with one local host per scenario.

    ``with_defaults`` puts the roles' defaults in ``group_vars/all``, for task
    files and templates used outside their role; ``include_role`` brings them itself.
    """
    inv = base / 'inventory'
    (inv / 'group_vars' / 'all').mkdir(parents=True, exist_ok=True)
    (inv / 'host_vars').mkdir(exist_ok=True)
    if with_defaults:
        (inv / 'group_vars' / 'all' / 'roles.yml').write_text(yaml.safe_dump(role_variables()), encoding='utf-8')
    (inv / 'group_vars' / 'all' / 'connection.yml').write_text(
        yaml.safe_dump({'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}),
        encoding='utf-8',
    )
    # YAML, not hosts.ini: before 2.19 an inventory directory skips *.ini files (INVENTORY_IGNORE_EXTS).
    (inv / 'hosts.yml').write_text(
        yaml.safe_dump({'scenarios': {'hosts': {name: None for name in sorted(hosts)}}}), encoding='utf-8')
    for name, variables in hosts.items():
        # JSON is YAML: keeps every string (e.g. 'sha256:...') exactly as written.
        (inv / 'host_vars' / f'{name}.yml').write_text(json.dumps(variables), encoding='utf-8')
    return inv


def run_playbook(playbook: str, base: Path, hosts: dict[str, dict[str, Any]], out: Path, with_defaults: bool,
                 args: tuple[str, ...] = (), fake_api: bool = False) -> subprocess.CompletedProcess:
    inv = write_inventory(base, hosts, with_defaults)
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        _ansible_playbook(), '-i', str(inv), str(PLAYBOOKS / playbook),
        '-e', json.dumps({'out_dir': str(out), 'repo_dir': str(REPO)}),
        '--forks', '8', *args,
    ]
    env = _env()
    if fake_api:
        env['ANSIBLE_COLLECTIONS_PATH'] = f"{FAKE_API}:{env['ANSIBLE_COLLECTIONS_PATH']}"
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(name='ansible_runner', scope='session')
def fixture_ansible_runner(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., tuple[subprocess.CompletedProcess, Path]]:
    """Run one of this directory's playbooks over the given scenario hosts.

    ``fake_api`` puts the scripted kubernetes.core of ``fake_api/`` first on the
    collections path (each host names its script in the variable ``fake_api_script``).
    """

    def _run(playbook: str, hosts: dict[str, dict[str, Any]], with_defaults: bool = True,
             args: tuple[str, ...] = (), fake_api: bool = False) -> tuple[subprocess.CompletedProcess, Path]:
        base = tmp_path_factory.mktemp(Path(playbook).stem)
        out = base / 'out'
        return run_playbook(playbook, base, hosts, out, with_defaults, args, fake_api), out

    return _run


@pytest.fixture(name='ansible_doc', scope='session')
def fixture_ansible_doc() -> Callable[..., subprocess.CompletedProcess]:
    """Run ansible-doc (the one next to ansible-playbook) with the environment of the playbooks."""

    def _run(*args: str) -> subprocess.CompletedProcess:
        cmd = [str(Path(_ansible_playbook()).with_name('ansible-doc')), *args]
        return subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, check=False, timeout=600)

    return _run


@pytest.fixture(name='render', scope='session')
def fixture_render(ansible_runner) -> Callable[[dict[str, dict[str, Any]]], dict[str, dict[str, list[dict[str, Any]]]]]:
    """Render each scenario's templates; {scenario: {template name without .yml.j2: [YAML documents]}}."""

    def _render(scenarios: dict[str, dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        result, out = ansible_runner('render.yml', scenarios)
        assert result.returncode == 0, result.stdout + result.stderr
        texts = json.loads((out / 'rendered.json').read_text(encoding='utf-8'))
        assert sorted(texts) == sorted(scenarios)
        return {
            scenario: {name.removesuffix('.yml.j2'): [doc for doc in yaml.safe_load_all(text) if doc]
                       for name, text in templates.items()}
            for scenario, templates in texts.items()
        }

    return _render


KUBERNETES_VERSION = '1.34'


def _structural_problems(schema: dict[str, Any], where: str) -> list[str]:
    """apiextensions.k8s.io/v1 structural-schema rules the roles' CRDs rely on."""
    problems = []
    if 'type' not in schema and not schema.get('x-kubernetes-preserve-unknown-fields') \
            and not schema.get('x-kubernetes-int-or-string'):
        problems.append(f'{where}: no type')
    if 'properties' in schema and schema.get('type') != 'object':
        problems.append(f'{where}: properties on a non-object')
    if 'items' in schema and schema.get('type') != 'array':
        problems.append(f'{where}: items on a non-array')
    for name, sub in (schema.get('properties') or {}).items():
        problems += _structural_problems(sub, f'{where}.{name}')
    for key in ('items', 'additionalProperties'):
        if isinstance(schema.get(key), dict):
            problems += _structural_problems(schema[key], f'{where}[{key}]')
    for required in schema.get('required') or []:
        if required not in (schema.get('properties') or {}):
            problems.append(f'{where}: required {required!r} is not a property')
    return problems


def _check_crd(doc: dict[str, Any]) -> None:
    spec = doc['spec']
    names = spec['names']
    assert doc['metadata']['name'] == f"{names['plural']}.{spec['group']}"
    assert spec['scope'] in ('Namespaced', 'Cluster')
    assert names['plural'] == names['plural'].lower()
    assert names['kind'][:1].isupper()
    versions = spec['versions']
    assert [v['storage'] for v in versions].count(True) == 1, 'exactly one storage version'
    for version in versions:
        assert version['served'] is True
        schema = version['schema']['openAPIV3Schema']
        assert schema['type'] == 'object'
        assert set(schema['properties']) >= {'apiVersion', 'kind', 'metadata', 'spec'}
        assert _structural_problems(schema, f"{doc['metadata']['name']}/{version['name']}") == []


@pytest.fixture(name='check_manifest', scope='session')
def fixture_check_manifest() -> Callable[[dict[str, Any]], None]:
    """Validate one object against the Kubernetes OpenAPI schemas (strict); CRDs also structurally."""
    def _check(doc: dict[str, Any]) -> None:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        if doc.get('kind') == 'CustomResourceDefinition':
            _check_crd(doc)

    return _check
