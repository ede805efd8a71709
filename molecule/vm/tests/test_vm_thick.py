# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""An installed cluster switched from thin Multus to thick and back with site.yml, pods attached after each switch.

The kubelet stand-in (vmtools) runs whatever DaemonSet the collection left:
thick is the real multus-daemon (with multus-shim on the node) built from the
same Multus module, in a cgroup holding the container's memory limit, so the
role's default limit meets the daemon's real appetite (multus-cni #1346,
#1160: OOM-killed daemons). The daemon's memory is printed for the role's docs.
"""

from __future__ import annotations

import json

import pytest
from vmtools import VM1, in_vm, run_daemonset, site, wait_for_files

ATTACHMENT = "ipvlan-conf-1"
MULTUS_CONF = "/etc/cni/net.d/00-multus.conf"
# The stand-in's cgroup of the DaemonSet's container (guestpod.py).
DAEMON_CGROUP = "/sys/fs/cgroup/mhm-kube-system_kube-multus-ds-kube-multus"
PODS = 3


def multus_conf_type() -> str:
    wait_for_files(VM1, MULTUS_CONF)
    return json.loads(in_vm(VM1, f"cat {MULTUS_CONF}").stdout)["type"]


def switch(flavor: str, now: dict) -> None:
    site("-e", f"multus_flavor={flavor}")
    now["flavor"] = flavor
    run_daemonset("kube-system", "kube-multus-ds")


@pytest.fixture(name="flavor")
def fixture_flavor():
    """The flavor the cluster runs; thin again at the end, also when the test fails."""
    now = {"flavor": "thin"}
    try:
        yield now
    finally:
        if now["flavor"] != "thin":
            switch("thin", now)


def test_thin_to_thick_and_back(flavor, sandboxes):
    switch("thick", flavor)
    assert multus_conf_type() == "multus-shim"
    assert in_vm(VM1, "test -x /opt/cni/bin/multus-shim", check=False).returncode == 0
    for number in range(PODS):
        assert sandboxes.attach(f"mhm-thick-{number}", VM1)
    events = dict(line.split() for line in in_vm(VM1, f"cat {DAEMON_CGROUP}/memory.events").stdout.splitlines())
    peak = in_vm(VM1, f"cat {DAEMON_CGROUP}/memory.peak {DAEMON_CGROUP}/memory.max").stdout.split()
    print(f"multus-daemon on {VM1.name} after {PODS} pods: cgroup memory.peak {peak[0]} bytes, memory.max {peak[1]}")
    assert events["oom_kill"] == "0", f"the thick daemon was OOM-killed under memory.max {peak[1]}: {events}"
    sandboxes.remove_all()
    switch("thin", flavor)
    assert multus_conf_type() == "multus"
    assert sandboxes.attach("mhm-thin-again", VM1)
