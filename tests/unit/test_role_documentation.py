# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""One reference per role (meta/argument_specs.yml) and one prose page (docs/roles/<role>.md).

Every variable of defaults/main.yml is in the argument spec with a type, a
description and the same default (a default built from other defaults is
compared with them filled in; one computed from the inventory or the
environment has no ``default`` key and its description says what it is).
The prose pages restate no variable table, roles/<role>/README.md is a
pointer to the page, the playbook variables are documented in docs/, and the
relative links of the documentation lead to files that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
ROLES = sorted(path.name for path in (REPO / 'roles').iterdir() if path.is_dir())
SIMPLE = re.compile(r'\{\{\s*(\w+)\s*\}\}')


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding='utf-8'))


def specs(role: str) -> dict:
    return load(REPO / 'roles' / role / 'meta' / 'argument_specs.yml')['argument_specs']


def defaults(role: str) -> dict:
    return load(REPO / 'roles' / role / 'defaults' / 'main.yml') or {}


def resolved(value, known: dict):
    """``value`` with ``{{ name }}`` references to other defaults filled in; None when it needs more than that."""
    if isinstance(value, list):
        items = [resolved(item, known) for item in value]
        return None if any(item is None for item in items) else items
    if not isinstance(value, str) or '{{' not in value:
        return value
    filled = SIMPLE.sub(lambda found: str(known.get(found.group(1), found.group(0))), value)
    return None if '{{' in filled else filled


@pytest.mark.parametrize('role', ROLES)
def test_every_default_is_in_the_argument_spec(role):
    options = {name for entry in specs(role).values() for name in entry.get('options', {})}
    assert set(defaults(role)) == options


@pytest.mark.parametrize('role', ROLES)
def test_every_option_has_a_type_a_description_and_the_real_default(role):
    values = defaults(role)
    for entry_point, entry in specs(role).items():
        assert entry.get('short_description'), f'{role} {entry_point}: no short_description'
        for name, option in entry.get('options', {}).items():
            where = f'{role} {entry_point} {name}'
            assert option.get('type'), f'{where}: no type'
            assert option.get('description'), f'{where}: no description'
            expected = resolved(values[name], values)
            if expected is None:
                assert 'default' not in option, f'{where}: the default is computed, describe it instead'
                assert 'Default' in str(option['description']), f'{where}: the description must say the default'
            else:
                assert 'default' in option, f'{where}: no default (defaults/main.yml has {expected!r})'
                assert option['default'] == expected, f'{where}: {option["default"]!r} but defaults/main.yml has {expected!r}'


@pytest.mark.parametrize('role', ROLES)
def test_an_option_has_one_type_and_default_in_every_entry_point(role):
    seen: dict = {}
    for entry_point, entry in specs(role).items():
        for name, option in entry.get('options', {}).items():
            # The description may say what the option does in this entry point; the rest is the same.
            kept = {key: value for key, value in option.items() if key != 'description'}
            assert seen.setdefault(name, kept) == kept, f'{role} {entry_point} {name} differs from another entry point'


@pytest.mark.parametrize('role', ROLES)
def test_one_prose_page_and_a_pointer(role):
    page = (REPO / 'docs' / 'roles' / f'{role}.md').read_text(encoding='utf-8')
    assert f'ansible-doc -t role multihome.multus.{role}' in page
    restated = re.findall(rf'^\|\s*`{role}_\w+`', page, re.M)
    assert not restated, f'docs/roles/{role}.md restates variables of the argument spec in a table: {restated}'
    readme = (REPO / 'roles' / role / 'README.md').read_text(encoding='utf-8').strip()
    assert len(readme.splitlines()) == 1 and f'../../docs/roles/{role}.md' in readme


def test_playbook_variables_are_documented():
    used, internal = set(), set()
    for playbook in (REPO / 'playbooks').rglob('*.yml'):
        text = playbook.read_text(encoding='utf-8')
        # Registered results and the playbooks' own computed values are not inputs.
        internal |= set(re.findall(r'register:\s*(multihome_multus_\w+)', text))
        internal |= set(re.findall(r'^\s*(multihome_multus_\w+):', text, re.M))
        used |= set(re.findall(r'\bmultihome_multus_\w+', text))
    # An input that tasks/cluster_access.yml settles (to the file it found, or empty).
    internal.discard('multihome_multus_kubeconfig')
    used -= internal
    page = (REPO / 'docs' / 'playbooks.md').read_text(encoding='utf-8')
    documented = set(re.findall(r'^\| `(multihome_multus_\w+)` \| \w+ \| [^|]+ \| [^|]+ \|$', page, re.M))
    assert used == {'multihome_multus_kubeconfig', 'multihome_multus_context', 'multihome_multus_verify',
                    'multihome_multus_host', 'multihome_multus_api_key', 'multihome_multus_username',
                    'multihome_multus_password', 'multihome_multus_client_cert', 'multihome_multus_client_key',
                    'multihome_multus_ca_cert', 'multihome_multus_validate_certs'}
    assert documented == used


DOCS = [REPO / 'README.md', *sorted((REPO / 'docs').rglob('*.md')), *sorted((REPO / 'roles').glob('*/README.md'))]


@pytest.mark.parametrize('doc', DOCS, ids=lambda path: str(path.relative_to(REPO)))
def test_relative_links_lead_somewhere(doc):
    text = doc.read_text(encoding='utf-8')
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'^[a-z]+:', target):
            continue
        path, anchor = (target.split('#', maxsplit=1) + [''])[:2]
        found = (doc.parent / path).resolve() if path else doc
        assert found.exists(), f'{doc.relative_to(REPO)} links to {target}, which does not exist'
        if anchor and found.suffix == '.md':
            headings = {re.sub(r'[^\w\- ]', '', h).strip().lower().replace(' ', '-')
                        for h in re.findall(r'^#+ (.*)$', found.read_text(encoding='utf-8'), re.M)}
            assert anchor in headings, f'{doc.relative_to(REPO)} links to {target}: no such heading'
