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
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LABCTL = REPO / "lab" / "labctl"
NEW = "new-worker"
OTHERS = ("node1", "node2")
ATTACHMENT = "macvlan-net1"
# Everything the node side may write on a node, with content hashes.
SNAPSHOT = ("find /opt/cni /etc/cni /var/lib/cni -xdev -printf '%p %M %u:%g %s\\n' | sort; "
            "find /opt/cni /etc/cni -xdev -type f -exec sha256sum {} + | sort")


def run(argv: list[str], timeout: int = 900) -> subprocess.CompletedProcess:
    """Run a controller command without colours, echoing its output into the test log."""
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    print(f"$ {' '.join(argv)}\n{proc.stdout}{proc.stderr}")
    return proc


def in_node(node: str, command: str) -> str:
    """Output of a shell command run inside a lab node."""
    proc = run([str(LABCTL), "exec", node, "sh", "-c", command], timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def recap(output: str, host: str) -> dict[str, int]:
    """Counters of one host from the PLAY RECAP."""
    match = re.search(rf"^{re.escape(host)}\s+:\s+(.*)$", output, re.MULTILINE)
    assert match, f"no recap line for {host}"
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


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
