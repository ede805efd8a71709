# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: multihome.multus contributors
"""Offline stand-in for ansible-test's pip bootstrap script.

ansible-test downloads get-pip from a host this workplace cannot reach before it
builds its per-test virtual environments. This script does the same job from
what is reachable: the interpreter's bundled pip (ensurepip), then pip installs
the requested versions from the configured package index.
"""
from __future__ import annotations

import ensurepip
import os
import subprocess
import sys


def main() -> int:
    ensurepip.bootstrap()
    # ensurepip points pip at /dev/null for its own run; the system pip.conf must apply again.
    for name in ('PIP_CONFIG_FILE', 'ENSUREPIP_OPTIONS'):
        os.environ.pop(name, None)
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    return subprocess.call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    sys.exit(main())
