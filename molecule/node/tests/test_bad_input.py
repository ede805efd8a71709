# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Bad input fails before anything changes, with a message naming the host, the variable and the fix.

Each case reruns site.yml on the converged node1 with one wrong setting and checks
that the run fails, that its message says what the operator must know, and that
nothing on the node changed.
"""

from __future__ import annotations

import json

import pytest
from labtools import SITE, SNAPSHOT, in_node, run

NODE = "node1"
GOOD_NAD = {"name": "macvlan-net1", "namespace": "default", "plugin": "macvlan", "mode": "bridge",
            "master": "eth1", "ipam": "per_node"}


def nads(**change) -> dict:
    return {"network_attachments_list": [dict(GOOD_NAD, **change)]}


CASES = {
    "missing NIC": ({"secondary_nic_name": "eth9"}, ["node1", "eth9", "secondary_nic_name", "does not exist"]),
    "NIC name with a slash": ({"secondary_nic_name": "eth/1"}, ["node1", "secondary_nic_name", "not a valid interface name"]),
    "non-contiguous secondaries": (
        {"secondary_nic_addresses": ["198.19.0.101/24", "198.19.0.102/24", "198.19.0.104/24"]},
        ["node1", "198.19.0.103", "secondary_nic_addresses"]),
    "secondary outside the subnet": (
        {"secondary_nic_addresses": ["198.19.1.101", "198.19.1.102"], "secondary_nic_subnet": "198.19.0.0/24"},
        ["node1", "198.19.1.101", "outside"]),
    "invalid subnet": (
        {"secondary_nic_addresses": ["198.19.0.101"], "secondary_nic_subnet": "198.19.0.0/33"},
        ["node1", "198.19.0.0/33"]),
    # The OS of a lab node holds its secondaries: a declaration must name the same ones.
    "declared addresses disagree with the NIC": (
        {"secondary_nic_addresses": ["198.19.0.113/24", "198.19.0.114/24", "198.19.0.115/24", "198.19.0.116/24"]},
        ["node1", "eth1", "declared but not held by the NIC: 198.19.0.113", "held by the NIC but not declared: 198.19.0.101",
         "secondary_nic_addresses", "Nothing was changed"]),
    "unknown plugin": (nads(plugin="vxlan"), ["node1", "macvlan-net1", "plugin", "vxlan"]),
    "mode of another plugin": (nads(mode="l3"), ["node1", "macvlan-net1", "mode", "l3"]),
    "unknown IPAM mode": (nads(ipam="dhcp"), ["node1", "ipam", "dhcp"]),
    "NAD name not a Kubernetes name": (nads(name="Macvlan_Net1"), ["node1", "Macvlan_Net1", "Kubernetes name"]),
    "master NIC with a colon": (nads(master="eth1:0"), ["node1", "master", "eth1:0"]),
    "unknown plugin binary": ({"cni_plugins_binaries": ["macvlan", "flannel"]}, ["node1", "cni_plugins_binaries", "flannel"]),
    "version without a checksum": ({"cni_plugins_version": "0.0.1"}, ["node1", "cni_plugins_version=0.0.1", "cni_plugins_checksums"]),
}


@pytest.fixture(scope="module", name="baseline")
def fixture_baseline():
    return in_node(NODE, SNAPSHOT)


def site(inventory: str, extra_vars: dict, tmp_path, *more: str):
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(extra_vars))
    return run(["ansible-playbook", "-i", inventory, str(SITE), "--limit", NODE, "-e", f"@{path}", *more])


def check_failed_cleanly(proc, words, baseline):
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, "the run should have failed"
    for word in words:
        assert word in output, f"the failure does not mention {word!r}"
    assert in_node(NODE, SNAPSHOT) == baseline, "the failed run changed the node"


@pytest.mark.parametrize("case", CASES)
def test_bad_setting_fails_before_changing_anything(request, tmp_path, baseline, case):
    extra_vars, words = CASES[case]
    proc = site(request.config.getoption("ansible_inventory"), extra_vars, tmp_path)
    check_failed_cleanly(proc, words, baseline)


def test_nic_down(request, tmp_path, baseline):
    in_node(NODE, "ip link set eth1 down")
    try:
        proc = site(request.config.getoption("ansible_inventory"), {}, tmp_path)
    finally:
        in_node(NODE, "ip link set eth1 up")
    check_failed_cleanly(proc, ["node1", "eth1", "DOWN"], baseline)


def test_unreachable_mirror(request, tmp_path, baseline):
    # A fresh controller cache, so the archive must really be fetched; port 9 on loopback is closed.
    settings = {"cni_plugins_mirror_url": "http://127.0.0.1:9", "cni_plugins_cache_dir": str(tmp_path / "cache")}
    proc = site(request.config.getoption("ansible_inventory"), settings, tmp_path)
    check_failed_cleanly(proc, ["node1", "nothing was installed", "http://127.0.0.1:9", "cni_plugins_mirror_url"], baseline)


def test_checksum_mismatch(request, tmp_path, baseline):
    settings = {"cni_plugins_checksums": {"1.1.1": {"amd64": "0" * 64}}, "cni_plugins_cache_dir": str(tmp_path / "cache")}
    proc = site(request.config.getoption("ansible_inventory"), settings, tmp_path)
    check_failed_cleanly(proc, ["node1", "nothing was installed", "checksum", "cni_plugins_checksums"], baseline)


def test_missing_kubeconfig(tmp_path):
    inventory = tmp_path / "controller.yml"
    controller = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    inventory.write_text(json.dumps({"multus_controller": {"hosts": {"localhost": controller}}}))
    proc = run(["ansible-playbook", "-i", str(inventory), str(SITE),
                "-e", f"multihome_multus_kubeconfig={tmp_path / 'no-such-kubeconfig'}"])
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for word in ("localhost", "no kubeconfig", "no-such-kubeconfig", "multihome_multus_kubeconfig"):
        assert word in output, f"the failure does not mention {word!r}"
