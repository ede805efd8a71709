# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab cluster's real nodes: ``python -m mhmlab kubelets up|down|status`` (``lab/cluster/kubeletctl``;
lab/cluster/README.md).

containerd (Debian, with runc) and a kubelet built from the Kubernetes Go
modules run inside each namespace node of ``labctl``. Bring them up after
``labctl up`` and ``clusterctl up``; take them down before. The log goes to
stderr; exit codes: 0 done, 1 failed (status: broken), 2 usage, 3 (status) none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mhmlab import cgroups, hostside, labimages, nodeside, sshd, waits
from mhmlab import plan as lab_plan
from mhmlab.cluster import Cluster
from mhmlab.nodes import Lab, LabError
from mhmlab.plan import Node, Plan
from mhmlab.runner import CommandError, Runner

PROG = 'kubeletctl'
USAGE = """kubeletctl: make the namespace nodes of lab/labctl real nodes of the lab
cluster (lab/cluster/clusterctl): containerd (Debian, with runc) and a kubelet
built from the Kubernetes Go modules run inside each node's namespaces.

  kubeletctl up [NODE...]    (default node1 node2) build the lab images if
                             needed, start the ClusterIP proxy, then on each
                             node containerd and kubelet; wait for Ready
  kubeletctl down [NODE...]  (default every node) stop kubelet, every pod
                             container and containerd; remove the cgroups;
                             with no node left, the proxy and host changes too
  kubeletctl status          exit 0 when every started node runs, 3 none

Bring it up after `labctl up` and `clusterctl up`; take it down before them.
"""
SOCKET_WAIT = 30


class KubeletError(RuntimeError):
    """kubeletctl cannot go on (the message says what to do)."""


def log(message: str) -> None:
    print(f'{PROG}: {message}', file=sys.stderr, flush=True)


class Kubelets:
    def __init__(self, plan: Plan, runner: Runner | None = None, environ=None):
        self.plan = plan
        self.runner = runner or Runner()
        self.environ = os.environ if environ is None else environ
        self.cluster = Cluster(plan, self.runner, self.environ)
        self.cp = self.cluster.cp
        self.lab = Lab(plan, self.runner)
        self.images = labimages.Images(plan, self.environ)
        self.state = Path(plan.cache) / 'kubelet'
        # The kubelets this run started, by node (a fresh child has not exec'd yet: poll it).
        self.children: dict[str, subprocess.Popen] = {}

    @property
    def kubelet(self) -> Path:
        return self.cp.kube_bin / 'kubelet'

    def node(self, name: str) -> Node:
        try:
            return self.plan.node(name)
        except lab_plan.PlanError as exc:
            raise KubeletError(str(exc)) from exc

    def node_pid(self, node: Node) -> int:
        """The sshd pid of a running lab node (its namespaces)."""
        try:
            return self.lab.require_up(node)
        except LabError as exc:
            raise KubeletError(f'lab node {node.name} is not up: run lab/labctl up {node.name} first') from exc

    def files(self, node: Node) -> nodeside.NodeFiles:
        return nodeside.NodeFiles(self.state / 'nodes' / node.name, node, self.plan, self.cp)

    def started(self) -> list[str]:
        try:
            return sorted(d.name for d in (self.state / 'nodes').iterdir() if d.is_dir())
        except OSError:
            return []

    def running(self, files: nodeside.NodeFiles) -> bool:
        return bool(hostside.daemon_pid(files.kubelet_pid, str(files.kubelet_config))
                    and hostside.daemon_pid(files.containerd_pid, str(files.containerd_config)))

    def ready(self, name: str) -> bool:
        done = self.runner.run([self.cp.kubectl_path, '--kubeconfig', self.cp.kubeconfig, '--request-timeout', '5s',
                                'get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'],
                               timeout=15, check=False)
        return done.returncode == 0 and done.stdout == 'True'

    # ------------------------------------------------------------ one node

    def node_up(self, node: Node) -> None:
        files = self.files(node)
        if self.running(files):
            log(f'{node.name}: kubelet and containerd are running')
            return
        pid = self.node_pid(node)
        files.write(self.runner)
        self.runner.ip('route', 'replace', self.cp.service_cidr, 'via', str(self.plan.management.gateway),
                       netns=node.netns)
        cgroups.make_root(nodeside.cgroup_name(self.plan, node))
        enter = nodeside.nsenter(pid)

        log(f'{node.name}: starting containerd')
        containerd = hostside.spawn([*enter, 'containerd', '--config', str(files.containerd_config)],
                                    files.dir / 'containerd.log', files.containerd_pid)

        def answers() -> bool:
            if containerd.poll() is not None:
                raise KubeletError(f'{node.name}: containerd exited; see {files.dir}/containerd.log')
            return self.runner.run([*enter, 'ctr', '--timeout', '2s', 'version'], timeout=10, check=False).returncode == 0

        if not waits.within(f'containerd of {node.name}', answers, SOCKET_WAIT, step=0.3, prog=PROG):
            raise KubeletError(f'{node.name}: containerd does not answer after {SOCKET_WAIT}s; '
                               f'see {files.dir}/containerd.log')
        for archive in sorted(self.images.dir.glob('*.tar')):
            done = self.runner.run([*enter, 'ctr', '-n', 'k8s.io', 'images', 'import', archive], timeout=300,
                                   check=False, log=files.dir / 'images.log')
            if done.returncode:
                raise KubeletError(f'{node.name}: importing {archive} failed; see {files.dir}/images.log')

        version = self.runner.output([self.kubelet, '--version'], timeout=30).strip()
        log(f'{node.name}: starting kubelet ({version})')
        argv = [*enter, str(self.kubelet), '--config', str(files.kubelet_config), '--kubeconfig', str(files.kubeconfig),
                '--hostname-override', node.name, '--node-ip', str(node.mgmt.ip), '--v=1']
        self.children[node.name] = hostside.spawn(argv, files.dir / 'kubelet.log', files.kubelet_pid)

    def wait_ready(self, node: Node, seconds: int) -> None:
        files = self.files(node)

        def ready() -> bool:
            child = self.children.get(node.name)
            if child:
                gone = child.poll() is not None
            else:
                gone = not hostside.daemon_pid(files.kubelet_pid, str(files.kubelet_config))
            if gone:
                raise KubeletError(f'{node.name}: kubelet exited; see {files.dir}/kubelet.log')
            return self.ready(node.name)

        if not waits.within(f'Node {node.name} Ready', ready, seconds, prog=PROG):
            raise KubeletError(f'{node.name}: Node not Ready after {seconds}s; see {files.dir}/kubelet.log')
        log(f'{node.name}: Ready')

    def node_down(self, name: str) -> None:
        node = self.node(name)
        files = self.files(node)
        pid = sshd.pid(self.lab.state, node) if self.lab.healthy(node) else None
        nodeside.stop_node(nodeside.NodeHost(self.plan, node, pid, PROG), files)
        shutil.rmtree(files.dir, ignore_errors=True)
        log(f'{name}: kubelet and containerd stopped')

    # ------------------------------------------------------------ commands

    def up(self, names: list[str]) -> int:
        nodes = [self.node(n) for n in names or self.plan.default_nodes]
        if self.cluster.status_quiet() != 0:
            raise KubeletError('the lab cluster is not healthy: run lab/cluster/clusterctl up first')
        if not os.access(self.kubelet, os.X_OK):
            raise KubeletError(f'no {self.kubelet}: clusterctl up builds it')
        if not (shutil.which('containerd') and shutil.which('runc')):
            raise KubeletError('containerd or runc missing: run hack/install-packages.sh (make setup)')
        (self.state / 'nodes').mkdir(parents=True, exist_ok=True)
        labimages.Maker(self.images, self.runner).ensure()
        self.node_pid(nodes[0])
        hostside.start_service_proxy(self.runner, self.state, self.plan.management.bridge,
                                     (self.cp.service_ip, self.cp.service_port),
                                     f'{self.cp.address}:{self.cp.apiserver_port}', PROG)
        hostside.save_sysctls(self.runner, self.state / 'host-sysctls')
        for node in nodes:
            self.node_up(node)
        wait = int(self.environ.get('MHM_KUBELET_WAIT') or 120)
        for node in nodes:
            self.wait_ready(node, wait)
        log(f'nodes up: {" ".join(n.name for n in nodes)} (logs in {self.state}/nodes/NODE/)')
        return 0

    def down(self, names: list[str]) -> int:
        for name in names or self.started():
            self.node_down(name)
        if self.started():
            return 0
        hostside.stop_service_proxy(self.runner, self.state, self.cp.service_ip, PROG)
        hostside.restore_sysctls(self.runner, self.state / 'host-sysctls', log)
        shutil.rmtree(self.state, ignore_errors=True)
        log('all lab kubelets are down')
        return 0

    def status(self) -> int:
        code = 3
        for name in self.started():
            if self.running(self.files(self.node(name))):
                log(f'{name}: kubelet and containerd running')
                code = 0 if code == 3 else code
            else:
                log(f'{name}: BROKEN (kubelet or containerd not running)')
                code = 1
        if code == 3:
            log('no lab kubelet is running')
        return code


def run(args: list[str], plan: Plan) -> int:
    """One kubeletctl command; errors print ``kubeletctl: error: ...`` and exit 1, usage errors exit 2."""
    if os.geteuid() != 0:
        log('error: must run as root (namespaces, cgroups)')
        return 1
    command, rest = (args[0], args[1:]) if args else ('', [])
    if command not in ('up', 'down', 'status'):
        print(USAGE, end='', file=sys.stderr)
        return 2
    kubelets = Kubelets(plan)
    try:
        if command == 'up':
            return kubelets.up(rest)
        if command == 'down':
            return kubelets.down(rest)
        return kubelets.status()
    except (KubeletError, CommandError, OSError, RuntimeError) as exc:
        log(f'error: {exc}')
        return 1
