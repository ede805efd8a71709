# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The verification role's pod template, rendered by Ansible with the role defaults, against the Kubernetes schema.

A tiny playbook on localhost runs the role's pure ``plan.yml`` (so the defaults for the nodes,
the network, the namespace and the ranges are evaluated from a fixture inventory), renders
``templates/pod.yaml.j2`` with the ``ansible.builtin.template`` module for each planned pod,
and dumps the evaluated variables. No cluster is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / 'roles' / 'verification' / 'templates' / 'pod.yaml.j2'
NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks'
GUIDE_COMMAND = ['sh', '-c', 'trap : TERM INT; sleep infinity & wait']

RANGE_A = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.101', 'rangeEnd': '198.19.0.105'}
RANGE_B = {'subnet': '198.19.0.0/24', 'rangeStart': '198.19.0.111', 'rangeEnd': '198.19.0.115'}
RANGE_OTHER = {'subnet': '198.19.1.0/24', 'rangeStart': '198.19.1.10', 'rangeEnd': '198.19.1.12'}

PLAYBOOK = """
- name: Render the verification pods
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Plan the pods with the role defaults
      ansible.builtin.include_role:
        name: multihome.multus.verification
        tasks_from: plan.yml
        public: true

    - name: Render the pod template
      ansible.builtin.template:
        src: {template}
        dest: "{out}/{{{{ item.name }}}}.yaml"
        mode: "0644"
      vars:
        verification_pod_name: "{{{{ item.name }}}}"
        verification_pod_node: "{{{{ item.node }}}}"
      loop: "{{{{ verification_pod_plan }}}}"

    - name: Dump the evaluated variables
      ansible.builtin.copy:
        content: "{{{{ {{'plan': verification_pod_plan, 'nodes': verification_nodes, 'ranges': verification_ranges,
                       'network': verification_network, 'namespace': verification_namespace}} | to_json }}}}"
        dest: "{out}/vars.json"
        mode: "0644"
"""


def ansible_playbook() -> str:
    return shutil.which('ansible-playbook') or str(Path(sys.executable).with_name('ansible-playbook'))


def render(tmp_path: Path, workers: dict, extra_vars: dict) -> tuple[list[dict], dict]:
    out = tmp_path / 'out'
    out.mkdir()
    inventory = {'all': {'children': {'multus_workers': {'hosts': workers}}}}
    (tmp_path / 'hosts.yml').write_text(yaml.safe_dump(inventory))
    (tmp_path / 'extra.json').write_text(json.dumps(extra_vars))
    (tmp_path / 'play.yml').write_text(PLAYBOOK.format(template=TEMPLATE, out=out))
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_CALLBACK_RESULT_FORMAT='json', ANSIBLE_LOCALHOST_WARNING='false')
    proc = subprocess.run(
        [ansible_playbook(), '-i', str(tmp_path / 'hosts.yml'), '-e', f'@{tmp_path / "extra.json"}', str(tmp_path / 'play.yml')],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    evaluated = json.loads((out / 'vars.json').read_text())
    docs = [yaml.safe_load((out / f'{pod["name"]}.yaml').read_text()) for pod in evaluated['plan']]
    return docs, evaluated


NADS = [{'name': 'macvlan-net1', 'namespace': 'lab', 'plugin': 'macvlan', 'master': 'eth1'},
        {'name': 'ipvlan-net2', 'namespace': 'default', 'plugin': 'ipvlan', 'master': 'eth1'}]
TWO_WORKERS = {
    'worker-a': {'k8s_node_name': 'node-a.example', 'network_attachments_node_ranges': {'macvlan-net1': RANGE_A, 'ipvlan-net2': RANGE_OTHER}},
    'worker-b': {'network_attachments_node_ranges': {'macvlan-net1': RANGE_B}},
    'worker-c': {'k8s_node_name': 'node-c', 'network_attachments_node_ranges': {'ipvlan-net2': RANGE_OTHER}},
}


@pytest.fixture(name='two_workers', scope='module')
def fixture_two_workers(tmp_path_factory):
    return render(tmp_path_factory.mktemp('two_workers'), TWO_WORKERS, {'network_attachments_list': NADS})


def test_pods_validate_against_kubernetes_1_34(two_workers):
    docs = two_workers[0]
    assert len(docs) == 2
    for doc in docs:
        kubernetes_validate.validate(doc, '1.34', strict=True)


def test_pods_are_pinned_to_two_different_workers(two_workers):
    docs, evaluated = two_workers
    assert evaluated['nodes'] == ['node-a.example', 'worker-b']
    assert [doc['spec']['nodeName'] for doc in docs] == ['node-a.example', 'worker-b']
    assert [doc['metadata']['name'] for doc in docs] == ['multus-verify-1', 'multus-verify-2']


def test_pods_carry_the_network_annotation_of_the_first_nad(two_workers):
    docs, evaluated = two_workers
    assert evaluated['network'] == 'macvlan-net1'
    assert evaluated['namespace'] == 'lab'
    for doc in docs:
        assert doc['metadata']['annotations'] == {NETWORKS_ANNOTATION: 'macvlan-net1'}
        assert doc['metadata']['namespace'] == 'lab'


def test_pods_run_the_pinned_busybox_like_the_guide(two_workers):
    docs = two_workers[0]
    for doc in docs:
        (container,) = doc['spec']['containers']
        assert container['image'] == 'docker.io/library/busybox:1.36.1'
        assert container['command'] == GUIDE_COMMAND
        assert 'NET_RAW' in container['securityContext']['capabilities']['add']


def test_pods_share_the_cleanup_labels(two_workers):
    docs = two_workers[0]
    labels = [doc['metadata']['labels'] for doc in docs]
    assert labels[0] == labels[1]
    assert labels[0]['app.kubernetes.io/instance'] == 'multus-verify'
    assert labels[0]['app.kubernetes.io/component'] == 'verification'


def test_ranges_default_from_the_worker_facts_keyed_by_node_name(two_workers):
    evaluated = two_workers[1]
    assert evaluated['ranges'] == {'node-a.example': RANGE_A, 'worker-b': RANGE_B}


def test_one_worker_gets_both_pods(tmp_path):
    docs, evaluated = render(tmp_path, {'solo': {'k8s_node_name': 'solo-node'}}, {'verification_network': 'ipvlan-conf-1'})
    assert [doc['spec']['nodeName'] for doc in docs] == ['solo-node', 'solo-node']
    assert evaluated['namespace'] == 'default'
    assert evaluated['ranges'] == {}
    for doc in docs:
        assert doc['metadata']['annotations'][NETWORKS_ANNOTATION] == 'ipvlan-conf-1'
        kubernetes_validate.validate(doc, '1.34', strict=True)


def test_no_worker_leaves_the_pods_to_the_scheduler(tmp_path):
    docs = render(tmp_path, {}, {'verification_network': 'ipvlan-conf-1'})[0]
    assert all('nodeName' not in doc['spec'] for doc in docs)
    for doc in docs:
        kubernetes_validate.validate(doc, '1.34', strict=True)


def test_explicit_settings_win(tmp_path):
    docs, evaluated = render(tmp_path, TWO_WORKERS, {
        'network_attachments_list': NADS,
        'verification_network': 'ipvlan-net2',
        'verification_namespace': 'default',
        'verification_nodes': ['node-c', 'node-a.example'],
        'verification_image': 'registry.example:5000/busybox@sha256:' + 'ab' * 32,
        'verification_pod_prefix': 'check',
    })
    assert [doc['metadata']['name'] for doc in docs] == ['check-1', 'check-2']
    assert [doc['spec']['nodeName'] for doc in docs] == ['node-c', 'node-a.example']
    assert evaluated['ranges'] == {'node-a.example': RANGE_OTHER, 'node-c': RANGE_OTHER}
    for doc in docs:
        assert doc['spec']['containers'][0]['image'] == 'registry.example:5000/busybox@sha256:' + 'ab' * 32
        assert doc['metadata']['annotations'][NETWORKS_ANNOTATION] == 'ipvlan-net2'
        assert doc['metadata']['labels']['app.kubernetes.io/instance'] == 'check'
        kubernetes_validate.validate(doc, '1.34', strict=True)
