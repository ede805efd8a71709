# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_ipam_errors.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError


def test_ipam_error_is_a_value_error_with_its_message():
    with pytest.raises(ValueError, match='^subnet 1 is not a string$'):
        raise IpamError('subnet 1 is not a string')
