# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The verification role's pure task files, run by Ansible on localhost against fixture pods.

``tasks/parse_status.yml`` reads a pod's ``k8s.v1.cni.cncf.io/network-status`` annotation
(or the older ``networks-status``) and picks the ``net1`` entry of the network under test;
``tasks/check_addr.yml`` finds that address in the output of ``ip -o addr show dev net1``.
One playbook runs every case inside block/rescue and dumps what each case produced: the
address, or the failure message. No cluster is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NEW = 'k8s.v1.cni.cncf.io/network-status'
OLD = 'k8s.v1.cni.cncf.io/networks-status'

CILIUM = {'name': 'cilium', 'interface': 'eth0', 'ips': ['10.0.1.5'], 'mac': '12:7d:62:5b:2e:57', 'default': True, 'dns': {}}


def attachment(name, ips, interface='net1'):
    return {'name': name, 'interface': interface, 'ips': ips, 'mac': 'f2:20:af:a6:0a:e2', 'dns': {}}


def pod(name, namespace='lab', annotations=None, node='node-a'):
    metadata = {'name': name, 'namespace': namespace}
    if annotations is not None:
        metadata['annotations'] = annotations
    return {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': metadata, 'spec': {'nodeName': node}, 'status': {'phase': 'Running'}}


def status(*entries):
    return json.dumps(list(entries), indent=4)


# id -> (pod, network). Every pod has its own name: the addresses accumulate per pod name.
PARSE_CASES = {
    'new_with_namespace': (
        pod('p-new', annotations={'k8s.v1.cni.cncf.io/networks': 'macvlan-net1',
                                  NEW: status(CILIUM, attachment('lab/macvlan-net1', ['198.19.0.101']))}),
        'macvlan-net1'),
    'old_without_namespace': (
        pod('p-old', annotations={OLD: status(CILIUM, attachment('macvlan-net1', ['198.19.0.112']))}),
        'macvlan-net1'),
    # The annotation of the guide's `kubectl describe pod sampleapp-1`.
    'guide_sampleapp': (
        pod('sampleapp-1', namespace='default', annotations={
            'k8s.v1.cni.cncf.io/networks': 'ipvlan-conf-1',
            OLD: '[{\n    "name": "cilium",\n    "interface": "eth0",\n    "ips": [\n        "198.18.1.173"\n    ],\n'
                 '    "mac": "12:7d:62:5b:2e:57",\n    "default": true,\n    "dns": {}\n},{\n'
                 '    "name": "default/ipvlan-conf-1",\n    "interface": "net1",\n    "ips": [\n        "192.168.1.13"\n'
                 '    ],\n    "mac": "f2:20:af:a6:0a:e2",\n    "dns": {}\n}]'}),
        'ipvlan-conf-1'),
    'new_wins_over_old': (
        pod('p-both', annotations={NEW: status(attachment('lab/macvlan-net1', ['198.19.0.102'])),
                                   OLD: status(attachment('lab/macvlan-net1', ['198.19.0.250']))}),
        'macvlan-net1'),
    'two_networks_pick_ours': (
        pod('p-two', annotations={NEW: status(CILIUM, attachment('lab/other-net', ['198.19.9.9'], 'net2'),
                                              attachment('lab/macvlan-net1', ['198.19.0.103']))}),
        'macvlan-net1'),
    'ipv6': (
        pod('p-six', annotations={NEW: status(attachment('lab/v6-net', ['fd00:198:19::65']))}),
        'v6-net'),
    'missing_net1': (
        pod('p-nonet1', annotations={NEW: status(CILIUM)}),
        'macvlan-net1'),
    'ours_on_net2_only': (
        pod('p-net2', annotations={NEW: status(CILIUM, attachment('lab/macvlan-net1', ['198.19.0.104'], 'net2'),
                                               attachment('lab/other-net', ['198.19.9.8']))}),
        'macvlan-net1'),
    'other_namespace': (
        pod('p-otherns', annotations={NEW: status(attachment('other/macvlan-net1', ['198.19.0.105']))}),
        'macvlan-net1'),
    'no_address': (
        pod('p-noip', annotations={NEW: status(attachment('lab/macvlan-net1', []))}),
        'macvlan-net1'),
    'no_status_annotation': (
        pod('p-nostatus', annotations={'k8s.v1.cni.cncf.io/networks': 'macvlan-net1'}),
        'macvlan-net1'),
    'no_annotations_at_all': (
        pod('p-bare'),
        'macvlan-net1'),
    'status_not_a_list': (
        pod('p-object', annotations={NEW: '{"name": "lab/macvlan-net1"}'}),
        'macvlan-net1'),
}

BUSYBOX_OUT = ('3: net1    inet 198.19.0.101/24 brd 198.19.0.255 scope global net1\\       valid_lft forever preferred_lft forever\n'
               '3: net1    inet6 fe80::f020:afff:fea6:ae2/64 scope link \\       valid_lft forever preferred_lft forever\n')
IPROUTE2_OUT = ('2: net1    inet 192.168.1.13/24 brd 192.168.1.255 scope global net1\\       valid_lft forever preferred_lft forever\n'
                '2: net1    inet6 fe80::f020:afff:fea6:ae2/64 scope link \\       valid_lft forever preferred_lft forever\n')
IPV6_OUT = '4: net1    inet6 fd00:198:19::65/64 scope global \\       valid_lft forever preferred_lft forever\n'

# pod name -> (announced address, exec result as k8s_exec registers it)
ADDR_CASES = {
    'busybox': ('198.19.0.101', {'rc': 0, 'stdout': BUSYBOX_OUT, 'stderr': ''}),
    'iproute2': ('192.168.1.13', {'rc': 0, 'stdout': IPROUTE2_OUT, 'stderr': ''}),
    'ipv6': ('fd00:198:19::65', {'rc': 0, 'stdout': IPV6_OUT, 'stderr': ''}),
    # .10 is a prefix of .101 in the output: it must not count as found.
    'prefix_trap': ('198.19.0.10', {'rc': 0, 'stdout': BUSYBOX_OUT, 'stderr': ''}),
    'other_address': ('198.19.0.102', {'rc': 0, 'stdout': BUSYBOX_OUT, 'stderr': ''}),
    'no_net1': ('198.19.0.101', {'rc': 1, 'stdout': '', 'stderr': 'ip: can\'t find device \'net1\'\n'}),
    'exec_failed': ('198.19.0.101', {'failed': True, 'msg': 'Failed to execute on pod addr-exec_failed'}),
    'no_announced_address': ('', {'rc': 0, 'stdout': BUSYBOX_OUT, 'stderr': ''}),
}

RANGE_A = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
REPORT_CASE = {
    'pods': [pod('multus-verify-1', node='node-a'), pod('multus-verify-2', node='node-b')],
    'ips': {'multus-verify-1': '198.19.0.101', 'multus-verify-2': '198.19.0.111'},
    'ranges': {'node-a': RANGE_A},
    'found': {'multus-verify-1': True, 'multus-verify-2': False},
    'ping': {'results': [{'rc': 0, 'stdout': '3 packets transmitted, 3 packets received'},
                         {'rc': 1, 'stdout': '3 packets transmitted, 0 packets received'}]},
}

CASE_TASKS = """
- name: Run one parse case
  block:
    - name: Parse the network status
      ansible.builtin.include_role:
        name: multihome.multus.verification
        tasks_from: parse_status.yml
      vars:
        verification_pod: "{{ test_case.value.pod }}"
        verification_network: "{{ test_case.value.network }}"

    - name: Record the address
      ansible.builtin.set_fact:
        test_results: >-
          {{ test_results | combine({test_case.key: {'ok': true,
               'ip': verification_net1_ips[test_case.value.pod.metadata.name],
               'entry': verification_status_entry}}) }}
  rescue:
    - name: Record the failure
      ansible.builtin.set_fact:
        test_results: "{{ test_results | combine({test_case.key: {'ok': false, 'msg': ansible_failed_result.msg}}) }}"
"""

PLAYBOOK = """
- name: Run the verification parse cases
  hosts: localhost
  gather_facts: false
  vars:
    test_results: {{}}
  tasks:
    - name: Run every parse case
      ansible.builtin.include_tasks: {case_tasks}
      loop: "{{{{ parse_cases | dict2items }}}}"
      loop_control:
        loop_var: test_case
        label: "{{{{ test_case.key }}}}"

    - name: Keep the addresses that the parse cases accumulated
      ansible.builtin.set_fact:
        test_parse_ips: "{{{{ verification_net1_ips }}}}"

    - name: Set the outputs of ip in the pods
      ansible.builtin.set_fact:
        verification_net1_ips: "{{{{ dict(addr_cases | dict2items | map(attribute='key') | map('regex_replace', '^', 'addr-')
                                      | zip(addr_cases | dict2items | map(attribute='value') | map('first'))) }}}}"
        verification_addr:
          results: "{{{{ addr_cases | dict2items | map(attribute='value') | map('last') | list }}}}"

    - name: Look for the addresses
      ansible.builtin.include_role:
        name: multihome.multus.verification
        tasks_from: check_addr.yml

    - name: Keep the results of the address cases
      ansible.builtin.set_fact:
        test_addr_found: "{{{{ verification_addr_found }}}}"

    - name: Set the state of a run for the report
      ansible.builtin.set_fact:
        verification_pods: "{{{{ report_case.pods }}}}"
        verification_net1_ips: "{{{{ report_case.ips }}}}"
        verification_ranges: "{{{{ report_case.ranges }}}}"
        verification_addr_found: "{{{{ report_case.found }}}}"
        verification_ping: "{{{{ report_case.ping }}}}"

    - name: Build the report
      ansible.builtin.include_role:
        name: multihome.multus.verification
        tasks_from: report.yml

    - name: Dump the results
      ansible.builtin.copy:
        content: "{{{{ {{'parse': test_results, 'addr': test_addr_found, 'ips': test_parse_ips, 'report': verification_report}} | to_json }}}}"
        dest: {out}
        mode: "0644"
"""


def ansible_playbook() -> str:
    return shutil.which('ansible-playbook') or str(Path(sys.executable).with_name('ansible-playbook'))


@pytest.fixture(name='results', scope='module')
def fixture_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('verification_parse')
    addr_cases = {}
    for name, (address, result) in ADDR_CASES.items():
        registered = dict(result, verification_pod=pod(f'addr-{name}'))
        addr_cases[name] = [address, registered]
    extra = {
        'parse_cases': {case: {'pod': fixture_pod, 'network': network} for case, (fixture_pod, network) in PARSE_CASES.items()},
        'addr_cases': addr_cases,
        'report_case': REPORT_CASE,
        'ansible_python_interpreter': sys.executable,
    }
    (tmp / 'extra.json').write_text(json.dumps(extra))
    (tmp / 'case.yml').write_text(CASE_TASKS)
    (tmp / 'play.yml').write_text(PLAYBOOK.format(case_tasks=tmp / 'case.yml', out=tmp / 'out.json'))
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false')
    proc = subprocess.run(
        [ansible_playbook(), '-i', 'localhost,', '-c', 'local', '-e', f'@{tmp / "extra.json"}', str(tmp / 'play.yml')],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp / 'out.json').read_text())


@pytest.mark.parametrize(('case', 'address'), [
    ('new_with_namespace', '198.19.0.101'),
    ('old_without_namespace', '198.19.0.112'),
    ('guide_sampleapp', '192.168.1.13'),
    ('new_wins_over_old', '198.19.0.102'),
    ('two_networks_pick_ours', '198.19.0.103'),
    ('ipv6', 'fd00:198:19::65'),
])
def test_net1_address_is_found(results, case, address):
    outcome = results['parse'][case]
    assert outcome['ok'], outcome
    assert outcome['ip'] == address
    assert outcome['entry']['interface'] == 'net1'


def test_addresses_accumulate_per_pod(results):
    assert {name: results['ips'].get(name) for name in ('p-new', 'p-old', 'sampleapp-1', 'p-both')} == {
        'p-new': '198.19.0.101', 'p-old': '198.19.0.112', 'sampleapp-1': '192.168.1.13', 'p-both': '198.19.0.102'}


@pytest.mark.parametrize(('case', 'pod_name', 'network', 'detail'), [
    ('missing_net1', 'p-nonet1', 'macvlan-net1', 'cilium on eth0 with 10.0.1.5'),
    ('ours_on_net2_only', 'p-net2', 'macvlan-net1', 'lab/macvlan-net1 on net2 with 198.19.0.104'),
    ('other_namespace', 'p-otherns', 'macvlan-net1', 'other/macvlan-net1 on net1'),
    ('no_address', 'p-noip', 'macvlan-net1', 'lab/macvlan-net1 on net1 with no address'),
])
def test_missing_net1_fails_naming_pod_and_network(results, case, pod_name, network, detail):
    outcome = results['parse'][case]
    assert not outcome['ok']
    message = ' '.join(outcome['msg'].split())
    assert f'pod lab/{pod_name} on node node-a has no interface net1 with an address for network {network}' in message
    assert detail in message


@pytest.mark.parametrize(('case', 'pod_name'), [
    ('no_status_annotation', 'p-nostatus'),
    ('no_annotations_at_all', 'p-bare'),
    ('status_not_a_list', 'p-object'),
])
def test_missing_status_fails_naming_pod_annotation_and_network(results, case, pod_name):
    outcome = results['parse'][case]
    assert not outcome['ok']
    message = ' '.join(outcome['msg'].split())
    assert f'pod lab/{pod_name} on node node-a has no {NEW} or {OLD} annotation' in message
    assert 'did not attach network macvlan-net1' in message


def test_failed_cases_record_no_address(results):
    failed = [case for case, outcome in results['parse'].items() if not outcome['ok']]
    pods = {PARSE_CASES[case][0]['metadata']['name'] for case in failed}
    assert len(failed) == 7
    assert not pods & set(results['ips'])


@pytest.mark.parametrize(('case', 'found'), [
    ('busybox', True),
    ('iproute2', True),
    ('ipv6', True),
    ('prefix_trap', False),
    ('other_address', False),
    ('no_net1', False),
    ('exec_failed', False),
    ('no_announced_address', False),
])
def test_address_on_net1(results, case, found):
    assert results['addr'][f'addr-{case}'] is found


def test_report_has_one_row_per_pod(results):
    assert results['report'] == [
        {'pod': 'multus-verify-1', 'node': 'node-a', 'net1': '198.19.0.101', 'range': '198.19.0.101-198.19.0.105',
         'on_net1': True, 'ping': 'ok', 'peer': '198.19.0.111'},
        {'pod': 'multus-verify-2', 'node': 'node-b', 'net1': '198.19.0.111', 'range': 'not checked',
         'on_net1': False, 'ping': 'FAILED (rc 1)', 'peer': '198.19.0.101'},
    ]
