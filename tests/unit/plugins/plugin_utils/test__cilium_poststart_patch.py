# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_cilium_poststart_patch.py.

Every expected plan is written out by hand from where the fixture puts the argument.
"""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._cilium_poststart_patch import (
    cilium_poststart_patch,
    command_path,
)

AGENT = 'cilium-agent'
PATH0 = '/spec/template/spec/containers/0/lifecycle/postStart/exec/command'
PATH1 = '/spec/template/spec/containers/1/lifecycle/postStart/exec/command'


def container(command, name=AGENT):
    found = {'name': name, 'image': 'quay.io/cilium/cilium:v1.13.4'}
    if command is not None:
        found['lifecycle'] = {'postStart': {'exec': {'command': command}}}
    return found


def daemonset(*containers):
    return {'kind': 'DaemonSet', 'metadata': {'name': 'cilium'}, 'spec': {'template': {'spec': {'containers': list(containers)}}}}


def plan(command, enabled=False, name=AGENT):
    return cilium_poststart_patch(daemonset(container(command)), name, enabled)


def test_command_path():
    assert command_path(3) == '/spec/template/spec/containers/3/lifecycle/postStart/exec/command'


def test_guide_command_is_patched_at_index_2():
    assert plan(['/cni-install.sh', '--enable-debug=false', '--cni-exclusive=true']) == {
        'container_index': 0,
        'command_path': PATH0,
        'matches': [{'index': 2, 'old': '--cni-exclusive=true', 'new': '--cni-exclusive=false'}],
        'current': 'true',
        'desired': 'false',
        'patch_needed': True,
        'patch': [{'op': 'test', 'path': PATH0 + '/2', 'value': '--cni-exclusive=true'},
                  {'op': 'replace', 'path': PATH0 + '/2', 'value': '--cni-exclusive=false'}],
        'error': '',
    }


def test_agent_as_second_container():
    side = {'name': 'clean-state', 'image': 'x'}
    result = cilium_poststart_patch(daemonset(side, container(['/cni-install.sh', '--cni-exclusive=true'])), AGENT, False)
    assert result['container_index'] == 1
    assert result['command_path'] == PATH1
    assert result['patch'] == [{'op': 'test', 'path': PATH1 + '/1', 'value': '--cni-exclusive=true'},
                               {'op': 'replace', 'path': PATH1 + '/1', 'value': '--cni-exclusive=false'}]


def test_first_container_of_the_name_wins():
    first = container(['/cni-install.sh', '--cni-exclusive=true'])
    second = container(['/cni-install.sh', '--cni-exclusive=false'])
    assert cilium_poststart_patch(daemonset(first, second), AGENT, False)['container_index'] == 0


def test_value_already_wanted_needs_no_patch():
    assert plan(['/cni-install.sh', '--cni-exclusive=false']) == {
        'container_index': 0,
        'command_path': PATH0,
        'matches': [{'index': 1, 'old': '--cni-exclusive=false', 'new': '--cni-exclusive=false'}],
        'current': 'false',
        'desired': 'false',
        'patch_needed': False,
        'patch': [],
        'error': '',
    }


def test_restore_to_true():
    result = plan(['/cni-install.sh', '--cni-exclusive=false'], enabled=True)
    assert result['desired'] == 'true' and result['current'] == 'false'
    assert result['patch'] == [{'op': 'test', 'path': PATH0 + '/1', 'value': '--cni-exclusive=false'},
                               {'op': 'replace', 'path': PATH0 + '/1', 'value': '--cni-exclusive=true'}]


def test_value_is_compared_without_case():
    result = plan(['/cni-install.sh', '--cni-exclusive=TRUE'])
    assert result['current'] == 'true'
    assert result['matches'] == [{'index': 1, 'old': '--cni-exclusive=TRUE', 'new': '--cni-exclusive=false'}]


def test_any_other_value_counts_as_false():
    result = plan(['/cni-install.sh', '--cni-exclusive=yes'], enabled=True)
    assert result['current'] == 'false'
    assert result['patch'][1] == {'op': 'replace', 'path': PATH0 + '/1', 'value': '--cni-exclusive=true'}


def test_every_occurrence_is_patched_and_the_last_one_is_current():
    result = plan(['/cni-install.sh', '--cni-exclusive=true', '--cni-exclusive=false'], enabled=True)
    assert result['current'] == 'false'
    assert result['matches'] == [
        {'index': 1, 'old': '--cni-exclusive=true', 'new': '--cni-exclusive=true'},
        {'index': 2, 'old': '--cni-exclusive=false', 'new': '--cni-exclusive=true'},
    ]
    # Only the element that changes is patched.
    assert result['patch'] == [{'op': 'test', 'path': PATH0 + '/2', 'value': '--cni-exclusive=false'},
                               {'op': 'replace', 'path': PATH0 + '/2', 'value': '--cni-exclusive=true'}]


def test_argument_inside_a_shell_string():
    old = '/cni-install.sh --enable-debug=true --cni-exclusive=true --log-file=/x.log\n'
    new = '/cni-install.sh --enable-debug=true --cni-exclusive=false --log-file=/x.log\n'
    result = plan(['bash', '-c', old])
    assert result['matches'] == [{'index': 2, 'old': old, 'new': new}]
    assert result['patch'] == [{'op': 'test', 'path': PATH0 + '/2', 'value': old},
                               {'op': 'replace', 'path': PATH0 + '/2', 'value': new}]


def test_every_occurrence_inside_one_string_is_replaced_and_the_first_is_current():
    old = '/cni-install.sh --cni-exclusive=false\n/cni-install.sh --cni-exclusive=true'
    result = plan(['sh', '-c', old])
    assert result['current'] == 'false'
    assert result['matches'] == [{'index': 2, 'old': old,
                                  'new': '/cni-install.sh --cni-exclusive=false\n/cni-install.sh --cni-exclusive=false'}]


def test_a_longer_flag_is_not_the_argument():
    # "--cni-exclusive-x=true" and "x--cni-exclusive=true" do not carry the argument.
    result = plan(['/cni-install.sh', '--cni-exclusive-x=true', 'x--cni-exclusive=true'])
    assert result['matches'] == [{'index': 3, 'old': None, 'new': '--cni-exclusive=false'}]


def test_separate_value_form():
    result = plan(['/cni-install.sh', '--cni-exclusive', ' True '])
    assert result['current'] == 'true'
    assert result['matches'] == [{'index': 2, 'old': ' True ', 'new': 'false'}]
    assert result['patch'] == [{'op': 'test', 'path': PATH0 + '/2', 'value': ' True '},
                               {'op': 'replace', 'path': PATH0 + '/2', 'value': 'false'}]


def test_flag_without_value_is_an_error():
    assert plan(['/cni-install.sh', '--cni-exclusive=true', '--cni-exclusive']) == {
        'container_index': 0,
        'command_path': PATH0,
        'matches': [{'index': 1, 'old': '--cni-exclusive=true', 'new': '--cni-exclusive=false'}],
        'current': 'true',
        'desired': 'false',
        'patch_needed': False,
        'patch': [],
        'error': 'argument --cni-exclusive at index 2 has no value after it',
    }


def test_absent_argument_is_appended_after_the_script():
    command = ['/cni-install.sh', '--enable-debug=false']
    assert plan(command) == {
        'container_index': 0,
        'command_path': PATH0,
        'matches': [{'index': 2, 'old': None, 'new': '--cni-exclusive=false'}],
        'current': 'true',
        'desired': 'false',
        'patch_needed': True,
        'patch': [{'op': 'test', 'path': PATH0, 'value': ['/cni-install.sh', '--enable-debug=false']},
                  {'op': 'add', 'path': PATH0 + '/-', 'value': '--cni-exclusive=false'}],
        'error': '',
    }


def test_absent_argument_when_exclusive_is_wanted_needs_nothing():
    result = plan(['/cni-install.sh'], enabled=True)
    assert result['matches'] == [] and result['patch'] == [] and result['patch_needed'] is False
    assert result['current'] == 'true' and result['error'] == ''


def test_absent_argument_is_inserted_after_the_script_in_a_shell_string():
    old = 'set -e\n/cni-install.sh --enable-debug=false\n/cni-install.sh'
    new = 'set -e\n/cni-install.sh --cni-exclusive=false --enable-debug=false\n/cni-install.sh'
    result = plan(['bash', '-c', old])
    assert result['matches'] == [{'index': 2, 'old': old, 'new': new}]
    assert result['patch'] == [{'op': 'test', 'path': PATH0 + '/2', 'value': old},
                               {'op': 'replace', 'path': PATH0 + '/2', 'value': new}]


def test_non_string_elements_are_compared_as_text():
    result = plan(['/cni-install.sh', '--cni-exclusive', True])
    assert result['matches'] == [{'index': 2, 'old': 'True', 'new': 'false'}]
    assert result['patch'][0] == {'op': 'test', 'path': PATH0 + '/2', 'value': 'True'}


@pytest.mark.parametrize('ds, error', [
    (None, 'the DaemonSet has no container named cilium-agent'),
    ({}, 'the DaemonSet has no container named cilium-agent'),
    ({'spec': None}, 'the DaemonSet has no container named cilium-agent'),
    ({'spec': {'template': {'spec': {'containers': 'cilium-agent'}}}}, 'the DaemonSet has no container named cilium-agent'),
    (daemonset('cilium-agent', container(['/cni-install.sh'], name='agent')), 'the DaemonSet has no container named cilium-agent'),
    (daemonset(container(None)), 'container cilium-agent has no postStart exec command'),
    (daemonset(container([])), 'container cilium-agent has no postStart exec command'),
    (daemonset({'name': AGENT, 'lifecycle': {'postStart': {'httpGet': {'path': '/'}}}}),
     'container cilium-agent has no postStart exec command'),
    (daemonset(container(['/bin/true'])),
     'the postStart command of container cilium-agent neither carries --cni-exclusive nor runs cni-install.sh'),
    (daemonset(container('/cni-install.sh')),
     "the postStart exec command of container cilium-agent is not a list: '/cni-install.sh'"),
])
def test_unpatchable_daemonsets_are_reported_in_error(ds, error):
    result = cilium_poststart_patch(ds, AGENT, False)
    assert result['error'] == error
    assert result['patch'] == [] and result['patch_needed'] is False


def test_no_container_gives_index_minus_one_and_no_path():
    result = cilium_poststart_patch({}, AGENT, False)
    assert result['container_index'] == -1 and result['command_path'] == '' and result['matches'] == []
