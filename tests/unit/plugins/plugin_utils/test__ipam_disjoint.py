# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_ipam_disjoint.py (the overlap check across nodes)."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_disjoint import ipam_disjoint
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

SUBNET = ipaddress.ip_network('10.20.0.0/24')
OVERLAP = re.compile(r'the ranges of (\S+) \((\S+)-(\S+)\) and (\S+) \((\S+)-(\S+)\) overlap at (\S+)$')


def node_range(start, end, subnet='198.19.0.0/24'):
    return {'subnet': subnet, 'rangeStart': start, 'rangeEnd': end}


def test_guide_style_overlap_message():
    ranges = {
        'node1': node_range('198.19.0.101', '198.19.0.105'),
        'node2': node_range('198.19.0.104', '198.19.0.110'),
    }
    with pytest.raises(IpamError) as info:
        ipam_disjoint(ranges)
    assert str(info.value) == (
        'the ranges of node1 (198.19.0.101-198.19.0.105) and node2 (198.19.0.104-198.19.0.110) overlap at 198.19.0.104')


def test_disjoint_ranges_come_back_unchanged():
    ranges = {
        'node1/macvlan-net1': node_range('198.19.0.101', '198.19.0.105'),
        'node2/macvlan-net1': dict(node_range('198.19.0.106', '198.19.0.110'), gateway='198.19.0.1'),
    }
    assert ipam_disjoint(ranges) is ranges


def test_empty_dict_is_disjoint():
    ranges = {}
    assert ipam_disjoint(ranges) is ranges


def test_touching_ranges_are_disjoint_but_a_shared_end_is_not():
    assert ipam_disjoint({'a': node_range('198.19.0.1', '198.19.0.5'), 'b': node_range('198.19.0.6', '198.19.0.9')})
    with pytest.raises(IpamError, match=re.escape('overlap at 198.19.0.5')):
        ipam_disjoint({'a': node_range('198.19.0.1', '198.19.0.5'), 'b': node_range('198.19.0.5', '198.19.0.9')})


def test_different_subnets_are_compared_by_range():
    ranges = {'a': node_range('198.19.0.10', '198.19.0.20', '198.19.0.0/24'),
              'b': node_range('198.19.0.14', '198.19.0.14', '198.19.0.0/28')}
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of a (198.19.0.10-198.19.0.20) and b (198.19.0.14-198.19.0.14) overlap at 198.19.0.14')):
        ipam_disjoint(ranges)


def test_families_are_compared_separately():
    ranges = {'v4': node_range('0.0.0.1', '0.0.0.5', '0.0.0.0/24'),
              'v6': node_range('::1', '::5', '::/64')}
    assert ipam_disjoint(ranges) is ranges


def test_ipv6_overlap():
    ranges = {'n2': node_range('2001:db8::10', '2001:db8::20', '2001:db8::/64'),
              'n1': node_range('2001:db8::1', '2001:db8::10', '2001:db8::/64')}
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of n1 (2001:db8::1-2001:db8::10) and n2 (2001:db8::10-2001:db8::20) overlap at 2001:db8::10')):
        ipam_disjoint(ranges)


def test_the_lowest_shared_address_is_named():
    ranges = {'wide': node_range('198.19.0.10', '198.19.0.90'),
              'late': node_range('198.19.0.30', '198.19.0.40'),
              'early': node_range('198.19.0.20', '198.19.0.25')}
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of wide (198.19.0.10-198.19.0.90) and early (198.19.0.20-198.19.0.25) overlap at 198.19.0.20')):
        ipam_disjoint(ranges)


@pytest.mark.parametrize('ranges, message', [
    ([node_range('198.19.0.1', '198.19.0.2')], 'expected a dict of label -> range, got ['),
    ({1: node_range('198.19.0.1', '198.19.0.2')}, 'label 1 is not a non-empty string'),
    ({'': node_range('198.19.0.1', '198.19.0.2')}, "label '' is not a non-empty string"),
    ({'node1': '198.19.0.1-198.19.0.2'}, "the range of node1: expected a dict with subnet, rangeStart and rangeEnd, got '198.19.0.1-198.19.0.2'"),
    ({'node1': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.1'}}, "the range of node1: missing key 'rangeEnd'"),
    ({'node1': node_range('198.19.0.1', '198.19.0.2'), 'node2': node_range('198.19.0.x', '198.19.0.9')},
     "the range of node2: rangeStart '198.19.0.x' is not a valid IP address"),
    ({'node3': node_range('198.19.0.9', '198.19.0.2')}, 'the range of node3: rangeStart 198.19.0.9 is after rangeEnd 198.19.0.2'),
    ({'node3': node_range('198.19.0.1', '198.19.0.2', 'bad')}, "the range of node3: subnet 'bad' has no prefix length"),
])
def test_errors(ranges, message):
    with pytest.raises(IpamError, match=re.escape(message)):
        ipam_disjoint(ranges)


# --- agreement with a brute-force set intersection -----------------------------------------------


@st.composite
def small_ranges(draw):
    """Up to six labelled ranges inside one small subnet."""
    count = draw(st.integers(min_value=0, max_value=6))
    ranges = {}
    for index in range(count):
        start = draw(st.integers(min_value=1, max_value=40))
        length = draw(st.integers(min_value=1, max_value=12))
        ranges[f'node{index}'] = (start, start + length - 1)
    return ranges


@given(small_ranges())
def test_agrees_with_brute_force(bounds):
    ranges = {label: node_range(str(SUBNET[lo]), str(SUBNET[hi]), str(SUBNET)) for label, (lo, hi) in bounds.items()}
    members = {label: set(range(lo, hi + 1)) for label, (lo, hi) in bounds.items()}
    labels = sorted(members)
    shared = [min(members[a] & members[b]) for i, a in enumerate(labels) for b in labels[i + 1:] if members[a] & members[b]]
    if not shared:
        assert ipam_disjoint(ranges) is ranges
        return
    with pytest.raises(IpamError) as info:
        ipam_disjoint(ranges)
    found = OVERLAP.match(str(info.value))
    assert found is not None, str(info.value)
    first, first_lo, first_hi, second, second_lo, second_hi, at = found.groups()
    assert first != second
    assert (first_lo, first_hi) == (str(SUBNET[bounds[first][0]]), str(SUBNET[bounds[first][1]]))
    assert (second_lo, second_hi) == (str(SUBNET[bounds[second][0]]), str(SUBNET[bounds[second][1]]))
    assert at == str(SUBNET[min(shared)])
    offset = int(ipaddress.ip_address(at)) - int(SUBNET.network_address)
    assert offset in members[first] and offset in members[second]


# --- the sorted scan: cases where comparing start-order neighbours is easy to get wrong ----------


def test_a_wide_range_listed_last_is_caught_by_the_first_range_it_covers():
    ranges = {f'small{index}': node_range(f'198.19.0.{20 + 10 * index}', f'198.19.0.{22 + 10 * index}') for index in range(5)}
    ranges['wide'] = node_range('198.19.0.10', '198.19.0.90')
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of wide (198.19.0.10-198.19.0.90) and small0 (198.19.0.20-198.19.0.22) overlap at 198.19.0.20')):
        ipam_disjoint(ranges)


def test_a_range_covered_by_an_earlier_one_is_compared_with_what_follows_it():
    # Start order: a, b, c; b lies inside a and c overlaps a only, past b's end.
    ranges = {'c': node_range('198.19.0.40', '198.19.0.60'), 'a': node_range('198.19.0.10', '198.19.0.50'),
              'b': node_range('198.19.0.20', '198.19.0.25')}
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of a (198.19.0.10-198.19.0.50) and b (198.19.0.20-198.19.0.25) overlap at 198.19.0.20')):
        ipam_disjoint(ranges)
    del ranges['b']
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of a (198.19.0.10-198.19.0.50) and c (198.19.0.40-198.19.0.60) overlap at 198.19.0.40')):
        ipam_disjoint(ranges)


def test_identical_ranges_overlap_at_their_start():
    ranges = {'node2': node_range('198.19.0.101', '198.19.0.105'), 'node1': node_range('198.19.0.101', '198.19.0.105')}
    with pytest.raises(IpamError, match=re.escape(
            'the ranges of node1 (198.19.0.101-198.19.0.105) and node2 (198.19.0.101-198.19.0.105) overlap at 198.19.0.101')):
        ipam_disjoint(ranges)


def test_touching_ipv6_ranges_are_disjoint():
    ranges = {'a': node_range('2001:2::1', '2001:2::ff', '2001:2::/64'),
              'b': node_range('2001:2::100', '2001:2::1ff', '2001:2::/64')}
    assert ipam_disjoint(ranges) is ranges


def test_mixed_families_overlap_only_within_a_family():
    # 0.0.0.16 and ::10 are the same integer; each family's ranges are disjoint until the IPv6 pair meets.
    ranges = {'v4a': node_range('0.0.0.16', '0.0.0.31', '0.0.0.0/24'), 'v6a': node_range('::10', '::1f', '::/64'),
              'v4b': node_range('0.0.0.32', '0.0.0.47', '0.0.0.0/24'), 'v6b': node_range('::20', '::2f', '::/64')}
    assert ipam_disjoint(ranges) is ranges
    ranges['v6c'] = node_range('::2f', '::30', '::/64')
    with pytest.raises(IpamError, match=re.escape('the ranges of v6b (::20-::2f) and v6c (::2f-::30) overlap at ::2f')):
        ipam_disjoint(ranges)


# --- agreement with the naive pairwise comparison, both families ----------------------------------

V4 = ipaddress.ip_network('198.18.0.0/24')
V6 = ipaddress.ip_network('2001:2::/120')


@st.composite
def mixed_ranges(draw):
    """Up to 30 labelled ranges, each IPv4 or IPv6, as (version, first offset, last offset)."""
    count = draw(st.integers(min_value=0, max_value=30))
    bounds = {}
    for index in range(count):
        version = draw(st.sampled_from([4, 6]))
        start = draw(st.integers(min_value=1, max_value=200))
        length = draw(st.integers(min_value=1, max_value=30))
        bounds[f'n{index}'] = (version, start, min(start + length - 1, 254))
    return bounds


def naive_lowest_shared(bounds, version):
    """The lowest address any two ranges of ``version`` share, comparing every pair; None when disjoint."""
    labels = [label for label in bounds if bounds[label][0] == version]
    shared = [max(bounds[a][1], bounds[b][1]) for i, a in enumerate(labels) for b in labels[i + 1:]
              if max(bounds[a][1], bounds[b][1]) <= min(bounds[a][2], bounds[b][2])]
    return min(shared, default=None)


@given(mixed_ranges())
def test_agrees_with_the_naive_pairwise_check(bounds):
    subnets = {4: V4, 6: V6}
    ranges = {label: node_range(str(subnets[v][lo]), str(subnets[v][hi]), str(subnets[v])) for label, (v, lo, hi) in bounds.items()}
    expected = [(v, at) for v in (4, 6) if (at := naive_lowest_shared(bounds, v)) is not None]
    if not expected:
        assert ipam_disjoint(ranges) is ranges
        return
    with pytest.raises(IpamError) as info:
        ipam_disjoint(ranges)
    found = OVERLAP.match(str(info.value))
    assert found is not None, str(info.value)
    first, second, at = found.group(1, 4, 7)
    version, offset = expected[0]
    assert at == str(subnets[version][offset])
    for label in (first, second):
        assert bounds[label][0] == version and bounds[label][1] <= offset <= bounds[label][2]
    assert first != second
