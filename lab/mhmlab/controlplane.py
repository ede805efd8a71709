# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab cluster's control plane as kwokctl's binary runtime runs it: settings, files, processes.

The plan gives the defaults; the environment may override versions (as
hack/build-cluster-binaries.sh reads them), the cluster name and the ports
(``MHM_CLUSTER_*``). Everything listens on the plan's loopback address and
lives in ``$MULTIHOME_CACHE/cluster``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from mhmlab import procs, templates
from mhmlab.plan import Plan

# Builds every binary under cluster_bin() from its Go module (only the first run pays).
BUILD = Path(__file__).resolve().parents[2] / 'hack' / 'build-cluster-binaries.sh'


def cluster_bin(cache: Path, name: str) -> Path:
    """Where BUILD puts one component's binaries, e.g. ``k8s-v<version>``."""
    return cache / 'cluster-bin' / name


COMPONENTS = ('etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler')
KUBE_BINARIES = ('kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kubectl')


def _env(environ: Mapping[str, str], key: str, default: object) -> str:
    # Like bash's ${KEY:-default}: empty means unset.
    return environ.get(key) or str(default)


@dataclasses.dataclass(frozen=True)
class ControlPlane:
    cache: Path
    name: str
    kube_version: str
    kwok_version: str
    etcd_version: str
    address: str
    apiserver_port: int
    etcd_port: int
    etcd_peer_port: int
    kcm_port: int
    scheduler_port: int
    service_cidr: str
    service_ip: str
    service_port: int
    # Also in the serving certificate: where the VM workers reach the API server (plan.Vm.api_address).
    vm_api_addresses: tuple[str, ...]
    advertise_address: str
    admin_user: str
    wait_up: int

    @classmethod
    def from_plan(cls, plan: Plan, environ: Mapping[str, str] | None = None) -> ControlPlane:
        environ = os.environ if environ is None else environ
        cluster, versions = plan.cluster, plan.versions
        return cls(
            cache=Path(plan.cache),
            name=_env(environ, 'MHM_CLUSTER_NAME', cluster.name),
            kube_version=_env(environ, 'KUBE_VERSION', versions.kube),
            kwok_version=_env(environ, 'KWOK_VERSION', versions.kwok),
            etcd_version=_env(environ, 'ETCD_VERSION', versions.etcd),
            address=str(cluster.address),
            apiserver_port=int(_env(environ, 'MHM_CLUSTER_APISERVER_PORT', cluster.apiserver_port)),
            etcd_port=int(_env(environ, 'MHM_CLUSTER_ETCD_PORT', cluster.etcd_port)),
            etcd_peer_port=int(_env(environ, 'MHM_CLUSTER_ETCD_PEER_PORT', cluster.etcd_peer_port)),
            kcm_port=int(_env(environ, 'MHM_CLUSTER_KCM_PORT', cluster.kcm_port)),
            scheduler_port=int(_env(environ, 'MHM_CLUSTER_SCHEDULER_PORT', cluster.scheduler_port)),
            service_cidr=str(cluster.service_network),
            service_ip=str(cluster.service_ip),
            service_port=cluster.service_port,
            vm_api_addresses=tuple(str(vm.api_address) for vm in plan.vm.vms),
            advertise_address=_env(environ, 'MHM_CLUSTER_ADVERTISE_ADDRESS', cluster.advertise_address),
            admin_user=cluster.admin_user,
            wait_up=int(_env(environ, 'MHM_CLUSTER_WAIT', 180)),
        )

    # ------------------------------------------------------------ paths

    @property
    def state(self) -> Path:
        return self.cache / 'cluster'

    @property
    def kube_bin(self) -> Path:
        return cluster_bin(self.cache, f'k8s-v{self.kube_version}')

    @property
    def kwok_bin(self) -> Path:
        return cluster_bin(self.cache, f'kwok-{self.kwok_version}')

    @property
    def etcd_bin(self) -> Path:
        return cluster_bin(self.cache, f'etcd-{self.etcd_version}')

    @property
    def kwokctl(self) -> Path:
        return self.kwok_bin / 'kwokctl'

    @property
    def kubectl_path(self) -> Path:
        return self.kube_bin / 'kubectl'

    @property
    def kwok_workdir(self) -> Path:
        return self.state / 'kwok'

    @property
    def cluster_dir(self) -> Path:
        return self.kwok_workdir / 'clusters' / self.name

    @property
    def pki(self) -> Path:
        """kwokctl's cluster CA and component identity."""
        return self.cluster_dir / 'pki'

    @property
    def kwok_config(self) -> Path:
        return self.state / 'kwokctl.yaml'

    @property
    def audit_policy(self) -> Path:
        return self.state / 'audit-policy.yaml'

    @property
    def audit_link(self) -> Path:
        return self.state / 'audit.log'

    @property
    def kubeconfig(self) -> Path:
        return self.state / 'kubeconfig'

    @property
    def admin_pki(self) -> Path:
        return self.state / 'pki'

    @property
    def kube_cache(self) -> Path:
        return self.state / 'kube-cache'

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.apiserver_port, self.etcd_port, self.etcd_peer_port, self.kcm_port, self.scheduler_port)

    @property
    def server(self) -> str:
        return f'https://{self.address}:{self.apiserver_port}'

    def binaries(self) -> list[Path]:
        return ([self.kube_bin / b for b in KUBE_BINARIES] + [self.kwok_bin / 'kwok', self.kwokctl]
                + [self.etcd_bin / 'etcd', self.etcd_bin / 'etcdctl'])

    def build_env(self) -> dict[str, str]:
        """The versions for hack/build-cluster-binaries.sh."""
        return {'KUBE_VERSION': self.kube_version, 'KWOK_VERSION': self.kwok_version,
                'ETCD_VERSION': self.etcd_version}

    # ------------------------------------------------------------ files

    def audit_policy_text(self) -> str:
        return templates.render('audit-policy.yaml.in', admin_user=self.admin_user)

    def kwok_config_text(self) -> str:
        return templates.render(
            'kwokctl.yaml.in', address=self.address, audit_policy=self.audit_policy, kube_version=self.kube_version,
            etcd_version=self.etcd_version.removeprefix('v'), kube_bin=self.kube_bin, etcd_bin=self.etcd_bin,
            apiserver_port=self.apiserver_port, etcd_port=self.etcd_port, etcd_peer_port=self.etcd_peer_port,
            kcm_port=self.kcm_port, scheduler_port=self.scheduler_port,
            cert_sans=', '.join((self.service_ip, *self.vm_api_addresses)), service_cidr=self.service_cidr,
            advertise_address=self.advertise_address, cluster_pki=self.pki)

    def env_items(self) -> list[tuple[str, str]]:
        """``clusterctl env``: what the lab's other tools need to join nodes."""
        return [('MHM_CLUSTER_NAME', self.name), ('MHM_CLUSTER_SERVICE_IP', self.service_ip),
                ('MHM_CLUSTER_SERVICE_CIDR', self.service_cidr), ('MHM_CLUSTER_ADDR', self.address),
                ('MHM_CLUSTER_PORT_APISERVER', str(self.apiserver_port)),
                ('MHM_CLUSTER_KUBECONFIG_PATH', str(self.kubeconfig)), ('MHM_CLUSTER_KUBE_BIN', str(self.kube_bin)),
                ('MHM_CLUSTER_PKI', str(self.pki))]

    # ------------------------------------------------------------ processes

    def kwokctl_argv(self, *args: str) -> list[str]:
        return [str(self.kwokctl), '-c', str(self.kwok_config), *args, '--name', self.name]

    def kwokctl_env(self) -> dict[str, str]:
        # KUBECACHEDIR keeps the kubectl code inside kwokctl from writing to ~/.kube/cache.
        return {**os.environ, 'KWOK_WORKDIR': str(self.kwok_workdir), 'KUBECACHEDIR': str(self.kube_cache)}

    def kubectl_argv(self, *args: str) -> list[str]:
        """kubectl with the admin kubeconfig, its discovery cache in the state dir, not in ~/.kube."""
        return [str(self.kubectl_path), '--kubeconfig', str(self.kubeconfig), '--cache-dir', str(self.kube_cache),
                '--request-timeout=10s', *args]

    def owns(self, pid: int, proc: Path = procs.PROC) -> bool:
        """pid is one of our component binaries running in the state dir, or a kwokctl on our work dir."""
        try:
            exe = os.readlink(proc / str(pid) / 'exe')
            if exe == str(self.kwokctl):
                environ = (proc / str(pid) / 'environ').read_bytes().decode(errors='replace').split('\0')
                return f'KWOK_WORKDIR={self.kwok_workdir}' in environ
            cwd = os.readlink(proc / str(pid) / 'cwd')
        except OSError:
            return False
        components = {str(self.kube_bin / 'kube-apiserver'), str(self.kube_bin / 'kube-controller-manager'),
                      str(self.kube_bin / 'kube-scheduler'), str(self.kwok_bin / 'kwok'), str(self.etcd_bin / 'etcd')}
        return f'{cwd}/'.startswith(f'{self.state}/') and exe in components

    def component_pid(self, component: str, proc: Path = procs.PROC) -> int | None:
        """The pid in kwokctl's pid file, only while that process is ours."""
        pid = procs.read_pid(self.cluster_dir / 'pids' / f'{component}.pid')
        return pid if pid and self.owns(pid, proc) else None

    def owned_pids(self, proc: Path = procs.PROC) -> list[int]:
        """Every live process of this cluster, found in /proc (a pid file may be lost)."""
        return [pid for pid in procs.pids(proc) if pid != os.getpid() and self.owns(pid, proc)]

    def kwokctl_pids(self, proc: Path = procs.PROC) -> list[int]:
        """Our kwokctl processes still running (an up that was killed midway)."""
        return [pid for pid in self.owned_pids(proc) if _exe(pid, proc) == str(self.kwokctl)]


def _exe(pid: int, proc: Path) -> str:
    try:
        return os.readlink(proc / str(pid) / 'exe')
    except OSError:
        return ''
