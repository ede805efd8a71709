# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The script behind the fake kubernetes.core modules of tests/templates.

The environment variable MULTIHOME_FAKE_API names a JSON file
``{"reads": {kind: [resources of read 1, resources of read 2, ...]}}``. Each
read of a kind answers the next list, the last one again once the script runs
out; the reads are counted in ``<file>.count``. Every call (module name and
arguments) is appended to ``<file>.calls``, one JSON object a line.
"""

from __future__ import annotations

import json
import os


def _load(path, default):
    try:
        with open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except FileNotFoundError:
        return default


def record(module_name, params):
    """Append the call to the log of the script."""
    with open(os.environ['MULTIHOME_FAKE_API'] + '.calls', 'a', encoding='utf-8') as handle:
        handle.write(json.dumps({'module': module_name, **params}, sort_keys=True, default=str) + '\n')


def next_read(kind):
    """The resources that the script gives for this read of KIND."""
    path = os.environ['MULTIHOME_FAKE_API']
    reads = _load(path, {}).get('reads', {}).get(kind) or [[]]
    counts = _load(path + '.count', {})
    done = counts.get(kind, 0)
    counts[kind] = done + 1
    with open(path + '.count', 'w', encoding='utf-8') as handle:
        json.dump(counts, handle)
    return reads[min(done, len(reads) - 1)]
