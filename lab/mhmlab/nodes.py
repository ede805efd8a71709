# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The namespace lab's nodes: ``python -m mhmlab nodes up|add|remove|down|status|env|exec|ssh|sweep-cgroups``
(``lab/labctl``; lab/README.md).

Lines starting with ``created`` on stdout mean ``up`` changed something; the
log goes to stderr. Runs that change the lab are serialized by a lock in the
state directory.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
from pathlib import Path

from mhmlab import boot, cgroups, mirror, netns, procs, shellenv, sshd, teardown, waits
from mhmlab import plan as lab_plan
from mhmlab.plan import Node, Plan
from mhmlab.runner import CommandError, Runner
from mhmlab.state import Lock, State, StateError

PROG = 'labctl'
LAB = Path(__file__).resolve().parents[1]
TOOLS = ('ip', 'unshare', 'nsenter', 'mount', 'umount', 'ssh', 'ssh-keygen', sshd.SSHD, sshd.SFTP_SERVER,
         'sysctl', 'dpkg', 'dpkg-query', 'ping')
PLUGINS = ('macvlan', 'ipvlan', 'host-local', 'ptp', 'loopback')
UP_LOCK_WAIT = 120
DOWN_LOCK_WAIT = 30


class LabError(RuntimeError):
    """A lab command cannot go on (the message says what to do)."""


def log(message: str) -> None:
    print(f'{PROG}: {message}', file=sys.stderr, flush=True)


def say(message: str) -> None:
    print(message, flush=True)


class Lab:
    def __init__(self, plan: Plan, runner: Runner | None = None):
        self.plan = plan
        self.state = State(plan.paths)
        self.runner = runner or Runner()
        self.host = teardown.Host(self.runner, plan, PROG)
        self.lock = Lock(self.state.lock_file)

    # ------------------------------------------------------------ checks

    def node(self, name: str) -> Node:
        try:
            return self.plan.node(name)
        except lab_plan.PlanError as exc:
            raise LabError(f'{exc} (MHM_LAB_MAX_NODES=N plans N nodes)') from exc

    @staticmethod
    def require_root() -> None:
        if os.geteuid() != 0:
            raise LabError('must run as root (network and mount namespaces)')

    def require_tools(self) -> None:
        source = Path(self.plan.versions.cni_plugins_source)
        missing = [t for t in TOOLS if shutil.which(t) is None]
        missing += [str(source / p) for p in PLUGINS if not os.access(source / p, os.X_OK)]
        if missing:
            raise LabError(f'missing {" ".join(missing)}; run hack/install-packages.sh (make setup)')

    def take_lock(self, wait: float, force: bool = False) -> None:
        if self.lock.take(wait):
            return
        if not force:
            raise LabError(f'another labctl holds {self.state.lock_file} (waited {wait:g} s)')
        log(f'warning: {self.state.lock_file} is held (waited {wait:g} s); going on')

    def healthy(self, node: Node) -> bool:
        if not netns.exists(self.runner, node.netns):
            return False
        pid = sshd.pid(self.state, node)
        if not pid:
            return False
        try:
            inode = os.stat(f'{teardown.RUN_NETNS}/{node.netns}').st_ino
        except OSError:
            return False
        return procs.namespace(pid, 'net') == f'net:[{inode}]' and sshd.tcp_open(node.mgmt.ip)

    def require_up(self, node: Node) -> int:
        """The sshd pid of a healthy node."""
        pid = sshd.pid(self.state, node) if self.healthy(node) else None
        if not pid:
            raise LabError(f"{node.name} is not up ('{PROG} up {node.name}')")
        return pid

    # ------------------------------------------------------------ base

    def ensure_client_key(self) -> None:
        key = self.state.key
        pub = key.with_name(f'{key.name}.pub')
        if not (key.is_file() and key.stat().st_size and pub.is_file() and pub.stat().st_size):
            key.unlink(missing_ok=True)
            pub.unlink(missing_ok=True)
            self.runner.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', f'{self.plan.prefix}-lab-controller',
                             '-f', key], timeout=30)
            say(f'created client key {key}')
        shutil.copyfile(pub, self.state.authorized_keys)
        self.state.authorized_keys.chmod(0o600)

    def ensure_base(self) -> str:
        """Key, bridges, host directories and the mirror; returns the archive's name."""
        if mirror.pid(self.state) is None and not mirror.port_free(self.plan):
            raise LabError(mirror.busy_message(self.runner, self.plan))
        self.ensure_client_key()
        netns.ensure_mgmt_bridge(self.runner, self.plan, say)
        self.state.mkdir_tracked(teardown.RUN_NETNS)
        netns.ensure_fabric(self.runner, self.plan, say)
        for path in boot.MOUNTPOINTS:
            self.state.mkdir_tracked(path)
        recorded = self.state.recorded_dirs()
        for path in boot.MOUNTPOINTS:
            if path in recorded:
                Path(path, teardown.MADE_MARK).touch()
        name = mirror.ensure_archive(self.runner, self.plan, self.state, say, log)
        mirror.ensure_server(self.runner, self.plan, self.state, name, say, PROG)
        return name

    # ------------------------------------------------------------ nodes

    def ensure_node(self, node: Node) -> None:
        nd, ip = self.state.node_dir(node.name), node.mgmt.ip
        if self.healthy(node):
            log(f'{node.name} is up ({ip})')
            return
        if netns.exists(self.runner, node.netns) or nd.exists() or netns.link_exists(self.runner, node.host_veth):
            log(f'{node.name} is half-made; rebuilding it')
            teardown.remove_node(self.host, self.plan, self.state, node)
        nd.mkdir()
        nd.chmod(0o700)
        sshd.make_keys(self.runner, self.state, node, self.plan.prefix)
        netns.add_node(self.runner, self.plan, node)
        boot_log = self.state.logs / f'{node.name}-boot.log'
        done = self.runner.netns_exec(
            node.netns, ['unshare', '--mount', '--uts', '--propagation', 'private', '--',
                         sys.executable, '-m', 'mhmlab', 'nodes', '__boot', node.name],
            timeout=120, check=False, log=boot_log,
            env={**os.environ, 'PYTHONPATH': str(LAB), 'PYTHONDONTWRITEBYTECODE': '1',
                 boot.HOST_NS_ENV: boot.host_namespaces()})
        sshd_log = sshd.log_path(self.state, node)
        if done.returncode != 0:
            raise LabError(f'booting {node.name} failed; see {boot_log} and {sshd_log}')
        if not waits.until(f'sshd of {node.name}', lambda: sshd.pid(self.state, node), prog=PROG):
            raise LabError(f'sshd of {node.name} did not start; see {sshd_log}')
        pid = sshd.pid(self.state, node)
        (nd / 'mntns').write_text(f'{procs.namespace(pid, "mnt")}\n', encoding='utf-8')
        if not waits.until(f'port 22 on {ip}', lambda: sshd.tcp_open(ip), prog=PROG):
            raise LabError(f'sshd of {node.name} does not listen on {ip}:{sshd.PORT}')
        if not sshd.can_log_in(self.runner, self.state, node):
            raise LabError(f'ssh root@{ip} with {self.state.key} fails; see {sshd_log}')
        say(f'created node {node.name}: {describe(node)}, sshd pid {pid}')

    def sweep_cgroups(self, node: Node) -> None:
        cgroups.sweep(f'{self.plan.prefix}-{node.name}', self.host.stop, prog=PROG)


def describe(node: Node) -> str:
    return f'eth0 {node.mgmt}, eth1 {node.fabric} + {node.secondary_range}'


# ---------------------------------------------------------------- commands

def cmd_up(lab: Lab, names: list[str]) -> int:
    lab.require_root()
    lab.require_tools()
    lab.state.ensure()
    lab.take_lock(UP_LOCK_WAIT)
    nodes = [lab.node(n) for n in names or lab.plan.default_nodes]
    try:
        name = lab.ensure_base()
        for node in nodes:
            lab.ensure_node(node)
    except Exception:
        log(f'up failed (exit 1); logs in {lab.state.logs}; "{LAB / PROG} down" cleans up')
        raise
    digest = (lab.state.mirror / f'{name}.sha256').read_text(encoding='utf-8').split()[0]
    say(f'mirror sha256 {digest} {name}')
    say(f'lab up: {" ".join(n.name for n in nodes)}')
    return 0


def cmd_remove(lab: Lab, name: str) -> int:
    lab.require_root()
    node = lab.node(name)
    lab.state.ensure()
    lab.take_lock(UP_LOCK_WAIT)
    teardown.remove_node(lab.host, lab.plan, lab.state, node)
    say(f'removed node {node.name}')
    return 0


def cmd_down(lab: Lab) -> int:
    lab.require_root()
    lab.state.check_path()
    if lab.state.root.is_dir():
        lab.take_lock(DOWN_LOCK_WAIT, force=True)
    try:
        teardown.down(lab.host, lab.plan, lab.state, boot.MOUNTPOINTS)
    except teardown.LeftBehind as exc:
        raise LabError(str(exc)) from exc
    say('lab down')
    return 0


def status_lines(lab: Lab) -> tuple[list[str], int]:
    """The status table and the exit code: 0 all healthy, 1 something broken, 3 down."""
    plan, state, runner = lab.plan, lab.state, lab.runner
    mgmt, fabric = plan.management, plan.fabric
    pid = mirror.pid(state)
    sums = ' '.join(p.read_text(encoding='utf-8').strip() for p in sorted(state.mirror.glob('*.sha256')))
    base = [
        ('mirror     ', pid, f'{plan.mirror.url}/ pid {pid}, {sums}'),
        (f'{mgmt.bridge}   ', netns.link_exists(runner, mgmt.bridge), f'{mgmt.gateway}/{mgmt.network.prefixlen}'),
        (f'{fabric.netns} ', netns.exists(runner, fabric.netns), f'bridge {fabric.bridge}'),
    ]
    lines = [f'{label} up    {detail}' if up else f'{label} down' for label, up, detail in base]
    seen = state.root.is_dir() or any(row[1] for row in base)
    broken = not all(row[1] for row in base)
    names = [n.removeprefix(f'{plan.prefix}-') for n in netns.lab_names(runner, plan) if n != fabric.netns]
    names += [nd.name for nd in teardown.node_dirs(state) if nd.name not in names]
    for name in names:
        seen = True
        try:
            node = plan.node(name)
        except lab_plan.PlanError:
            lines.append(f'{name}  unknown node name')
            broken = True
            continue
        if lab.healthy(node):
            lines.append(f'{name}  up    {describe(node)}, sshd pid {sshd.pid(state, node)}')
        else:
            lines.append(f"{name}  BROKEN (namespace, sshd or port 22 missing); '{PROG} up {name}' rebuilds it")
            broken = True
    if not seen:
        return lines + ['lab down'], 3
    return lines, 1 if broken else 0


def cmd_status(lab: Lab) -> int:
    lines, code = status_lines(lab)
    say('\n'.join(lines))
    return code


def env_items(lab: Lab, node: Node, pid: int) -> list[tuple[str, str]]:
    """``labctl env``: the plan's keys of the node, its sshd pid and nsenter command, and the state paths."""
    items = shellenv.env_items(lab.plan, node)
    at = [item[0] for item in items].index('MHM_NETNS') + 1
    running = [('MHM_PID', str(pid)), ('MHM_NSENTER', f'nsenter --target {pid} --mount --net --uts')]
    paths = [('MHM_SSH_KEY', str(lab.state.key)), ('MHM_STATE', str(lab.state.root)),
             ('MHM_NODE_DIR', str(lab.state.node_dir(node.name)))]
    return items[:at] + running + items[at:] + paths


def cmd_env(lab: Lab, name: str) -> int:
    node = lab.node(name)
    pid = lab.require_up(node)
    say('\n'.join(f'{key}={shlex.quote(value)}' for key, value in env_items(lab, node, pid)))
    return 0


def _exec(argv: list[str]) -> int:
    # Python ignores SIGPIPE; the command gets the default back, as from a shell.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.stdout.flush()
    os.execvp(argv[0], argv)
    return 127  # pragma: no cover


def cmd_exec(lab: Lab, name: str, command: list[str]) -> int:
    pid = lab.require_up(lab.node(name))
    return _exec(['nsenter', '--target', str(pid), '--mount', '--net', '--uts', '--', *command])


def cmd_ssh(lab: Lab, name: str, command: list[str]) -> int:
    node = lab.node(name)
    lab.require_up(node)
    return _exec(sshd.ssh_argv(lab.state, node, command))


def cmd_sweep_cgroups(lab: Lab, name: str) -> int:
    lab.require_root()
    lab.sweep_cgroups(lab.node(name))
    return 0


def cmd_boot(lab: Lab, name: str) -> int:
    boot.boot(lab.runner, lab.plan, lab.node(name), lab.state, os.environ.get(boot.HOST_NS_ENV, ''))
    return 1  # pragma: no cover  (boot execs sshd)


def run(command: str, args: list[str], plan: Plan) -> int:
    """One nodes command; errors print ``labctl: error: ...`` and exit 1."""
    lab = Lab(plan)
    try:
        if command == 'up':
            return cmd_up(lab, args)
        if command in ('add', 'remove', 'env', 'sweep-cgroups', '__boot') and len(args) != 1:
            raise LabError(f'usage: {PROG} {command} NODE')
        if command in ('exec', 'ssh') and len(args) < (2 if command == 'exec' else 1):
            raise LabError(f'usage: {PROG} {command} NODE {"CMD" if command == "exec" else "[CMD]"} [ARG...]')
        handlers = {
            'add': lambda: cmd_up(lab, args),
            'remove': lambda: cmd_remove(lab, args[0]),
            'down': lambda: cmd_down(lab),
            'status': lambda: cmd_status(lab),
            'env': lambda: cmd_env(lab, args[0]),
            'exec': lambda: cmd_exec(lab, args[0], args[1:]),
            'ssh': lambda: cmd_ssh(lab, args[0], args[1:]),
            'sweep-cgroups': lambda: cmd_sweep_cgroups(lab, args[0]),
            '__boot': lambda: cmd_boot(lab, args[0]),
        }
        return handlers[command]()
    except (LabError, StateError, CommandError, OSError, boot.BootError, mirror.MirrorError,
            netns.NetworkError) as exc:
        log(f'error: {exc}')
        return 1
