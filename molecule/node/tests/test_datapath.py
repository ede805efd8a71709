# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Run lab/datapath_check.py on every worker of the inventory (on the controller)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testinfra.utils.ansible_runner import AnsibleRunner

REPO = Path(__file__).resolve().parents[3]


def test_datapath(request):
    """Pods get addresses from their node's range, have the route, and ping over net1."""
    inventory = request.config.getoption("ansible_inventory")
    nodes = AnsibleRunner(inventory).get_hosts("multus_workers")
    assert len(nodes) >= 2, f"the data-path check wants two nodes, the inventory has {nodes}"
    proc = subprocess.run([sys.executable, str(REPO / "lab" / "datapath_check.py"), *nodes],
                          capture_output=True, text=True, timeout=600, check=False)
    print(proc.stdout)
    print(proc.stderr, file=sys.stderr)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 failed" in proc.stdout
