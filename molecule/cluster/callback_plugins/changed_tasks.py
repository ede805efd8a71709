# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Test bookkeeping of the cluster scenario: what each run changed (or would change in check mode).

At the end of each ansible-playbook run, appends one JSON line to
$MULTIHOME_CACHE/cluster/changed-tasks.jsonl (the cluster's state dir, gone
with `clusterctl down`): ``{"playbook": file name, "check": bool, "changed": [[host, task, item], ...]}``,
one entry per changed task or loop item (item is "" outside loops).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: changed_tasks
type: aggregate
short_description: Record the changed tasks of each run (cluster scenario bookkeeping)
description:
  - Appends one JSON line per run to C($MULTIHOME_CACHE/cluster/changed-tasks.jsonl).
requirements:
  - enabled in callbacks_enabled
"""

import json
import os
from pathlib import Path

from ansible import context
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'changed_tasks'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._changed = []
        self._playbook = ''

    def v2_playbook_on_start(self, playbook):
        self._playbook = os.path.basename(playbook._file_name)

    def _record(self, result, item):
        if result._result.get('changed'):
            self._changed.append([result._host.get_name(), result._task.get_name(), item])

    def v2_runner_on_ok(self, result):
        if 'results' not in result._result:
            self._record(result, '')

    def v2_runner_item_on_ok(self, result):
        self._record(result, str(result._result.get('_ansible_item_label', result._result.get('item', ''))))

    def v2_playbook_on_stats(self, stats):
        cache = Path(os.environ.get('MULTIHOME_CACHE', Path.home() / '.cache' / 'multihome-multus'))
        log = cache / 'cluster' / 'changed-tasks.jsonl'
        if not log.parent.is_dir():
            return
        record = {'playbook': self._playbook, 'check': bool(context.CLIARGS.get('check')), 'changed': self._changed}
        with log.open('a', encoding='utf-8') as stream:
            stream.write(json.dumps(record) + '\n')
