# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Make ``ansible_collections.multihome.multus`` importable for a plain ``pytest tests/unit``.

The checkout is not under an ``ansible_collections/`` directory, so a private
temporary directory gets ``ansible_collections/multihome/multus`` as a symlink
to the checkout and goes first on ``sys.path``. ``ansible_collections`` is a
namespace package, so the collections installed with ``ansible`` stay
importable next to it. Under ``ansible-test units`` the collection is already
importable and nothing is changed.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _collection_importable() -> bool:
    try:
        spec = importlib.util.find_spec('ansible_collections.multihome.multus')
    except ImportError:
        return False
    return spec is not None


def _link_collection() -> None:
    root = Path(tempfile.mkdtemp(prefix='multihome-multus-unit-'))
    atexit.register(shutil.rmtree, root, True)
    namespace = root / 'ansible_collections' / 'multihome'
    namespace.mkdir(parents=True)
    (namespace / 'multus').symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()


def _hypothesis_profile() -> None:
    """Keep hypothesis' home (example database, caches) out of the checkout."""
    try:
        from hypothesis import settings
        from hypothesis.configuration import set_hypothesis_home_dir
        from hypothesis.database import DirectoryBasedExampleDatabase
    except ImportError:
        return
    home = Path(os.environ.get('MULTIHOME_CACHE', Path.home() / '.cache' / 'multihome-multus')) / 'hypothesis'
    set_hypothesis_home_dir(str(home))
    settings.register_profile(
        'multihome-multus',
        database=DirectoryBasedExampleDatabase(str(home / 'examples')),
        deadline=None,
    )
    settings.load_profile('multihome-multus')


if not _collection_importable():
    _link_collection()
_hypothesis_profile()
