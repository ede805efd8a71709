# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Unit tests of plugins/plugin_utils/_cluster_access.py."""

from __future__ import annotations

import pytest

from ansible_collections.multihome.multus.plugins.plugin_utils._cluster_access import (
    DEFAULT_KUBECONFIG,
    candidate_paths,
    cluster_access,
    is_true,
    setting,
)

TOKEN = 'tok-SECRET-1234'
PASSWORD = 'pw-SECRET-5678'
SA = '/var/run/secrets/kubernetes.io/serviceaccount'
HOST = 'https://198.18.96.1:6443'


def access(variables=None, env=None, found=(), **kwargs):
    result = cluster_access(variables or {}, env or {}, {path: True for path in found}, **kwargs)
    assert TOKEN not in repr(result) and PASSWORD not in repr(result)
    return result


def test_variable_before_environment():
    assert setting('host', {'host': HOST}, {'K8S_AUTH_HOST': 'https://other'}) == (HOST, 'multihome_multus_host')
    assert setting('host', {'host': ''}, {'K8S_AUTH_HOST': HOST}) == (HOST, 'K8S_AUTH_HOST')
    assert setting('ca_cert', {}, {'K8S_AUTH_CA_CERT': '', 'K8S_AUTH_SSL_CA_CERT': '/ca'}) == ('/ca', 'K8S_AUTH_SSL_CA_CERT')
    assert setting('ca_cert', {}, {'K8S_AUTH_CA_CERT': '/a', 'K8S_AUTH_SSL_CA_CERT': '/b'}) == ('/a', 'K8S_AUTH_CA_CERT')
    assert setting('context', {'context': None}, {}) == (None, '')


@pytest.mark.parametrize('value, expected', [('false', False), ('No', False), ('0', False), ('true', True),
                                             ('yes', True), (False, False), (True, True)])
def test_is_true(value, expected):
    assert is_true(value) is expected


def test_kubeconfig_variable_with_context():
    result = access({'kubeconfig': '/k/config', 'context': 'lab'}, found=['/k/config'])
    assert result['way'] == 'kubeconfig'
    assert result['kubeconfig'] == '/k/config'
    assert result['summary'] == 'kubeconfig /k/config (multihome_multus_kubeconfig), context lab (multihome_multus_context)'
    assert result['error'] == ''


def test_kubeconfig_from_environment():
    result = access(env={'K8S_AUTH_KUBECONFIG': '/e/config', 'K8S_AUTH_CONTEXT': 'ctx'}, found=['/e/config'])
    assert result['summary'] == 'kubeconfig /e/config (K8S_AUTH_KUBECONFIG), context ctx (K8S_AUTH_CONTEXT)'


def test_context_alone_uses_the_default_kubeconfig():
    result = access({'context': 'lab'}, found=[DEFAULT_KUBECONFIG])
    assert (result['way'], result['kubeconfig']) == ('kubeconfig', DEFAULT_KUBECONFIG)
    assert 'the default' in result['summary']


def test_default_kubeconfig_last():
    result = access(found=[DEFAULT_KUBECONFIG])
    assert result['summary'] == 'kubeconfig ~/.kube/config (the default)'


def test_kubeconfig_missing():
    result = access({'kubeconfig': '/nope/config'})
    assert result['way'] == ''
    assert result['error'].startswith('no kubeconfig at /nope/config (multihome_multus_kubeconfig) on this host. '
                                      'Point multihome_multus_kubeconfig at a file')


def test_kubeconfig_content():
    content = {'users': [{'name': 'u', 'user': {'token': TOKEN}}]}
    result = access({'kubeconfig': content})
    assert (result['way'], result['kubeconfig']) == ('kubeconfig_content', '')
    assert result['summary'] == 'kubeconfig content (multihome_multus_kubeconfig)'


def test_token_from_variables():
    result = access({'host': HOST, 'api_key': TOKEN, 'ca_cert': '/ca.crt'}, found=['/ca.crt'])
    assert result['way'] == 'token'
    assert result['summary'] == (f'bearer token (multihome_multus_api_key) for {HOST} (multihome_multus_host); '
                                 'CA certificate /ca.crt (multihome_multus_ca_cert)')
    assert result['kubeconfig'] == ''


def test_token_from_environment_beats_a_kubeconfig():
    env = {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_API_KEY': TOKEN, 'K8S_AUTH_VERIFY_SSL': 'false'}
    result = access({'kubeconfig': '/k/config', 'context': 'lab'}, env)
    assert result['way'] == 'token'
    assert result['summary'] == (f'bearer token (K8S_AUTH_API_KEY) for {HOST} (K8S_AUTH_HOST); certificate validation off '
                                 '(K8S_AUTH_VERIFY_SSL); not used: multihome_multus_kubeconfig, multihome_multus_context '
                                 '(kubernetes.core prefers host credentials)')


def test_client_certificate():
    env = {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_CERT_FILE': '/c.crt', 'K8S_AUTH_KEY_FILE': '/c.key'}
    result = access(env=env, found=['/c.crt', '/c.key'])
    assert result['way'] == 'client_certificate'
    assert result['summary'] == f'client certificate /c.crt (K8S_AUTH_CERT_FILE) and key /c.key (K8S_AUTH_KEY_FILE) for {HOST} (K8S_AUTH_HOST)'
    missing = access(env=env, found=['/c.crt'])
    assert missing['error'].startswith('no client key at /c.key (K8S_AUTH_KEY_FILE) on this host. Point K8S_AUTH_KEY_FILE at')


def test_basic_auth():
    result = access({'host': HOST, 'username': 'admin', 'password': PASSWORD})
    assert result['way'] == 'basic_auth'
    assert 'admin' not in result['summary']
    assert result['summary'] == (f'username and password (multihome_multus_username, multihome_multus_password) '
                                 f'for {HOST} (multihome_multus_host)')


def test_in_cluster():
    env = {'KUBERNETES_SERVICE_HOST': '10.96.0.1', 'KUBERNETES_SERVICE_PORT': '443'}
    result = access(env=env, found=[f'{SA}/token', f'{SA}/ca.crt', DEFAULT_KUBECONFIG])
    assert result['way'] == 'in_cluster'
    assert result['summary'] == f'in-cluster service account (KUBERNETES_SERVICE_HOST=10.96.0.1, token {SA}/token)'
    # Without the token kubernetes.core falls back to the default kubeconfig.
    assert access(env=env, found=[DEFAULT_KUBECONFIG])['way'] == 'kubeconfig'
    # A context means a kubeconfig to kubernetes.core, even in a pod.
    assert access({'context': 'x'}, env, found=[f'{SA}/token', f'{SA}/ca.crt', DEFAULT_KUBECONFIG])['way'] == 'kubeconfig'


def test_other_serviceaccount_dir():
    env = {'KUBERNETES_SERVICE_HOST': '10.96.0.1', 'KUBERNETES_SERVICE_PORT': '443'}
    result = access(env=env, found=['/sa/token', '/sa/ca.crt'], serviceaccount_dir='/sa')
    assert result['way'] == 'in_cluster'
    assert '/sa/token' in result['paths']


def test_nothing_given():
    result = access()
    assert result['way'] == '' and result['summary'] == ''
    assert result['error'].startswith('no cluster credentials: no kubeconfig at ~/.kube/config (the default)')
    for word in ('multihome_multus_kubeconfig', 'K8S_AUTH_KUBECONFIG', 'multihome_multus_api_key', 'K8S_AUTH_API_KEY',
                 'K8S_AUTH_CERT_FILE', 'multihome_multus_client_key', 'K8S_AUTH_USERNAME', 'KUBERNETES_SERVICE_HOST'):
        assert word in result['error']


@pytest.mark.parametrize('variables, env, words', [
    ({'host': HOST}, {}, 'multihome_multus_host set but no credential'),
    ({}, {'K8S_AUTH_API_KEY': TOKEN}, 'K8S_AUTH_API_KEY set but no API server URL'),
    ({'host': HOST, 'client_cert': '/c.crt'}, {}, 'multihome_multus_host, multihome_multus_client_cert set but no credential'),
])
def test_incomplete_host_credentials(variables, env, words):
    result = access(variables, env, found=[DEFAULT_KUBECONFIG])
    assert result['way'] == ''
    assert result['error'].startswith(words)


def test_host_over_a_kubeconfig():
    result = access({'kubeconfig': '/k', 'host': HOST}, found=['/k'])
    assert result['summary'] == "kubeconfig /k (multihome_multus_kubeconfig), with multihome_multus_host over the kubeconfig's"


def test_missing_ca_certificate():
    result = access({'host': HOST, 'api_key': TOKEN}, {'K8S_AUTH_SSL_CA_CERT': '/ca'})
    assert result['error'].startswith('no CA certificate at /ca (K8S_AUTH_SSL_CA_CERT) on this host')


def test_candidate_paths():
    paths = candidate_paths({'kubeconfig': '/k', 'ca_cert': '/k'}, {'K8S_AUTH_CERT_FILE': '/c'})
    assert paths == ['/k', '/c', f'{SA}/token', f'{SA}/ca.crt', DEFAULT_KUBECONFIG]
    assert candidate_paths({'kubeconfig': {'a': 1}}, {}) == [f'{SA}/token', f'{SA}/ca.crt', DEFAULT_KUBECONFIG]
