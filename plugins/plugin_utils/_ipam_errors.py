# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The one exception raised by the IPAM and CNI logic modules of multihome.multus.

The logic modules import no Ansible code; the thin filter plugins in
``plugins/filter/`` turn this exception into ``AnsibleFilterError``.
"""

from __future__ import annotations


class IpamError(ValueError):
    """Raised for input that cannot become a valid IPAM range or CNI config.

    The message names the offending value, so that the filter layer only has
    to add its own name in front of it.
    """
