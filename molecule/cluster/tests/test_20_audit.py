# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""API requests of the converge and of the idempotence run, from the audit log.

converge.yml marks the log before and after each run (converge, then
Molecule's idempotence run). The tables go into the test output. The rerun
must be read-only: no create, update, patch or delete request at all.
"""

from __future__ import annotations

from clustertools import audit_counts, marked_runs, writes_by_verb


def test_audit_counts():
    marked = marked_runs()
    assert len(marked) == 2, "expected the converge and the idempotence run"
    converge = audit_counts("converge", *marked[0])
    rerun = audit_counts("idempotent rerun", *marked[1])
    print(f"writes by verb: converge {writes_by_verb(converge)}, idempotent rerun {writes_by_verb(rerun)}")
    assert converge["users"] == ["mhm-admin"]
    assert writes_by_verb(converge).get("create", 0) > 0, "the converge created nothing in the cluster"
    assert rerun["counted"] > 0, "the rerun did not even read the cluster"
    assert writes_by_verb(rerun) == {}, "the idempotent rerun wrote to the API server"
