# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The lab cluster: ``python -m mhmlab cluster up|down|status|kubeconfig|env`` (``lab/cluster/clusterctl``;
lab/cluster/README.md).

A real Kubernetes control plane on loopback, started and stopped by kwokctl's
binary runtime from locally built binaries only. The log goes to stderr; stdout
holds the answers (status, kubeconfig, env). Exit codes: 0 done, 1 failed
(status: broken), 2 usage, 3 (status) down.
"""

from __future__ import annotations

import os
import shlex
import ssl
import sys
import urllib.request
from pathlib import Path

from mhmlab import apiserver, clusterdown, pki, templates, waits
from mhmlab.clusterdown import PROG, log, port_in_use, relay
from mhmlab.controlplane import BUILD, COMPONENTS, ControlPlane
from mhmlab.plan import Plan
from mhmlab.runner import CommandError, Runner

LAB = Path(__file__).resolve().parents[1]
SELF = LAB / 'cluster' / PROG
BUILD_WAIT = 3 * 3600
USAGE = """clusterctl: a real Kubernetes control plane on loopback for the lab, started
and stopped by kwokctl's binary runtime from locally built binaries only.
See lab/cluster/README.md.

  clusterctl up          build or reuse the binaries, start etcd, kube-apiserver,
                         kube-controller-manager and kube-scheduler, write the
                         admin kubeconfig; a no-op when already healthy
  clusterctl down        stop every process and remove every file of the cluster;
                         safe when half-made or already down
  clusterctl status      what is up (exit 0 healthy, 1 broken, 3 down)
  clusterctl kubeconfig  print the admin kubeconfig path (exit 1 when the cluster is down)
  clusterctl env         print KEY=value lines for the lab's other tools (addresses, paths)
  clusterctl restart-apiserver [SECONDS]
                         stop kube-apiserver, keep it down SECONDS (0), start it
                         again as kwokctl started it, wait for /readyz (fault drills)
"""


class ClusterError(RuntimeError):
    """clusterctl cannot go on (the message says what to do)."""


class Cluster:
    def __init__(self, plan: Plan, runner: Runner | None = None, environ=None):
        self.environ = os.environ if environ is None else environ
        self.cp = ControlPlane.from_plan(plan, self.environ)
        self.runner = runner or Runner()

    def check_name(self) -> None:
        if not self.cp.name.startswith('mhm'):
            raise ClusterError(f'MHM_CLUSTER_NAME={self.cp.name}: the cluster name must start with mhm')

    def kubectl(self, *args: str, timeout: float = 30) -> bool:
        return self.runner.run(self.cp.kubectl_argv(*args), timeout=timeout, check=False).returncode == 0

    def readyz(self) -> bool:
        return self.cp.kubeconfig.is_file() and self.kubectl('get', '--raw', '/readyz')

    def healthy(self) -> bool:
        return (self.cp.kubeconfig.is_file() and all(self.cp.component_pid(c) for c in COMPONENTS)
                and self.readyz())

    def healthz(self, port: int) -> bool:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        # No proxy from the environment: the component listens on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context))
        try:
            with opener.open(f'https://{self.cp.address}:{port}/healthz', timeout=5):
                return True
        except OSError:
            return False

    # ------------------------------------------------------------ up

    def ensure_binaries(self) -> None:
        if all(os.access(f, os.X_OK) for f in self.cp.binaries()):
            return
        log('building the cluster binaries (first run only)')
        done = self.runner.run(['bash', BUILD, 'all'], timeout=BUILD_WAIT, check=False,
                               env={**os.environ, **self.cp.build_env()})
        relay(done.stdout, done.stderr)
        if done.returncode:
            raise ClusterError(f'{BUILD} all exited {done.returncode}')

    def write_config(self) -> None:
        cp = self.cp
        cp.state.mkdir(parents=True, exist_ok=True)
        cp.audit_policy.write_text(cp.audit_policy_text(), encoding='utf-8')
        cp.kwok_config.write_text(cp.kwok_config_text(), encoding='utf-8')

    def write_kubeconfig(self) -> None:
        """A client certificate of our own for the collection (group system:masters): kwokctl gives every
        component one shared identity, a separate user keeps the collection's requests apart in the audit log."""
        cp = self.cp
        if not os.access(cp.pki / 'ca.key', os.R_OK):
            raise ClusterError(f'no cluster CA key in {cp.pki}')
        cp.admin_pki.mkdir(parents=True, exist_ok=True)
        out = cp.admin_pki / cp.admin_user
        pki.sign_client(self.runner, cp.pki, out, f'/O=system:masters/CN={cp.admin_user}', days=365)
        tmp = cp.kubeconfig.with_name(f'{cp.kubeconfig.name}.tmp')
        text = templates.render('admin-kubeconfig.yaml.in', name=cp.name, address=cp.address,
                                apiserver_port=cp.apiserver_port, user=cp.admin_user,
                                ca_data=pki.data(cp.pki / 'ca.crt'), cert_data=pki.data(out.with_suffix('.crt')),
                                key_data=pki.data(out.with_suffix('.key')))
        tmp.unlink(missing_ok=True)
        tmp.touch(mode=0o600)
        tmp.write_text(text, encoding='utf-8')
        tmp.replace(cp.kubeconfig)

    def wait_for(self, what: str, probe) -> None:
        if not waits.within(what, probe, self.cp.wait_up, prog=PROG):
            raise ClusterError(f'timed out after {self.cp.wait_up}s waiting for {what}')

    def start(self) -> None:
        cp = self.cp
        self.write_config()
        log(f'starting cluster {cp.name} (kwokctl, binary runtime)')
        wait = f'{cp.wait_up}s'
        done = self.runner.run(cp.kwokctl_argv('create', 'cluster', '--kubeconfig=', '--wait', wait, '--timeout', wait),
                               timeout=cp.wait_up + 30, check=False, env=cp.kwokctl_env())
        relay(done.stdout, done.stderr)
        if done.returncode:
            raise ClusterError(f'kwokctl create cluster exited {done.returncode}')
        cp.audit_link.unlink(missing_ok=True)
        cp.audit_link.symlink_to(cp.cluster_dir / 'logs' / 'audit.log')
        self.write_kubeconfig()
        self.wait_for('kube-apiserver /readyz', self.readyz)
        self.wait_for('kube-controller-manager /healthz', lambda: self.healthz(cp.kcm_port))
        self.wait_for('kube-scheduler /healthz', lambda: self.healthz(cp.scheduler_port))
        # The service account controller works once `default` exists; pods need it.
        self.wait_for('serviceaccount default/default', lambda: self.kubectl('-n', 'default', 'get', 'serviceaccount',
                                                                             'default'))
        if not self.healthy():
            raise ClusterError(f'cluster {cp.name} did not come up healthy')

    def on_up_failure(self) -> None:
        cp = self.cp
        log('up failed (exit 1); last lines of the component logs:')
        for path in sorted((cp.cluster_dir / 'logs').glob('*.log')):
            if path.name == 'audit.log' or not os.access(path, os.R_OK):
                continue
            log(f'--- {path}')
            lines = path.read_text(encoding='utf-8', errors='replace').splitlines()[-15:]
            relay('\n'.join(lines))
        if self.environ.get('MHM_CLUSTER_KEEP_ON_FAILURE'):
            log(f"MHM_CLUSTER_KEEP_ON_FAILURE is set: leaving {cp.state} for inspection; run '{SELF} down' afterwards")
            return
        log('removing the half-made cluster')
        try:
            self.down()
        except (ClusterError, clusterdown.LeftBehind, CommandError, OSError) as exc:
            log(f'error: {exc}')

    def usage_hint(self) -> None:
        cp = self.cp
        relay(f'  export KUBECONFIG={cp.kubeconfig}   (context {cp.name}, user {cp.admin_user})\n'
              f'  API server: {cp.server}   audit log: {cp.audit_link}\n'
              f'  tear down:  {SELF} down')

    def up(self) -> int:
        cp = self.cp
        self.check_name()
        if self.healthy():
            log(f'cluster {cp.name} is already up')
            self.usage_hint()
            return 0
        if cp.state.exists():
            log('cleaning up a previous, unhealthy cluster first')
            self.down()
        self.ensure_binaries()
        for port in cp.ports:
            if port_in_use(self.runner, port):
                raise ClusterError(f"port {cp.address}:{port} is already in use (see: ss -ltnp 'sport = :{port}'); "
                                   'set MHM_CLUSTER_*_PORT')
        try:
            self.start()
        except BaseException:
            self.on_up_failure()
            raise
        log(f'cluster {cp.name} is up')
        self.usage_hint()
        return 0

    # ------------------------------------------------------------ the rest

    def down(self) -> int:
        self.check_name()
        try:
            clusterdown.down(clusterdown.Host(self.runner, self.cp), self.cp)
        except clusterdown.LeftBehind as exc:
            raise ClusterError(str(exc)) from exc
        return 0

    def status_lines(self) -> tuple[list[str], int]:
        cp = self.cp
        self.check_name()
        if not cp.state.is_dir():
            return [f'cluster {cp.name}: down'], 3
        lines, broken = [f'cluster {cp.name}: state {cp.state}'], False
        for component in COMPONENTS:
            if pid := cp.component_pid(component):
                lines.append(f'  {component:<24} running (pid {pid})')
            else:
                lines.append(f'  {component:<24} NOT running')
                broken = True
        lines += [f'  {"api server":<24} {cp.server}', f'  {"kubeconfig":<24} {cp.kubeconfig}',
                  f'  {"audit log":<24} {cp.audit_link}']
        if self.readyz():
            lines.append('  readyz: ok')
            nodes = self.runner.run(cp.kubectl_argv('get', 'nodes', '-o', 'wide'), timeout=30, check=False)
            lines += [f'  {line}' for line in nodes.stdout.splitlines()]
        else:
            lines.append('  readyz: FAILED')
            broken = True
        return lines, 1 if broken else 0

    def status_quiet(self) -> int:
        """status's exit code, nothing printed."""
        return self.status_lines()[1]

    def status(self) -> int:
        lines, code = self.status_lines()
        print('\n'.join(lines), flush=True)
        return code

    def kubeconfig(self) -> int:
        path = self.cp.kubeconfig
        print(path, flush=True)
        if not os.access(path, os.R_OK):
            log(f'cluster {self.cp.name} is not up: {path} does not exist')
            return 1
        return 0

    def env(self) -> int:
        print('\n'.join(f'{key}={shlex.quote(value)}' for key, value in self.cp.env_items()), flush=True)
        return 0


def run(args: list[str], plan: Plan) -> int:
    """One clusterctl command; errors print ``clusterctl: error: ...`` and exit 1, usage errors exit 2."""
    command = args[0] if args else ''
    if command in ('-h', '--help', 'help'):
        print(USAGE, end='')
        return 0
    cluster = Cluster(plan)
    handlers = {'up': cluster.up, 'down': cluster.down, 'status': cluster.status, 'kubeconfig': cluster.kubeconfig,
                'env': cluster.env,
                'restart-apiserver': lambda: apiserver.restart(cluster, float(args[1]) if len(args) > 1 else 0)}
    if command not in handlers:
        print(USAGE, end='', file=sys.stderr)
        return 2
    try:
        return handlers[command]()
    except (ClusterError, CommandError, OSError, ValueError) as exc:
        log(f'error: {exc}')
        return 1
