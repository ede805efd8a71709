# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The command behind the ``multihome.multus.helm_upgrade_command`` filter.

An object that Helm manages (``_k8s_managers.HELM_LABEL`` or ``HELM_RELEASE``)
goes back to the release's values at the next ``helm upgrade``; a lasting
change is made through Helm. The release, its namespace and the chart with its
version come from the object: annotations ``meta.helm.sh/release-name`` and
``meta.helm.sh/release-namespace``, label ``helm.sh/chart`` (``<chart>-<version>``).
The version is pinned so that the upgrade changes the values only, never the chart.
Standard library only; no Ansible imports.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from ._k8s_managers import HELM_LABEL, HELM_RELEASE

HELM_NAMESPACE = 'meta.helm.sh/release-namespace'
HELM_CHART = 'helm.sh/chart'
_CHART = re.compile(r'^(?P<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)-(?P<version>v?[0-9]+\.[0-9]+\.[0-9]+\S*)$')


def _mapping(value: object) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def helm_upgrade_command(obj: object, namespace: str, values: Mapping, repo: str = 'cilium') -> str:
    """``helm upgrade`` with ``--reuse-values`` and ``--set`` of ``values`` for the release of ``obj``; '' when Helm does not manage it.

    Without a release annotation the release is named after the chart; without
    a chart label the chart is ``repo``/``repo`` and no version is pinned.
    Raises TypeError when ``values`` is not a non-empty mapping.
    """
    if not isinstance(values, Mapping) or not values:
        raise TypeError(f'values must be a non-empty dict of Helm value -> value, got {values!r}')
    meta = _mapping(_mapping(obj).get('metadata'))
    labels, notes = _mapping(meta.get('labels')), _mapping(meta.get('annotations'))
    if labels.get(HELM_LABEL) != 'Helm' and HELM_RELEASE not in notes:
        return ''
    chart = _CHART.match(str(labels.get(HELM_CHART, '')))
    name = chart.group('name') if chart else repo
    release = str(notes.get(HELM_RELEASE) or name)
    words = ['helm', 'upgrade', release, f'{repo}/{name}', '--namespace', str(notes.get(HELM_NAMESPACE) or namespace)]
    if chart:
        words += ['--version', chart.group('version')]
    words.append('--reuse-values')
    for key, value in values.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        words += ['--set', f'{key}={text}']
    return shlex.join(words)
