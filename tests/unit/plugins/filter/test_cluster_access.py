# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of the thin filter plugins/filter/cluster_access.py."""

from __future__ import annotations

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multihome.multus.plugins.filter import cluster_access as plugin


def test_filter_mapping():
    assert plugin.FilterModule().filters() == {'cluster_access': plugin.cluster_access}


def test_documentation_names_the_filter_and_its_options():
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc['name'] == 'cluster_access'
    assert set(doc['options']) == {'_input', 'env', 'found', 'serviceaccount_dir'}
    assert set(yaml.safe_load(plugin.RETURN)['_value']['contains']) == {'way', 'summary', 'kubeconfig', 'paths', 'error'}


def test_answers():
    result = plugin.cluster_access({'host': 'https://h:6443', 'api_key': 'x'}, {}, {})
    assert result['way'] == 'token'
    assert plugin.cluster_access({}, None, None)['error'].startswith('no cluster credentials')
    result = plugin.cluster_access({}, {'KUBERNETES_SERVICE_HOST': 'h', 'KUBERNETES_SERVICE_PORT': '443'},
                                   {'/sa/token': True, '/sa/ca.crt': True}, serviceaccount_dir='/sa/')
    assert result['way'] == 'in_cluster'


@pytest.mark.parametrize('args, kwargs, words', [
    (('nope',), {}, 'the input must be a dict'),
    ({}, {'env': ['K8S_AUTH_HOST']}, 'env must be a dict'),
    ({}, {'found': 'x'}, 'found must be a dict'),
    ({'token': 'x'}, {}, 'unknown setting(s) token'),
    ({'kubeconfig': ['a']}, {}, 'kubeconfig must be a path or the content'),
    ({'host': 6443}, {}, 'host must be a string'),
    ({}, {'serviceaccount_dir': 'relative'}, 'serviceaccount_dir must be an absolute path'),
])
def test_errors(args, kwargs, words):
    settings = args[0] if isinstance(args, tuple) else args
    with pytest.raises(AnsibleFilterError, match=r'^cluster_access: ') as err:
        plugin.cluster_access(settings, **kwargs)
    assert words in str(err.value)


def test_secret_values_never_in_errors():
    with pytest.raises(AnsibleFilterError) as err:
        plugin.cluster_access({'api_key': 'tok-SECRET', 'host': 1})
    assert 'tok-SECRET' not in str(err.value)
