# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""``python -m mhmlab`` (with lab/ on sys.path)."""

from __future__ import annotations

import sys

from mhmlab.cli import main

sys.exit(main())
