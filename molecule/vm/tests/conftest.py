# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Fixtures of the VM scenario's tests (helpers in vmtools.py)."""

from __future__ import annotations

import pytest
from vmtools import Sandboxes


@pytest.fixture(name="sandboxes")
def fixture_sandboxes(request):
    """Pods of the test module's ATTACHMENT; all of them go at the end, also on failure."""
    made = Sandboxes(request.module.ATTACHMENT)
    try:
        yield made
    finally:
        made.remove_all()
