# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Node-side state after converging on the VM workers.

Expected values come from the lab (the plan's assigned secondary IPs and eth1
primaries, the plugins archive `vms up` wrote), never from the roles under test.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "lab"))
from mhmlab import plan as lab_plan  # noqa: E402  pylint: disable=wrong-import-position

PLAN = lab_plan.from_env()
# The ssh backend with the ssh_config `vms up` writes: the inventory's key path is a template, which
# testinfra's ansible backend does not render.
testinfra_hosts = [f"ssh://{vm.name}?ssh_config={PLAN.paths.vm_state}/ssh_config" for vm in PLAN.vm.vms]
ATTACHMENT = "ipvlan-conf-1"
PLUGINS = ("ipvlan", "macvlan", "host-local", "tuning")


@pytest.fixture(scope="module", name="member_sums")
def fixture_member_sums() -> dict[str, str]:
    """sha256 of every file of the archive the inventory installs, by name."""
    archive = Path(PLAN.paths.vm_state) / PLAN.versions.cni_archive("amd64")
    served = archive.with_name(f"{archive.name}.sha256").read_text(encoding="utf-8").split()
    assert served == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name.removeprefix("./"): hashlib.sha256(tar.extractfile(m).read()).hexdigest()
                for m in tar.getmembers() if m.isfile()}


def vm_of(host) -> lab_plan.Vm:
    return PLAN.vm.vm(host.backend.get_hostname())


def test_real_kernel_with_ipvlan(host):
    """The guest runs Debian's kernel (not the host's) with ipvlan loaded."""
    release = host.check_output("uname -r")
    assert release.endswith("-amd64"), release
    assert host.run("grep -q '^ipvlan ' /proc/modules").rc == 0
    assert host.file(f"/lib/modules/{release}/kernel/ipvlan.ko").is_file


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugin_installed(host, member_sums, plugin):
    binary = host.file(f"/opt/cni/bin/{plugin}")
    assert binary.is_file
    assert binary.mode == 0o755
    assert binary.sha256sum == member_sums[plugin]


def test_eth1_holds_only_its_primary(host):
    """The guide's `ip a`: the secondary IPs are assigned in the VPC, not on the OS."""
    links = json.loads(host.check_output("ip -j addr show dev eth1"))
    held = [f"{a['local']}/{a['prefixlen']}" for link in links for a in link["addr_info"]]
    assert held == [str(vm_of(host).eth1)]


def test_per_node_file_holds_declared_range(host):
    """The seed's NAD, with this VM's assigned secondary IPs as the host-local range."""
    vm = vm_of(host)
    conf = json.loads(host.file(f"/etc/cni/multus/net.d/{ATTACHMENT}.conf").content_string)
    assert (conf["name"], conf["type"], conf["mode"], conf["master"]) == (ATTACHMENT, "ipvlan", "l3", "eth1")
    ipam = conf["ipam"]
    assert ipam["type"] == "host-local"
    assert ipaddress.ip_network(ipam["subnet"]) == PLAN.vm.network
    assert ipaddress.ip_address(ipam["rangeStart"]) == vm.secondaries[0].ip
    assert ipaddress.ip_address(ipam["rangeEnd"]) == vm.secondaries[-1].ip
    assert ipaddress.ip_address(ipam["gateway"]) == PLAN.vm.network[1]
