# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Bad input of the verification role: ``tasks/validate.yml`` must stop before the cluster is touched.

Every case runs ``validate.yml`` inside block/rescue with its own variables and records which
task failed and with what message. The good case gets past every assert and fails only at the
first cluster read, because the kubeconfig given here is empty (no API server in this lab).
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
FIRST_CLUSTER_TASK = 'Read the NetworkAttachmentDefinition'

RANGE_A = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
GOOD = {
    'verification_network': 'macvlan-net1',
    'verification_namespace': 'lab',
    'verification_nodes': ['node-a', 'node-b.example'],
    'verification_ranges': {'node-a': RANGE_A, 'node-b.example': RANGE_A, 'node-c': RANGE_A},
    'verification_image': 'docker.io/library/busybox:1.36.1',
    'verification_pod_prefix': 'multus-verify',
    'verification_timeout': 180,
    'verification_poll_delay': 5,
    'verification_keep_pods': False,
    'multihome_multus_kubeconfig': '',
}

# id -> (overrides of GOOD, task that must fail, words the message must hold)
CASES = {
    'network_not_a_k8s_name': ({'verification_network': 'Macvlan_Net1'}, 'Check the network name',
                               ['verification_network="Macvlan_Net1"', 'Set verification_network']),
    'network_empty': ({'verification_network': ''}, 'Check the network name',
                      ['verification_network=""', 'network_attachments_list']),
    'namespace_invalid': ({'verification_namespace': 'Lab.ns'}, 'Check the namespace and the pod name prefix',
                          ['verification_namespace="Lab.ns"']),
    'prefix_too_long': ({'verification_pod_prefix': 'p' * 62}, 'Check the namespace and the pod name prefix',
                        ['verification_pod_prefix="' + 'p' * 62 + '"', '61 for the prefix']),
    'image_without_tag': ({'verification_image': 'docker.io/library/busybox'}, 'Check the image',
                          ['verification_image="docker.io/library/busybox"', 'pinned by tag or digest']),
    'image_latest': ({'verification_image': 'busybox:latest'}, 'Check the image', ['verification_image="busybox:latest"']),
    'image_registry_port_no_tag': ({'verification_image': 'registry.local:5000/busybox'}, 'Check the image',
                                   ['registry.local:5000/busybox']),
    'nodes_a_string': ({'verification_nodes': 'node-a'}, 'Check the node list', ['verification_nodes=node-a', 'k8s_node_name']),
    'node_name_invalid': ({'verification_nodes': ['node-a', 'Node_B']}, 'Check the node list', ['Node_B']),
    'timeout_zero': ({'verification_timeout': 0}, 'Check the timeout and the keep flag', ['verification_timeout=0']),
    'poll_delay_zero': ({'verification_poll_delay': 0}, 'Check the timeout and the keep flag', ['verification_poll_delay=0']),
    'keep_not_bool': ({'verification_keep_pods': 'maybe'}, 'Check the timeout and the keep flag', ['verification_keep_pods=maybe']),
    'ranges_a_list': ({'verification_ranges': [RANGE_A]}, 'Check the node ranges', ['verification_ranges must map', 'to {}']),
    'range_without_end': ({'verification_ranges': {'node-a': {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101'},
                                                   'node-b.example': RANGE_A}},
                          'Check the node ranges', ['rangeEnd']),
    'pinned_node_without_range': ({'verification_ranges': {'node-a': RANGE_A}}, 'Check that every pinned node has a range',
                                  ['no range for node(s) node-b.example', '(it has: node-a)', 'k8s_node_name']),
    'kubeconfig_missing': ({'multihome_multus_kubeconfig': '/nonexistent/multus/kubeconfig'}, 'Check the kubeconfig',
                           ['multihome_multus_kubeconfig=/nonexistent/multus/kubeconfig does not exist']),
}

CASE_TASKS = """
- name: Run one validation case
  block:
    - name: Validate
      ansible.builtin.include_role:
        name: multihome.multus.verification
        tasks_from: validate.yml
      vars:
        verification_network: "{{ test_case.value.verification_network }}"
        verification_namespace: "{{ test_case.value.verification_namespace }}"
        verification_nodes: "{{ test_case.value.verification_nodes }}"
        verification_ranges: "{{ test_case.value.verification_ranges }}"
        verification_image: "{{ test_case.value.verification_image }}"
        verification_pod_prefix: "{{ test_case.value.verification_pod_prefix }}"
        verification_timeout: "{{ test_case.value.verification_timeout }}"
        verification_poll_delay: "{{ test_case.value.verification_poll_delay }}"
        verification_keep_pods: "{{ test_case.value.verification_keep_pods }}"
        multihome_multus_kubeconfig: "{{ test_case.value.multihome_multus_kubeconfig }}"

    - name: Record a pass
      ansible.builtin.set_fact:
        test_results: "{{ test_results | combine({test_case.key: {'task': '', 'msg': ''}}) }}"
  rescue:
    - name: Record the failure
      ansible.builtin.set_fact:
        test_results: >-
          {{ test_results | combine({test_case.key: {'task': ansible_failed_task.name,
                                                    'msg': ansible_failed_result.msg | default('')}}) }}
"""

PLAYBOOK = """
- name: Run the verification validation cases
  hosts: localhost
  gather_facts: false
  vars:
    test_results: {{}}
  tasks:
    - name: Run every case
      ansible.builtin.include_tasks: {case_tasks}
      loop: "{{{{ cases | dict2items }}}}"
      loop_control:
        loop_var: test_case
        label: "{{{{ test_case.key }}}}"

    - name: Dump the results
      ansible.builtin.copy:
        content: "{{{{ test_results | to_json }}}}"
        dest: {out}
        mode: "0644"
"""


def ansible_playbook() -> str:
    return shutil.which('ansible-playbook') or str(Path(sys.executable).with_name('ansible-playbook'))


@pytest.fixture(name='results', scope='module')
def fixture_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('verification_validate')
    kubeconfig = tmp / 'kubeconfig'
    kubeconfig.write_text('')
    cases = {'good': dict(GOOD, multihome_multus_kubeconfig=str(kubeconfig))}
    cases.update({case: dict(GOOD, **spec[0]) for case, spec in CASES.items()})
    (tmp / 'extra.json').write_text(json.dumps({'cases': cases, 'ansible_python_interpreter': sys.executable}))
    (tmp / 'case.yml').write_text(CASE_TASKS)
    (tmp / 'play.yml').write_text(PLAYBOOK.format(case_tasks=tmp / 'case.yml', out=tmp / 'out.json'))
    # The empty kubeconfig keeps the cluster reads local: they fail before any connection.
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false', K8S_AUTH_KUBECONFIG=str(kubeconfig))
    proc = subprocess.run(
        [ansible_playbook(), '-i', 'localhost,', '-c', 'local', '-e', f'@{tmp / "extra.json"}', str(tmp / 'play.yml')],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp / 'out.json').read_text())


def test_good_input_passes_every_assert(results):
    assert results['good']['task'] == FIRST_CLUSTER_TASK


@pytest.mark.parametrize('case', sorted(CASES))
def test_bad_input_fails_before_the_cluster(results, case):
    task, words = CASES[case][1:]
    outcome = results[case]
    assert outcome['task'] == task, outcome
    message = ' '.join(outcome['msg'].split())
    assert message.startswith('localhost: '), message
    for word in words:
        assert word in message, message
