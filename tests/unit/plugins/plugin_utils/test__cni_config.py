# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_cni_config.py (CNI config rendering and name validators)."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.multihome.multus.plugins.plugin_utils._cni_config import (
    cni_config,
    interface_name_problem,
    k8s_name_problem,
    validate_interface_name,
    validate_k8s_name,
)
from ansible_collections.multihome.multus.plugins.plugin_utils._ipam_errors import IpamError

RANGE = {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13', 'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}
HOST_LOCAL = {'type': 'host-local', 'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13',
              'rangeEnd': '192.168.1.17', 'gateway': '192.168.1.1'}


def test_guide_ipvlan_config():
    result = cni_config(RANGE, name='ipvlan-conf-1', plugin='ipvlan', master='eth1', mode='l3', cni_version='0.3.0')
    assert result == {'cniVersion': '0.3.0', 'name': 'ipvlan-conf-1', 'type': 'ipvlan', 'master': 'eth1', 'mode': 'l3',
                      'ipam': HOST_LOCAL}
    assert list(result) == ['cniVersion', 'name', 'type', 'master', 'mode', 'ipam']
    assert list(result['ipam']) == ['type', 'subnet', 'rangeStart', 'rangeEnd', 'gateway']


@pytest.mark.parametrize('plugin, mode', [('ipvlan', 'l2'), ('macvlan', 'bridge')])
def test_default_mode_and_version(plugin, mode):
    result = cni_config(RANGE, name='net1', plugin=plugin, master='eth1')
    assert (result['cniVersion'], result['mode']) == ('0.3.1', mode)


@pytest.mark.parametrize('plugin, mode', [
    ('ipvlan', 'l2'), ('ipvlan', 'l3'), ('ipvlan', 'l3s'),
    ('macvlan', 'bridge'), ('macvlan', 'private'), ('macvlan', 'vepa'), ('macvlan', 'passthru'),
])
def test_every_valid_mode(plugin, mode):
    assert cni_config(RANGE, name='net1', plugin=plugin, master='eth1', mode=mode)['mode'] == mode


def test_host_device_uses_device_and_no_mode():
    result = cni_config(RANGE, name='hostdev', plugin='host-device', master='eth2')
    assert result == {'cniVersion': '0.3.1', 'name': 'hostdev', 'type': 'host-device', 'device': 'eth2', 'ipam': HOST_LOCAL}


def test_mtu_goes_before_ipam():
    result = cni_config(RANGE, name='net1', plugin='macvlan', master='eth1', mtu=9000)
    assert list(result) == ['cniVersion', 'name', 'type', 'master', 'mode', 'mtu', 'ipam']
    assert result['mtu'] == 9000


@pytest.mark.parametrize('mtu', [68, 65535])
def test_mtu_bounds(mtu):
    assert cni_config(RANGE, name='net1', plugin='ipvlan', master='eth1', mtu=mtu)['mtu'] == mtu


def test_range_without_gateway():
    ipam = {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.20', 'rangeEnd': '198.18.0.29'}
    assert cni_config(ipam, name='n', plugin='macvlan', master='eth1')['ipam'] == {
        'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.20', 'rangeEnd': '198.18.0.29'}


def test_typed_ipam_is_passed_through():
    ipam = {'type': 'whereabouts', 'range': '198.19.0.0/24', 'exclude': ['198.19.0.1/32']}
    result = cni_config(ipam, name='pool', plugin='macvlan', master='eth1')
    assert result['ipam'] == {'type': 'whereabouts', 'range': '198.19.0.0/24', 'exclude': ['198.19.0.1/32']}


@pytest.mark.parametrize('version', ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'])
def test_supported_versions(version):
    assert cni_config(RANGE, name='n', plugin='macvlan', master='eth1', cni_version=version)['cniVersion'] == version


@pytest.mark.parametrize('kwargs, message', [
    ({'plugin': 'bridge'}, "plugin 'bridge' is not supported; use one of ipvlan, macvlan, host-device"),
    ({'plugin': None}, 'plugin None is not supported'),
    ({'plugin': 'ipvlan', 'mode': 'bridge'}, "mode 'bridge' is not valid for plugin ipvlan; use one of l2, l3, l3s"),
    ({'plugin': 'macvlan', 'mode': 'l2'}, "mode 'l2' is not valid for plugin macvlan; use one of bridge, private, vepa, passthru"),
    ({'plugin': 'macvlan', 'mode': 1}, 'mode 1 is not valid for plugin macvlan'),
    ({'plugin': 'host-device', 'mode': 'l2'}, "mode 'l2' is not valid for plugin host-device, which takes no mode"),
    ({'cni_version': '0.2.0'}, "cniVersion '0.2.0' is not supported; use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0"),
    ({'cni_version': 1.0}, 'cniVersion 1.0 is not supported'),
    ({'name': 'Macvlan_Net'}, "name: 'Macvlan_Net' is not a valid Kubernetes name (DNS-1123 subdomain"),
    ({'name': ''}, 'name: the name is empty'),
    ({'name': 'a' * 254}, 'is longer than 253 characters'),
    ({'master': 'eth1/0'}, "master: 'eth1/0' contains '/', which is not allowed in an interface name"),
    ({'master': 'eth 1'}, "master: 'eth 1' contains ' ', which is not allowed in an interface name"),
    ({'master': '0123456789abcdef'}, "master: '0123456789abcdef' is longer than 15 bytes"),
    ({'mtu': 67}, 'mtu 67 is not an integer in 68..65535'),
    ({'mtu': 65536}, 'mtu 65536 is not an integer in 68..65535'),
    ({'mtu': '1500'}, "mtu '1500' is not an integer in 68..65535"),
    ({'mtu': True}, 'mtu True is not an integer in 68..65535'),
    ({'plugin': 'host-device', 'mtu': 1500}, 'mtu 1500 cannot be set for plugin host-device'),
    ({'ipam': ['192.168.1.13']}, "ipam: expected a range dict or a dict with a \"type\" key, got ['192.168.1.13']"),
    ({'ipam': {'type': ''}}, "ipam: type '' is not a non-empty string"),
    ({'ipam': {'type': None, 'range': '198.19.0.0/24'}}, 'ipam: type None is not a non-empty string'),
    ({'ipam': dict(RANGE, range_end='192.168.1.20')}, "ipam: unknown key 'range_end' in"),
    ({'ipam': {'subnet': '192.168.1.0/24', 'rangeStart': '192.168.1.13'}}, "ipam: missing key 'rangeEnd'"),
    ({'ipam': dict(RANGE, gateway='192.168.1.14')}, 'ipam: gateway 192.168.1.14 lies inside the range 192.168.1.13-192.168.1.17'),
    ({'ipam': dict(RANGE, subnet='192.168.1.1/24')}, "ipam: subnet '192.168.1.1/24' has host bits set"),
])
def test_errors(kwargs, message):
    overrides = dict(kwargs)
    ipam = overrides.pop('ipam', RANGE)
    arguments = {'name': 'net1', 'plugin': 'macvlan', 'master': 'eth1'}
    arguments.update(overrides)
    with pytest.raises(IpamError, match=re.escape(message)):
        cni_config(ipam, **arguments)


# --- Kubernetes names -----------------------------------------------------------------------------


@pytest.mark.parametrize('name', ['a', 'macvlan-net1', 'ipvlan-conf-1', 'net.example.com', '0', '9-a', 'a' * 253,
                                  '.'.join(['a' * 63] * 4)[:253]])
def test_valid_k8s_names(name):
    assert k8s_name_problem(name) is None
    assert validate_k8s_name(name) == name


@pytest.mark.parametrize('name', ['-net', 'net-', 'Net', 'net_1', 'net..a', '.net', 'net.', 'net.-a', 'nét', 'a b', 'net/1'])
def test_invalid_k8s_names(name):
    with pytest.raises(IpamError, match=re.escape(f"nad: {name!r} is not a valid Kubernetes name")):
        validate_k8s_name(name, 'nad')


@pytest.mark.parametrize('name, message', [
    (None, 'None is not a string'),
    (7, '7 is not a string'),
    ('', 'the name is empty'),
    ('a' * 254, f"{'a' * 254!r} is longer than 253 characters"),
])
def test_k8s_name_problems(name, message):
    assert k8s_name_problem(name) == message


def reference_k8s_name_ok(name):
    """An independent reading of DNS-1123 subdomain: dot-separated labels of [a-z0-9-], no '-' at a label's ends."""
    if not 1 <= len(name) <= 253:
        return False
    for label in name.split('.'):
        if not label or label[0] == '-' or label[-1] == '-':
            return False
        if any(char not in string.ascii_lowercase + string.digits + '-' for char in label):
            return False
    return True


@given(st.text(alphabet='ab09-.A_', max_size=12))
def test_k8s_name_agrees_with_reference(name):
    assert (k8s_name_problem(name) is None) == reference_k8s_name_ok(name)


# --- Linux interface names --------------------------------------------------------------------------


@pytest.mark.parametrize('name', ['eth1', 'ens5', 'eth1.100', 'bond0', 'enp0s31f6', 'a', '0123456789abcde', '..a', 'vlan@x', 'é' * 7])
def test_valid_interface_names(name):
    assert interface_name_problem(name) is None
    assert validate_interface_name(name) == name


@pytest.mark.parametrize('name, message', [
    (None, 'master: None is not a string'),
    ('', 'master: the interface name is empty'),
    ('.', "master: '.' is not a valid interface name"),
    ('..', "master: '..' is not a valid interface name"),
    ('eth:1', "master: 'eth:1' contains ':', which is not allowed in an interface name"),
    ('eth\t1', "master: 'eth\\t1' contains '\\t', which is not allowed in an interface name"),
    ('eth\n', "master: 'eth\\n' contains '\\n', which is not allowed in an interface name"),
    ('eth\x001', "master: 'eth\\x001' contains '\\x00', which is not allowed in an interface name"),
    ('é' * 8, f"master: {'é' * 8!r} is longer than 15 bytes"),
])
def test_invalid_interface_names(name, message):
    with pytest.raises(IpamError, match=re.escape(message)):
        validate_interface_name(name)


@given(st.text(alphabet='ab0./: \0', min_size=0, max_size=18))
def test_interface_name_agrees_with_reference(name):
    expected = (1 <= len(name) <= 15 and name not in ('.', '..')
                and not any(char in name for char in '/: \0'))
    assert (interface_name_problem(name) is None) == expected


# --- routes, tuning and dual-stack range sets ----------------------------------------------------

LAB_RANGE = {'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11', 'rangeEnd': '198.18.0.15', 'gateway': '198.18.0.1'}
V6_RANGE = {'subnet': '2001:db8:1::/64', 'rangeStart': '2001:db8:1::11', 'rangeEnd': '2001:db8:1::15'}


def test_routes_go_to_ipam_routes():
    result = cni_config(LAB_RANGE, name='net-r', plugin='macvlan', master='eth1',
                        routes=[{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}, {'dst': '203.0.113.0/24'}])
    assert result['ipam'] == {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11',
                              'rangeEnd': '198.18.0.15', 'gateway': '198.18.0.1',
                              'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.0.1'}, {'dst': '203.0.113.0/24'}]}


def test_empty_routes_leave_the_config_as_before():
    assert cni_config(LAB_RANGE, name='n', plugin='ipvlan', master='eth1', routes=[]) == cni_config(
        LAB_RANGE, name='n', plugin='ipvlan', master='eth1')


def test_routes_of_a_whereabouts_pool():
    result = cni_config({'type': 'whereabouts', 'range': '198.18.2.0/24'}, name='pool', plugin='macvlan', master='eth1',
                        routes=[{'dst': '198.19.0.0/16', 'gw': '198.18.2.1'}])
    assert result['ipam'] == {'type': 'whereabouts', 'range': '198.18.2.0/24',
                              'routes': [{'dst': '198.19.0.0/16', 'gw': '198.18.2.1'}]}


def test_a_route_gateway_outside_the_subnet_fails():
    with pytest.raises(IpamError, match='routes\\[0\\]: gw 198.18.1.1 is outside the subnet 198.18.0.0/24'):
        cni_config(LAB_RANGE, name='n', plugin='ipvlan', master='eth1', routes=[{'dst': '198.19.0.0/16', 'gw': '198.18.1.1'}])


def test_tuning_makes_a_conflist():
    result = cni_config(LAB_RANGE, name='net-t', plugin='ipvlan', master='eth1', mode='l2', cni_version='1.0.0',
                        tuning={'mtu': 1400, 'sysctl': {'net.ipv4.conf.net1.arp_filter': '1'}})
    assert result == {
        'cniVersion': '1.0.0', 'name': 'net-t',
        'plugins': [
            {'type': 'ipvlan', 'master': 'eth1', 'mode': 'l2',
             'ipam': {'type': 'host-local', 'subnet': '198.18.0.0/24', 'rangeStart': '198.18.0.11',
                      'rangeEnd': '198.18.0.15', 'gateway': '198.18.0.1'}},
            {'type': 'tuning', 'mtu': 1400, 'sysctl': {'net.ipv4.conf.net1.arp_filter': '1'}},
        ]}
    assert list(result) == ['cniVersion', 'name', 'plugins']


def test_bad_tuning_fails():
    with pytest.raises(IpamError, match="tuning: sysctl 'kernel.pid_max' is not a network sysctl"):
        cni_config(LAB_RANGE, name='n', plugin='ipvlan', master='eth1', tuning={'sysctl': {'kernel.pid_max': 1}})


def test_range_sets_become_host_local_ranges():
    result = cni_config({'ranges': [[LAB_RANGE], [V6_RANGE]]}, name='ds', plugin='ipvlan', master='eth1',
                        routes=[{'dst': '0.0.0.0/0', 'gw': '198.18.0.1'}, {'dst': '::/0', 'gw': '2001:db8:1::1'}])
    assert result['ipam'] == {'type': 'host-local', 'ranges': [[LAB_RANGE], [V6_RANGE]],
                              'routes': [{'dst': '0.0.0.0/0', 'gw': '198.18.0.1'}, {'dst': '::/0', 'gw': '2001:db8:1::1'}]}


@pytest.mark.parametrize('ipam, message', [
    ({'ranges': [[LAB_RANGE]], 'subnet': '198.18.0.0/24'}, "ipam: unknown key 'subnet' next to \"ranges\""),
    ({'ranges': []}, 'ipam: ranges must be a non-empty list of range sets'),
    ({'ranges': [LAB_RANGE]}, 'ipam: ranges\\[0\\] must be a non-empty list of ranges'),
    ({'ranges': [[LAB_RANGE], [dict(LAB_RANGE, rangeStart='198.18.0.20', rangeEnd='198.18.0.21')]]},
     'ipam: two range sets of the same address family'),
    ({'ranges': [[LAB_RANGE], [dict(V6_RANGE, rangeEnd='2001:db8:2::1')]]},
     'ipam: ranges\\[1\\]\\[0\\]: rangeEnd 2001:db8:2::1 is outside subnet 2001:db8:1::/64'),
])
def test_bad_range_sets(ipam, message):
    with pytest.raises(IpamError, match=message):
        cni_config(ipam, name='ds', plugin='ipvlan', master='eth1')
