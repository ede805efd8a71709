# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""podrunner: what a container runtime does for the pods on the lab's kwok nodes.

kwok-controller fakes the kubelet's status reports for the Nodes node1, node2,
... of the namespace lab; this process does, for the pods scheduled there, the
parts of a kubelet and container runtime that Multus and the collection need,
with the real binaries and files of that node (lab/labctl's mount and network
namespaces):

* a pod on the pod network gets its own network namespace inside its node and
  the node's first CNI configuration in /etc/cni/net.d is run for it with the
  standard CNI arguments (with Multus installed, 00-multus.conf: the real Multus
  thin plugin reads the networks annotation and the NetworkAttachmentDefinition,
  delegates and writes k8s.v1.cni.cncf.io/network-status itself). The pod is
  torn down (CNI DEL, namespace removed) once it is deleted. A kwok Exec object
  lets `kubectl exec` run busybox applets in that namespace (exec-shims/).
* a host-network pod whose image is in the lab's image store (for example the
  Multus DaemonSet's, built from Multus' Go modules) has its init containers
  run to completion and then its containers run, chrooted into the image with
  its hostPath volumes and a service account token, as the kubelet would.
  Images not in the store (the Cilium stand-in) are left to kwok alone.
* the `kubernetes` Service's ClusterIP is proxied to the API server on
  loopback, the one thing kube-proxy would do here.

Failures are reported as Warning events on the pod, like a kubelet's, and
retried with a bounded backoff. Started and stopped by lab/cluster/runtimectl.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import signal
import socket
import socketserver
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kubernetes import client, config
from kubernetes.client.rest import ApiException

LOG = logging.getLogger('podrunner')
HERE = Path(__file__).resolve().parent
LABCTL = HERE.parent / 'labctl'
CONTAINER_RUN = HERE / 'container-run'
CNI_EXTENSIONS = ('.conf', '.conflist', '.json')
SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'
RUNNER_NAME = 'mhm-podrunner'
BACKOFF = (1, 2, 4, 8, 15)


class RunnerError(Exception):
    """A step for one pod failed; the message goes into the pod's event."""


@dataclass
class Node:
    name: str
    pid: int


@dataclass
class PodState:
    uid: str
    namespace: str
    name: str
    node: Node
    kind: str  # 'net' or 'host'
    netns: str = ''
    container_id: str = ''
    plugins: list = field(default_factory=list)
    result: dict = field(default_factory=dict)
    procs: dict = field(default_factory=dict)


def image_dir(store: Path, image: str) -> Path:
    """Where the store keeps an image's root file system (runtimectl writes it)."""
    return store / image.replace('/', '_').replace(':', '_').replace('@', '_') / 'rootfs'


def in_node(node: Node, argv: list[str], stdin: bytes | None = None, env: dict | None = None,
            timeout: int = 60) -> subprocess.CompletedProcess:
    cmd = ['nsenter', '--target', str(node.pid), '--mount', '--net', '--uts', '--']
    if env is not None:
        cmd += ['env', '-i'] + [f'{k}={v}' for k, v in env.items()]
    return subprocess.run(cmd + argv, input=stdin, capture_output=True, timeout=timeout, check=False)


class ServiceProxy(socketserver.ThreadingTCPServer):
    """TCP proxy from the `kubernetes` ClusterIP to the API server on loopback."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]):
        self.target = target
        super().__init__(listen, ProxyHandler)


class ProxyHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            upstream = socket.create_connection(self.server.target, timeout=10)
        except OSError as exc:
            LOG.warning('service proxy: cannot reach the API server: %s', exc)
            return
        upstream.settimeout(None)
        pump = threading.Thread(target=self._pump, args=(upstream, self.request), daemon=True)
        pump.start()
        self._pump(self.request, upstream)
        pump.join(timeout=5)

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class Runner:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.state_dir = Path(args.state)
        self.store = Path(args.images)
        config.load_kube_config(args.kubeconfig)
        self.core = client.CoreV1Api()
        self.custom = client.CustomObjectsApi()
        self.pods: dict[str, PodState] = {}
        self.nodes: dict[str, Node | None] = {}
        self.retry: dict[str, tuple[int, float]] = {}
        self.stopping = False

    # -- nodes ------------------------------------------------------------
    def node(self, name: str) -> Node | None:
        cached = self.nodes.get(name)
        if cached is not None and Path(f'/proc/{cached.pid}').exists():
            return cached
        proc = subprocess.run([str(LABCTL), 'env', name], capture_output=True, text=True, timeout=60, check=False)
        if proc.returncode != 0:
            self.nodes[name] = None
            return None
        env = dict(line.split('=', 1) for line in proc.stdout.splitlines() if '=' in line)
        node = Node(name, int(env['MHM_PID']))
        # The ClusterIP range is reached through the host, where the proxy listens.
        route = in_node(node, ['ip', 'route', 'replace', self.args.service_cidr, 'via', self.args.gateway])
        if route.returncode != 0:
            LOG.error('node %s: cannot route %s: %s', name, self.args.service_cidr, route.stderr.decode().strip())
        self.nodes[name] = node
        LOG.info('node %s: namespaces of pid %s', name, node.pid)
        return node

    # -- events -----------------------------------------------------------
    def event(self, pod, reason: str, message: str, kind: str = 'Warning') -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        body = client.CoreV1Event(
            metadata=client.V1ObjectMeta(generate_name=f'{pod.metadata.name}.'),
            involved_object=client.V1ObjectReference(kind='Pod', namespace=pod.metadata.namespace,
                                                     name=pod.metadata.name, uid=pod.metadata.uid, api_version='v1'),
            reason=reason, message=message[:1000], type=kind, count=1,
            first_timestamp=now, last_timestamp=now,
            source=client.V1EventSource(component=RUNNER_NAME, host=pod.spec.node_name))
        try:
            self.core.create_namespaced_event(pod.metadata.namespace, body)
        except ApiException as exc:
            LOG.warning('cannot record event %s for %s: %s', reason, pod.metadata.name, exc.reason)

    # -- pod network --------------------------------------------------------
    def first_cni_config(self, node: Node) -> tuple[str, dict]:
        listing = in_node(node, ['ls', '-1', '/etc/cni/net.d'])
        names = sorted(n for n in listing.stdout.decode().split() if n.endswith(CNI_EXTENSIONS))
        if not names:
            raise RunnerError('no CNI configuration in /etc/cni/net.d')
        path = f'/etc/cni/net.d/{names[0]}'
        text = in_node(node, ['cat', path]).stdout
        try:
            return path, json.loads(text)
        except ValueError as exc:
            raise RunnerError(f'{path} is not JSON: {exc}') from exc

    def cni(self, state: PodState, pod_name: str, command: str, plugin: dict) -> dict:
        env = {
            'CNI_COMMAND': command,
            'CNI_CONTAINERID': state.container_id,
            'CNI_NETNS': f'/run/netns/{state.netns}',
            'CNI_IFNAME': 'eth0',
            'CNI_PATH': '/opt/cni/bin',
            'CNI_ARGS': (f'IgnoreUnknown=1;K8S_POD_NAMESPACE={state.namespace};K8S_POD_NAME={pod_name};'
                         f'K8S_POD_INFRA_CONTAINER_ID={state.container_id};K8S_POD_UID={state.uid}'),
            'PATH': '/usr/sbin:/usr/bin:/sbin:/bin',
        }
        proc = in_node(state.node, [f"/opt/cni/bin/{plugin['type']}"], stdin=json.dumps(plugin).encode(),
                       env=env, timeout=self.args.cni_timeout)
        out = proc.stdout.decode(errors='replace').strip()
        if proc.returncode != 0:
            try:
                err = json.loads(out)
                detail = f"{err.get('msg', '')} {err.get('details', '')}".strip()
            except ValueError:
                detail = (out + ' ' + proc.stderr.decode(errors='replace')).strip()
            raise RunnerError(f"CNI {command} of plugin {plugin['type']} failed (exit {proc.returncode}): {detail}")
        return json.loads(out) if out else {}

    def setup_network(self, pod, state: PodState) -> None:
        state.netns = f'mhm-pod-{state.uid[:13]}'
        state.container_id = f'mhm{state.uid.replace("-", "")}'
        in_node(state.node, ['ip', 'netns', 'add', state.netns])
        up = in_node(state.node, ['ip', 'netns', 'exec', state.netns, 'ip', 'link', 'set', 'lo', 'up'])
        if up.returncode != 0:
            raise RunnerError(f'cannot create network namespace {state.netns}: {up.stderr.decode().strip()}')
        path, conf = self.first_cni_config(state.node)
        plugins = conf['plugins'] if 'plugins' in conf else [conf]
        result: dict = {}
        for raw in plugins:
            plugin = dict(raw, name=conf.get('name', ''), cniVersion=conf.get('cniVersion', '0.3.1'))
            if result:
                plugin['prevResult'] = result
            state.plugins.append(plugin)
            result = self.cni(state, pod.metadata.name, 'ADD', plugin)
        state.result = result
        LOG.info('pod %s/%s on %s: CNI ADD of %s done: %s', state.namespace, state.name, state.node.name, path,
                 [ip.get('address') for ip in result.get('ips', [])])
        self.custom_exec(state, present=True)

    def teardown_network(self, state: PodState) -> None:
        for plugin in reversed(state.plugins):
            plugin = {k: v for k, v in plugin.items() if k != 'prevResult'}
            try:
                self.cni(state, state.name, 'DEL', plugin)
            except (RunnerError, ValueError, subprocess.TimeoutExpired) as exc:
                LOG.warning('pod %s/%s: %s', state.namespace, state.name, exc)
        if state.netns:
            in_node(state.node, ['ip', 'netns', 'del', state.netns])
        self.custom_exec(state, present=False)

    def custom_exec(self, state: PodState, present: bool) -> None:
        api = dict(group='kwok.x-k8s.io', version='v1alpha1', namespace=state.namespace, plural='execs')
        try:
            if present:
                body = {
                    'apiVersion': 'kwok.x-k8s.io/v1alpha1', 'kind': 'Exec',
                    'metadata': {'name': state.name, 'namespace': state.namespace,
                                 'labels': {'app.kubernetes.io/managed-by': RUNNER_NAME}},
                    'spec': {'execs': [{'local': {'envs': [
                        {'name': 'MHM_NODE_PID', 'value': str(state.node.pid)},
                        {'name': 'MHM_POD_NETNS', 'value': state.netns}]}}]},
                }
                try:
                    self.custom.create_namespaced_custom_object(body=body, **api)
                except ApiException as exc:
                    if exc.status != 409:
                        raise
                    self.custom.delete_namespaced_custom_object(name=state.name, **api)
                    self.custom.create_namespaced_custom_object(body=body, **api)
            else:
                self.custom.delete_namespaced_custom_object(name=state.name, **api)
        except ApiException as exc:
            if present or exc.status != 404:
                LOG.warning('Exec object %s/%s: %s', state.namespace, state.name, exc.reason)

    # -- host-network containers ----------------------------------------------
    def service_account_dir(self, pod, state: PodState) -> Path:
        sa_dir = self.state_dir / 'pods' / state.uid / 'serviceaccount'
        sa_dir.mkdir(parents=True, exist_ok=True)
        spec = client.V1TokenRequestSpec(
            audiences=[], expiration_seconds=3600,
            bound_object_ref=client.V1BoundObjectReference(kind='Pod', api_version='v1', name=pod.metadata.name,
                                                           uid=state.uid))
        token = self.core.create_namespaced_service_account_token(
            pod.spec.service_account_name or 'default', state.namespace, client.AuthenticationV1TokenRequest(spec=spec))
        ca = self.core.read_namespaced_config_map('kube-root-ca.crt', state.namespace).data['ca.crt']
        (sa_dir / 'token').write_text(token.status.token, encoding='utf-8')
        (sa_dir / 'ca.crt').write_text(ca, encoding='utf-8')
        (sa_dir / 'namespace').write_text(state.namespace, encoding='utf-8')
        return sa_dir

    def mounts(self, pod, container, sa_dir: Path) -> list[str]:
        volumes = {v.name: v for v in pod.spec.volumes or []}
        out = []
        for mount in container.volume_mounts or []:
            volume = volumes.get(mount.name)
            if volume is None:
                raise RunnerError(f'volume {mount.name} of container {container.name} is not in the pod')
            if volume.host_path is not None:
                if volume.host_path.type == 'DirectoryOrCreate':
                    in_node(self.pods[pod.metadata.uid].node, ['mkdir', '-p', volume.host_path.path])
                out.append(f'{volume.host_path.path}:{mount.mount_path}')
            elif volume.projected is not None and any(s.service_account_token for s in volume.projected.sources or []):
                out.append(f'{sa_dir}:{mount.mount_path}')
            elif volume.config_map is not None:
                out.append(f'{self.config_map_dir(pod, volume)}:{mount.mount_path}')
            else:
                raise RunnerError(f'volume {mount.name}: only hostPath, configMap and the service account token are supported')
        return out

    def config_map_dir(self, pod, volume) -> Path:
        data = self.core.read_namespaced_config_map(volume.config_map.name, pod.metadata.namespace).data or {}
        path = self.state_dir / 'pods' / pod.metadata.uid / 'volumes' / volume.name
        path.mkdir(parents=True, exist_ok=True)
        for key, value in data.items():
            (path / key).write_text(value, encoding='utf-8')
        return path

    def env_file(self, pod, container, state: PodState) -> Path:
        env = {
            'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
            'HOSTNAME': state.node.name,
            'KUBERNETES_SERVICE_HOST': self.args.service_ip,
            'KUBERNETES_SERVICE_PORT': '443',
            'KUBERNETES_SERVICE_PORT_HTTPS': '443',
        }
        fields = {'spec.nodeName': pod.spec.node_name, 'metadata.name': pod.metadata.name,
                  'metadata.namespace': pod.metadata.namespace, 'metadata.uid': state.uid,
                  'spec.serviceAccountName': pod.spec.service_account_name or 'default'}
        for var in container.env or []:
            if var.value_from is None:
                env[var.name] = var.value or ''
            elif var.value_from.field_ref is not None and var.value_from.field_ref.field_path in fields:
                env[var.name] = fields[var.value_from.field_ref.field_path]
            else:
                raise RunnerError(f'env {var.name} of container {container.name}: unsupported valueFrom')
        path = self.state_dir / 'pods' / state.uid / f'{container.name}.env'
        path.write_text(''.join(f'{k}={v}\n' for k, v in env.items()), encoding='utf-8')
        return path

    def start_container(self, pod, container, state: PodState, sa_dir: Path) -> subprocess.Popen:
        rootfs = image_dir(self.store, container.image)
        argv = list(container.command or []) + list(container.args or [])
        if not argv:
            raise RunnerError(f'container {container.name}: no command (lab images have no entrypoint)')
        root = f'/run/mhm-containers/{state.uid}/{container.name}'
        cmd = ['nsenter', '--target', str(state.node.pid), '--mount', '--net', '--uts', '--',
               'unshare', '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--',
               str(CONTAINER_RUN), root, str(rootfs), str(self.env_file(pod, container, state)),
               *self.mounts(pod, container, sa_dir), '--', *argv]
        log = (self.state_dir / 'pods' / state.uid / f'{container.name}.log').open('ab')
        LOG.info('pod %s/%s on %s: starting container %s: %s', state.namespace, state.name, state.node.name,
                 container.name, ' '.join(argv))
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def setup_host(self, pod, state: PodState) -> None:
        sa_dir = self.service_account_dir(pod, state)
        for init in pod.spec.init_containers or []:
            proc = self.start_container(pod, init, state, sa_dir)
            try:
                rc = proc.wait(timeout=self.args.init_timeout)
            except subprocess.TimeoutExpired as exc:
                proc.kill()
                raise RunnerError(f'init container {init.name} did not finish in {self.args.init_timeout}s') from exc
            if rc != 0:
                raise RunnerError(f'init container {init.name} exited {rc}; see {self.state_dir}/pods/{state.uid}/{init.name}.log')
        for container in pod.spec.containers:
            state.procs[container.name] = self.start_container(pod, container, state, sa_dir)

    def teardown_host(self, state: PodState) -> None:
        for name, proc in state.procs.items():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
            LOG.info('pod %s/%s: container %s stopped', state.namespace, state.name, name)
        in_node(state.node, ['rm', '-rf', f'/run/mhm-containers/{state.uid}'])

    # -- the loop -------------------------------------------------------------
    def wanted(self, pod) -> str | None:
        if pod.spec.host_network:
            images = [c.image for c in (pod.spec.init_containers or []) + pod.spec.containers]
            return 'host' if all(image_dir(self.store, i).is_dir() for i in images) else None
        return 'net'

    def setup(self, pod, node: Node, kind: str) -> None:
        uid = pod.metadata.uid
        attempts, not_before = self.retry.get(uid, (0, 0.0))
        if time.monotonic() < not_before:
            return
        state = PodState(uid, pod.metadata.namespace, pod.metadata.name, node, kind)
        self.pods[uid] = state
        try:
            (self.state_dir / 'pods' / uid).mkdir(parents=True, exist_ok=True)
            if kind == 'net':
                self.setup_network(pod, state)
            else:
                self.setup_host(pod, state)
            self.retry.pop(uid, None)
        except (RunnerError, ApiException, subprocess.TimeoutExpired, ValueError, KeyError) as exc:
            reason = 'FailedCreatePodSandBox' if kind == 'net' else 'Failed'
            message = f'{RUNNER_NAME} on node {node.name}: {exc}'
            LOG.warning('pod %s/%s: %s', state.namespace, state.name, message)
            self.event(pod, reason, message)
            self.teardown(uid)
            delay = BACKOFF[min(attempts, len(BACKOFF) - 1)]
            self.retry[uid] = (attempts + 1, time.monotonic() + delay)

    def teardown(self, uid: str) -> None:
        state = self.pods.pop(uid, None)
        if state is None:
            return
        if state.kind == 'net':
            self.teardown_network(state)
        else:
            self.teardown_host(state)
        subprocess.run(['rm', '-rf', str(self.state_dir / 'pods' / uid)], check=False)
        LOG.info('pod %s/%s on %s: torn down', state.namespace, state.name, state.node.name)

    def sync(self) -> None:
        pods = self.core.list_pod_for_all_namespaces(timeout_seconds=10).items
        live = set()
        # Host-network pods first: Multus' DaemonSet pod writes the config the others need.
        for pod in sorted(pods, key=lambda p: not p.spec.host_network):
            if not pod.spec.node_name or pod.metadata.deletion_timestamp is not None:
                continue
            kind = self.wanted(pod)
            if kind is None:
                continue
            node = self.node(pod.spec.node_name)
            if node is None:
                continue
            live.add(pod.metadata.uid)
            if pod.metadata.uid not in self.pods:
                self.setup(pod, node, kind)
        for uid in [uid for uid in self.pods if uid not in live]:
            self.teardown(uid)
        for uid in [uid for uid in self.retry if uid not in live]:
            self.retry.pop(uid)

    def run(self) -> int:
        deadline = time.monotonic() + self.args.max_seconds
        while not self.stopping and time.monotonic() < deadline:
            try:
                self.sync()
            except (ApiException, OSError) as exc:
                LOG.warning('sync failed: %s', exc)
            time.sleep(self.args.interval)
        LOG.info('stopping: tearing down %d pods', len(self.pods))
        for uid in list(self.pods):
            self.teardown(uid)
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--kubeconfig', required=True)
    parser.add_argument('--state', required=True, help='directory for per-pod files and logs')
    parser.add_argument('--images', required=True, help='image store: <ref with / : @ as _>/rootfs')
    parser.add_argument('--service-ip', required=True, help='ClusterIP of the kubernetes Service')
    parser.add_argument('--service-cidr', required=True)
    parser.add_argument('--gateway', required=True, help="host address on the nodes' management network")
    parser.add_argument('--apiserver', required=True, help='host:port of the API server on loopback')
    parser.add_argument('--interval', type=float, default=1.0)
    parser.add_argument('--cni-timeout', type=int, default=60)
    parser.add_argument('--init-timeout', type=int, default=120)
    parser.add_argument('--max-seconds', type=int, default=6 * 3600, help='stop after this long in any case')
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')

    host, port = args.apiserver.rsplit(':', 1)
    proxy = ServiceProxy((args.service_ip, 443), (host, int(port)))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    LOG.info('service proxy %s:443 -> %s', args.service_ip, args.apiserver)

    runner = Runner(args)

    def stop(_signum, _frame):
        runner.stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return runner.run()
    finally:
        proxy.shutdown()


if __name__ == '__main__':
    raise SystemExit(main())
