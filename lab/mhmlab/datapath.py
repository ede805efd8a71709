# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Data-path check of the namespace lab (run as root on the controller).

For every given lab node this enters the node (the mount, net and UTS
namespaces of its sshd, as ``labctl env`` finds it), creates two pod network
namespaces and runs the real CNI plugins the collection installed in the node's
/opt/cni/bin with the per-node config it wrote to
/etc/cni/multus/net.d/<attachment>.conf, the way a runtime would: standard CNI_*
environment, the config on stdin. It then asserts that

* each pod's net1 addresses (one per range: IPv4, and IPv6 for a dual-stack
  config) lie inside that node's rangeStart..rangeEnd (read from the config
  file), and are the addresses the plugin reported;
* the pod's route table has ``<subnet> dev net1`` (as in the Multus guide) and
  every route of the config's ``ipam.routes``; traffic to an address of each
  route's destination goes through the route's gateway (held, with that
  address, by the fabric's bridge while the check runs: the lab's router);
* the two pods of a node ping each other over net1 in every family, and pods of
  different nodes reach each other;
* no address handed out on one node equals one handed out on another, and the
  node ranges are disjoint;
* CNI DEL releases the addresses.

ipvlan is run with an l2 config derived from the file when the kernel can make
ipvlan links; otherwise the check prints "NOT RUN" for it and never counts it
as passed.

With ``--vms`` the nodes are the VM workers of ``python -m mhmlab vms`` (real
kernels, reached over SSH) and the attachment the seed's ``ipvlan-conf-1``
(ipvlan l3): the file's own config runs, and the check also asserts that eth1
holds only its primary address (before the pods, and while they run), and that
a pod beyond the node's declared addresses gets none, with host-local's error
shown. A clean run ends with ``ipvlan l3: PASSED``. Pods are always deleted (CNI DEL, then the namespace), also after a
failure. Exit status: 0 when every check that ran passed, 1 otherwise.

Usage: python3 -m mhmlab datapath [--attachment NAME] [NODE ...]
       (default nodes: node1 node2; default attachment: macvlan-net1)
       python3 -m mhmlab datapath --vms [--attachment NAME] [VM ...]
       (default VMs: vm1 vm2; default attachment: ipvlan-conf-1)
From Python: ``check(argv)`` runs it and returns the exit status and the report.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import io
import ipaddress
import json
import os
import shlex
import subprocess
import sys

from mhmlab import nodes as lab_nodes
from mhmlab import plan as lab_plan
from mhmlab import vms

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
    ipv6: bool = False
    added: bool = False
    addresses: list = dataclasses.field(default_factory=list)

    @property
    def address(self) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
        """The first address CNI gave (IPv4 in a dual-stack config)."""
        return self.addresses[0] if self.addresses else None


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

    def __init__(self, name: str, lab: lab_nodes.Lab) -> None:
        self.name = name
        try:
            self.pid = str(lab.require_up(lab.node(name)))
        except lab_nodes.LabError as exc:
            raise CheckError(f"{name}: {exc}") from exc

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


class VmNode(Node):
    """A VM worker (python -m mhmlab vms), entered over SSH as root."""

    def __init__(self, name: str, plan: lab_plan.Plan) -> None:  # pylint: disable=super-init-not-called
        self.name = name
        self.plan = plan
        self.vm = plan.vm.vm(name)

    def run(self, argv: list[str], *, stdin: str | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        """Run argv in the VM; env, when given, is its whole environment (env -i), as for a local run."""
        remote = ["env", "-i", *[f"{k}={v}" for k, v in env.items()], *argv] if env else argv
        proc = subprocess.run(vms.ssh_argv(self.plan, self.vm, [shlex.join(remote)]), input=stdin,
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if check and proc.returncode != 0:
            raise CheckError(f"{self.name}: {' '.join(argv)} failed (rc {proc.returncode}): "
                             f"{(proc.stderr or proc.stdout).strip()}")
        return proc

    def eth1_addresses(self) -> list[str]:
        """The IPv4 and global IPv6 addresses eth1 holds."""
        links = json.loads(self.run(["ip", "-j", "addr", "show", "dev", "eth1"]).stdout)
        return [f"{a['local']}/{a['prefixlen']}" for link in links for a in link.get("addr_info", [])
                if a.get("family") == "inet" or (a.get("family") == "inet6" and a.get("scope") == "global")]


def eth1_primary_only(report: Report, node: VmNode, when: str) -> None:
    """The guide's shape: eth1 holds its primary address and nothing else."""
    held = node.eth1_addresses()
    report.check(held == [str(node.vm.eth1)],
                 f"{node.name} {when}: eth1 holds {', '.join(held) or 'nothing'} (only the primary {node.vm.eth1})")


def beyond_range(report: Report, node: Node, conf: dict, rng: Range, variant: str) -> None:
    """Fill the node's range; one pod more gets no address, and host-local says why."""
    size = int(rng.end) - int(rng.start) + 1
    pods = [Pod(node, f"mhm-{node.name}-fill-{i}", f"mhm-fill-{node.name}-{i}", conf) for i in range(size + 1)]
    try:
        for pod in pods[:size]:
            add_pod(pod)
        extra = pods[size]
        if extra.name in node.run(["ip", "netns", "list"]).stdout.split():
            remove_pod(extra)
        node.run(["ip", "netns", "add", extra.name])
        proc = cni(extra, "ADD")
        extra.added = proc.returncode == 0
        message = (proc.stdout + proc.stderr).strip()
        report.check(proc.returncode != 0 and "no IP addresses available" in message,
                     f"{node.name} {variant}: pod {size + 1} beyond the {size} declared addresses {rng} gets none: "
                     f"{message}")
    finally:
        for pod in pods:
            for problem in remove_pod(pod):
                if pod is not pods[-1]:
                    report.check(False, f"{node.name}: {problem}")


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


def conf_ranges(node: Node, conf: dict, path: str) -> list[Range]:
    """Return the host-local ranges a per-node config file states: one, or one per family."""
    ipam = conf.get("ipam") or {}
    if ipam.get("type") != "host-local":
        raise CheckError(f"{node.name}: {path}: ipam.type is {ipam.get('type')!r}, expected 'host-local'")
    entries = [ipam]
    if "ranges" in ipam:
        if not 1 <= len(ipam["ranges"]) <= 2 or any(len(rset) != 1 for rset in ipam["ranges"]):
            raise CheckError(f"{node.name}: {path}: expected one range per family, found {ipam['ranges']}")
        entries = [rset[0] for rset in ipam["ranges"]]
    ranges = []
    for entry in entries:
        try:
            subnet = ipaddress.ip_network(entry["subnet"], strict=True)
            start = ipaddress.ip_address(entry["rangeStart"])
            end = ipaddress.ip_address(entry["rangeEnd"])
        except (KeyError, ValueError) as exc:
            raise CheckError(f"{node.name}: {path}: unusable range {entry}: {exc}") from exc
        if not (start in subnet and end in subnet and start <= end):
            raise CheckError(f"{node.name}: {path}: range {start}-{end} is not inside {subnet}")
        ranges.append(Range(subnet, start, end))
    if len({r.subnet.version for r in ranges}) != len(ranges):
        raise CheckError(f"{node.name}: {path}: two ranges of one family: {', '.join(map(str, ranges))}")
    return ranges


def conf_routes(conf: dict) -> list[dict]:
    """The config's ipam.routes."""
    return list((conf.get("ipam") or {}).get("routes") or [])


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
    if not pod.ipv6:
        node.pod_run(pod.name, ["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                                "net.ipv6.conf.default.disable_ipv6=1"], check=False)
    proc = cni(pod, "ADD")
    if proc.returncode != 0:
        raise CheckError(f"{node.name}: CNI ADD ({pod.conf['type']}) for {pod.name} failed: "
                         f"{(proc.stdout + proc.stderr).strip()}")
    pod.added = True
    try:
        result = json.loads(proc.stdout)
        pod.addresses = [ipaddress.ip_interface(ip["address"]) for ip in result["ips"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckError(f"{node.name}: CNI ADD for {pod.name} returned no address: {proc.stdout.strip()}") from exc
    if not pod.addresses:
        raise CheckError(f"{node.name}: CNI ADD for {pod.name} returned no address: {proc.stdout.strip()}")


def pod_net1_addresses(pod: Pod) -> list:
    """The addresses ip shows on net1 inside the pod."""
    links = json.loads(pod.node.pod_run(pod.name, ["ip", "-j", "addr", "show", "dev", IFNAME]).stdout)
    return [ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}")
            for link in links for a in link.get("addr_info", [])
            if a.get("family") in ("inet", "inet6") and a.get("scope") == "global"]


def check_pod(report: Report, pod: Pod, ranges: list[Range], variant: str) -> None:
    """Addresses inside the node's ranges, the guide's route per family, the config's routes."""
    where = f"{pod.node.name} {variant} {pod.name}"
    shown = pod_net1_addresses(pod)
    report.check(sorted(shown, key=str) == sorted(pod.addresses, key=str),
                 f"{where}: net1 holds {', '.join(map(str, shown)) or 'nothing'} "
                 f"(plugin reported {', '.join(map(str, pod.addresses))})")
    report.check(len(pod.addresses) == len(ranges),
                 f"{where}: {len(pod.addresses)} address(es) for {len(ranges)} range(s)")
    for rng in ranges:
        inside = [a for a in pod.addresses if rng.contains(a.ip)]
        report.check(len(inside) == 1, f"{where}: {', '.join(str(a.ip) for a in inside) or 'no address'} "
                                       f"inside the node range {rng}")
    table = route_table(pod)
    text = "; ".join(f"{r.get('dst')} dev {r.get('dev')}" + (f" via {r['gateway']}" if r.get("gateway") else "")
                     for r in table)
    for rng in ranges:
        has_route = any(r.get("dst") == str(rng.subnet) and r.get("dev") == IFNAME for r in table)
        report.check(has_route, f"{where}: route '{rng.subnet} dev {IFNAME}' present (table: {text})")
    for route in conf_routes(pod.conf):
        wanted = ipaddress.ip_network(route["dst"])
        # Without gw, host-local routes through the range's gateway (its own or the subnet's first address).
        has_route = any(r.get("dst") in (str(wanted), wanted.compressed) and r.get("dev") == IFNAME
                        and (not route.get("gw") or r.get("gateway") == route["gw"]) for r in table)
        report.check(has_route, f"{where}: configured route '{route['dst']}"
                                f"{' via ' + route['gw'] if route.get('gw') else ''} dev {IFNAME}' present (table: {text})")


def route_table(pod: Pod) -> list[dict]:
    """The pod's main routes of both families (ip -j)."""
    table = []
    for family in ("-4", "-6") if pod.ipv6 else ("-4",):
        table += json.loads(pod.node.pod_run(pod.name, ["ip", "-j", family, "route", "show", "table", "main"]).stdout)
    return table


def routed(report: Report, src: Pod, variant: str) -> None:
    """Each configured route carries traffic: a stand-in router on the fabric holds the route's gateway and an
    address of its destination; src pings that address through the route."""
    table = route_table(src)
    for route in conf_routes(src.conf):
        network = ipaddress.ip_network(route["dst"])
        target = network[1]
        gateways = [r.get("gateway") for r in table if r.get("dst") in (str(network), network.compressed)]
        if not gateways or not gateways[0]:
            report.check(False, f"{variant}: {src.node.name}/{src.name} has no route through a gateway to {network}")
            continue
        gateway = ipaddress.ip_address(gateways[0])
        subnet = next(a.network for a in src.addresses if a.version == gateway.version)
        with fabric_router([f"{gateway}/{subnet.prefixlen}", f"{target}/{network.max_prefixlen}"]):
            via = src.node.pod_run(src.name, ["ip", "route", "get", str(target)]).stdout.strip()
            report.check(f"via {gateway} dev {IFNAME}" in via,
                         f"{variant}: {src.node.name}/{src.name} routes {target} through {route['dst']}: {via}")
            proc = src.node.pod_run(src.name, ["ping", "-c", "2", "-W", "2", str(target)], check=False)
            summary = [ln for ln in proc.stdout.splitlines() if "packets transmitted" in ln]
            report.check(proc.returncode == 0, f"{variant} ping {src.node.name}/{src.name} -> router {target} via "
                                               f"{gateway}: {summary[0] if summary else (proc.stdout + proc.stderr).strip()}")


@contextlib.contextmanager
def fabric_router(interfaces: list[str]):
    """The fabric's bridge holds INTERFACES (the lab's stand-in for a router on the segment) while inside."""
    fabric = lab_plan.from_env().fabric
    netns = ["ip", "netns", "exec", fabric.netns]
    sysctl = f"net.ipv6.conf.{fabric.bridge}.disable_ipv6"
    ipv6 = any(ipaddress.ip_interface(i).version == 6 for i in interfaces)
    if ipv6:
        subprocess.run([*netns, "sysctl", "-q", "-w", f"{sysctl}=0"], check=True, timeout=TIMEOUT)
    added = []
    try:
        for interface in interfaces:
            extra = ["nodad"] if ipaddress.ip_interface(interface).version == 6 else []
            subprocess.run([*netns, "ip", "addr", "add", interface, "dev", fabric.bridge, *extra], check=True,
                           timeout=TIMEOUT)
            added.append(interface)
        yield
    finally:
        for interface in added:
            subprocess.run([*netns, "ip", "addr", "del", interface, "dev", fabric.bridge], check=False, timeout=TIMEOUT)
        if ipv6:
            subprocess.run([*netns, "sysctl", "-q", "-w", f"{sysctl}=1"], check=False, timeout=TIMEOUT)


def ping(report: Report, src: Pod, dst: Pod, variant: str) -> None:
    """Ping each of dst's net1 addresses from src over net1."""
    for address in dst.addresses:
        ping_address(report, src, dst, address.ip, variant)


def ping_address(report: Report, src: Pod, dst: Pod, address, variant: str) -> None:
    """Ping one address of dst from src over net1."""
    proc = src.node.pod_run(src.name, ["ping", "-I", IFNAME, "-c", "2", "-W", "2", str(address)], check=False)
    summary = [ln for ln in proc.stdout.splitlines() if "packets transmitted" in ln]
    report.check(proc.returncode == 0,
                 f"{variant} ping -I {IFNAME} {src.node.name}/{src.name} -> {dst.node.name}/{dst.name} "
                 f"{address}: {summary[0] if summary else (proc.stdout + proc.stderr).strip()}")


def released(report: Report, pod: Pod, variant: str) -> None:
    """After DEL, host-local must no longer hold the pod's address."""
    store = f"/var/lib/cni/networks/{pod.conf['name']}"
    listing = pod.node.run(["ls", "-A", store], check=False).stdout.split()
    for address in pod.addresses:
        report.check(str(address.ip) not in listing,
                     f"{pod.node.name} {variant} {pod.name}: CNI DEL released {address.ip} ({store})")


def eth1_check(report: Report, nodes: list[Node]) -> None:
    """While the pods run: a VM node's eth1 still holds only its primary (the pods hold the secondaries)."""
    for node in nodes:
        if isinstance(node, VmNode):
            eth1_primary_only(report, node, "with the pods running")


def run_round(report: Report, nodes: list[Node], confs: dict, ranges: dict, variant: str, table: list,
              during=None) -> None:
    """Two pods per node with the given per-node configs; check; always clean up."""
    pods: dict[str, list[Pod]] = {}
    try:
        for node in nodes:
            pods[node.name] = []
            for letter in ("a", "b"):
                container_id = f"mhm-datapath-{variant.replace(' ', '-')}-{node.name}-{letter}"
                pod = Pod(node, f"mhm-{node.name}-pod-{letter}", container_id,
                          confs[node.name], ipv6=any(r.subnet.version == 6 for r in ranges[node.name]))
                pods[node.name].append(pod)
                add_pod(pod)
                table.append((node.name, variant, pod.name, ", ".join(map(str, pod.addresses)),
                              ", ".join(map(str, ranges[node.name]))))
        for node in nodes:
            pod_a, pod_b = pods[node.name]
            check_pod(report, pod_a, ranges[node.name], variant)
            check_pod(report, pod_b, ranges[node.name], variant)
            ping(report, pod_a, pod_b, variant)
            ping(report, pod_b, pod_a, variant)
        every = [(p.node.name, a.ip) for node_pods in pods.values() for p in node_pods for a in p.addresses]
        for i, (node_i, addr_i) in enumerate(every):
            for node_j, addr_j in every[i + 1:]:
                if node_i != node_j and addr_i == addr_j:
                    report.check(False, f"{variant}: {node_i} and {node_j} both handed out {addr_i}")
        if len(nodes) > 1:
            report.check(len({a for _n, a in every}) == len(every),
                         f"{variant}: {len(every)} addresses on {len(nodes)} nodes, all different")
            for first, second in zip(nodes, nodes[1:]):
                ping(report, pods[first.name][0], pods[second.name][0], variant)
        routed(report, pods[nodes[0].name][0], variant)
        if during:
            during(report, nodes)
    finally:
        for node_pods in pods.values():
            for pod in node_pods:
                problems = remove_pod(pod)
                for problem in problems:
                    report.check(False, f"{pod.node.name}: {problem}")
                if pod.added and pod.addresses and not problems:
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
    parser = argparse.ArgumentParser(prog="python -m mhmlab datapath", description=__doc__.split("\n", 1)[0])
    parser.add_argument("nodes", nargs="*", help="lab nodes (default: node1 node2; with --vms: vm1 vm2)")
    parser.add_argument("--attachment", help="per-node config name (default: macvlan-net1; with --vms: ipvlan-conf-1)")
    parser.add_argument("--vms", action="store_true", help="the VM workers of python -m mhmlab vms")
    args = parser.parse_args(argv)
    plan = lab_plan.from_env()
    if not args.nodes:
        args.nodes = [vm.name for vm in plan.vm.vms] if args.vms else ["node1", "node2"]
    if not args.attachment:
        args.attachment = "ipvlan-conf-1" if args.vms else "macvlan-net1"
    if os.geteuid() != 0 and not args.vms:
        print("datapath_check: run as root (nsenter into the lab nodes)", file=sys.stderr)
        return 1

    report = Report()
    table: list[tuple[str, str, str, str, str]] = []
    path = f"{CONF_DIR}/{args.attachment}.conf"
    try:
        lab = None if args.vms else lab_nodes.Lab(plan)
        nodes = [VmNode(name, plan) if args.vms else Node(name, lab) for name in args.nodes]
        for node in nodes:
            if isinstance(node, VmNode):
                eth1_primary_only(report, node, "before the pods")
        confs = {node.name: node.read_json(path) for node in nodes}
        ranges = {node.name: conf_ranges(node, confs[node.name], path) for node in nodes}
        for node in nodes:
            conf = confs[node.name]
            print(f"        {node.name}: {path} type={conf.get('type')} mode={conf.get('mode')} "
                  f"master={conf.get('master')} range {', '.join(map(str, ranges[node.name]))}"
                  f"{' routes ' + json.dumps(conf_routes(conf)) if conf_routes(conf) else ''}")
            for tool in (conf.get("type", "?"), conf.get("ipam", {}).get("type", "?")):
                if node.run(["test", "-x", f"{CNI_PATH}/{tool}"], check=False).returncode != 0:
                    raise CheckError(f"{node.name}: {CNI_PATH}/{tool} is missing or not executable")
        for i, first in enumerate(nodes):
            for second in nodes[i + 1:]:
                for mine in ranges[first.name]:
                    for theirs in ranges[second.name]:
                        if mine.subnet.version == theirs.subnet.version:
                            report.check(not mine.overlaps(theirs), f"ranges of {first.name} ({mine}) and "
                                                                    f"{second.name} ({theirs}) are disjoint")

        kernel_ipvlan = nodes[0].has_ipvlan() if nodes else False
        file_types = {conf.get("type") for conf in confs.values()}
        if file_types == {"ipvlan"} and not kernel_ipvlan:
            report.line("NOT RUN", f"ipvlan: {args.attachment} (kernel has no ipvlan)")
        else:
            variant = "/".join(sorted(file_types))
            if file_types == {"ipvlan"}:
                variant += " " + "/".join(sorted({str(conf.get("mode", "l2")) for conf in confs.values()}))
            failed_before = report.counts["FAIL"]
            run_round(report, nodes, confs, ranges, variant, table, during=eth1_check)
            if args.vms:
                first = nodes[0]
                beyond_range(report, first, confs[first.name], ranges[first.name][0], variant)
            if file_types == {"ipvlan"} and report.counts["FAIL"] == failed_before:
                print(f"{variant}: PASSED", flush=True)
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


def check(argv: list[str]) -> tuple[int, str]:
    """Run the check in this process: its exit status and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()
