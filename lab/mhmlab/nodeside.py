# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""One lab node's kubelet and containerd: their files (certificate, kubeconfig, configs, pid files,
logs in ``$MULTIHOME_CACHE/kubelet/nodes/NODE``) and the order they stop in.

Stopping: the kubelet first (it would restart pods), then every pod container
and sandbox through the node's cgroup root, then containerd's shims of the
node (same mount namespace), then containerd. Every step goes through
``NodeHost``, so the order is tested with a recording stand-in
(tests/unit/lab/test_lab_kubelets.py).
"""

from __future__ import annotations

import dataclasses
import os
import signal
from pathlib import Path

from mhmlab import cgroups, hostside, pki, procs, templates
from mhmlab.labimages import PAUSE_IMAGE
from mhmlab.controlplane import ControlPlane
from mhmlab.plan import Node, Plan
from mhmlab.runner import Runner

SHIM = 'containerd-shim-runc'
CERT_DAYS = 30


def cgroup_name(plan: Plan, node: Node) -> str:
    return f'{plan.prefix}-{node.name}'


def nsenter(pid: int) -> list[str]:
    """Run in the node's mount, network and UTS namespaces (nsenter execs the command: its pid stays)."""
    return ['nsenter', '--target', str(pid), '--mount', '--net', '--uts', '--']


@dataclasses.dataclass(frozen=True)
class NodeFiles:
    dir: Path
    node: Node
    plan: Plan
    cp: ControlPlane

    @property
    def kubeconfig(self) -> Path:
        return self.dir / 'kubeconfig'

    @property
    def kubelet_config(self) -> Path:
        return self.dir / 'kubelet.yaml'

    @property
    def containerd_config(self) -> Path:
        return self.dir / 'containerd.toml'

    @property
    def kubelet_pid(self) -> Path:
        return self.dir / 'kubelet.pid'

    @property
    def containerd_pid(self) -> Path:
        return self.dir / 'containerd.pid'

    def kubeconfig_text(self) -> str:
        return templates.render('node-kubeconfig.yaml.in', cluster_pki=self.cp.pki, service_ip=self.cp.service_ip,
                                service_port=self.cp.service_port, name=self.node.name, node_dir=self.dir)

    def containerd_text(self) -> str:
        return templates.render('containerd.toml', pause_image=PAUSE_IMAGE)

    def kubelet_text(self) -> str:
        return templates.render('kubelet.yaml.in', address=self.node.mgmt.ip, port=self.plan.cluster.kubelet_port,
                                cgroup=cgroup_name(self.plan, self.node), cluster_pki=self.cp.pki)

    def write(self, runner: Runner) -> None:
        """The node's client certificate (once), kubeconfig and configs."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dir.chmod(0o700)
        crt = self.dir / 'kubelet.crt'
        if not (crt.is_file() and crt.stat().st_size):
            pki.sign_client(runner, self.cp.pki, self.dir / 'kubelet',
                            f'/O=system:nodes/CN=system:node:{self.node.name}', days=CERT_DAYS)
        self.kubeconfig.write_text(self.kubeconfig_text(), encoding='utf-8')
        self.containerd_config.write_text(self.containerd_text(), encoding='utf-8')
        self.kubelet_config.write_text(self.kubelet_text(), encoding='utf-8')


class NodeHost:
    """What stopping a node does to the machine, one method per kind of step."""

    def __init__(self, plan: Plan, node: Node, sshd_pid: int | None, prog: str):
        self.plan, self.node, self.prog = plan, node, prog
        self.mntns = procs.namespace(sshd_pid, 'mnt') if sshd_pid else None

    def daemon_pid(self, pid_file: Path, marker: str) -> int | None:
        return hostside.daemon_pid(pid_file, marker)

    def stop(self, pid: int) -> None:
        hostside.stop(pid, self.prog)

    def sweep_cgroups(self) -> None:
        cgroups.sweep(cgroup_name(self.plan, self.node), lambda pids: procs.stop(pids, prog=self.prog), prog=self.prog)

    def shims(self) -> list[int]:
        """containerd's shims of this node: same mount namespace as the node (none when it is unknown)."""
        if not self.mntns:
            return []
        return [pid for pid in procs.with_arg(SHIM) if procs.namespace(pid, 'mnt') == self.mntns]

    def kill(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def stop_node(host: NodeHost, files: NodeFiles) -> None:
    """kubelet, the pods (cgroups), the shims, containerd; each only when it runs."""
    if pid := host.daemon_pid(files.kubelet_pid, str(files.kubelet_config)):
        host.stop(pid)
    host.sweep_cgroups()
    for pid in host.shims():
        host.kill(pid)
    if pid := host.daemon_pid(files.containerd_pid, str(files.containerd_config)):
        host.stop(pid)
