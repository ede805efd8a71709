# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Bad input of the cluster-side roles: their validation fails first, naming the host, the variable and the fix.

Each case runs the role's own validation entry file through ``include_role``
(so the role's defaults apply) with the case's variables as inventory
variables, inside block/rescue, and records 'OK' or the failure message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOOD_DIGEST = 'sha256:' + '0123456789abcdef' * 4


def cases(kubeconfig: Path) -> dict[str, tuple[str, str, dict[str, Any], list[str] | None]]:
    """case -> (role, tasks file, variables, words of the failure message or None for success)."""
    good = {'multihome_multus_kubeconfig': str(kubeconfig)}
    missing = {'multihome_multus_kubeconfig': str(kubeconfig.parent / 'no-such-kubeconfig')}
    return {
        'multus_ok': ('multus', 'validate', dict(good), None),
        'multus_ok_digest_thick': ('multus', 'validate', {**good, 'multus_image_digest': GOOD_DIGEST, 'multus_flavor': 'thick'}, None),
        'multus_ok_without_kubeconfig_variable': ('multus', 'validate', {}, None),
        'multus_bad_digest': ('multus', 'validate', {**good, 'multus_image_digest': 'sha256:1234'},
                              ["multus_image_digest='sha256:1234'", 'sha256: followed by 64']),
        'multus_digest_upper_case': ('multus', 'validate', {**good, 'multus_image_digest': 'sha256:' + 'AB' * 32},
                                     ['multus_image_digest=']),
        'multus_digest_without_algorithm': ('multus', 'validate', {**good, 'multus_image_digest': 'ab' * 32},
                                            ['multus_image_digest=']),
        'multus_unknown_flavor': ('multus', 'validate', {**good, 'multus_flavor': 'fat'},
                                  ["multus_flavor='fat'", 'thin', 'thick']),
        'multus_unknown_state': ('multus', 'validate', {**good, 'multus_state': 'gone'}, ["multus_state='gone'"]),
        'multus_empty_version': ('multus', 'validate', {**good, 'multus_version': ''},
                                 ["multus_version=''", 'Set multus_version']),
        'multus_kubeconfig_missing': ('multus', 'validate', missing,
                                      ['multihome_multus_kubeconfig=', 'no-such-kubeconfig', 'does not exist on this controller']),
        'multus_registry_with_scheme': ('multus', 'validate', {**good, 'multus_image_registry': 'https://ghcr.io'},
                                        ["multus_image_registry='https://ghcr.io'", 'without scheme']),
        'multus_bad_log_level': ('multus', 'validate', {**good, 'multus_log_level': 'loud'}, ["multus_log_level ('loud'"]),
        'multus_bad_memory': ('multus', 'validate', {**good, 'multus_memory_limit': '50MB'}, ['memory quantities']),
        'multus_relative_indicator': ('multus', 'validate', {**good, 'multus_readiness_indicator_file': '05-cilium.conflist'},
                                      ['multus_readiness_indicator_file=', 'absolute']),
        'multus_ok_isolation': ('multus', 'validate', {**good, 'multus_namespace_isolation': True,
                                                       'multus_global_namespaces': ['default', 'net-shared']}, None),
        'multus_global_without_isolation': ('multus', 'validate', {**good, 'multus_global_namespaces': ['default']},
                                            ["multus_global_namespaces=['default']", 'Set multus_namespace_isolation: true']),
        'multus_global_not_label': ('multus', 'validate', {**good, 'multus_namespace_isolation': True,
                                                           'multus_global_namespaces': ['Net_Shared']},
                                    ['multus_global_namespaces=', 'DNS labels']),
        'multus_isolation_not_bool': ('multus', 'validate', {**good, 'multus_namespace_isolation': 'on'},
                                      ['multus_namespace_isolation=on', 'true or false']),
        'multus_delay_zero': ('multus', 'validate', {**good, 'multus_wait_delay': 0}, ["multus_wait_delay ('0'"]),
        'multus_node_ok': ('multus', 'validate_node', {'multus_state': 'absent'}, None),
        'multus_node_whole_dir': ('multus', 'validate_node', {'multus_node_files': ['/opt/cni/bin']},
                                  ['multus_node_files=', 'not the CNI directories']),
        'multus_node_wildcard': ('multus', 'validate_node', {'multus_node_files': ['/opt/cni/bin/multus*']},
                                 ['multus_node_files=', 'no wildcards']),
        'whereabouts_ok': ('whereabouts', 'validate', dict(good), None),
        'whereabouts_bad_digest': ('whereabouts', 'validate', {**good, 'whereabouts_image_digest': 'md5:abc'},
                                   ["whereabouts_image_digest='md5:abc'"]),
        'whereabouts_empty_version': ('whereabouts', 'validate', {**good, 'whereabouts_version': ''},
                                      ["whereabouts_version=''", 'Set whereabouts_version']),
        'whereabouts_kubeconfig_missing': ('whereabouts', 'validate', missing,
                                           ['multihome_multus_kubeconfig=', 'does not exist on this controller']),
        'whereabouts_bad_cron': ('whereabouts', 'validate', {**good, 'whereabouts_reconciler_cron': '* * *'},
                                 ["whereabouts_reconciler_cron ('* * *'", 'five cron fields']),
        'whereabouts_delay_words': ('whereabouts', 'validate', {**good, 'whereabouts_wait_delay': 'often'},
                                    ['whereabouts_wait_delay (seconds) is invalid']),
        'whereabouts_node_ok': ('whereabouts', 'validate_node', {'whereabouts_state': 'absent'}, None),
        'whereabouts_node_root': ('whereabouts', 'validate_node', {'whereabouts_node_files': ['/']},
                                  ['whereabouts_node_files=']),
        'cilium_enabled_not_bool': ('cilium_exclusive', 'validate', {**good, 'cilium_exclusive_enabled': 'maybe'},
                                    ['cilium_exclusive_enabled=maybe', 'is not a boolean']),
        'cilium_bad_namespace': ('cilium_exclusive', 'validate', {**good, 'cilium_exclusive_namespace': 'Kube_System'},
                                 ["cilium_exclusive_namespace='Kube_System'", 'valid Kubernetes names']),
        'cilium_bad_timeout': ('cilium_exclusive', 'validate', {**good, 'cilium_exclusive_rollout_timeout': 'soon'},
                               ["cilium_exclusive_rollout_timeout='soon'"]),
        'cilium_bad_delay': ('cilium_exclusive', 'validate', {**good, 'cilium_exclusive_rollout_delay': -5},
                             ["cilium_exclusive_rollout_delay='-5'", 'positive numbers of seconds']),
        'cilium_node_ok': ('cilium_exclusive', 'validate_node', {}, None),
        'cilium_node_relative_dir': ('cilium_exclusive', 'validate_node', {'cilium_exclusive_cni_conf_dir': 'etc/cni/net.d'},
                                     ["cilium_exclusive_cni_conf_dir='etc/cni/net.d'", 'absolute']),
    }


@pytest.fixture(name='kubeconfig', scope='module')
def fixture_kubeconfig(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp('kube') / 'config'
    path.write_text('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', encoding='utf-8')
    return path


@pytest.fixture(name='outcome', scope='module')
def fixture_outcome(ansible_runner, kubeconfig) -> dict[str, str]:
    hosts = {
        name: {**variables, 'case_role': role, 'case_tasks': tasks}
        for name, (role, tasks, variables, _words) in cases(kubeconfig).items()
    }
    result, out = ansible_runner('validate.yml', hosts, with_defaults=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / 'results.json').read_text(encoding='utf-8'))


CASE_NAMES = sorted(cases(Path('/nonexistent/kubeconfig')))


@pytest.mark.parametrize('case', CASE_NAMES)
def test_validation(outcome, kubeconfig, case):
    words = cases(kubeconfig)[case][3]
    message = outcome[case]
    if words is None:
        assert message == 'OK'
        return
    assert message != 'OK', f'{case} passed validation'
    assert message.startswith(f'{case}: '), message  # names the host
    for word in words:
        assert word in message, message
