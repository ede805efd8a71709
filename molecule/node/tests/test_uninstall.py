# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The uninstall playbook on the lab nodes (it runs last: it undoes the converge).

Check mode must report the removals and change nothing; the real run must leave no
Multus file and no binary the collection installed, and keep Cilium's files; a
second run changes nothing.
"""

from __future__ import annotations

import pytest
from labtools import REPO, SNAPSHOT, in_node, recap, run

NODES = ("node1", "node2")
INSTALLED = ("/opt/cni/bin/ipvlan", "/opt/cni/bin/macvlan", "/opt/cni/bin/host-local", "/opt/cni/bin/tuning")
MULTUS_FILES = ("/etc/cni/multus", "/etc/cni/net.d/00-multus.conf", "/etc/cni/net.d/multus.d", "/opt/cni/bin/multus")
CILIUM = "sha256sum /opt/cni/bin/cilium-cni /opt/cni/bin/loopback /etc/cni/net.d/05-cilium.conflist"


@pytest.fixture(scope="module", name="uninstall")
def fixture_uninstall(request):
    inventory = request.config.getoption("ansible_inventory")
    return lambda *extra: run(["ansible-playbook", "-i", inventory, str(REPO / "playbooks" / "uninstall.yml"), *extra])


def test_uninstall(uninstall):
    before = {node: in_node(node, SNAPSHOT) for node in NODES}
    cilium = {node: in_node(node, CILIUM) for node in NODES}

    check = uninstall("--check", "--diff")
    assert check.returncode == 0, check.stdout[-3000:]
    for node in NODES:
        assert recap(check.stdout, node)["changed"] > 0
        assert in_node(node, SNAPSHOT) == before[node], f"check mode changed {node}"

    real = uninstall()
    assert real.returncode == 0, real.stdout[-3000:]
    for node in NODES:
        assert recap(real.stdout, node)["changed"] == recap(check.stdout, node)["changed"], "check mode mispredicted"
        left = in_node(node, f"ls -d {' '.join(INSTALLED + MULTUS_FILES)} 2>/dev/null || true").split()
        assert not left, f"uninstall left {left} on {node}"
        assert in_node(node, CILIUM) == cilium[node], f"uninstall touched Cilium's files on {node}"

    again = uninstall()
    assert again.returncode == 0
    for node in NODES:
        assert recap(again.stdout, node)["changed"] == 0
