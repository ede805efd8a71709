# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Onboarding a worker added later: check mode first, then --limit new-worker.

Runs on the controller after the converged node1/node2 were verified:
``labctl add new-worker`` makes a fresh node; ``--check --diff`` must report
changes on it and change nothing; the real run with ``--limit new-worker`` must
give it its own range and leave the other workers alone; a second run changes
nothing; the data path works across all three. The new worker comes with a
host-local of its own (as a distribution's package would leave it): the
uninstall of new-worker puts that one back, byte for byte, and removes only the
plugins the collection added. The new worker is removed again at the end, also
on failure.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re

import pytest
from labtools import LABCTL, REPO, SITE, SNAPSHOT, datapath_check, in_node, recap, run

NEW = "new-worker"
OTHERS = ("node1", "node2")
ATTACHMENT = "macvlan-net1"
DISTRO_HOST_LOCAL = "#!/bin/sh\n# host-local of the distribution, there before multihome.multus\nexit 0\n"
PLUGINS = "/opt/cni/bin"


@pytest.fixture(scope="module", name="playbook")
def fixture_playbook(request):
    """A runner of a playbook (site.yml by default) on the lab inventory plus new-worker, limited to new-worker, with new-worker up."""
    inventory = request.config.getoption("ansible_inventory")
    base = ["ansible-playbook", "-i", inventory, "-i", str(REPO / "inventories" / "lab" / "new-worker.cfg"), "--limit", NEW]
    proc = run([str(LABCTL), "add", NEW], timeout=300)
    assert proc.returncode == 0, proc.stderr
    try:
        in_node(NEW, f"printf '{DISTRO_HOST_LOCAL}' > {PLUGINS}/host-local && chmod 0755 {PLUGINS}/host-local")
        yield lambda *extra, play=SITE: run(base + [str(play), *extra])
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

    code, out = datapath_check(*OTHERS, NEW)
    assert code == 0, out


def test_uninstall_puts_back_the_plugin_that_was_there(playbook):
    """The node's own host-local comes back byte for byte; only the plugins the collection added go."""
    original = hashlib.sha256(DISTRO_HOST_LOCAL.encode()).hexdigest()

    def host_local() -> str:
        return in_node(NEW, f"sha256sum {PLUGINS}/host-local").split()[0]

    assert host_local() != original, "onboarding did not install its host-local"

    real = playbook(play=REPO / "playbooks" / "uninstall.yml")
    assert real.returncode == 0, real.stdout[-3000:]
    assert recap(real.stdout, NEW)["changed"] > 0
    assert host_local() == original, "uninstall did not put the node's host-local back"
    assert in_node(NEW, f"stat -c %a {PLUGINS}/host-local").strip() == "755"
    left = in_node(NEW, f"ls -d {PLUGINS}/ipvlan {PLUGINS}/macvlan /var/lib/cni/multihome-multus 2>/dev/null || true").split()
    assert not left, f"uninstall left {left} on {NEW}"

    again = playbook(play=REPO / "playbooks" / "uninstall.yml")
    assert again.returncode == 0, again.stdout[-3000:]
    assert recap(again.stdout, NEW)["changed"] == 0, "second uninstall on new-worker changed something"
    assert host_local() == original
