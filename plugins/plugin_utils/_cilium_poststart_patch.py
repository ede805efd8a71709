# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Plan behind the ``multihome.multus.cilium_poststart_patch`` filter.

Before Cilium 1.14, CNI-exclusive mode is an argument of the agent container's
postStart exec command, for example
``["/cni-install.sh", "--enable-debug=false", "--cni-exclusive=true"]`` or a
shell string such as ``["bash", "-c", "/cni-install.sh --cni-exclusive=true"]``.
This module plans the RFC 6902 JSON patch that sets it. Standard library only;
no Ansible imports.

The argument is searched for, never taken from a fixed index; cni-install.sh
lets the last occurrence win, so every occurrence is patched. Each change is
preceded by a ``test`` of the old value, so a concurrent edit fails the patch
instead of being overwritten. A command that cannot be patched is reported in
the plan's ``error``, not raised: the caller decides how to fail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

FLAG = '--cni-exclusive'
# The argument inside an element: group 1 the blank before it (or the start),
# group 2 the flag with '=', group 3 its value.
ARG_RE = re.compile(r'(^|\s)(--cni-exclusive=)(\S*)')
# Everything up to and including the first cni-install.sh of an element.
SCRIPT_RE = re.compile(r'^([\s\S]*?cni-install[.]sh)')
SCRIPT_AT_END_RE = re.compile(r'cni-install[.]sh$')
SCRIPT_ANYWHERE_RE = re.compile(r'cni-install[.]sh')


def command_path(container_index: int) -> str:
    """JSON pointer of the postStart exec command of the container at ``container_index``."""
    return f'/spec/template/spec/containers/{container_index}/lifecycle/postStart/exec/command'


def _field(value: object, key: str, empty: object) -> object:
    """``value[key]``, or ``empty`` when value is no dict or the field is missing or empty."""
    if not isinstance(value, Mapping):
        return empty
    return value.get(key) or empty


def _poststart_command(container: Mapping) -> object:
    exec_ = _field(_field(_field(container, 'lifecycle', {}), 'postStart', {}), 'exec', {})
    return _field(exec_, 'command', [])


def _agent(daemonset: object, container_name: str) -> tuple[int, object]:
    """Index and postStart command of the first container named ``container_name``; (-1, []) if none."""
    pod = _field(_field(_field(daemonset, 'spec', {}), 'template', {}), 'spec', {})
    containers = _field(pod, 'containers', [])
    if isinstance(containers, Sequence) and not isinstance(containers, (str, bytes)):
        for index, container in enumerate(containers):
            if isinstance(container, Mapping) and container.get('name') == container_name:
                return index, _poststart_command(container)
    return -1, []


def _truth(value: str) -> str:
    return 'true' if value.lower() == 'true' else 'false'


def _find_arguments(command: list, desired: str) -> tuple[list[dict], str, str]:
    """Every element carrying the argument: (matches, current value, error)."""
    matches: list[dict] = []
    current = 'true'  # cni-install.sh is exclusive unless told otherwise
    error = ''
    for index, arg in enumerate(command):
        text = str(arg)
        if text == FLAG:
            if index == len(command) - 1:
                error = f'argument {FLAG} at index {index} has no value after it'
            else:
                # Separate-value form: "--cni-exclusive" "true".
                value = str(command[index + 1])
                current = _truth(value.strip())
                matches.append({'index': index + 1, 'old': value, 'new': desired})
        else:
            found = ARG_RE.search(text)
            if found:
                current = _truth(found.group(3))
                new = ARG_RE.sub(r'\g<1>\g<2>' + desired, text)
                matches.append({'index': index, 'old': text, 'new': new})
    return matches, current, error


def _add_argument(command: list, path: str, container_name: str, desired: str) -> tuple[list[dict], list[dict], str]:
    """The argument is absent: add it to cni-install.sh. Returns (patch, matches, error)."""
    argument = f'{FLAG}={desired}'
    if SCRIPT_AT_END_RE.search(str(command[0])):
        patch = [{'op': 'test', 'path': path, 'value': command},
                 {'op': 'add', 'path': path + '/-', 'value': argument}]
        return patch, [{'index': len(command), 'old': None, 'new': argument}], ''
    for index, arg in enumerate(command):
        if SCRIPT_ANYWHERE_RE.search(str(arg)):
            old = str(arg)
            new = SCRIPT_RE.sub(r'\g<1> ' + argument, old)
            patch = [{'op': 'test', 'path': f'{path}/{index}', 'value': old},
                     {'op': 'replace', 'path': f'{path}/{index}', 'value': new}]
            return patch, [{'index': index, 'old': old, 'new': new}], ''
    return [], [], (f'the postStart command of container {container_name} neither carries {FLAG} '
                    'nor runs cni-install.sh')


def cilium_poststart_patch(daemonset: object, container_name: str, enabled: bool) -> dict:
    """Plan the JSON patch that sets ``--cni-exclusive=`` in the agent's postStart command.

    ``daemonset`` is the Cilium DaemonSet object (None or {} when there is none),
    ``container_name`` the agent container's name, ``enabled`` the wanted mode.
    Returns a dict with
    ``container_index`` (-1: no such container), ``command_path`` (JSON pointer
    of the command, '' without container), ``matches`` ([{index, old, new}] for
    every element carrying the argument), ``current`` and ``desired``
    ('true'/'false'), ``patch_needed``, ``patch`` (RFC 6902 operations, a
    ``test`` before each change) and ``error`` ('' unless the command cannot be
    patched; then ``patch`` is empty).
    """
    desired = 'true' if enabled else 'false'
    container_index, command = _agent(daemonset, container_name)
    path = command_path(container_index)
    matches: list[dict] = []
    current = 'true'
    patch: list[dict] = []
    error = ''
    if container_index < 0:
        error = f'the DaemonSet has no container named {container_name}'
    elif not command:
        error = f'container {container_name} has no postStart exec command'
    elif isinstance(command, (str, bytes)) or not isinstance(command, Sequence):
        error = f'the postStart exec command of container {container_name} is not a list: {command!r}'
    else:
        command = list(command)
        matches, current, error = _find_arguments(command, desired)
        if not error and matches:
            for match in matches:
                if match['old'] != match['new']:
                    where = f"{path}/{match['index']}"
                    patch += [{'op': 'test', 'path': where, 'value': match['old']},
                              {'op': 'replace', 'path': where, 'value': match['new']}]
        elif not error and desired != current:
            patch, matches, error = _add_argument(command, path, container_name, desired)
    return {
        'container_index': container_index,
        'command_path': path if container_index >= 0 else '',
        'matches': matches,
        'current': current,
        'desired': desired,
        'patch_needed': not error and len(patch) > 0,
        'patch': patch if not error else [],
        'error': error,
    }
