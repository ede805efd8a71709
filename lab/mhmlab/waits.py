# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Bounded waits: at most STEPS polls, STEP seconds apart (10 s), or polls until a deadline; each probe quick by itself."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

STEPS = 50
STEP = 0.2


def until(what: str, probe: Callable[[], object], *, steps: int = STEPS, step: float = STEP,
          sleep: Callable[[float], None] = time.sleep, prog: str = 'mhmlab') -> bool:
    """Poll ``probe`` until it returns a true value; False (and a line on stderr) when it never does."""
    for _step in range(steps):
        if probe():
            return True
        sleep(step)
    print(f'{prog}: timed out waiting for {what}', file=sys.stderr)
    return False


def within(what: str, probe: Callable[[], object], seconds: float, *, step: float = 1.0,
           clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
           prog: str = 'mhmlab') -> bool:
    """Poll ``probe`` until it returns a true value or ``seconds`` have passed (each probe limits its own time)."""
    deadline = clock() + seconds
    while not probe():
        if clock() >= deadline:
            print(f'{prog}: timed out after {seconds:g}s waiting for {what}', file=sys.stderr)
            return False
        sleep(step)
    return True
