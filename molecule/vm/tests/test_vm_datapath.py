# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab's data-path check with --vms (mhmlab.datapath): the seed's ipvlan l3 end to end on the VM workers."""

from __future__ import annotations

import sys
from pathlib import Path

from testinfra.utils.ansible_runner import AnsibleRunner

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "lab"))
from mhmlab import datapath  # noqa: E402  pylint: disable=wrong-import-position


def test_ipvlan_l3_datapath(request):
    """Pods on both VMs get net1 from their node's declared range, ping across the VPC; ipvlan l3 PASSED."""
    inventory = request.config.getoption("ansible_inventory")
    nodes = AnsibleRunner(inventory).get_hosts("multus_workers")
    assert len(nodes) >= 2, f"the data-path check wants two VMs, the inventory has {nodes}"
    code, out = datapath.check(["--vms", *nodes])
    print(out)
    assert code == 0, out
    assert "ipvlan l3: PASSED" in out.splitlines()
    assert "0 failed, 0 not run" in out
    assert "gets none" in out and "no IP addresses available" in out
