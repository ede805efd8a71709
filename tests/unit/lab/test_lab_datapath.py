# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""python -m mhmlab datapath (mhmlab.datapath): the ranges it reads from a per-node config, and its command line."""

from __future__ import annotations

import ipaddress

import pytest

from mhmlab import cli, datapath, nodes
from mhmlab import plan as lab_plan

PLAN = lab_plan.build()
NODE = datapath.VmNode('vm1', PLAN)
PATH = '/etc/cni/multus/net.d/ipvlan-conf-1.conf'
V4 = {'subnet': '198.19.32.0/24', 'rangeStart': '198.19.32.101', 'rangeEnd': '198.19.32.105'}
V6 = {'subnet': '2001:2:0:20::/64', 'rangeStart': '2001:2:0:20::101', 'rangeEnd': '2001:2:0:20::105'}


def test_one_range_or_one_per_family():
    (v4,) = datapath.conf_ranges(NODE, {'ipam': {'type': 'host-local', **V4}}, PATH)
    assert str(v4) == '198.19.32.101-198.19.32.105 (198.19.32.0/24)'
    assert v4.contains(ipaddress.ip_address('198.19.32.105')) and not v4.contains(ipaddress.ip_address('198.19.32.106'))
    both = datapath.conf_ranges(NODE, {'ipam': {'type': 'host-local', 'ranges': [[V4], [V6]]}}, PATH)
    assert [r.subnet.version for r in both] == [4, 6]

    def neighbour(start: str, end: str) -> datapath.Range:
        return datapath.Range(v4.subnet, ipaddress.ip_address(start), ipaddress.ip_address(end))

    assert v4.overlaps(neighbour('198.19.32.105', '198.19.32.110'))
    assert not v4.overlaps(neighbour('198.19.32.106', '198.19.32.110'))


@pytest.mark.parametrize('ipam, message', [
    ({'type': 'whereabouts', **V4}, "ipam.type is 'whereabouts', expected 'host-local'"),
    ({'type': 'host-local', 'ranges': [[V4], [V4]]}, 'two ranges of one family'),
    ({'type': 'host-local', 'ranges': [[V4, V6]]}, 'expected one range per family'),
    ({'type': 'host-local', **V4, 'rangeEnd': '198.19.33.1'}, 'is not inside 198.19.32.0/24'),
    ({'type': 'host-local', 'subnet': '198.19.32.0/24'}, 'unusable range'),
])
def test_unusable_configs_are_named(ipam, message):
    with pytest.raises(datapath.CheckError, match=f'^vm1: {PATH}: .*{message}'):
        datapath.conf_ranges(NODE, {'ipam': ipam}, PATH)


def test_the_ipvlan_round_keeps_master_and_ipam():
    conf = {'cniVersion': '0.3.1', 'name': 'macvlan-net1', 'type': 'macvlan', 'mode': 'bridge', 'master': 'eth1',
            'ipam': {'type': 'host-local', **V4}}
    derived = datapath.ipvlan_conf(conf)
    assert derived == {**conf, 'type': 'ipvlan', 'mode': 'l2', 'name': 'macvlan-net1-ipvlan-check'}
    assert conf['type'] == 'macvlan'


def test_a_namespace_node_that_is_down_is_a_failure_not_a_crash(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv('MULTIHOME_CACHE', str(tmp_path))
    monkeypatch.setattr(datapath.os, 'geteuid', lambda: 0)
    monkeypatch.setattr(nodes.Lab, 'healthy', lambda _lab, _node: False)
    assert cli.main(['datapath', 'node1']) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["FAIL    node1: node1 is not up ('labctl up node1')", 'datapath: 0 passed, 1 failed, 0 not run']


def test_check_returns_the_report(monkeypatch):
    monkeypatch.setattr(datapath.os, 'geteuid', lambda: 0)
    code, out = datapath.check(['node3'])
    assert code == 1 and out.endswith('datapath: 0 passed, 1 failed, 0 not run\n')
    assert "unknown node name 'node3'" in out


def test_usage_names_the_package_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(['datapath', '--help'])
    assert capsys.readouterr().out.startswith('usage: python -m mhmlab datapath [-h]')
