# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Onboarding a worker added later: check mode first, then --limit new-worker.

Runs on the controller after the converged node1/node2 were verified:
``labctl add new-worker`` makes a fresh node; ``--check --diff`` must report
changes on it and change nothing; the real run with ``--limit new-worker`` must
give it its own range and leave the other workers alone; a second run changes
nothing; the data path works across all three. The new worker is removed again
at the end, also on failure.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys

import pytest
from labtools import LABCTL, REPO, SNAPSHOT, in_node, recap, run

NEW = "new-worker"
OTHERS = ("node1", "node2")
ATTACHMENT = "macvlan-net1"


@pytest.fixture(scope="module", name="playbook")
def fixture_playbook(request):
    """A runner of playbooks/site.yml on the lab inventory plus new-worker, with new-worker up."""
    inventory = request.config.getoption("ansible_inventory")
    base = ["ansible-playbook", "-i", inventory, "-i", str(REPO / "inventories" / "lab" / "new-worker.cfg"),
            str(REPO / "playbooks" / "site.yml"), "--limit", NEW]
    proc = run([str(LABCTL), "add", NEW], timeout=300)
    assert proc.returncode == 0, proc.stderr
    try:
        yield lambda *extra: run(base + list(extra))
    finally:
        run([str(LABCTL), "remove", NEW], timeout=300)


def test_onboarding(playbook):
    """Check mode tells and touches nothing; the real run onboards only new-worker."""
    fresh = in_node(NEW, SNAPSHOT)
    others_before = {node: in_node(node, SNAPSHOT) for node in OTHERS}

    check = playbook("--check", "--diff")
    assert check.returncode == 0, check.stdout[-3000:]
    counters = recap(check.stdout, NEW)
    assert counters["changed"] > 0, "check mode on a fresh node must report changes"
    assert counters["failed"] == 0
    assert in_node(NEW, SNAPSHOT) == fresh, "check mode changed files on the node"

    first = playbook()
    assert first.returncode == 0, first.stdout[-3000:]
    assert recap(first.stdout, NEW)["changed"] > 0
    for node in OTHERS:
        assert not re.search(rf"^{node}\s+:", first.stdout, re.MULTILINE), f"--limit {NEW} ran on {node}"
        assert in_node(node, SNAPSHOT) == others_before[node], f"--limit {NEW} changed {node}"

    second = playbook()
    assert second.returncode == 0, second.stdout[-3000:]
    assert recap(second.stdout, NEW)["changed"] == 0, "second run on new-worker changed something"

    links = json.loads(in_node(NEW, "ip -j -4 addr show dev eth1"))
    secondaries = sorted(ipaddress.ip_address(a["local"]) for a in links[0]["addr_info"] if a.get("secondary"))
    conf = json.loads(in_node(NEW, f"cat /etc/cni/multus/net.d/{ATTACHMENT}.conf"))
    assert (conf["ipam"]["rangeStart"], conf["ipam"]["rangeEnd"]) == (str(secondaries[0]), str(secondaries[-1]))

    datapath = run([sys.executable, str(REPO / "lab" / "datapath_check.py"), *OTHERS, NEW])
    assert datapath.returncode == 0, datapath.stdout + datapath.stderr
