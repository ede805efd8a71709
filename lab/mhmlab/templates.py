# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Config files of the lab, rendered from ``mhmlab/templates/`` with string.Template (stdlib only).

YAML templates end in ``.in``: a ``${key}`` inside a flow collection is no YAML until rendered.
"""

from __future__ import annotations

import string
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / 'templates'


def render(template: str, **values: object) -> str:
    """The template file ``template`` with every ``${key}`` replaced; a missing key raises KeyError."""
    return string.Template((TEMPLATES / template).read_text(encoding='utf-8')).substitute(
        {key: str(value) for key, value in values.items()})
