# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Run the lab's data-path check (mhmlab.datapath) on every worker of the inventory (on the controller)."""

from __future__ import annotations

from labtools import datapath_check
from testinfra.utils.ansible_runner import AnsibleRunner


def test_datapath(request):
    """Pods get addresses from their node's range, have the route, and ping over net1."""
    inventory = request.config.getoption("ansible_inventory")
    nodes = AnsibleRunner(inventory).get_hosts("multus_workers")
    assert len(nodes) >= 2, f"the data-path check wants two nodes, the inventory has {nodes}"
    code, out = datapath_check(*nodes)
    assert code == 0, out
    assert "0 failed" in out
