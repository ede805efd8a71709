# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""What the benchmark measures besides wall time: CPU per cgroup, bytes per veth, SSH invocations per node.

CPU: a cpuacct cgroup (v1, as these machines mount it) per node, holding the node's sshd and so every
process a run starts there, and one for the controller's ansible-playbook with its forks and SSH masters.
Bytes: the transmit counter of the host end of each node's eth0 veth (what reached the node).
Round trips: ssh and sftp run through a wrapper that logs its command line; control commands
(``-O check``/``stop``, answered by the local master) are not counted.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

CPUACCT = Path('/sys/fs/cgroup/cpuacct')


class CpuGroup:
    """A cpuacct cgroup named ``mhm-bench-<name>``; removed by ``close`` (its processes go back to the root)."""

    def __init__(self, name: str):
        self.path = CPUACCT / f'mhm-bench-{name}'
        self.path.mkdir(exist_ok=True)

    def add(self, pid: int) -> None:
        (self.path / 'cgroup.procs').write_text(f'{pid}\n')

    def seconds(self) -> float:
        return int((self.path / 'cpuacct.usage').read_text()) / 1e9

    def close(self) -> None:
        if not self.path.exists():
            return
        for pid in (self.path / 'cgroup.procs').read_text().split():
            try:
                (CPUACCT / 'cgroup.procs').write_text(f'{pid}\n')
            except ProcessLookupError:
                pass
        self.path.rmdir()


def stale_groups() -> list[Path]:
    return sorted(CPUACCT.glob('mhm-bench-*')) if CPUACCT.is_dir() else []


def tx_bytes(link: str) -> int:
    return int(Path(f'/sys/class/net/{link}/statistics/tx_bytes').read_text())


_WRAPPER = '#!/bin/sh\nprintf "%s %s\\n" "${0##*/}" "$*" >> "$MHM_BENCH_TRIPS"\nexec /usr/bin/${0##*/} "$@"\n'


def trip_wrappers(directory: Path) -> dict[str, str]:
    """Writes ssh and sftp wrappers into ``directory``; returns the environment that makes Ansible use them."""
    for tool in ('ssh', 'sftp', 'scp'):
        path = directory / tool
        path.write_text(_WRAPPER)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    log = directory / 'trips.log'
    log.touch()
    return {'ANSIBLE_SSH_EXECUTABLE': str(directory / 'ssh'), 'ANSIBLE_SFTP_EXECUTABLE': str(directory / 'sftp'),
            'ANSIBLE_SCP_EXECUTABLE': str(directory / 'scp'), 'MHM_BENCH_TRIPS': str(log)}


def count_trips(log: Path, addresses: dict[str, str]) -> dict[str, int]:
    """Round trips per node name from the wrapper log; ``addresses`` maps node address to name."""
    counts = dict.fromkeys(addresses.values(), 0)
    pattern = re.compile(r'(?<![\d.])(' + '|'.join(re.escape(a) for a in addresses) + r')(?![\d.])')
    for line in log.read_text().splitlines():
        words = line.split()
        if '-O' in words:
            continue
        found = pattern.search(line)
        if found:
            counts[addresses[found.group(1)]] += 1
    return counts
