# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Node-side state after converging on the namespace lab.

Expected values come from the lab itself (the mirror archive, the checksums
recorded when the lab seeded Cilium's files, the addresses on eth1), never from
the roles under test.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import tarfile
from pathlib import Path

import pytest

testinfra_hosts = ["ansible://multus_workers"]

STATE = Path(os.environ.get("MULTIHOME_CACHE", Path.home() / ".cache" / "multihome-multus")) / "lab"
BIN_DIR = "/opt/cni/bin"
# Files the node had before the collection (labctl seeds them): Cilium's, and
# the loopback plugin the container runtime runs for every pod.
NODE_FILES = ("/opt/cni/bin/cilium-cni", "/opt/cni/bin/loopback", "/etc/cni/net.d/05-cilium.conflist")
# The default selection of plugins; the lab inventory does not change it.
PLUGINS = ("ipvlan", "macvlan", "host-local", "tuning")
ATTACHMENT = "macvlan-net1"


def mirror_archive() -> Path:
    """The one archive the lab mirror serves."""
    archives = sorted((STATE / "mirror").glob("cni-plugins-linux-*-v*.tgz"))
    if len(archives) != 1:
        pytest.fail(f"expected one archive in {STATE / 'mirror'}, found {archives}")
    return archives[0]


@pytest.fixture(scope="module", name="member_sums")
def fixture_member_sums() -> dict[str, str]:
    """sha256 of every top-level member of the mirror archive, by name."""
    archive = mirror_archive()
    served = (archive.parent / f"{archive.name}.sha256").read_text(encoding="utf-8").split()
    assert served == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]
    sums = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                sums[member.name.removeprefix("./")] = hashlib.sha256(extracted.read()).hexdigest()
    return sums


def node_name(host) -> str:
    """Inventory name of the host under test."""
    return host.backend.get_hostname()


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugin_installed(host, member_sums, plugin):
    """Each selected plugin is the archive's binary, root-owned, 0755."""
    binary = host.file(f"{BIN_DIR}/{plugin}")
    assert binary.is_file
    assert binary.user == "root"
    assert binary.group == "root"
    assert binary.mode == 0o755
    assert binary.sha256sum == member_sums[plugin]


def test_only_selected_plugins(host):
    """Nothing but the node's own binaries and the selected plugins (no temp files, no extras)."""
    assert sorted(host.file(BIN_DIR).listdir()) == sorted(("cilium-cni", "loopback") + PLUGINS)


@pytest.mark.parametrize("path", NODE_FILES)
def test_node_files_untouched(host, path):
    """Cilium's binary and conflist and the loopback plugin are as the lab seeded them."""
    seed = json.loads((STATE / "nodes" / node_name(host) / "seed.json").read_text(encoding="utf-8"))[path]
    seeded = host.file(path)
    assert seeded.is_file
    assert seeded.sha256sum == seed["sha256"]
    assert f"{seeded.mode:04o}" == seed["mode"]
    assert (seeded.uid, seeded.gid) == (seed["uid"], seed["gid"])


def test_no_cilium_backup_left(host):
    """No *.cilium_bak config next to Cilium's."""
    assert not [name for name in host.file("/etc/cni/net.d").listdir() if name.endswith(".cilium_bak")]


def eth1_secondaries(host) -> list[ipaddress.IPv4Interface]:
    """The secondary IPv4 addresses the NIC really holds."""
    links = json.loads(host.check_output("ip -j -4 addr show dev eth1"))
    return [ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}")
            for link in links for a in link["addr_info"] if a.get("secondary")]


def test_per_node_file_holds_node_range(host):
    """The per-node config holds exactly the range of this node's eth1 secondaries."""
    secondaries = eth1_secondaries(host)
    assert secondaries, "eth1 has no secondary addresses"
    networks = {address.network for address in secondaries}
    assert len(networks) == 1
    addresses = sorted(address.ip for address in secondaries)
    assert int(addresses[-1]) - int(addresses[0]) == len(addresses) - 1, f"not contiguous: {addresses}"

    conf_file = host.file(f"/etc/cni/multus/net.d/{ATTACHMENT}.conf")
    assert conf_file.is_file
    assert conf_file.user == "root"
    conf = json.loads(conf_file.content_string)
    assert conf["name"] == ATTACHMENT
    assert conf["type"] == "macvlan"
    assert conf["mode"] == "bridge"
    assert conf["master"] == "eth1"
    ipam = conf["ipam"]
    assert ipam["type"] == "host-local"
    assert ipaddress.ip_network(ipam["subnet"]) == networks.pop()
    assert ipaddress.ip_address(ipam["rangeStart"]) == addresses[0]
    assert ipaddress.ip_address(ipam["rangeEnd"]) == addresses[-1]
