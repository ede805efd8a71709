# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Controller-side cost of planning the per-node ranges against the number of workers (issue 11).

A script that prints figures, not a test: ``python bench/planning.py --workers 1000 10000``.
Each worker gets five connected secondary IPs on eth1 from 198.18.0.0/15 (and, with
``--dual-stack``, five from 2001:2::/48); the facts are written to a JSON inventory first and
read back from it. Rows:

- ``overlap``: ``ipam_disjoint`` alone on the ranges of N workers;
- ``filters``: the filters the role and site.yml call, in plain Python, over N workers
  (range per worker, gather, overlap check, allocation table), each host holding the
  gathered ranges as a ``run_once`` set_fact leaves them;
- ``play-localhost``: ansible-playbook, one play on localhost calling the same filters
  over the facts file (the planning done once on the controller);
- ``play-report``: ansible-playbook over an inventory that already holds each worker's
  range: the gathered ranges published on every worker (``run_once``), then the table;
- ``play-empty``: ansible-playbook, one ``run_once`` task in a play over the inventory of
  N hosts (what reading the inventory and starting a play over N hosts cost);
- ``play-role``: ansible-playbook, the role's ``tasks_from: ranges`` and site.yml's
  allocation table over the inventory of N hosts (what site.yml's planning costs today).

CPU is user + system seconds: ``time.process_time`` in this process, the rusage of the
children for ansible-playbook (its forks included).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLAYBOOKS = REPO / 'bench' / 'playbooks'
IPV4 = ipaddress.ip_network('198.18.0.0/15')
IPV6 = ipaddress.ip_network('2001:2::/48')
PER_WORKER = 5
PER_SUBNET = 50  # workers per /24 (IPv4) or /64 (IPv6): 250 addresses, clear of .0 and .255
NETWORK = 'bench-net'


def _import_collection() -> Path:
    """Make this checkout importable as ansible_collections.multihome.multus; return the collections root."""
    root = Path(tempfile.mkdtemp(prefix='mhm-bench-'))
    (root / 'ansible_collections' / 'multihome').mkdir(parents=True)
    (root / 'ansible_collections' / 'multihome' / 'multus').symlink_to(REPO)
    sys.path.insert(0, str(root))
    return root


def worker_facts(index: int, dual_stack: bool) -> dict:
    """What the secondary_nic role publishes for worker ``index``: its eth1 secondaries as address/prefix."""
    subnet, slot = divmod(index, PER_SUBNET)
    first = 1 + slot * PER_WORKER
    if subnet >= 512:
        raise SystemExit(f'198.18.0.0/15 holds {512 * PER_SUBNET} workers of {PER_WORKER} addresses, not {index + 1}')
    net4 = ipaddress.ip_network((int(IPV4.network_address) + (subnet << 8), 24))
    net6 = ipaddress.ip_network((int(IPV6.network_address) + (subnet << 64), 64))
    facts = {
        'secondary_nic_pod_addresses': [f'{net4[first + n]}/24' for n in range(PER_WORKER)],
        'secondary_nic_pod_subnet': '',
        'secondary_nic_pod_nic': 'eth1',
        'secondary_nic_pod_addresses6': [],
        'secondary_nic_pod_subnet6': '',
    }
    if dual_stack:
        facts['secondary_nic_pod_addresses6'] = [f'{net6[first + n]}/64' for n in range(PER_WORKER)]
    return facts


def write_inventory(path: Path, workers: int, dual_stack: bool, planned: bool = False) -> None:
    """A JSON inventory (the yaml plugin reads it): group multus_workers, one attachment, no connection needed.

    ``planned`` adds each worker's range as the role's set_fact would.
    """
    attachment = {'name': NETWORK, 'namespace': 'default', 'plugin': 'macvlan', 'mode': 'bridge',
                  'master': 'eth1', 'ipam': 'per_node', 'dual_stack': dual_stack}
    hosts = {f'w{index:05d}': worker_facts(index, dual_stack) for index in range(workers)}
    if planned:
        from ansible_collections.multihome.multus.plugins.filter import ipam_dual_stack, ipam_range
        filters = {'ipam_range': ipam_range.ipam_range, 'ipam_dual_stack': ipam_dual_stack.ipam_dual_stack}
        for found in hosts.values():
            found['network_attachments_node_ranges'] = {NETWORK: node_range(found, attachment, filters)}
    group_vars = {'network_attachments_list': [attachment], 'ansible_connection': 'local',
                  'ansible_python_interpreter': sys.executable}
    inventory = {'all': {'children': {'multus_workers': {'hosts': hosts, 'vars': group_vars}}}}
    path.write_text(json.dumps(inventory), encoding='utf-8')


def load_workers(path: Path) -> tuple[list, dict]:
    """The host names and hostvars-like dict (host vars over group vars) of an inventory written above."""
    group = json.loads(path.read_text(encoding='utf-8'))['all']['children']['multus_workers']
    entries = [{'namespace': 'default', **entry} for entry in group['vars']['network_attachments_list']]
    hostvars = {host: dict(found, network_attachments_entries=entries) for host, found in group['hosts'].items()}
    return list(hostvars), hostvars


def node_range(found: dict, entry: dict, filters: dict) -> object:
    """The range the role's node_range.yml computes for one worker and one attachment."""
    if entry.get('dual_stack'):
        return filters['ipam_dual_stack']([found['secondary_nic_pod_addresses'], found['secondary_nic_pod_addresses6']],
                                          subnets=[found['secondary_nic_pod_subnet'] or None,
                                                   found['secondary_nic_pod_subnet6'] or None],
                                          gateways=[None, None])
    return filters['ipam_range'](found['secondary_nic_pod_addresses'], subnet=found['secondary_nic_pod_subnet'] or None)


def bench_filters(path: Path) -> dict:
    """CPU seconds of each planning step over the workers of ``path``, in this process."""
    from ansible_collections.multihome.multus.plugins.filter import (
        allocation_table, gather_ranges, ipam_disjoint, ipam_dual_stack, ipam_range)
    filters = {'ipam_range': ipam_range.ipam_range, 'ipam_dual_stack': ipam_dual_stack.ipam_dual_stack}
    figures = {}
    start = time.process_time()
    hosts, hostvars = load_workers(path)
    figures['load'] = time.process_time() - start
    mark = time.process_time()
    for host in hosts:
        found = hostvars[host]
        found['network_attachments_node_ranges'] = {
            entry['name']: node_range(found, entry, filters) for entry in found['network_attachments_entries']}
    figures['ranges'] = time.process_time() - mark
    mark = time.process_time()
    gathered = gather_ranges.gather_ranges(hosts, hostvars)
    figures['gather'] = time.process_time() - mark
    mark = time.process_time()
    ipam_disjoint.ipam_disjoint(gathered)
    figures['overlap'] = time.process_time() - mark
    for host in hosts:
        hostvars[host]['network_attachments_all_ranges'] = gathered
    mark = time.process_time()
    lines = allocation_table.allocation_table(hosts, hostvars, False)
    figures['table'] = time.process_time() - mark
    figures['total'] = time.process_time() - start
    if len(lines) < len(hosts) + 3:
        raise SystemExit(f'the allocation table has {len(lines)} lines for {len(hosts)} workers')
    return figures


def bench_overlap(path: Path) -> tuple[int, float]:
    """Number of ranges and CPU seconds of ipam_disjoint alone on them."""
    from ansible_collections.multihome.multus.plugins.filter import ipam_disjoint, ipam_range
    hostvars = load_workers(path)[1]
    ranges = {}
    for host, found in hostvars.items():
        ranges[f'{host}/{NETWORK}'] = ipam_range.ipam_range(found['secondary_nic_pod_addresses'])
        if found['secondary_nic_pod_addresses6']:
            ranges[f'{host}/{NETWORK}6'] = ipam_range.ipam_range(found['secondary_nic_pod_addresses6'])
    start = time.process_time()
    ipam_disjoint.ipam_disjoint(ranges)
    return len(ranges), time.process_time() - start


def run_playbook(playbook: str, inventory: Path, collections: Path, forks: int, timeout: float, log: Path) -> tuple:
    """(CPU s, wall s, outcome) of one ansible-playbook run; CPU is that of the children reaped meanwhile."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=f"{collections}:{os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')}",
               ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_RETRY_FILES_ENABLED='False')
    hosts = 'localhost,' if playbook == 'planning_localhost.yml' else str(inventory)
    command = ['ansible-playbook', '-i', hosts, '-f', str(forks), str(PLAYBOOKS / playbook),
               '-e', f'bench_inventory_file={inventory}']
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with log.open('w', encoding='utf-8') as output:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            outcome = 'ok' if process.wait(timeout=timeout) == 0 else f'failed (see {log})'
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            outcome = f'stopped after {timeout:.0f} s'
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--workers', type=int, nargs='*', default=[1000, 10000],
                        help='N for the overlap, filters and play-localhost rows (default: 1000 10000)')
    parser.add_argument('--role-workers', type=int, nargs='*', default=[1, 20, 1000],
                        help='N for the play-role rows (default: 1 20 1000; 10000 takes a long time)')
    parser.add_argument('--empty-workers', type=int, nargs='*', default=[1, 20, 1000, 10000],
                        help='N for the play-empty rows (default: 1 20 1000 10000)')
    parser.add_argument('--dual-stack', action='store_true', help='give every worker IPv6 secondaries too')
    parser.add_argument('--forks', type=int, default=20, help='ansible-playbook --forks (default: 20)')
    parser.add_argument('--timeout', type=float, default=3600, help='seconds before a playbook run is stopped')
    parser.add_argument('--keep', type=Path, help='write the inventories and logs here instead of a temporary directory')
    args = parser.parse_args()

    collections = _import_collection()
    work = args.keep or Path(tempfile.mkdtemp(prefix='mhm-bench-work-'))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for workers in sorted(set(args.workers) | set(args.empty_workers) | set(args.role_workers)):
        inventory = work / f'workers-{workers}.json'
        write_inventory(inventory, workers, args.dual_stack)
        if workers in args.workers:
            count, cpu = bench_overlap(inventory)
            rows.append(('overlap', workers, cpu, None, f'{count} ranges'))
            figures = bench_filters(inventory)
            steps = ', '.join(f'{name} {value:.2f}' for name, value in figures.items() if name != 'total')
            rows.append(('filters', workers, figures['total'], None, steps))
            cpu, wall, outcome = run_playbook('planning_localhost.yml', inventory, collections, args.forks, args.timeout,
                                              work / f'localhost-{workers}.log')
            rows.append(('play-localhost', workers, cpu, wall, outcome))
            planned = work / f'workers-{workers}-planned.json'
            write_inventory(planned, workers, args.dual_stack, planned=True)
            cpu, wall, outcome = run_playbook('planning_report.yml', planned, collections, args.forks, args.timeout,
                                              work / f'report-{workers}.log')
            rows.append(('play-report', workers, cpu, wall, outcome))
        if workers in args.empty_workers:
            cpu, wall, outcome = run_playbook('planning_empty.yml', inventory, collections, args.forks, args.timeout,
                                              work / f'empty-{workers}.log')
            rows.append(('play-empty', workers, cpu, wall, outcome))
        if workers in args.role_workers:
            cpu, wall, outcome = run_playbook('planning_role.yml', inventory, collections, args.forks, args.timeout,
                                              work / f'role-{workers}.log')
            rows.append(('play-role', workers, cpu, wall, outcome))
        print(f'... {workers} workers done', file=sys.stderr, flush=True)

    print(f"{'measure':<15} {'N':>6} {'CPU s':>9} {'wall s':>9}  notes")
    for name, workers, cpu, wall, notes in rows:
        wall_text = '-' if wall is None else f'{wall:.2f}'
        print(f'{name:<15} {workers:>6} {cpu:>9.2f} {wall_text:>9}  {notes}')


if __name__ == '__main__':
    main()
