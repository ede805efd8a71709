# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""API requests of the converge and of the idempotence run, from the audit log.

converge.yml marks the log before and after each run (converge, then
Molecule's idempotence run). The tables go into the test output. The rerun
must be read-only: no create, update, patch or delete request at all.
"""

from __future__ import annotations

from clustertools import MARKS, audit_counts, writes_by_verb


def runs() -> list[tuple[int, int]]:
    """(start, end) offsets of each converge.yml run, in order."""
    lines = [line.split() for line in MARKS.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = [label for label, _offset in lines]
    assert labels == ["start", "end"] * (len(lines) // 2) and labels, f"unexpected marks {labels}"
    offsets = [int(offset) for _label, offset in lines]
    return list(zip(offsets[::2], offsets[1::2]))


def test_audit_counts():
    marked = runs()
    assert len(marked) == 2, "expected the converge and the idempotence run"
    converge = audit_counts("converge", *marked[0])
    rerun = audit_counts("idempotent rerun", *marked[1])
    print(f"writes by verb: converge {writes_by_verb(converge)}, idempotent rerun {writes_by_verb(rerun)}")
    assert converge["users"] == ["mhm-admin"]
    assert writes_by_verb(converge).get("create", 0) > 0, "the converge created nothing in the cluster"
    assert rerun["counted"] > 0, "the rerun did not even read the cluster"
    assert writes_by_verb(rerun) == {}, "the idempotent rerun wrote to the API server"
