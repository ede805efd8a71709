# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The command line: ``python -m mhmlab plan {env,shell,nodes}``, ``inventory write [--check]`` and
``nodes up|add|remove|down|status|env|exec|ssh|sweep-cgroups`` (lab/labctl), ``cluster ...``
(lab/cluster/clusterctl), ``kubelets ...`` (lab/cluster/kubeletctl), ``vms ...`` and the tools of TOOLS."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

from mhmlab import plan as lab_plan
from mhmlab import shellenv, vms
from mhmlab.runner import Runner

REPO = Path(__file__).resolve().parents[2]


def _plan(args: argparse.Namespace) -> lab_plan.Plan:
    environ = {} if args.max_nodes is None else {'MHM_LAB_MAX_NODES': str(args.max_nodes)}
    return lab_plan.from_env({**os.environ, **environ})


def cmd_plan_env(args: argparse.Namespace) -> int:
    plan = _plan(args)
    print('\n'.join(shellenv.env_lines(plan, plan.node(args.node))))
    return 0


def cmd_plan_shell(args: argparse.Namespace) -> int:
    print('\n'.join(shellenv.shell_lines(_plan(args))))
    return 0


def cmd_plan_nodes(args: argparse.Namespace) -> int:
    plan = _plan(args)
    lines = [f'fabric {plan.fabric.network}, management {plan.management.network}, pods {plan.pod_network}, '
             f'services {plan.cluster.service_network}']
    lines += [f'{n.name:<11} {n.index:>2}  eth0 {n.mgmt}  eth1 {n.fabric} + {n.secondary_range}  pods {n.pod_cidr}'
              for n in plan.nodes]
    print('\n'.join(lines))
    return 0


def cmd_inventory_write(args: argparse.Namespace) -> int:
    # PyYAML only here: plan env/shell run on the system python3 with the standard library.
    from mhmlab import inventory  # pylint: disable=import-outside-toplevel

    plan = lab_plan.build()
    if args.check:
        found = inventory.differences(args.root, plan)
        for line in found:
            print(f'{line}; run: python -m mhmlab inventory write', file=sys.stderr)
        return 1 if found else 0
    for rel in inventory.write(args.root, plan):
        print(f'wrote {rel}')
    return 0


def cmd_nodes(args: argparse.Namespace) -> int:
    # Only here: the nodes' modules need root and the machine, plan and inventory do not.
    from mhmlab import nodes  # pylint: disable=import-outside-toplevel

    return nodes.run(args.command, args.args, _plan(args))


def cmd_cluster(args: argparse.Namespace) -> int:
    from mhmlab import cluster  # pylint: disable=import-outside-toplevel

    return cluster.run(args.args, _plan(args))


def cmd_kubelets(args: argparse.Namespace) -> int:
    from mhmlab import kubelets  # pylint: disable=import-outside-toplevel

    return kubelets.run(args.args, _plan(args))


def cmd_tool(args: argparse.Namespace) -> int:
    return importlib.import_module(f'mhmlab.{TOOLS[args.group][0]}').main(args.args)


# Tools with a command line of their own: group -> (module, help).
TOOLS = {
    'datapath': ('datapath', "the data-path check: the nodes' plugins and per-node configs in pod namespaces"),
    'audit': ('auditcounts', "the lab API server's requests by verb and resource, from its audit log"),
    'service-proxy': ('serviceproxy', "the kubernetes ClusterIP, forwarded to the API server (started by kubelets)"),
    'image-archive': ('imagearchive', 'a container image from a directory, as a docker-archive tar'),
}
NODES_COMMANDS = {
    'up': '[NODE...]  create the lab base and the nodes (default: the plan\'s default nodes)',
    'add': 'NODE  add one node to a running lab (e.g. new-worker)',
    'remove': 'NODE  remove one node (the rest of the lab stays)',
    'down': 'remove everything the lab made; safe when half-made or down',
    'status': 'show what is up (exit 0 all healthy, 1 broken, 3 down)',
    'env': 'NODE  KEY=value lines for callers (sshd PID for nsenter, addresses, key)',
    'exec': 'NODE CMD [ARG...]  run CMD inside the node (its mount, net and UTS namespaces)',
    'ssh': 'NODE [CMD...]  ssh to the node as root with the lab key',
    'sweep-cgroups': "NODE  kill what runs in the node's cgroups /mhm-NODE, remove them",
}


def _vms_plan() -> lab_plan.Plan:
    return lab_plan.from_env()


def cmd_vms_kernel(_args: argparse.Namespace) -> int:
    from mhmlab import vmkernel  # pylint: disable=import-outside-toplevel

    print(vmkernel.ensure(_vms_plan(), Runner()))
    return 0


def cmd_vms_up(_args: argparse.Namespace) -> int:
    return vms.up(_vms_plan(), Runner())


def cmd_vms_down(_args: argparse.Namespace) -> int:
    return vms.down(_vms_plan(), Runner())


def cmd_vms_status(_args: argparse.Namespace) -> int:
    return vms.status(_vms_plan(), Runner())


def cmd_vms_ssh(args: argparse.Namespace) -> int:
    plan = _vms_plan()
    argv = vms.ssh_argv(plan, plan.vm.vm(args.vm), args.command)
    if args.command:
        return subprocess.run(argv, check=False).returncode
    os.execvp(argv[0], argv)
    return 1  # pragma: no cover


def _vm_kubelet():
    from mhmlab import vmkubelet  # pylint: disable=import-outside-toplevel

    return vmkubelet.VmKubelet(_vms_plan())


def cmd_vms_nodes(_args: argparse.Namespace) -> int:
    _vm_kubelet().register_nodes()
    return 0


def cmd_vms_daemonset(args: argparse.Namespace) -> int:
    return _vm_kubelet().run_daemonset(args.namespace, args.name)


def cmd_vms_pod(args: argparse.Namespace) -> int:
    kubelet = _vm_kubelet()
    return kubelet.pod(args.action, kubelet.plan.vm.vm(args.vm), args.namespace, args.name)


def cmd_vms_switch(_args: argparse.Namespace) -> int:
    from mhmlab import vpcswitch  # pylint: disable=import-outside-toplevel

    return vpcswitch.main(_vms_plan())


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog='python -m mhmlab', description='The multihome.multus lab.')
    top.add_argument('--max-nodes', type=int, metavar='N',
                     help=f'nodes in the plan (default: $MHM_LAB_MAX_NODES or {lab_plan.DEFAULT_MAX_NODES})')
    groups = top.add_subparsers(dest='group', required=True)

    plan = groups.add_parser('plan', help='names, addresses, ports and versions of the lab')
    plan_cmds = plan.add_subparsers(dest='command', required=True)
    env = plan_cmds.add_parser('env', help="KEY=value lines of a node's addresses (the plan part of labctl env)")
    env.add_argument('node')
    env.set_defaults(func=cmd_plan_env)
    plan_cmds.add_parser('shell', help='readonly PLAN_* lines for the bash tools to eval').set_defaults(func=cmd_plan_shell)
    plan_cmds.add_parser('nodes', help='a table of the nodes').set_defaults(func=cmd_plan_nodes)

    inv = groups.add_parser('inventory', help='the inventories generated from the plan')
    inv_cmds = inv.add_subparsers(dest='command', required=True)
    write = inv_cmds.add_parser('write', help='write inventories/lab and inventories/lab-cluster')
    write.add_argument('--check', action='store_true', help='write nothing; exit 1 when a file differs')
    write.add_argument('--root', type=Path, default=REPO, help='the repository (default: %(default)s)')
    write.set_defaults(func=cmd_inventory_write)

    nodes = groups.add_parser(
        'nodes', help='the namespace lab: worker nodes made of Linux namespaces (lab/labctl)',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(f'  {name} {text}' for name, text in NODES_COMMANDS.items()))
    nodes.add_argument('command', choices=[*NODES_COMMANDS, '__boot'], metavar='COMMAND')
    nodes.add_argument('args', nargs=argparse.REMAINDER, metavar='ARG')
    nodes.set_defaults(func=cmd_nodes)
    for name, text, func in (
            ('cluster', 'the lab cluster: control plane on loopback (lab/cluster/clusterctl)', cmd_cluster),
            ('kubelets', "containerd and kubelet in the lab's nodes (lab/cluster/kubeletctl)", cmd_kubelets),
            *((tool, text, cmd_tool) for tool, (_module, text) in TOOLS.items())):
        group = groups.add_parser(name, help=text, add_help=False)
        group.add_argument('args', nargs=argparse.REMAINDER, metavar='ARG')
        group.set_defaults(func=func)
    vm_group = groups.add_parser('vms', help='VM workers (QEMU TCG, Debian kernel) on the VPC stand-in')
    vm_cmds = vm_group.add_subparsers(dest='command', required=True)
    vm_cmds.add_parser('kernel', help="fetch Debian's kernel and build the initramfs (once)").set_defaults(
        func=cmd_vms_kernel)
    vm_cmds.add_parser('up', help='kernel, VPC switch, VMs; keeps what is healthy').set_defaults(func=cmd_vms_up)
    vm_cmds.add_parser('down', help='VMs, VPC switch, state; fine when half-made').set_defaults(func=cmd_vms_down)
    vm_cmds.add_parser('status', help='exit 0 healthy, 1 broken, 3 down').set_defaults(func=cmd_vms_status)
    for name, text in (('ssh', 'ssh into a VM as root (a command runs there)'),
                       ('exec', 'run a command in a VM over ssh, exit with its status')):
        cmd = vm_cmds.add_parser(name, help=text)
        cmd.add_argument('vm')
        cmd.add_argument('command', nargs=argparse.REMAINDER)
        cmd.set_defaults(func=cmd_vms_ssh)
    vm_cmds.add_parser('switch', help='the VPC stand-in (started by up)').set_defaults(func=cmd_vms_switch)
    vm_cmds.add_parser('nodes', help='register the VMs as Nodes of the lab cluster (kubelet stand-in)').set_defaults(
        func=cmd_vms_nodes)
    daemonset = vm_cmds.add_parser('daemonset', help="run a DaemonSet's pod in every VM from its spec (kubelet stand-in)")
    daemonset.add_argument('namespace')
    daemonset.add_argument('name')
    daemonset.set_defaults(func=cmd_vms_daemonset)
    pod = vm_cmds.add_parser('pod', help="CNI ADD/DEL of a pod's sandbox in a VM (container runtime stand-in)")
    pod.add_argument('action', choices=('add', 'del'))
    pod.add_argument('vm')
    pod.add_argument('namespace')
    pod.add_argument('name')
    pod.set_defaults(func=cmd_vms_pod)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, extra = top.parse_known_args(argv)
    if extra:
        if args.func not in (cmd_cluster, cmd_kubelets, cmd_tool):
            top.error(f'unrecognized arguments: {" ".join(extra)}')
        # An option first (`clusterctl --help`, `audit --mark`), which REMAINDER does not take.
        args.args = extra + args.args
    try:
        return args.func(args)
    except (lab_plan.PlanError, RuntimeError, OSError) as exc:
        print(f'mhmlab: error: {exc}', file=sys.stderr)
        return 2
