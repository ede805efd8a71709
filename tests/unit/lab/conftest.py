# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Make the lab's package ``mhmlab`` (lab/mhmlab) importable, as ``PYTHONPATH=lab`` does for the bash tools."""

from __future__ import annotations

import sys
from pathlib import Path

LAB = Path(__file__).resolve().parents[3] / 'lab'
if str(LAB) not in sys.path:
    sys.path.insert(0, str(LAB))
