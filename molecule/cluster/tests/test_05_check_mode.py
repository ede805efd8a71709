# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""`site.yml --check --diff` on the fresh cluster (prepare.yml) against the converge that followed it.

The check run must end without a failure, send no write to the API server,
and announce exactly the changes the converge then made
(callback_plugins/changed_tasks.py records both runs).
"""

from __future__ import annotations

import json
import re

from clustertools import CACHE, audit_counts, marked_runs, writes_by_verb

CHECK_LOG = CACHE / "cluster" / "check-run.log"
CHANGED_LOG = CACHE / "cluster" / "changed-tasks.jsonl"

# Check mode reports these in place of the real run's task of the same item:
# objects whose kind or namespace an earlier step creates, and verification pods
# that need the attachment this run creates.
STAND_INS = {
    "multihome.multus.k8s_objects : Report the objects that would be created (check mode)":
        ("multihome.multus.k8s_objects : Apply the objects that differ", "{item}: new"),
    "multihome.multus.verification : Say what check mode leaves to the real run":
        ("multihome.multus.verification : Create the pods that are not reused", "{item}"),
}


def check_run_and_converge() -> tuple[set, set]:
    """Changed (host, task, item) of the check run and of the first real run after it."""
    records = [json.loads(line) for line in CHANGED_LOG.read_text(encoding="utf-8").splitlines() if line.strip()]
    first_check = next(index for index, record in enumerate(records) if record["check"])
    assert records[first_check]["playbook"] == "site.yml", records[first_check]
    converge = next(record for record in records[first_check + 1:] if record["playbook"] == "converge.yml")
    assert not converge["check"]
    return {tuple(entry) for entry in records[first_check]["changed"]}, {tuple(entry) for entry in converge["changed"]}


def as_real_run(entry: tuple[str, str, str]) -> tuple[str, str, str]:
    host, task, item = entry
    if task in STAND_INS:
        real_task, real_item = STAND_INS[task]
        return host, real_task, real_item.format(item=item)
    return entry


def test_check_run_ends_without_failure():
    log = CHECK_LOG.read_text(encoding="utf-8")
    assert log.rstrip().endswith("rc=0"), log[-3000:]
    recap = re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+).*failed=(\d+)", log, re.MULTILINE)
    assert {host for host, _changed, _failed in recap} == {"localhost", "node1", "node2"}, recap
    assert all(failed == "0" for _host, _changed, failed in recap), recap
    assert "would create NetworkAttachmentDefinition default/macvlan-net1" in log


def test_check_run_sends_no_write():
    (start, end), = marked_runs("check-")
    counts = audit_counts("site.yml --check --diff on the fresh cluster", start, end)
    assert counts["counted"] > 0, "the check run did not even read the cluster"
    assert writes_by_verb(counts) == {}, "check mode wrote to the API server"


def test_converge_changes_what_check_mode_announced():
    announced, changed = check_run_and_converge()
    assert changed, "the converge after the check run changed nothing: the cluster was not fresh"
    predicted = {as_real_run(entry) for entry in announced}
    assert predicted - changed == set(), f"announced by check mode, not changed by the converge: {sorted(predicted - changed)}"
    assert changed - predicted == set(), f"changed by the converge, not announced by check mode: {sorted(changed - predicted)}"
