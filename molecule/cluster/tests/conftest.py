# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Makes the node scenario's helpers (molecule/node/tests/labtools.py) importable here."""

from __future__ import annotations

import sys
from pathlib import Path

NODE_TESTS = Path(__file__).resolve().parents[2] / "node" / "tests"
if str(NODE_TESTS) not in sys.path:
    sys.path.insert(0, str(NODE_TESTS))
