# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Fault drill: SSH to node2 dies while the node play writes on the nodes.

node2 starts bare (no plugins, no record, no per-node config), site.yml runs
with its output streamed, and when the play reaches the task named by the case
(or, between two plugins, as soon as the first one is copied) the lab cuts
node2's SSH: in node2's network namespace every packet to port 22
is answered with a TCP reset, so the open connection dies and new ones are
refused, as when a worker's sshd or network goes away. The run must fail naming
node2 unreachable and leave nothing half-written on node2 (read through the
node's namespaces, not over SSH). Then SSH comes back, site.yml converges and a
rerun changes nothing. SSH always comes back, also when a check fails.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
import yaml
from labtools import LABCTL, PLAN, REPO, SITE, in_node, recap, run, run_with_fault

NODE = "node2"
INVENTORY = str(REPO / "inventories" / "lab" / "hosts.yml")
NODES = ("node1", "node2")
PLUGINS = ("ipvlan", "macvlan", "host-local", "tuning")
BIN_DIR = "/opt/cni/bin"
CONFIG = "/etc/cni/multus/net.d/macvlan-net1.conf"
RECORD = "/var/lib/cni/multihome-multus/cni-plugins.yml"
# The same rule switches SSH off (-I) and on again (-D).
RULE = ["INPUT", "-p", "tcp", "--dport", "22", "-j", "REJECT", "--reject-with", "tcp-reset"]
# Where to cut: at the n-th line with this task banner (the role's include of its
# config tasks has the same name as the copy inside it), or between two plugins:
# once the first one is on the node, which the record must then name.
CUTS = {
    "plugins": ("TASK [multihome.multus.cni_plugins : Install the plugins that differ]", 1),
    "between-plugins": (f"changed: [{NODE}] => (item=ipvlan)", 1),
    "configs": ("TASK [multihome.multus.network_attachments : Write the per-node network configs]", 2),
}


def member_sums() -> dict[str, str]:
    """sha256 of the plugins in the archive the lab mirror serves."""
    (archive,) = sorted(Path(PLAN.paths.mirror_dir).glob("cni-plugins-linux-*-v*.tgz"))
    with tarfile.open(archive, "r:gz") as tar:
        return {name: hashlib.sha256(tar.extractfile(f"./{name}").read()).hexdigest() for name in PLUGINS}


def enter_node() -> list[str]:
    """nsenter into node2's namespaces, as labctl exec does; resolved once, so the cut comes within
    milliseconds, and usable while SSH is cut (labctl exec refuses a node whose sshd does not answer)."""
    proc = run([str(LABCTL), "env", NODE], timeout=60)
    assert proc.returncode == 0, proc.stderr
    env = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    return ["nsenter", "--target", env["MHM_PID"], "--mount", "--net", "--uts"]


def in_node2(enter: list[str], command: str) -> str:
    """Output of a shell command run inside node2, also while its SSH is cut."""
    proc = run([*enter, "sh", "-c", command], timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def ssh_rule(enter: list[str], action: str) -> subprocess.CompletedProcess:
    return subprocess.run([*enter, "iptables", action, *RULE], capture_output=True, text=True, timeout=30, check=False)


def plugin_sums(enter: list[str]) -> dict[str, str]:
    """sha256 of the selected plugins present on node2."""
    listing = in_node2(enter, f"cd {BIN_DIR} && for f in {' '.join(PLUGINS)}; do [ -e $f ] && sha256sum $f; done; true")
    return {name: digest for digest, name in (line.split() for line in listing.splitlines())}


def assert_nothing_half_written(sums: dict[str, str], enter: list[str]) -> dict[str, object]:
    """What the cut left on node2, each piece whole or absent."""
    leftovers = in_node2(enter, "find /etc/cni /opt/cni /var/lib/cni -xdev -name '*ansible*'").split()
    assert not leftovers, f"Ansible's temporary files left on {NODE}: {leftovers}"
    found = plugin_sums(enter)
    for name, digest in found.items():
        assert digest == sums[name], f"{NODE}: {BIN_DIR}/{name} is neither absent nor the archive's binary"
    config = in_node2(enter, f"cat {CONFIG} 2>/dev/null; true")
    if config:
        parsed = json.loads(config)
        assert parsed["name"] == "macvlan-net1" and parsed["ipam"]["type"] == "host-local", parsed
    record_text = in_node2(enter, f"cat {RECORD} 2>/dev/null; true")
    record = yaml.safe_load(record_text)["record"] if record_text else {"installed": [], "replaced": []}
    unrecorded = set(found) - set(record["installed"]) - set(record["replaced"])
    assert not unrecorded, f"{NODE}: plugins on disk that the record does not name: {unrecorded} (record {record})"
    return {"plugins": sorted(found), "config": bool(config), "record": record}


@pytest.mark.parametrize("where", CUTS)
def test_ssh_cut_leaves_nothing_half_written(where):
    sums = member_sums()
    enter = enter_node()
    converged = False
    try:
        # node2 as a fresh worker: everything the node play writes is still to be written.
        in_node(NODE, f"cd {BIN_DIR} && rm -f {' '.join(PLUGINS)}; rm -rf {RECORD.rsplit('/', 1)[0]} {CONFIG.rsplit('/', 1)[0]}")

        def cut():
            done = ssh_rule(enter, "-I")
            assert done.returncode == 0, done.stderr

        started = time.monotonic()
        cut_run, cut_at = run_with_fault(["ansible-playbook", "-i", INVENTORY, str(SITE)], *CUTS[where], cut, limit=600)
        took = time.monotonic() - started
        output = cut_run.stdout
        assert cut_at is not None, f"the play never reached {CUTS[where]!r}"
        left = assert_nothing_half_written(sums, enter)
        if where == "between-plugins":
            assert "ipvlan" in left["plugins"], f"the cut came before the first plugin was copied: {left}"
        print(f"drill ({where}): SSH cut at {cut_at:.1f} s, run ended at {took:.1f} s; on {NODE}: {left}")
        assert recap(output, NODE)["unreachable"] >= 1, "node2 not reported unreachable"
        assert f"fatal: [{NODE}]: UNREACHABLE!" in output

        restored = ssh_rule(enter, "-D")
        assert restored.returncode == 0, restored.stderr
        repair = run(["ansible-playbook", "-i", INVENTORY, str(SITE)])
        assert repair.returncode == 0, repair.stdout[-3000:]
        converged = True
        again = run(["ansible-playbook", "-i", INVENTORY, str(SITE)])
        assert again.returncode == 0, again.stdout[-3000:]
        for host in NODES:
            assert recap(again.stdout, host)["changed"] == 0, f"second run changed {host}"
        assert plugin_sums(enter) == sums
        assert json.loads(in_node(NODE, f"cat {CONFIG}"))["name"] == "macvlan-net1"
    finally:
        for _attempt in range(5):
            if ssh_rule(enter, "-D").returncode:
                break
        if not converged:
            run(["ansible-playbook", "-i", INVENTORY, str(SITE)])
