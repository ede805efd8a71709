# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""``python3 bench/fleet --workers 1 5 10 20``: each contender on a fresh lab of N workers; prints the table.

Writes ``<out>/<date>.json`` (every run's figures and the machine), ``<date>.md`` and ``<date>.png``,
and takes the lab down at the end, also on failure. Root is required (the lab, the cgroups).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ''):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = 'fleet'  # noqa: A001 - run as a directory: python3 bench/fleet

from fleet import contenders, inventory, lab, measure, probes, report  # noqa: E402
from fleet.mirror import Mirror  # noqa: E402

MIRROR_PORT = 18090


def _machine() -> dict:
    cpu = next((line.split(':', 1)[1].strip() for line in Path('/proc/cpuinfo').read_text().splitlines()
                if line.startswith('model name')), 'unknown')
    memory = next(line.split()[1] for line in Path('/proc/meminfo').read_text().splitlines()
                  if line.startswith('MemTotal'))
    core = subprocess.run(['ansible', '--version'], text=True, capture_output=True, check=False).stdout
    commit = subprocess.run(['git', '-C', str(lab.REPO), 'rev-parse', '--short', 'HEAD'], text=True,
                            capture_output=True, check=False).stdout.strip()
    return {'cpus': os.cpu_count(), 'cpu_model': cpu, 'memory_gib': round(int(memory) / 2**20, 1),
            'kernel': platform.release(), 'python': platform.python_version(),
            'ansible': core.splitlines()[0] if core else 'unknown', 'commit': commit}


def _bench_one(count: int, contender: contenders.Contender, forks: int, log: Path) -> list[dict]:
    lab.up(count)
    workers = lab.workers(count)
    groups = {}
    controller = probes.CpuGroup('controller')
    try:
        for worker in workers:
            groups[worker.name] = probes.CpuGroup(worker.name)
            groups[worker.name].add(lab.sshd_pid(count, worker.name))
        archive = lab.archive_name(count)
        mirror_dir = lab.mirror_dir(count)
        checksum = hashlib.sha256((mirror_dir / archive).read_bytes()).hexdigest()
        version = archive.rsplit('-v', 1)[1].removesuffix('.tgz')
        records = []
        with tempfile.TemporaryDirectory(prefix='mhm-bench-') as scratch, \
                Mirror(mirror_dir, lab.management_gateway(count), MIRROR_PORT) as mirror:
            hosts = inventory.write(Path(scratch) / 'inventory', workers)
            cache = Path(scratch) / 'controller-cache'
            cache.mkdir()
            extra = contender.extra_vars(mirror.url, archive, checksum, version, cache)
            for run in contender.runs:
                argv = contenders.command(contender, hosts, extra, forks)
                record = measure.run(argv, workers, groups, controller, mirror, archive, log)
                record.update(contender=contender.name, run=run)
                records.append(record)
                print(f'{contender.name:10} {run:5} N={count:<3} wall {record["wall_s"]:7.1f} s, '
                      f'fetches {record["archive_fetches"]}', flush=True)
        return records
    finally:
        for group in [*groups.values(), controller]:
            group.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python3 bench/fleet', description=__doc__.splitlines()[0])
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 5, 10, 20])
    parser.add_argument('--contenders', nargs='+', choices=sorted(contenders.CONTENDERS),
                        default=['guide', 'kubespray', 'collection', 'collection-plugins'])
    parser.add_argument('--forks', type=int, default=20)
    parser.add_argument('--rtt-ms', type=float, default=1.0,
                        help='network round trip assumed by the fleet model (default 1 ms, one LAN)')
    parser.add_argument('--controller-cores', type=int, default=2,
                        help="the modelled fleet's controller cores (default 2, this machine's)")
    parser.add_argument('--out', type=Path, default=lab.REPO / 'bench' / 'results')
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        parser.error('root is required (the lab and its cgroups)')
    stale = probes.stale_groups()
    if stale:
        parser.error(f'cgroups of an earlier run remain: {", ".join(map(str, stale))}')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / f'{stamp}.log'
    log.write_text('')
    records = []
    try:
        for count in args.workers:
            for name in args.contenders:
                records.extend(_bench_one(count, contenders.CONTENDERS[name], args.forks, log))
    finally:
        lab.down(max(args.workers))
    rows = [report.row(r, args.controller_cores, args.rtt_ms) for r in records]
    biggest = max(args.workers)
    top = [report.top_tasks(r) for r in records
           if r['contender'] == 'collection' and len(r['bytes_to_node']) == biggest]
    result = {'date': stamp, 'machine': _machine(), 'model': {'controller_cores': args.controller_cores,
              'rtt_ms': args.rtt_ms}, 'rows': rows, 'top_tasks_at_max_n': top, 'runs': records}
    (args.out / f'{stamp}.json').write_text(json.dumps(result, indent=1) + '\n')
    table = report.markdown(rows)
    (args.out / f'{stamp}.md').write_text(table)
    report.plot(rows, args.out / f'{stamp}.png')
    print(table)
    return 0


if __name__ == '__main__':
    sys.exit(main())
