# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Summaries of the benchmark's runs: rows per contender and N, the goals' ratios, Markdown and a PNG plot."""

from __future__ import annotations

import statistics
from collections import defaultdict


def _mean(values) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def row(record: dict, cores: int, rtt_ms: float) -> dict:
    """One line of the table from one run's record."""
    nodes = len(record['bytes_to_node'])
    node_cpu = record['node_cpu_s'].values()
    trips = _mean(record['round_trips'].values())
    modelled = record['controller_cpu_s'] / cores + max(node_cpu, default=0.0) + trips * rtt_ms / 1000
    return {
        'contender': record['contender'], 'run': record['run'], 'workers': nodes,
        'wall_s': record['wall_s'], 'controller_cpu_s': record['controller_cpu_s'],
        'controller_cpu_per_worker_s': record['controller_cpu_s'] / nodes,
        'node_cpu_s': _mean(node_cpu), 'round_trips_per_node': trips,
        'bytes_per_node': _mean(record['bytes_to_node'].values()),
        'archive_fetches': record['archive_fetches'],
        'tasks_per_node': _mean(sum(1 for t in record['tasks'] if host in t['hosts'])
                                for host in record['bytes_to_node']),
        'modelled_fleet_wall_s': modelled,
    }


def top_tasks(record: dict, count: int = 5) -> list[dict]:
    """The tasks with the largest wall time in one run, with the hosts' summed seconds."""
    merged: dict[str, dict] = {}
    for task in record['tasks']:
        entry = merged.setdefault(task['task'], {'task': task['task'], 'wall_s': 0.0, 'host_s': 0.0, 'runs': 0})
        entry['wall_s'] += task['wall']
        entry['host_s'] += sum(h['seconds'] for h in task['hosts'].values())
        entry['runs'] += len(task['hosts'])
    return sorted(merged.values(), key=lambda e: e['wall_s'], reverse=True)[:count]


def markdown(rows: list[dict]) -> str:
    head = ('| Contender | Run | N | Wall s | Controller CPU s (per worker) | Node CPU s | Round trips / node '
            '| MB to each node | Archive fetches | Tasks / node | Modelled fleet wall s |')
    lines = [head, '|' + ' --- |' * 11]
    for r in rows:
        lines.append(
            f"| {r['contender']} | {r['run']} | {r['workers']} | {r['wall_s']:.1f} | {r['controller_cpu_s']:.1f} "
            f"({r['controller_cpu_per_worker_s']:.2f}) | {r['node_cpu_s']:.2f} | {r['round_trips_per_node']:.1f} "
            f"| {r['bytes_per_node'] / 1e6:.2f} | {r['archive_fetches']} | {r['tasks_per_node']:.0f} "
            f"| {r['modelled_fleet_wall_s']:.1f} |")
    return '\n'.join(lines) + '\n'


def plot(rows: list[dict], path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot

    series: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        series[f"{r['contender']} ({r['run']})"].append(r)
    figure, (wall, sent) = pyplot.subplots(1, 2, figsize=(11, 4.2))
    for label, points in series.items():
        points.sort(key=lambda r: r['workers'])
        xs = [p['workers'] for p in points]
        wall.plot(xs, [p['wall_s'] for p in points], marker='o', label=label)
        sent.plot(xs, [p['bytes_per_node'] / 1e6 for p in points], marker='o', label=label)
    wall.set(xlabel='workers (N)', ylabel='wall time, s (lab: one 2-core machine)', title='Wall time')
    sent.set(xlabel='workers (N)', ylabel='MB reaching each node', title='Bytes per node')
    for axes in (wall, sent):
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize='small')
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
