# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Benchmark bookkeeping: per task, its wall time and each host's time and results, written as JSON at the end."""

from __future__ import annotations

DOCUMENTATION = r"""
name: task_timing
type: aggregate
short_description: Per-task timings of a run, for bench/fleet
description:
  - Writes C($MHM_BENCH_TASKS) (JSON) at the end of the run; does nothing when it is unset.
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._tasks = []
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._tasks.append({'task': task.get_name(), 'action': task.action, 'start': time.monotonic(),
                            'end': None, 'hosts': {}})

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.monotonic()

    def _done(self, result, status):
        now = time.monotonic()
        if not self._tasks:
            return
        current = self._tasks[-1]
        current['end'] = now
        host = result._host.get_name()
        began = self._started.pop((host, result._task._uuid), now)
        entry = current['hosts'].setdefault(host, {'seconds': 0.0, 'status': status})
        entry['seconds'] += now - began
        entry['status'] = status

    def v2_runner_on_ok(self, result):
        self._done(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._done(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._done(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        target = os.environ.get('MHM_BENCH_TASKS')
        if not target:
            return
        for task in self._tasks:
            task['wall'] = (task.pop('end') or task['start']) - task.pop('start')
        with open(target, 'w', encoding='utf-8') as stream:
            json.dump(self._tasks, stream)
