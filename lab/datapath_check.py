# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Data-path check of the namespace lab (run as root on the controller).

For every given lab node this enters the node (the mount, net and UTS
namespaces of its sshd, found with ``lab/labctl env``), creates two pod network
namespaces and runs the real CNI plugins the collection installed in the node's
/opt/cni/bin with the per-node config it wrote to
/etc/cni/multus/net.d/<attachment>.conf, the way a runtime would: standard CNI_*
environment, the config on stdin. It then asserts that

* each pod's net1 address lies inside that node's rangeStart..rangeEnd
  (read from the config file), and is the address the plugin reported;
* the pod's route table has ``<subnet> dev net1`` (as in the Multus guide);
* the two pods of a node ping each other over net1, and pods of different
  nodes reach each other;
* no address handed out on one node equals one handed out on another, and the
  node ranges are disjoint;
* CNI DEL releases the addresses.

ipvlan is run with an l2 config derived from the file when the kernel can make
ipvlan links; otherwise the check prints "NOT RUN" for it and never counts it
as passed. Pods are always deleted (CNI DEL, then the namespace), also after a
failure. Exit status: 0 when every check that ran passed, 1 otherwise.

Usage: python3 lab/datapath_check.py [--attachment NAME] [NODE ...]
       (default nodes: node1 node2; default attachment: macvlan-net1)
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import ipaddress
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

LABCTL = Path(__file__).resolve().parent / "labctl"
CONF_DIR = "/etc/cni/multus/net.d"
CNI_PATH = "/opt/cni/bin"
IFNAME = "net1"
TIMEOUT = 60
IPVLAN_PROBE = "mhm-ipvprobe"


class CheckError(Exception):
    """A step of the check failed; the message says what and where."""


@dataclasses.dataclass
class Pod:
    """A pod network namespace inside a node, and what CNI gave it."""

    node: Node
    name: str
    container_id: str
    conf: dict
    added: bool = False
    address: ipaddress.IPv4Interface | ipaddress.IPv6Interface | None = None


@dataclasses.dataclass
class Range:
    """The host-local range of a node, as its config file states it."""

    subnet: ipaddress.IPv4Network | ipaddress.IPv6Network
    start: ipaddress.IPv4Address | ipaddress.IPv6Address
    end: ipaddress.IPv4Address | ipaddress.IPv6Address

    def __str__(self) -> str:
        return f"{self.start}-{self.end} ({self.subnet})"

    def contains(self, address) -> bool:
        """Return whether address is inside the subnet and start..end."""
        return address in self.subnet and self.start <= address <= self.end

    def overlaps(self, other: Range) -> bool:
        """Return whether two ranges share an address."""
        return self.start <= other.end and other.start <= self.end


class Node:
    """A lab node, entered with nsenter through the PID of its sshd."""

    def __init__(self, name: str, labctl: Path) -> None:
        self.name = name
        proc = subprocess.run([str(labctl), "env", name], capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if proc.returncode != 0:
            raise CheckError(f"{name}: labctl env failed: {proc.stderr.strip() or proc.stdout.strip()}")
        env = {}
        for line in proc.stdout.splitlines():
            words = shlex.split(line)
            if words and "=" in words[0]:
                key, value = words[0].split("=", 1)
                env[key] = value
        if not env.get("MHM_PID", "").isdigit():
            raise CheckError(f"{name}: labctl env printed no MHM_PID")
        self.pid = env["MHM_PID"]

    def run(self, argv: list[str], *, stdin: str | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        """Run argv inside the node's namespaces."""
        cmd = ["nsenter", f"--target={self.pid}", "--mount", "--net", "--uts", "--", *argv]
        proc = subprocess.run(cmd, input=stdin, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if check and proc.returncode != 0:
            raise CheckError(f"{self.name}: {' '.join(argv)} failed (rc {proc.returncode}): "
                             f"{(proc.stderr or proc.stdout).strip()}")
        return proc

    def pod_run(self, pod: str, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
        """Run argv inside a pod namespace of this node."""
        return self.run(["ip", "netns", "exec", pod, *argv], check=check)

    def read_json(self, path: str) -> dict:
        """Read and parse a JSON file of the node."""
        text = self.run(["cat", path]).stdout
        try:
            return json.loads(text)
        except ValueError as exc:
            raise CheckError(f"{self.name}: {path} is not valid JSON: {exc}") from exc

    def has_ipvlan(self) -> bool:
        """Try to create an ipvlan link on eth1 (this kernel may not have ipvlan)."""
        proc = self.run(["ip", "link", "add", IPVLAN_PROBE, "link", "eth1", "type", "ipvlan", "mode", "l2"], check=False)
        if proc.returncode == 0:
            self.run(["ip", "link", "del", IPVLAN_PROBE], check=False)
            return True
        return False


class Report:
    """PASS / FAIL / NOT RUN lines and their counts."""

    def __init__(self) -> None:
        self.counts = {"PASS": 0, "FAIL": 0, "NOT RUN": 0}

    def line(self, status: str, text: str) -> None:
        """Print and count one result."""
        self.counts[status] += 1
        print(f"{status:7} {text}", flush=True)

    def check(self, ok: bool, text: str) -> bool:
        """Record a pass or a failure."""
        self.line("PASS" if ok else "FAIL", text)
        return ok


def conf_range(node: Node, conf: dict, path: str) -> Range:
    """Return the host-local range a per-node config file states."""
    ipam = conf.get("ipam") or {}
    if ipam.get("type") != "host-local":
        raise CheckError(f"{node.name}: {path}: ipam.type is {ipam.get('type')!r}, expected 'host-local'")
    entry = ipam
    if "ranges" in ipam:
        if len(ipam["ranges"]) != 1 or len(ipam["ranges"][0]) != 1:
            raise CheckError(f"{node.name}: {path}: expected exactly one range, found {ipam['ranges']}")
        entry = ipam["ranges"][0][0]
    try:
        subnet = ipaddress.ip_network(entry["subnet"], strict=True)
        start = ipaddress.ip_address(entry["rangeStart"])
        end = ipaddress.ip_address(entry["rangeEnd"])
    except (KeyError, ValueError) as exc:
        raise CheckError(f"{node.name}: {path}: unusable range {entry}: {exc}") from exc
    if not (start in subnet and end in subnet and start <= end):
        raise CheckError(f"{node.name}: {path}: range {start}-{end} is not inside {subnet}")
    return Range(subnet, start, end)


def cni(pod: Pod, command: str) -> subprocess.CompletedProcess:
    """Call the pod's plugin with CNI_COMMAND=command, as a runtime does."""
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "CNI_COMMAND": command,
        "CNI_CONTAINERID": pod.container_id,
        "CNI_NETNS": f"/run/netns/{pod.name}",
        "CNI_IFNAME": IFNAME,
        "CNI_PATH": CNI_PATH,
        "CNI_ARGS": (f"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={pod.name};"
                     f"K8S_POD_INFRA_CONTAINER_ID={pod.container_id}"),
    }
    return pod.node.run([f"{CNI_PATH}/{pod.conf['type']}"], stdin=json.dumps(pod.conf), env=env, check=False)


def remove_pod(pod: Pod) -> list[str]:
    """CNI DEL and delete the pod namespace; return the problems met."""
    problems = []
    proc = cni(pod, "DEL")
    if proc.returncode != 0:
        problems.append(f"CNI DEL of {pod.name} failed: {(proc.stdout + proc.stderr).strip()}")
    if pod.node.run(["ip", "netns", "del", pod.name], check=False).returncode != 0:
        listed = pod.node.run(["ip", "netns", "list"], check=False).stdout.split()
        if pod.name in listed:
            problems.append(f"could not delete namespace {pod.name}")
    return problems


def add_pod(pod: Pod) -> None:
    """Create the pod namespace and attach net1 with CNI ADD."""
    node = pod.node
    if pod.name in node.run(["ip", "netns", "list"]).stdout.split():
        remove_pod(pod)  # left over from an interrupted run
    node.run(["ip", "netns", "add", pod.name])
    node.pod_run(pod.name, ["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                            "net.ipv6.conf.default.disable_ipv6=1"], check=False)
    proc = cni(pod, "ADD")
    if proc.returncode != 0:
        raise CheckError(f"{node.name}: CNI ADD ({pod.conf['type']}) for {pod.name} failed: "
                         f"{(proc.stdout + proc.stderr).strip()}")
    pod.added = True
    try:
        result = json.loads(proc.stdout)
        address = ipaddress.ip_interface(result["ips"][0]["address"])
    except (ValueError, KeyError, IndexError) as exc:
        raise CheckError(f"{node.name}: CNI ADD for {pod.name} returned no address: {proc.stdout.strip()}") from exc
    pod.address = address


def pod_net1_addresses(pod: Pod) -> list:
    """The addresses ip shows on net1 inside the pod."""
    links = json.loads(pod.node.pod_run(pod.name, ["ip", "-j", "addr", "show", "dev", IFNAME]).stdout)
    return [ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}")
            for link in links for a in link.get("addr_info", []) if a.get("family") in ("inet", "inet6")]


def check_pod(report: Report, pod: Pod, rng: Range, variant: str) -> None:
    """Address inside the node's range, the guide's route, interface up."""
    where = f"{pod.node.name} {variant} {pod.name}"
    shown = pod_net1_addresses(pod)
    report.check(shown == [pod.address],
                 f"{where}: net1 holds {', '.join(map(str, shown)) or 'nothing'} (plugin reported {pod.address})")
    report.check(rng.contains(pod.address.ip), f"{where}: {pod.address.ip} inside the node range {rng}")
    routes = json.loads(pod.node.pod_run(pod.name, ["ip", "-j", "route", "show", "table", "main"]).stdout)
    text = pod.node.pod_run(pod.name, ["ip", "route", "show", "table", "main"]).stdout.strip()
    has_route = any(r.get("dst") == str(rng.subnet) and r.get("dev") == IFNAME for r in routes)
    report.check(has_route, f"{where}: route '{rng.subnet} dev {IFNAME}' present (table: {text.replace(chr(10), '; ')})")


def ping(report: Report, src: Pod, dst: Pod, variant: str) -> None:
    """Ping dst's net1 address from src over net1."""
    proc = src.node.pod_run(src.name, ["ping", "-I", IFNAME, "-c", "2", "-W", "2", str(dst.address.ip)], check=False)
    summary = [ln for ln in proc.stdout.splitlines() if "packets transmitted" in ln]
    report.check(proc.returncode == 0,
                 f"{variant} ping -I {IFNAME} {src.node.name}/{src.name} -> {dst.node.name}/{dst.name} "
                 f"{dst.address.ip}: {summary[0] if summary else (proc.stdout + proc.stderr).strip()}")


def released(report: Report, pod: Pod, variant: str) -> None:
    """After DEL, host-local must no longer hold the pod's address."""
    store = f"/var/lib/cni/networks/{pod.conf['name']}"
    listing = pod.node.run(["ls", "-A", store], check=False).stdout.split()
    report.check(str(pod.address.ip) not in listing,
                 f"{pod.node.name} {variant} {pod.name}: CNI DEL released {pod.address.ip} ({store})")


def run_round(report: Report, nodes: list[Node], confs: dict, ranges: dict, variant: str, table: list) -> None:
    """Two pods per node with the given per-node configs; check; always clean up."""
    pods: dict[str, list[Pod]] = {}
    try:
        for node in nodes:
            pods[node.name] = []
            for letter in ("a", "b"):
                pod = Pod(node, f"mhm-{node.name}-pod-{letter}", f"mhm-datapath-{variant}-{node.name}-{letter}",
                          confs[node.name])
                pods[node.name].append(pod)
                add_pod(pod)
                table.append((node.name, variant, pod.name, str(pod.address), str(ranges[node.name])))
        for node in nodes:
            pod_a, pod_b = pods[node.name]
            check_pod(report, pod_a, ranges[node.name], variant)
            check_pod(report, pod_b, ranges[node.name], variant)
            ping(report, pod_a, pod_b, variant)
            ping(report, pod_b, pod_a, variant)
        every = [(p.node.name, p.address.ip) for node_pods in pods.values() for p in node_pods]
        for i, (node_i, addr_i) in enumerate(every):
            for node_j, addr_j in every[i + 1:]:
                if node_i != node_j and addr_i == addr_j:
                    report.check(False, f"{variant}: {node_i} and {node_j} both handed out {addr_i}")
        if len(nodes) > 1:
            report.check(len({a for _n, a in every}) == len(every),
                         f"{variant}: {len(every)} addresses on {len(nodes)} nodes, all different")
            for first, second in zip(nodes, nodes[1:]):
                ping(report, pods[first.name][0], pods[second.name][0], variant)
    finally:
        for node_pods in pods.values():
            for pod in node_pods:
                problems = remove_pod(pod)
                for problem in problems:
                    report.check(False, f"{pod.node.name}: {problem}")
                if pod.added and pod.address is not None and not problems:
                    released(report, pod, variant)


def ipvlan_conf(conf: dict) -> dict:
    """An ipvlan l2 config with the same master and IPAM as the file's config."""
    derived = copy.deepcopy(conf)
    derived["type"] = "ipvlan"
    derived["mode"] = "l2"
    derived["name"] = f"{conf['name']}-ipvlan-check"
    return derived


def main(argv: list[str] | None = None) -> int:
    """Run the check; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("nodes", nargs="*", default=["node1", "node2"], help="lab nodes (default: node1 node2)")
    parser.add_argument("--attachment", default="macvlan-net1", help="per-node config name (default: macvlan-net1)")
    parser.add_argument("--labctl", type=Path, default=LABCTL, help="path of labctl")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("datapath_check: run as root (nsenter into the lab nodes)", file=sys.stderr)
        return 1

    report = Report()
    table: list[tuple[str, str, str, str, str]] = []
    path = f"{CONF_DIR}/{args.attachment}.conf"
    try:
        nodes = [Node(name, args.labctl) for name in args.nodes]
        confs = {node.name: node.read_json(path) for node in nodes}
        ranges = {node.name: conf_range(node, confs[node.name], path) for node in nodes}
        for node in nodes:
            conf = confs[node.name]
            print(f"        {node.name}: {path} type={conf.get('type')} mode={conf.get('mode')} "
                  f"master={conf.get('master')} range {ranges[node.name]}")
            for tool in (conf.get("type", "?"), conf.get("ipam", {}).get("type", "?")):
                if node.run(["test", "-x", f"{CNI_PATH}/{tool}"], check=False).returncode != 0:
                    raise CheckError(f"{node.name}: {CNI_PATH}/{tool} is missing or not executable")
        for i, first in enumerate(nodes):
            for second in nodes[i + 1:]:
                report.check(not ranges[first.name].overlaps(ranges[second.name]),
                             f"ranges of {first.name} ({ranges[first.name]}) and {second.name} "
                             f"({ranges[second.name]}) are disjoint")

        kernel_ipvlan = nodes[0].has_ipvlan() if nodes else False
        file_types = {conf.get("type") for conf in confs.values()}
        if file_types == {"ipvlan"} and not kernel_ipvlan:
            report.line("NOT RUN", f"ipvlan: {args.attachment} (kernel has no ipvlan)")
        else:
            run_round(report, nodes, confs, ranges, "/".join(sorted(file_types)), table)
        if "ipvlan" not in file_types:
            if kernel_ipvlan:
                run_round(report, nodes, {n: ipvlan_conf(c) for n, c in confs.items()}, ranges, "ipvlan", table)
            else:
                report.line("NOT RUN", "ipvlan: NOT RUN (kernel has no ipvlan)")
    except (CheckError, subprocess.TimeoutExpired) as exc:
        report.check(False, str(exc))

    if table:
        print()
        widths = [max(len(row[i]) for row in table + [("node", "plugin", "pod", "net1 address", "node range")])
                  for i in range(5)]
        for row in [("node", "plugin", "pod", "net1 address", "node range")] + table:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        print()
    counts = report.counts
    print(f"datapath: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['NOT RUN']} not run")
    return 1 if counts["FAIL"] or not counts["PASS"] else 0


if __name__ == "__main__":
    sys.exit(main())
