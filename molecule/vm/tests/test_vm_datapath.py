# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""lab/datapath_check.py --vms: the seed's ipvlan l3 end to end on the VM workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testinfra.utils.ansible_runner import AnsibleRunner

REPO = Path(__file__).resolve().parents[3]


def test_ipvlan_l3_datapath(request):
    """Pods on both VMs get net1 from their node's declared range, ping across the VPC; ipvlan l3 PASSED."""
    inventory = request.config.getoption("ansible_inventory")
    nodes = AnsibleRunner(inventory).get_hosts("multus_workers")
    assert len(nodes) >= 2, f"the data-path check wants two VMs, the inventory has {nodes}"
    proc = subprocess.run([sys.executable, str(REPO / "lab" / "datapath_check.py"), "--vms", *nodes],
                          capture_output=True, text=True, timeout=900, check=False)
    print(proc.stdout)
    print(proc.stderr, file=sys.stderr)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ipvlan l3: PASSED" in proc.stdout.splitlines()
    assert "0 failed, 0 not run" in proc.stdout
    assert "gets none" in proc.stdout and "no IP addresses available" in proc.stdout
