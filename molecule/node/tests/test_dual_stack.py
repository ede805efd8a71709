# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""A dual-stack attachment with routes, through the data path of the namespace lab.

The lab's attachment is redeclared with ``dual_stack: true`` and a route per
family, and each worker gets the IPv6 secondaries of the lab plan in
``secondary_nic_addresses6`` (declared, as a cloud assigns them: the nodes
themselves hold no IPv6 address). site.yml writes the per-node files;
the lab's data-path check (mhmlab.datapath) then runs the real plugins with them: each pod holds one
address of each family from its own node's ranges, has both subnet routes and
the configured ones, pings the other pods in both families, and reaches an
address of each route's destination through the route's gateway (the lab's
stand-in router on the fabric holds both while the check runs). site.yml without the extra variables puts the lab's attachment back,
also on failure.
"""

from __future__ import annotations

import ipaddress
import json

import pytest
import yaml
from labtools import PLAN, REPO, SITE, datapath_check, in_node, run

NODES = ("node1", "node2")
ATTACHMENT = "macvlan-net1"
ROUTES = [{"dst": "198.19.248.0/24"}, {"dst": "2001:2:0:f8::/64"}]


@pytest.fixture(scope="module", name="dual_stack_run")
def fixture_dual_stack_run(request, tmp_path_factory):
    """site.yml with the dual-stack attachment; site.yml as the lab has it afterwards."""
    inventory = request.config.getoption("ansible_inventory")
    workers = yaml.safe_load((REPO / "inventories" / "lab" / "group_vars" / "multus_workers.yml").read_text(encoding="utf-8"))
    (lab_attachment,) = [a for a in workers["network_attachments_list"] if a["name"] == ATTACHMENT]
    attachment = dict(lab_attachment, dual_stack=True, routes=ROUTES)
    extra = {
        "network_attachments_list": [attachment],
        "lab_declared_ipv6": {name: [str(a) for a in PLAN.node(name).secondaries6] for name in NODES},
        "secondary_nic_addresses6": "{{ lab_declared_ipv6[inventory_hostname] }}",
    }
    extra_file = tmp_path_factory.mktemp("dual-stack") / "extra.json"
    extra_file.write_text(json.dumps(extra), encoding="utf-8")
    try:
        yield run(["ansible-playbook", "-i", inventory, str(SITE), "-e", f"@{extra_file}"])
    finally:
        restore = run(["ansible-playbook", "-i", inventory, str(SITE)])
        assert restore.returncode == 0, restore.stdout[-3000:]


def test_node_files_carry_both_families_and_the_routes(dual_stack_run):
    assert dual_stack_run.returncode == 0, dual_stack_run.stdout[-3000:]
    for name in NODES:
        node = PLAN.node(name)
        ipam = json.loads(in_node(name, f"cat /etc/cni/multus/net.d/{ATTACHMENT}.conf"))["ipam"]
        v4, v6 = (rset[0] for rset in ipam["ranges"])
        assert (v4["rangeStart"], v4["rangeEnd"]) == (str(node.secondaries[0].ip), str(node.secondaries[-1].ip))
        assert ipaddress.ip_address(v6["rangeStart"]) == node.secondaries6[0].ip
        assert ipaddress.ip_address(v6["rangeEnd"]) == node.secondaries6[-1].ip
        assert ipaddress.ip_network(v6["subnet"]) == node.secondaries6[0].network
        assert ipam["routes"] == ROUTES


def test_datapath_in_both_families_and_through_the_routes(dual_stack_run):
    assert dual_stack_run.returncode == 0, dual_stack_run.stdout[-3000:]
    code, out = datapath_check("--attachment", ATTACHMENT, *NODES)
    assert code == 0 and " 0 failed" in out, out
    passed = [line for line in out.splitlines() if line.startswith("PASS")]
    for name in NODES:
        v6 = PLAN.node(name).secondaries6[0].network
        inside6 = [line for line in passed if line.startswith(f"PASS    {name} ") and "inside the node range" in line
                   and ipaddress.ip_address(line.split(": ", 1)[1].split()[0]) in v6]
        assert len(inside6) >= 2, f"{name}: no pod got an IPv6 address of its range:\n{out}"
    assert [line for line in passed if "ping" in line and "-> " in line and "2001:2:0:1::" in line], out
    for route in ROUTES:
        target = ipaddress.ip_network(route["dst"])[1]
        assert [line for line in passed if f"routes {target} through {route['dst']}" in line], out
        assert [line for line in passed if f"-> router {target} via" in line], out
