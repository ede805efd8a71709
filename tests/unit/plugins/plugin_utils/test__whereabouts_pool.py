# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The addresses of a whereabouts pool: range forms, exclusions, what is wrong."""

from __future__ import annotations

import ipaddress

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils import _whereabouts_pool as pool


def runs(text, exclude=()):
    return [(str(low), str(high)) for low, high in pool.pool_pieces(text, exclude)]


@pytest.mark.parametrize('text, exclude, expected', [
    ('198.19.2.0/24', [], [('198.19.2.1', '198.19.2.254')]),            # no network nor broadcast address
    ('198.19.2.0/31', [], [('198.19.2.0', '198.19.2.1')]),
    ('198.19.2.7/24', [], [('198.19.2.1', '198.19.2.254')]),            # host bits allowed, as whereabouts takes it
    ('198.19.2.10-198.19.2.20/24', ['198.19.2.12/31', '198.19.2.20/32'],
     [('198.19.2.10', '198.19.2.11'), ('198.19.2.14', '198.19.2.19')]),
    ('198.19.2.0/24', ['198.19.2.0/28', '198.19.2.8/29', '198.19.3.0/24'], [('198.19.2.16', '198.19.2.254')]),
    ('2001:db8::/120', ['2001:db8::/124'], [('2001:db8::10', '2001:db8::ff')]),
    ('198.19.2.0/28', ['198.19.2.0/24'], []),
])
def test_runs(text, exclude, expected):
    assert runs(text, exclude) == expected


def test_size_counts_every_run():
    assert pool.pool_size('198.19.2.10-198.19.2.20/24', ['198.19.2.12/31', '198.19.2.20/32']) == 8
    assert pool.pool_size('198.19.2.0/28', ['198.19.2.0/24']) == 0


def test_ranges_for_the_overlap_check():
    assert pool.pool_ranges('p', '198.19.2.10-198.19.2.20/24', ['198.19.2.15/32']) == {
        'whereabouts pool p[0]': {'subnet': '198.19.2.0/24', 'rangeStart': '198.19.2.10', 'rangeEnd': '198.19.2.14'},
        'whereabouts pool p[1]': {'subnet': '198.19.2.0/24', 'rangeStart': '198.19.2.16', 'rangeEnd': '198.19.2.20'}}


@pytest.mark.parametrize('text, exclude, words', [
    ('198.19.2.0', [], 'has no /prefix'),
    ('x/24', [], "'x/24' is not a CIDR nor"),
    ('198.19.2.300-198.19.2.4/24', [], "the first address '198.19.2.300' is not an IP address"),
    ('198.19.2.9-198.19.2.4/24', [], 'the last address 198.19.2.4 comes before the first 198.19.2.9'),
    ('198.19.2.200-198.19.3.10/24', [], '198.19.3.10 is not in 198.19.2.0/24'),
    ('198.19.2.1-2001:db8::1/24', [], 'is not in 198.19.2.0/24'),
    ('198.19.2.1-198.19.2.9/40', [], '/40 is not a prefix length of 198.19.2.1'),
    ('198.19.2.0/24', 'not a list', 'must be a list of CIDRs'),
    ('198.19.2.0/24', ['nope'], "entry 'nope' is not a CIDR"),
    ('198.19.2.0/24', ['2001:db8::/64'], 'is not of the family of 198.19.2.0/24'),
    ('198.19.2.0/28', ['198.19.2.0/24'], 'holds no address once 198.19.2.0/24 are excluded'),
])
def test_problems_say_what_is_wrong(text, exclude, words):
    assert words in pool.pool_problem(text, exclude)


def test_a_good_pool_has_no_problem():
    assert pool.pool_problem('198.19.2.0/24', ['198.19.2.0/28']) == ''
    assert ipaddress.ip_address('198.19.2.16') == pool.pool_pieces('198.19.2.0/24', ['198.19.2.0/28'])[0][0]
