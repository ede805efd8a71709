# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The kubelet's and the container runtime's part inside a VM worker, run by path with the host's python3.

    guestpod.py run SPEC.json        # a pod's containers: init containers to the end, then the others detached
    guestpod.py enter SPEC.json N    # (internal) container N in its own mount namespace, chrooted
    guestpod.py stop SPEC.json       # TERM the detached containers, then KILL
    guestpod.py cni add|del ID NETNS NAMESPACE NAME UID   # a pod sandbox's network, as a runtime sets it up
                                     # (del with ID and UID '-': those of the sandbox's add)

``run`` reads what vmkubelet.py wrote: the image's root file system (unpacked
from the lab's image archive), the containers' argv and environment, and their
mounts (host paths, and directories the host filled with a projected service
account token). ``cni`` does what libcni does for containerd: the first
config in /etc/cni/net.d by name, the plugin from /opt/cni/bin, CNI_ARGS with
``K8S_POD_NAMESPACE``, ``K8S_POD_NAME``, ``K8S_POD_INFRA_CONTAINER_ID`` and
``K8S_POD_UID``. Stdlib only: the guest has no lab package on its path.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

CNI_CONF_DIR = Path('/etc/cni/net.d')
# The runtime's record of each sandbox (netns name -> container id and pod uid), for a DEL after the pod is gone.
SANDBOXES = Path('/run/mhm-kubelet/sandboxes')
CNI_BIN_DIR = '/opt/cni/bin'
CNI_TIMEOUT = 120
INIT_TIMEOUT = 120
STOP_TIMEOUT = 10
MOUNT = '/bin/mount'
CGROUPS = Path('/sys/fs/cgroup')
# A volume mount's mountPropagation, as the runtime makes the bind mount (none: private).
PROPAGATION = {'HostToContainer': 'rslave', 'Bidirectional': 'rshared'}
IP = '/usr/sbin/ip'


def mount(*args: str) -> None:
    subprocess.run([MOUNT, *args], check=True, timeout=30)


def enter(spec: dict, index: int) -> None:
    """Mount the container's view below its root and exec its argv there (we are in a new mount namespace)."""
    container = spec['containers'][index]
    root = Path(spec['rootfs'])
    for item in container['mounts']:
        source, target = item['source'], root / item['target'].lstrip('/')
        if item.get('create'):
            os.makedirs(source, mode=0o755, exist_ok=True)
        os.makedirs(target, exist_ok=True)
        mount('--rbind', source, str(target))
        mount(f'--make-{PROPAGATION.get(item.get("propagation"), "rprivate")}', str(target))
        if item.get('readOnly'):
            mount('-o', 'remount,bind,ro', str(target))
    for target, kind in (('proc', 'proc'), ('dev', None), ('sys', None)):
        os.makedirs(root / target, exist_ok=True)
        if kind:
            mount('-t', kind, kind, str(root / target))
        else:
            mount('--rbind', f'/{target}', str(root / target))
    # A cgroup of its own per container start, as a runtime makes one, holding the memory limit.
    group = CGROUPS / f'mhm-{Path(spec["state"]).name}-{container["name"]}'
    group.mkdir()
    (group / 'memory.max').write_text(f'{container.get("memory_limit") or "max"}\n', encoding='ascii')
    (group / 'cgroup.procs').write_text(f'{os.getpid()}\n', encoding='ascii')
    os.chroot(root)
    os.chdir('/')
    os.execve(container['argv'][0], container['argv'], container['env'])


def _enter_argv(spec_path: str, index: int) -> list[str]:
    return ['/usr/bin/unshare', '--mount', '--propagation', 'slave', '--fork',
            sys.executable, __file__, 'enter', spec_path, str(index)]


def run(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding='utf-8'))
    state = Path(spec['state'])
    for path, text in spec['files'].items():
        os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
        Path(path).write_text(text, encoding='utf-8')
    pids = []
    for index, container in enumerate(spec['containers']):
        log_path = state / f'{container["name"]}.log'
        with open(log_path, 'ab') as log:
            if container['init']:
                done = subprocess.run(_enter_argv(spec_path, index), stdin=subprocess.DEVNULL, stdout=log,
                                      stderr=log, timeout=INIT_TIMEOUT, check=False)
                if done.returncode:
                    print(f'init container {container["name"]} exited {done.returncode}: '
                          f'{log_path.read_text(errors="replace")[-2000:]}', file=sys.stderr)
                    return 1
                continue
            proc = subprocess.Popen(_enter_argv(spec_path, index), stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                    stdout=log, stderr=log, start_new_session=True)
            pids.append(proc.pid)
            print(f'started container {container["name"]} (pid {proc.pid})')
    (state / 'pids').write_text(''.join(f'{pid}\n' for pid in pids), encoding='ascii')
    return 0


def terminate(pids: list[int], timeout: float, send: Callable[[int, int], None] = os.killpg) -> None:
    """TERM, then KILL after timeout seconds (vms.py stops its processes with this too)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                send(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(Path(f'/proc/{p}').exists() for p in pids):
            time.sleep(0.2)
        if not any(Path(f'/proc/{p}').exists() for p in pids):
            return


def stop(spec_path: str) -> int:
    """The pod's containers stopped, then their cgroups removed."""
    state = Path(json.loads(Path(spec_path).read_text(encoding='utf-8'))['state'])
    try:
        terminate([int(p) for p in (state / 'pids').read_text(encoding='ascii').split()], STOP_TIMEOUT)
    except OSError:
        pass
    for group in CGROUPS.glob(f'mhm-{state.name}-*'):
        group.rmdir()
    return 0


def first_config() -> Path:
    """libcni's choice: the first .conf, .conflist or .json file by name."""
    found = sorted(p for p in CNI_CONF_DIR.iterdir() if p.suffix in ('.conf', '.conflist', '.json') and p.is_file())
    if not found:
        raise RuntimeError(f'no network config found in {CNI_CONF_DIR}')
    return found[0]


def plugin_confs(path: Path) -> list[dict]:
    conf = json.loads(path.read_text(encoding='utf-8'))
    if 'plugins' not in conf:
        return [conf]
    return [{**plugin, 'name': conf['name'], 'cniVersion': conf['cniVersion']} for plugin in conf['plugins']]


def cni(command: str, container_id: str, netns: str, namespace: str, name: str, uid: str) -> int:
    """CNI ADD or DEL of the node's network for one pod sandbox, the way a container runtime calls it."""
    netns_path, record = f'/run/netns/{netns}', SANDBOXES / netns
    if command == 'add':
        if not Path(netns_path).exists():
            subprocess.run([IP, 'netns', 'add', netns], check=True, timeout=30)
            subprocess.run([IP, '-n', netns, 'link', 'set', 'lo', 'up'], check=True, timeout=30)
        SANDBOXES.mkdir(parents=True, exist_ok=True)
        record.write_text(f'{container_id} {uid}\n', encoding='ascii')
    elif container_id == '-':
        if not record.exists():
            print(f'no sandbox {netns} on this node')
            return 0
        container_id, uid = record.read_text(encoding='ascii').split()
    env = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'CNI_COMMAND': command.upper(), 'CNI_CONTAINERID': container_id,
           'CNI_NETNS': netns_path, 'CNI_IFNAME': 'eth0', 'CNI_PATH': CNI_BIN_DIR,
           'CNI_ARGS': f'IgnoreUnknown=1;K8S_POD_NAMESPACE={namespace};K8S_POD_NAME={name};'
                       f'K8S_POD_INFRA_CONTAINER_ID={container_id};K8S_POD_UID={uid}'}
    confs = plugin_confs(first_config())
    result = None
    for conf in confs if command == 'add' else reversed(confs):
        if result is not None:
            conf = {**conf, 'prevResult': result}
        done = subprocess.run([f'{CNI_BIN_DIR}/{conf["type"]}'], input=json.dumps(conf), env=env,
                              capture_output=True, text=True, timeout=CNI_TIMEOUT, check=False)
        sys.stderr.write(done.stderr)
        if done.returncode:
            print(done.stdout.strip() or f'plugin {conf["type"]} exited {done.returncode}')
            return 1
        if command == 'add':
            result = json.loads(done.stdout)
    if command == 'del':
        subprocess.run([IP, 'netns', 'delete', netns], check=False, timeout=30)
        record.unlink(missing_ok=True)
    print(json.dumps(result) if result is not None else '{}')
    return 0


def main(argv: list[str]) -> int:
    os.environ['PATH'] = '/usr/sbin:/usr/bin:/sbin:/bin'
    if argv[0] == 'enter':
        enter(json.loads(Path(argv[1]).read_text(encoding='utf-8')), int(argv[2]))
    if argv[0] == 'run':
        return run(argv[1])
    if argv[0] == 'stop':
        return stop(argv[1])
    if argv[0] == 'cni':
        return cni(*argv[1:7])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
