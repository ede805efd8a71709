# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The cilium_exclusive role's pure task files (detect.yml, compute_patch.yml) over fixture objects.

Each case is a fixture DaemonSet (and ConfigMap) handed to the role's own task
files by Ansible. Expected indexes and paths come from where each fixture puts
the argument. Every computed patch is also applied to its fixture with
``jsonpatch`` (RFC 6902) to show what it does to the real object.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonpatch
import pytest

AGENT = 'cilium-agent'
GUIDE_COMMAND = ['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=true']
OLD_IMAGE = 'quay.io/cilium/cilium:v1.13.4@sha256:' + 'ab' * 32
NEW_IMAGE = 'quay.io/cilium/cilium:v1.16.5@sha256:' + 'cd' * 32


def agent(command: list[str] | None, image: str = OLD_IMAGE, name: str = AGENT) -> dict[str, Any]:
    container: dict[str, Any] = {'name': name, 'image': image}
    if command is not None:
        container['lifecycle'] = {'postStart': {'exec': {'command': command}},
                                  'preStop': {'exec': {'command': ['/cni-uninstall.sh']}}}
    return container


def daemonset(*containers: dict[str, Any]) -> dict[str, Any]:
    return {'apiVersion': 'apps/v1', 'kind': 'DaemonSet',
            'metadata': {'name': 'cilium', 'namespace': 'kube-system'},
            'spec': {'template': {'spec': {'containers': list(containers)}}}}


def configmap(data: dict[str, str] | None) -> dict[str, Any]:
    if data is None:
        return {'resources': []}
    return {'resources': [{'apiVersion': 'v1', 'kind': 'ConfigMap',
                           'metadata': {'name': 'cilium-config', 'namespace': 'kube-system'}, 'data': data}]}


def helm_managed(command: list[str] | None = None, image: str = NEW_IMAGE, chart: str | None = None) -> dict[str, Any]:
    ds = daemonset(agent(command, image))
    ds['metadata']['labels'] = {'app.kubernetes.io/managed-by': 'Helm', 'k8s-app': 'cilium'}
    if chart:
        ds['metadata']['labels']['helm.sh/chart'] = chart
    ds['metadata']['annotations'] = {'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system'}
    return ds


SIDE = {'name': 'clean-state-sidecar', 'image': 'quay.io/cilium/cilium:v1.13.4'}

# case -> (DaemonSet, ConfigMap data or None, cilium_exclusive_enabled)
CASES: dict[str, tuple[dict[str, Any], dict[str, str] | None, bool]] = {
    'guide': (daemonset(agent(GUIDE_COMMAND)), {}, False),
    'moved_first': (daemonset(agent(['/cni-install.sh', '--cni-exclusive=true', '--enable-debug=false',
                                     '--log-file=/var/run/cilium/cilium-cni.log'])), {}, False),
    'second_container': (daemonset(SIDE, agent(['/cni-install.sh', '--log-file=/x.log', '--enable-debug=true',
                                                '--cni-exclusive=true'])), {}, False),
    'missing': (daemonset(agent(['/cni-install.sh', '--enable-debug=false'])), {}, False),
    'already_off': (daemonset(agent(['/cni-install.sh', '--cni-exclusive=false', '--enable-debug=false'])), {}, False),
    'restore': (daemonset(agent(['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=false'])), {}, True),
    'restore_missing': (daemonset(agent(['/cni-install.sh', '--enable-debug=false'])), {}, True),
    'shell_string': (daemonset(agent(['bash', '-c', '/cni-install.sh --enable-debug=true --cni-exclusive=true '
                                      '--log-file=/var/run/cilium/cilium-cni.log\n'])), {}, False),
    'shell_string_missing': (daemonset(agent(['bash', '-c', 'set -e\n/cni-install.sh --enable-debug=false\n'])), {}, False),
    'separate_value': (daemonset(agent(['/cni-install.sh', '--cni-exclusive', 'true'])), {}, False),
    'twice': (daemonset(agent(['/cni-install.sh', '--cni-exclusive=false', '--cni-exclusive=true'])), {}, False),
    'no_poststart_old': (daemonset(agent(None)), None, False),
    'no_script': (daemonset(agent(['/bin/true'])), None, False),
    'configmap_version': (daemonset(agent(None, NEW_IMAGE)), {'cni-exclusive': 'true'}, False),
    'configmap_key_absent': (daemonset(agent(None, 'quay.io/cilium/cilium:v1.14.0')), {'debug': 'false'}, True),
    'configmap_key_old_version': (daemonset(agent(GUIDE_COMMAND, 'quay.io/cilium/cilium:v1.12.1')),
                                  {'cni-exclusive': 'false'}, False),
    'digest_only_configmap': (daemonset(agent(None, 'quay.io/cilium/cilium@sha256:' + 'ef' * 32)),
                              {'enable-ipv4': 'true'}, False),
    'registry_port_no_tag': (daemonset(agent(GUIDE_COMMAND, 'registry.lab:5000/cilium/cilium')), {}, False),
    'latest_tag_script': (daemonset(agent(GUIDE_COMMAND, 'docker.io/cilium/cilium:latest')), {}, False),
    'helm_managed': (helm_managed(), {'cni-exclusive': 'true'}, False),
    'no_daemonset': (None, {}, False),
    'wrong_container': (daemonset(agent(GUIDE_COMMAND, name='agent')), {}, False),
    'new_version_no_configmap': (daemonset(agent(None, NEW_IMAGE)), None, False),
    'helm_configmap': (helm_managed(), {'cni-exclusive': 'true'}, False),
    'helm_already_off': (helm_managed(), {'cni-exclusive': 'false'}, False),
    'helm_patch_anyway': (helm_managed(), {'cni-exclusive': 'true'}, False),
    'helm_poststart': (helm_managed(GUIDE_COMMAND, OLD_IMAGE, 'cilium-1.13.4'), None, False),
}

# Cases whose ConfigMap Helm manages too (chart label as Cilium's chart sets it), and extra variables.
HELM_CONFIGMAP = {'helm_configmap', 'helm_already_off', 'helm_patch_anyway'}
EXTRA_VARS = {'helm_patch_anyway': {'cilium_exclusive_patch_helm_managed': True}}


def hostvars(case: str, ds: dict[str, Any] | None, cm: dict[str, str] | None, enabled: bool) -> dict[str, Any]:
    found = {
        'cilium_exclusive_ds_info': {'resources': [ds] if ds else []},
        'cilium_exclusive_cm_info': configmap(cm),
        'cilium_exclusive_enabled': enabled,
        **EXTRA_VARS.get(case, {}),
    }
    if case in HELM_CONFIGMAP:
        found['cilium_exclusive_cm_info']['resources'][0]['metadata'].update(
            labels={'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'cilium-1.16.5'},
            annotations={'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system'})
    elif ds is not None and ds['metadata'].get('labels', {}).get('app.kubernetes.io/managed-by') == 'Helm' and cm is not None:
        found['cilium_exclusive_cm_info']['resources'][0]['metadata']['labels'] = {'addonmanager.kubernetes.io/mode': 'Reconcile'}
    return found


@pytest.fixture(name='results', scope='module')
def fixture_results(ansible_runner) -> dict[str, dict[str, Any]]:
    hosts = {case: hostvars(case, *spec) for case, spec in CASES.items()}
    result, out = ansible_runner('cilium_plan.yml', hosts)
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads((out / 'results.json').read_text(encoding='utf-8'))
    assert sorted(found) == sorted(CASES)
    return found


def plan_of(results, case: str) -> dict[str, Any]:
    return results[case]['plan']


def command_path(container_index: int) -> str:
    return f'/spec/template/spec/containers/{container_index}/lifecycle/postStart/exec/command'


def applied(case: str, patch: list[dict[str, Any]]) -> list[str]:
    """Command of the agent container after applying the patch to the case's fixture."""
    ds = CASES[case][0]
    result = jsonpatch.apply_patch(copy.deepcopy(ds), patch)
    agent_container = next(c for c in result['spec']['template']['spec']['containers'] if c['name'] == AGENT)
    return agent_container['lifecycle']['postStart']['exec']['command']


# case, container index, element index, old element, new element, command after the patch
REPLACED = [
    ('guide', 0, 2, '--cni-exclusive=true', '--cni-exclusive=false',
     ['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=false']),
    ('moved_first', 0, 1, '--cni-exclusive=true', '--cni-exclusive=false',
     ['/cni-install.sh', '--cni-exclusive=false', '--enable-debug=false', '--log-file=/var/run/cilium/cilium-cni.log']),
    ('second_container', 1, 3, '--cni-exclusive=true', '--cni-exclusive=false',
     ['/cni-install.sh', '--log-file=/x.log', '--enable-debug=true', '--cni-exclusive=false']),
    ('restore', 0, 2, '--cni-exclusive=false', '--cni-exclusive=true',
     ['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=true']),
    ('shell_string', 0, 2,
     '/cni-install.sh --enable-debug=true --cni-exclusive=true --log-file=/var/run/cilium/cilium-cni.log\n',
     '/cni-install.sh --enable-debug=true --cni-exclusive=false --log-file=/var/run/cilium/cilium-cni.log\n',
     ['bash', '-c', '/cni-install.sh --enable-debug=true --cni-exclusive=false --log-file=/var/run/cilium/cilium-cni.log\n']),
    ('shell_string_missing', 0, 2, 'set -e\n/cni-install.sh --enable-debug=false\n',
     'set -e\n/cni-install.sh --cni-exclusive=false --enable-debug=false\n',
     ['bash', '-c', 'set -e\n/cni-install.sh --cni-exclusive=false --enable-debug=false\n']),
    ('separate_value', 0, 2, 'true', 'false', ['/cni-install.sh', '--cni-exclusive', 'false']),
    ('twice', 0, 2, '--cni-exclusive=true', '--cni-exclusive=false',
     ['/cni-install.sh', '--cni-exclusive=false', '--cni-exclusive=false']),
]


@pytest.mark.parametrize('case,ci,index,old,new,after', REPLACED, ids=[r[0] for r in REPLACED])
def test_argument_is_found_and_patched_in_place(results, case, ci, index, old, new, after):
    plan = plan_of(results, case)
    path = f'{command_path(ci)}/{index}'
    assert results[case]['detect']['mechanism'] == 'poststart'
    assert plan['container_index'] == ci
    assert plan['command_path'] == command_path(ci)
    assert plan['patch_needed'] is True
    assert plan['error'] == ''
    assert plan['patch'] == [{'op': 'test', 'path': path, 'value': old}, {'op': 'replace', 'path': path, 'value': new}]
    assert applied(case, plan['patch']) == after


def test_guide_patch_path(results):
    # The guide patched containers/0/.../command/2 by hand; here it is found, not assumed.
    plan = plan_of(results, 'guide')
    assert plan['patch'][1]['path'] == '/spec/template/spec/containers/0/lifecycle/postStart/exec/command/2'
    assert plan['current'] == 'true' and plan['desired'] == 'false'


def test_missing_argument_is_appended(results):
    plan = plan_of(results, 'missing')
    path = command_path(0)
    assert plan['current'] == 'true'  # cni-install.sh is exclusive unless told otherwise
    assert plan['patch'] == [
        {'op': 'test', 'path': path, 'value': ['/cni-install.sh', '--enable-debug=false']},
        {'op': 'add', 'path': path + '/-', 'value': '--cni-exclusive=false'},
    ]
    assert applied('missing', plan['patch']) == ['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=false']


@pytest.mark.parametrize('case,current', [('already_off', 'false'), ('restore_missing', 'true')])
def test_nothing_to_do_when_the_value_is_already_wanted(results, case, current):
    plan = plan_of(results, case)
    assert plan['patch_needed'] is False
    assert plan['patch'] == []
    assert plan['current'] == current
    assert plan['error'] == ''


def test_every_occurrence_is_seen_and_the_last_wins(results):
    plan = plan_of(results, 'twice')
    assert plan['current'] == 'true'
    assert [m['index'] for m in plan['matches']] == [1, 2]


@pytest.mark.parametrize('case', [r[0] for r in REPLACED] + ['missing'])
def test_a_concurrent_edit_fails_the_patch_instead_of_being_overwritten(results, case):
    plan = plan_of(results, case)
    ds = copy.deepcopy(CASES[case][0])
    agent_container = next(c for c in ds['spec']['template']['spec']['containers'] if c['name'] == AGENT)
    agent_container['lifecycle']['postStart']['exec']['command'].insert(1, '--someone-else=was-here')
    with pytest.raises(jsonpatch.JsonPatchTestFailed):
        jsonpatch.apply_patch(ds, plan['patch'])


@pytest.mark.parametrize('case,words', [
    ('no_poststart_old', ['no postStart exec command']),
    ('no_script', ['neither carries --cni-exclusive nor runs cni-install.sh']),
    ('wrong_container', ['no container named cilium-agent']),
    ('no_daemonset', ['no container named cilium-agent']),
])
def test_unpatchable_commands_report_an_error(results, case, words):
    plan = results[case]['plan']
    assert plan['patch'] == [] and plan['patch_needed'] is False
    for word in words:
        assert word in plan['error']


@pytest.mark.parametrize('case,version,mechanism,current', [
    ('guide', '1.13.4', 'poststart', 'false'),
    ('configmap_version', '1.16.5', 'configmap', 'true'),
    ('configmap_key_absent', '1.14.0', 'configmap', 'false'),
    ('configmap_key_old_version', '1.12.1', 'configmap', 'false'),
    ('digest_only_configmap', '', 'configmap', 'false'),
    ('registry_port_no_tag', '', 'poststart', 'false'),
    ('latest_tag_script', '', 'poststart', 'false'),
])
def test_version_and_mechanism(results, case, version, mechanism, current):
    detect = results[case]['detect']
    assert detect['failed'] is False, detect
    assert detect['version'] == version
    assert detect['mechanism'] == mechanism
    assert detect['configmap_current'] == current


@pytest.mark.parametrize('case,words', [
    ('no_daemonset', ['no Cilium DaemonSet found', 'kube-system/cilium', 'cilium_exclusive_namespace',
                      'cilium_exclusive_daemonset_name']),
    ('wrong_container', ["no container named 'cilium-agent'", 'it has: agent', 'cilium_exclusive_container_name']),
    ('no_poststart_old', ['cannot tell how Cilium exclusive mode is set', "version '1.13.4'",
                          'cilium_exclusive_configmap_name']),
    ('new_version_no_configmap', ['1.16.5', 'kube-system/cilium-config', 'does not exist',
                                  'cilium_exclusive_configmap_name']),
])
def test_bad_cluster_state_fails_with_a_message(results, case, words):
    detect = results[case]['detect']
    assert detect['failed'] is True
    message = detect['msg']
    assert message.startswith(f'{case}: ')  # names the host
    for word in words:
        assert word in message


def test_managers_that_may_undo_the_change_are_named(results):
    assert results['helm_managed']['detect']['managers'] == [
        'DaemonSet kube-system/cilium is managed by Helm (release cilium)',
        'ConfigMap kube-system/cilium-config is managed by the addon manager (mode Reconcile)',
    ]
    assert results['guide']['detect']['managers'] == []


@pytest.mark.parametrize('case, holder, command, restart', [
    ('helm_configmap', 'ConfigMap kube-system/cilium-config',
     'helm upgrade cilium cilium/cilium --namespace kube-system --version 1.16.5 --reuse-values --set cni.exclusive=false', True),
    ('helm_poststart', 'DaemonSet kube-system/cilium',
     'helm upgrade cilium cilium/cilium --namespace kube-system --version 1.13.4 --reuse-values --set cni.exclusive=false', False),
])
def test_helm_managed_setting_stops_before_any_change_with_the_helm_command(results, case, holder, command, restart):
    detect = results[case]['detect']
    assert detect['failed'] is True
    message = ' '.join(detect['msg'].split())
    assert message.startswith(f'{case}: Helm manages {holder} in the cluster reached by ')
    assert f'`{command}`' in message
    assert 'nothing was changed' in message
    assert 'cilium_exclusive_patch_helm_managed=true' in message
    assert ('rollout restart daemonset/cilium' in message) is restart


def test_helm_managed_setting_that_needs_no_change_or_may_be_patched_only_warns(results):
    for case in ('helm_already_off', 'helm_patch_anyway'):
        assert results[case]['detect']['failed'] is False, results[case]['detect']
        assert results[case]['detect']['managers'] == [
            'DaemonSet kube-system/cilium is managed by Helm (release cilium)',
            'ConfigMap kube-system/cilium-config is managed by Helm (release cilium)',
        ]
