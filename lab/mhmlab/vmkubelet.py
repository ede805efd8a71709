# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The VM workers' kubelet stand-in: ``python -m mhmlab vms nodes|daemonset|pod``.

The VMs run no kubelet and no containerd. For the pieces the VM scenario needs,
the lab does their part with the real components:

* ``nodes``: registers each VM as a Node, without the ``kubernetes.io/os`` label,
  so no DaemonSet places a pod on it (nothing would run one).
* ``daemonset NAMESPACE NAME``: runs that DaemonSet's pod in every VM from its
  own spec: the image's files from the lab's image archive, the containers'
  command, args and env, hostPath and configMap volumes, a service-account token from the
  TokenRequest API with kube-root-ca.crt (what the kubelet projects), and
  ``KUBERNETES_SERVICE_HOST``/``PORT`` pointing at the VM's ``api_address``,
  and each container's memory limit as its cgroup's ``memory.max``.
  For the collection's Multus DaemonSet that is the real thin entrypoint,
  which installs the real ``multus`` binary and writes ``00-multus.conf``.
* ``pod add|del VM NAMESPACE NAME``: a pod sandbox's network as a container
  runtime sets it up: a network namespace and CNI ADD (or DEL) of the VM's first
  CNI config with the pod's ``K8S_POD_*`` arguments; Multus does the rest,
  network-status included.

guestpod.py is what runs in the guest; it is copied to the VM's /run first.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tarfile
from pathlib import Path, PurePosixPath

from mhmlab import labimages, vms
from mhmlab.controlplane import ControlPlane
from mhmlab.plan import Plan, Vm
from mhmlab.runner import Runner

GUEST_POD = Path(__file__).resolve().parent / 'guestpod.py'
GUEST_STATE = PurePosixPath('/run/mhm-kubelet')
GUEST_SCRIPT = GUEST_STATE / 'guestpod.py'
SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'
# The token a pod gets when its service account is mounted by default (the API server's admission adds it).
DEFAULT_TOKEN_SECONDS = 3607
IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
NODE_LABEL = 'mhm.lab/kubelet'
SSH_TIMEOUT = 120


class KubeletError(RuntimeError):
    """A pod spec the stand-in cannot run, or a step in the VM that failed."""


def node_manifest(vm: Vm) -> dict:
    return {'apiVersion': 'v1', 'kind': 'Node',
            'metadata': {'name': vm.name, 'labels': {'kubernetes.io/hostname': vm.name, NODE_LABEL: 'stand-in'}},
            'spec': {'podCIDR': str(vm.pod_cidr), 'podCIDRs': [str(vm.pod_cidr)]}}


def memory_bytes(quantity: object) -> int:
    """A Kubernetes memory quantity (``50Mi``, ``1G``, ``128974848``) in bytes."""
    match = re.fullmatch(r'(\d+)([KMGT]i?)?', str(quantity))
    if not match:
        raise KubeletError(f'memory quantity {quantity!r}: only an integer with an optional K/M/G/T(i) suffix')
    number, suffix = int(match.group(1)), match.group(2) or ''
    base = 1024 if suffix.endswith('i') else 1000
    return number * base ** ('KMGT'.index(suffix[0]) + 1 if suffix else 0)


def _env(container: dict, vm: Vm, namespace: str) -> dict[str, str]:
    fields = {'spec.nodeName': vm.name, 'metadata.namespace': namespace}
    env = {}
    for item in container.get('env', []):
        if 'value' in item:
            env[item['name']] = item['value']
            continue
        path = item.get('valueFrom', {}).get('fieldRef', {}).get('fieldPath')
        if path not in fields:
            raise KubeletError(f'env {item["name"]}: only values and fieldRef {sorted(fields)} are supported')
        env[item['name']] = fields[path]
    return env


def _default_token_volume() -> dict:
    return {'name': 'mhm-kube-api-access', 'projected': {'sources': [
        {'serviceAccountToken': {'path': 'token', 'expirationSeconds': DEFAULT_TOKEN_SECONDS}},
        {'configMap': {'name': 'kube-root-ca.crt', 'items': [{'key': 'ca.crt', 'path': 'ca.crt'}]}},
        {'downwardAPI': {'items': [{'path': 'namespace', 'fieldRef': {'fieldPath': 'metadata.namespace'}}]}}]}}


def pod_spec(daemonset: dict, vm: Vm, api: tuple[str, int]) -> tuple[dict, list[dict]]:
    """What guestpod.py runs for ``daemonset`` on ``vm``, and the projected volumes the host must fill.

    Returns (spec, projected) where each projected item is {'dir': guest directory, 'sources': [...]}.
    """
    meta, template = daemonset['metadata'], daemonset['spec']['template']['spec']
    namespace = meta['namespace']
    state = GUEST_STATE / 'pods' / f'{namespace}_{meta["name"]}'
    volumes = {v['name']: v for v in template.get('volumes', [])}
    automount = template.get('automountServiceAccountToken', True)
    containers, projected, used = [], [], set()
    for init, container in [(True, c) for c in template.get('initContainers', [])] + \
                           [(False, c) for c in template['containers']]:
        mounts = []
        wanted = list(container.get('volumeMounts', []))
        if automount and not any(m['mountPath'] == SA_DIR for m in wanted):
            volumes.setdefault('mhm-kube-api-access', _default_token_volume())
            wanted.append({'name': 'mhm-kube-api-access', 'mountPath': SA_DIR, 'readOnly': True})
        for item in wanted:
            volume = volumes.get(item['name'])
            if volume is None:
                raise KubeletError(f'container {container["name"]}: no volume {item["name"]}')
            if 'hostPath' in volume:
                source = volume['hostPath']['path']
                # As containerd does for an unchecked hostPath: a missing source becomes a directory.
                create = volume['hostPath'].get('type', '') in ('', 'DirectoryOrCreate')
            elif 'projected' in volume or 'configMap' in volume:
                source = str(state / 'volumes' / item['name'])
                create = False
                if item['name'] not in used:
                    used.add(item['name'])
                    sources = volume['projected']['sources'] if 'projected' in volume else [volume]
                    projected.append({'dir': source, 'sources': sources})
            else:
                raise KubeletError(f'volume {item["name"]}: only hostPath, projected and configMap volumes are '
                                   'supported')
            mounts.append({'source': source, 'target': item['mountPath'], 'readOnly': bool(item.get('readOnly')),
                           'create': create, 'propagation': item.get('mountPropagation')})
        env = {'PATH': IMAGE_PATH, 'KUBERNETES_SERVICE_HOST': api[0], 'KUBERNETES_SERVICE_PORT': str(api[1]),
               **_env(container, vm, namespace)}
        limit = container.get('resources', {}).get('limits', {}).get('memory')
        containers.append({'name': container['name'], 'init': init, 'mounts': mounts, 'env': env,
                           'argv': [*container.get('command', []), *container.get('args', [])],
                           'memory_limit': memory_bytes(limit) if limit else None})
    return {'state': str(state), 'rootfs': str(state / 'rootfs'), 'containers': containers, 'files': {}}, projected


class VmKubelet:
    def __init__(self, plan: Plan, runner: Runner | None = None):
        self.plan, self.runner = plan, runner or Runner()
        self.cp = ControlPlane.from_plan(plan)
        self.images = labimages.Images(plan, {})

    def kubectl(self, *args: str, stdin: str | None = None) -> str:
        return self.runner.output(self.cp.kubectl_argv(*args), timeout=60, stdin=stdin)

    def ssh(self, vm: Vm, command: str, *, stdin: str | None = None, check: bool = True):
        return self.runner.run(vms.ssh_argv(self.plan, vm, [command]), timeout=SSH_TIMEOUT, stdin=stdin, check=check)

    def register_nodes(self) -> None:
        items = [node_manifest(vm) for vm in self.plan.vm.vms]
        print(self.kubectl('apply', '-f', '-', stdin=json.dumps({'apiVersion': 'v1', 'kind': 'List', 'items': items})),
              end='')

    def install(self, vm: Vm) -> None:
        """The stand-in's own file on the node."""
        self.ssh(vm, f'mkdir -p {GUEST_STATE} && cat > {GUEST_SCRIPT}', stdin=GUEST_POD.read_text(encoding='utf-8'))

    def projected_files(self, namespace: str, service_account: str, item: dict) -> dict[str, str]:
        files = {}
        for source in item['sources']:
            if 'serviceAccountToken' in source:
                token = source['serviceAccountToken']
                seconds = token.get('expirationSeconds', DEFAULT_TOKEN_SECONDS)
                files[token['path']] = self.kubectl('create', 'token', service_account, '-n', namespace,
                                                    f'--duration={seconds}s').strip()
            elif 'configMap' in source:
                data = json.loads(self.kubectl('get', 'configmap', source['configMap']['name'], '-n', namespace,
                                               '-o', 'json'))['data']
                for key in source['configMap'].get('items') or [{'key': k, 'path': k} for k in data]:
                    files[key['path']] = data[key['key']]
            elif 'downwardAPI' in source:
                for key in source['downwardAPI']['items']:
                    if key['fieldRef']['fieldPath'] != 'metadata.namespace':
                        raise KubeletError(f'downwardAPI {key["fieldRef"]["fieldPath"]} is not supported')
                    files[key['path']] = namespace
        return {f'{item["dir"]}/{name}': text for name, text in files.items()}

    def unpack_image(self, vm: Vm, ref: str, rootfs: str) -> None:
        """The image's single layer from the lab's archive into rootfs (the node's image pull)."""
        archive = self.images.archive(ref)
        if not archive.is_file():
            raise KubeletError(f'no image archive for {ref} at {archive}: the lab makes only its own images')
        with tarfile.open(archive) as outer:
            manifest = json.load(outer.extractfile('manifest.json'))
            layers = manifest[0]['Layers']
            if len(layers) != 1:
                raise KubeletError(f'{archive}: one layer expected, found {len(layers)}')
            layer = outer.extractfile(layers[0])
            with subprocess.Popen(vms.ssh_argv(self.plan, vm, [f'mkdir -p {rootfs} && tar -x -C {rootfs}']),
                                  stdin=subprocess.PIPE) as proc:
                while chunk := layer.read(1 << 20):
                    proc.stdin.write(chunk)
                proc.stdin.close()
                if proc.wait(timeout=SSH_TIMEOUT):
                    raise KubeletError(f'{vm.name}: unpacking {ref} failed')

    def run_daemonset(self, namespace: str, name: str) -> int:
        daemonset = json.loads(self.kubectl('get', 'daemonset', name, '-n', namespace, '-o', 'json'))
        template = daemonset['spec']['template']['spec']
        images = {c['image'] for c in [*template.get('initContainers', []), *template['containers']]}
        if len(images) != 1:
            raise KubeletError(f'daemonset {namespace}/{name}: one image expected, found {sorted(images)}')
        image = images.pop()
        # Made or remade when an input is newer, as `kubelets up` does.
        labimages.Maker(self.images, self.runner).ensure()
        for vm in self.plan.vm.vms:
            spec, projected = pod_spec(daemonset, vm, (str(vm.api_address), self.plan.vm.api_port))
            for item in projected:
                spec['files'].update(self.projected_files(namespace, template.get('serviceAccountName', 'default'),
                                                          item))
            self.install(vm)
            path = f'{spec["state"]}.json'
            if self.ssh(vm, f'test -f {path}', check=False).returncode == 0:
                self.ssh(vm, f'python3 {GUEST_SCRIPT} stop {path}')
            self.ssh(vm, f'rm -rf {spec["state"]} && mkdir -p {spec["state"]}')
            self.unpack_image(vm, image, spec['rootfs'])
            self.ssh(vm, f'cat > {path}', stdin=json.dumps(spec))
            done = self.ssh(vm, f'python3 {GUEST_SCRIPT} run {path}', check=False)
            print(f'{vm.name}: daemonset {namespace}/{name}: {done.stdout.strip()} {done.stderr.strip()}'.strip())
            if done.returncode:
                return 1
        return 0

    def pod(self, command: str, vm: Vm, namespace: str, name: str) -> int:
        """CNI ADD or DEL for the pod's sandbox on vm; prints the CNI result (or the plugin's error) and exits with its status.

        A DEL also works when the pod is gone from the API server: the VM remembers its sandbox.
        """
        if command == 'del':
            uid = sandbox = '-'
        else:
            uid = json.loads(self.kubectl('get', 'pod', name, '-n', namespace, '-o', 'json'))['metadata']['uid']
            sandbox = re.sub('[^0-9a-f]', '', uid)
        netns = f'mhm-pod-{namespace}-{name}'
        self.install(vm)
        done = self.ssh(vm, shlex.join(['python3', str(GUEST_SCRIPT), 'cni', command, sandbox, netns, namespace, name,
                                        uid]), check=False)
        print(done.stdout, end='')
        if done.stderr:
            print(done.stderr, end='', file=sys.stderr)
        return done.returncode
