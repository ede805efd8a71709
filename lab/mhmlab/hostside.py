# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""What the lab's kubelets change on the host: the ClusterIP proxy and the kernel tunables a kubelet sets.

The `kubernetes` Service's ClusterIP sits on the host end of the management
bridge, where ``python -m mhmlab service-proxy`` (mhmlab.serviceproxy) forwards
it to the API server on loopback. The kubelet sets a few global sysctls on start
(protectKernelDefaults=false): saved before the first kubelet starts, restored
after the last stops.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

from mhmlab import procs, waits
from mhmlab.runner import Runner

LAB = Path(__file__).resolve().parents[1]
SERVICE_PROXY = ('-m', 'mhmlab', 'service-proxy')
KERNEL_TUNABLES = ('vm.overcommit_memory', 'vm.panic_on_oom', 'kernel.panic', 'kernel.panic_on_oops',
                   'kernel.keys.root_maxkeys', 'kernel.keys.root_maxbytes')
SOCKET_WAIT = 30
STOP_STEPS = 100


def daemon_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in pid_file while that process runs with marker in its command line."""
    pid = procs.read_pid(pid_file)
    return pid if pid and marker in procs.cmdline(pid) else None


def stop(pid: int, prog: str) -> None:
    procs.stop([pid], prog=prog, wait=functools.partial(waits.until, steps=STOP_STEPS))


def spawn(argv: list[str], log: Path, pid_file: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A daemon in a session of its own, output appended to log, its pid in pid_file.

    Until it has exec'd, its command line is still ours: ask the returned child
    (``poll()``) whether it exited, not daemon_pid.
    """
    with open(log, 'a', encoding='utf-8') as out:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,  # pylint: disable=consider-using-with
                                 stderr=subprocess.STDOUT, start_new_session=True, env=env)
    pid_file.write_text(f'{child.pid}\n', encoding='utf-8')
    return child


def listeners(runner: Runner, port: int) -> str:
    """``ss``'s lines of the TCP listeners on port (empty when none)."""
    return runner.run(['ss', '-Hltn', f'sport = :{port}'], timeout=10, check=False).stdout


def listening(runner: Runner, address: str, port: int) -> bool:
    return f'{address}:{port}' in listeners(runner, port)


def start_service_proxy(runner: Runner, state: Path, bridge: str, listen: tuple[str, int], target: str,
                        prog: str) -> None:
    """The ClusterIP (listen) on the bridge, forwarded to the API server (target); a no-op while it runs."""
    pid_file = state / 'service-proxy.pid'
    if daemon_pid(pid_file, ' '.join(SERVICE_PROXY)):
        return
    address, port = listen
    runner.ip('addr', 'replace', f'{address}/32', 'dev', bridge)
    child = spawn([sys.executable, *SERVICE_PROXY, '--listen', f'{address}:{port}', '--target', target],
                  state / 'service-proxy.log', pid_file, env={**os.environ, 'PYTHONPATH': str(LAB)})

    def up() -> bool:
        if child.poll() is not None:
            raise RuntimeError(f'the service proxy exited; see {state}/service-proxy.log')
        return listening(runner, address, port)

    if not waits.within(f'the service proxy on {address}:{port}', up, SOCKET_WAIT, step=0.3, prog=prog):
        raise RuntimeError(f'the service proxy does not listen on {address}:{port}')


def stop_service_proxy(runner: Runner, state: Path, address: str, prog: str) -> None:
    if pid := daemon_pid(state / 'service-proxy.pid', ' '.join(SERVICE_PROXY)):
        stop(pid, prog)
    out = runner.run(['ip', '-o', 'addr', 'show', 'to', f'{address}/32'], timeout=10, check=False).stdout
    for line in out.splitlines():
        runner.ip('addr', 'del', f'{address}/32', 'dev', line.split()[1])


def save_sysctls(runner: Runner, saved: Path) -> None:
    if saved.is_file() and saved.stat().st_size:
        return
    out = runner.output(['sysctl', *KERNEL_TUNABLES], timeout=10)
    tmp = saved.with_name(f'{saved.name}.tmp')
    tmp.write_text(''.join(f'{line.replace(" = ", "=", 1)}\n' for line in out.splitlines()), encoding='utf-8')
    tmp.replace(saved)


def restore_sysctls(runner: Runner, saved: Path, log) -> None:
    try:
        settings = saved.read_text(encoding='utf-8').split()
    except OSError:
        return
    for setting in settings:
        if runner.run(['sysctl', '-q', '-w', setting], timeout=10, check=False).returncode:
            log(f'warning: cannot restore {setting}')
    saved.unlink(missing_ok=True)
