# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Controller-side helpers shared by the node scenario's tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "lab"))
from mhmlab import datapath  # noqa: E402  pylint: disable=wrong-import-position
from mhmlab import plan as lab_plan  # noqa: E402  pylint: disable=wrong-import-position

# The lab's address plan, as the lab's tools compute it (MHM_LAB_MAX_NODES, MULTIHOME_CACHE).
PLAN = lab_plan.from_env()
LABCTL = REPO / "lab" / "labctl"
SITE = REPO / "playbooks" / "site.yml"
# Everything the node side may write on a node, with content hashes.
SNAPSHOT = ("find /opt/cni /etc/cni /var/lib/cni -xdev -printf '%p %M %u:%g %s\\n' | sort; "
            "find /opt/cni /etc/cni -xdev -type f -exec sha256sum {} + | sort")


def run(argv: list[str], timeout: int = 900) -> subprocess.CompletedProcess:
    """Run a controller command without colours, echoing its output into the test log."""
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    print(f"$ {' '.join(argv)}\n{proc.stdout}{proc.stderr}")
    return proc


def datapath_check(*args: str) -> tuple[int, str]:
    """The lab's data-path check (python -m mhmlab datapath ARGS), run here: its exit status and report, echoed."""
    print(f"$ python -m mhmlab datapath {' '.join(args)}")
    code, out = datapath.check(list(args))
    print(out)
    return code, out


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


def run_with_fault(argv: list[str], marker: str, occurrence: int, fault,
                   limit: int = 900) -> tuple[subprocess.CompletedProcess, float | None]:
    """Run a playbook with its output streamed; call FAULT() at its OCCURRENCE-th line containing MARKER.

    Returns the finished run and the second at which the fault came (None when the marker never came).
    """
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PY_COLORS="0", PYTHONUNBUFFERED="1")
    started = time.monotonic()
    fault_at, seen, lines = None, 0, []
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env) as proc:
        try:
            for line in proc.stdout:
                lines.append(line)
                seen += marker in line
                if fault_at is None and seen == occurrence:
                    fault()
                    fault_at = time.monotonic() - started
                assert time.monotonic() - started < limit, f"{argv} still running after {limit} s"
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=60)
    output = "".join(lines)
    print(f"$ {' '.join(argv)}\n{output}")
    return subprocess.CompletedProcess(argv, proc.returncode, output, ""), fault_at
