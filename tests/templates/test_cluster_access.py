# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The access check of the cluster plays (playbooks/tasks/cluster_access.yml), offline.

Each way kubernetes.core takes credentials, given as variables or as the
environment variables kubernetes.core reads, is accepted and named (with where
each setting came from); none given fails with the accepted ways; a secret (token,
password, kubeconfig content) never reaches the output, even at -vvv. Every case
is one ansible-playbook run with its own environment and a HOME of its own (the
default kubeconfig is ~/.kube/config). Then site.yml's cluster play with a token
and no kubeconfig: past the check, its first cluster read goes to the given host,
so the play's module_defaults carry the connection.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPO, _ansible_playbook, _env

TOKEN = 'tok-SECRET-0a1b2c3d'
PASSWORD = 'pw-SECRET-4e5f6a7b'
CHECK = REPO / 'tests' / 'templates' / 'playbooks' / 'cluster_access.yml'
SITE = REPO / 'playbooks' / 'site.yml'


def _free_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


HOST = f'https://127.0.0.1:{_free_port()}'


@pytest.fixture(name='files', scope='module')
def fixture_files(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp('access')
    paths = {name: base / name for name in ('kubeconfig', 'ca.crt', 'client.crt', 'client.key')}
    for path in paths.values():
        path.write_text('placeholder\n', encoding='utf-8')
    sa_dir = base / 'serviceaccount'
    sa_dir.mkdir()
    (sa_dir / 'token').write_text(TOKEN, encoding='utf-8')
    (sa_dir / 'ca.crt').write_text('ca\n', encoding='utf-8')
    paths['serviceaccount'] = sa_dir
    paths['home_with_config'] = base / 'home-with-config'
    (paths['home_with_config'] / '.kube').mkdir(parents=True)
    (paths['home_with_config'] / '.kube' / 'config').write_text('placeholder\n', encoding='utf-8')
    return paths


def run(playbook: Path, tmp_path: Path, extra: dict, env: dict[str, str], home: Path | None = None,
        verbosity: str = '-vvv') -> subprocess.CompletedProcess:
    """ansible-playbook on a local multus_controller + scenarios host, with only ENV's K8S_AUTH_* variables."""
    inventory = tmp_path / 'inventory.json'
    host = {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
    inventory.write_text(json.dumps({'all': {'children': {'scenarios': {'hosts': {'localhost': host}},
                                                          'multus_controller': {'hosts': {'localhost': host}}}}}),
                         encoding='utf-8')
    full_env = {key: value for key, value in _env().items()
                if not key.startswith(('K8S_AUTH_', 'KUBERNETES_SERVICE_')) and key != 'KUBECONFIG'}
    full_env['HOME'] = str(home or tmp_path)
    full_env.update(env)
    cmd = [_ansible_playbook(), '-i', str(inventory), str(playbook), '-e', json.dumps(extra)]
    if verbosity:
        cmd.append(verbosity)
    return subprocess.run(cmd, cwd=REPO, env=full_env, capture_output=True, text=True, check=False, timeout=300)


def cases(files: dict[str, Path]) -> dict[str, tuple[dict, dict, Path | None, str]]:
    """case -> (extra vars, environment, HOME or None for an empty one, the words the output must hold)."""
    kubeconfig, ca_cert = str(files['kubeconfig']), str(files['ca.crt'])
    cert, key = str(files['client.crt']), str(files['client.key'])
    return {
        'kubeconfig_variable': (
            {'multihome_multus_kubeconfig': kubeconfig, 'multihome_multus_context': 'lab'}, {}, None,
            f'cluster access by kubeconfig {kubeconfig} (multihome_multus_kubeconfig), context lab (multihome_multus_context)'),
        'kubeconfig_environment': (
            {}, {'K8S_AUTH_KUBECONFIG': kubeconfig, 'K8S_AUTH_CONTEXT': 'lab'}, None,
            f'cluster access by kubeconfig {kubeconfig} (K8S_AUTH_KUBECONFIG), context lab (K8S_AUTH_CONTEXT)'),
        'kubeconfig_default': (
            {}, {}, files['home_with_config'], 'cluster access by kubeconfig ~/.kube/config (the default)'),
        'kubeconfig_content': (
            {'multihome_multus_kubeconfig': {'apiVersion': 'v1', 'users': [{'name': 'u', 'user': {'token': TOKEN}}]}},
            {}, None, 'cluster access by kubeconfig content (multihome_multus_kubeconfig)'),
        'token_variables': (
            {'multihome_multus_host': HOST, 'multihome_multus_api_key': TOKEN, 'multihome_multus_ca_cert': ca_cert},
            {}, None,
            f'cluster access by bearer token (multihome_multus_api_key) for {HOST} (multihome_multus_host); '
            f'CA certificate {ca_cert} (multihome_multus_ca_cert)'),
        'token_environment': (
            {'multihome_multus_kubeconfig': ''},
            {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_API_KEY': TOKEN, 'K8S_AUTH_SSL_CA_CERT': ca_cert, 'K8S_AUTH_VERIFY_SSL': 'yes'},
            None,
            f'cluster access by bearer token (K8S_AUTH_API_KEY) for {HOST} (K8S_AUTH_HOST); '
            f'CA certificate {ca_cert} (K8S_AUTH_SSL_CA_CERT)'),
        'client_certificate_variables': (
            {'multihome_multus_host': HOST, 'multihome_multus_client_cert': cert, 'multihome_multus_client_key': key,
             'multihome_multus_validate_certs': False}, {}, None,
            f'cluster access by client certificate {cert} (multihome_multus_client_cert) and key {key} '
            f'(multihome_multus_client_key) for {HOST} (multihome_multus_host); certificate validation off '
            '(multihome_multus_validate_certs)'),
        'client_certificate_environment': (
            {}, {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_CERT_FILE': cert, 'K8S_AUTH_KEY_FILE': key}, None,
            f'cluster access by client certificate {cert} (K8S_AUTH_CERT_FILE) and key {key} (K8S_AUTH_KEY_FILE) '
            f'for {HOST} (K8S_AUTH_HOST)'),
        'basic_auth_environment': (
            {}, {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_USERNAME': 'admin', 'K8S_AUTH_PASSWORD': PASSWORD}, None,
            f'cluster access by username and password (K8S_AUTH_USERNAME, K8S_AUTH_PASSWORD) for {HOST} (K8S_AUTH_HOST)'),
        'in_cluster': (
            {'multihome_multus_access_serviceaccount_dir': str(files['serviceaccount'])},
            {'KUBERNETES_SERVICE_HOST': '10.96.0.1', 'KUBERNETES_SERVICE_PORT': '443'}, None,
            f"cluster access by in-cluster service account (KUBERNETES_SERVICE_HOST=10.96.0.1, "
            f"token {files['serviceaccount']}/token)"),
        'token_beats_kubeconfig': (
            {'multihome_multus_kubeconfig': kubeconfig},
            {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_API_KEY': TOKEN}, None,
            f'cluster access by bearer token (K8S_AUTH_API_KEY) for {HOST} (K8S_AUTH_HOST); '
            'not used: multihome_multus_kubeconfig (kubernetes.core prefers host credentials)'),
    }


FAILURES = {
    # case -> (extra vars, environment, words of the failure)
    'nothing_given': ({}, {}, ['localhost: no cluster credentials: no kubeconfig at ~/.kube/config (the default)',
                               'multihome_multus_kubeconfig or K8S_AUTH_KUBECONFIG', 'multihome_multus_api_key or K8S_AUTH_API_KEY',
                               'K8S_AUTH_CERT_FILE and K8S_AUTH_KEY_FILE', 'K8S_AUTH_USERNAME and K8S_AUTH_PASSWORD',
                               'KUBERNETES_SERVICE_HOST']),
    'kubeconfig_missing': ({'multihome_multus_kubeconfig': '/nonexistent/kubeconfig'}, {},
                           ['localhost: no kubeconfig at /nonexistent/kubeconfig (multihome_multus_kubeconfig)',
                            'Point multihome_multus_kubeconfig at a file that exists']),
    'host_without_credential': ({}, {'K8S_AUTH_HOST': HOST},
                                ['localhost: K8S_AUTH_HOST set but no credential', 'kubernetes.core takes them']),
    'token_without_host': ({'multihome_multus_api_key': TOKEN}, {},
                           ['localhost: multihome_multus_api_key set but no API server URL']),
    'ca_cert_missing': ({}, {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_API_KEY': TOKEN, 'K8S_AUTH_SSL_CA_CERT': '/nonexistent/ca.crt'},
                        ['localhost: no CA certificate at /nonexistent/ca.crt (K8S_AUTH_SSL_CA_CERT)']),
}


def _secrets_absent(output: str) -> None:
    assert TOKEN not in output, 'the bearer token reached the output'
    assert PASSWORD not in output, 'the password reached the output'


@pytest.fixture(name='outcome', scope='module')
def fixture_outcome(files, tmp_path_factory) -> dict[str, tuple[int, str]]:
    """case -> (return code, output with the lines joined) of every case, run side by side."""
    runs = {name: (extra, env, home) for name, (extra, env, home, _words) in cases(files).items()}
    runs.update({name: (extra, env, None) for name, (extra, env, _words) in FAILURES.items()})

    def one(name: str) -> tuple[int, str]:
        extra, env, home = runs[name]
        proc = run(CHECK, tmp_path_factory.mktemp(name), extra, env, home)
        return proc.returncode, ' '.join((proc.stdout + proc.stderr).split())

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(runs, pool.map(one, runs)))


CASE_NAMES = sorted(cases({name: Path(f'/{name}') for name in
                           ('kubeconfig', 'ca.crt', 'client.crt', 'client.key', 'serviceaccount', 'home_with_config')}))


@pytest.mark.parametrize('case', CASE_NAMES)
def test_way_accepted_and_named(case, files, outcome):
    words = cases(files)[case][3]
    returncode, output = outcome[case]
    assert returncode == 0, output[-4000:]
    assert f'localhost: {words}' in output, output[-4000:]
    _secrets_absent(output)


@pytest.mark.parametrize('case', sorted(FAILURES))
def test_failure_names_the_accepted_ways(case, outcome):
    returncode, output = outcome[case]
    assert returncode != 0, output[-4000:]
    for word in FAILURES[case][2]:
        assert word in output, output[-4000:]
    _secrets_absent(output)


@pytest.mark.parametrize('way', ['environment', 'variables'])
def test_site_reaches_the_given_host_without_a_kubeconfig(way, files, tmp_path):
    """site.yml with a token and no kubeconfig: the first cluster read goes to HOST (refused there)."""
    if way == 'environment':
        extra, env = {'multihome_multus_kubeconfig': ''}, {'K8S_AUTH_HOST': HOST, 'K8S_AUTH_API_KEY': TOKEN}
        source = 'K8S_AUTH_API_KEY'
    else:
        extra, env = {'multihome_multus_host': HOST, 'multihome_multus_api_key': TOKEN}, {}
        source = 'multihome_multus_api_key'
    proc = run(SITE, tmp_path, extra, env, verbosity='')
    output = ' '.join((proc.stdout + proc.stderr).split())
    assert proc.returncode != 0, output[-4000:]
    assert f'cluster access by bearer token ({source}) for {HOST}' in output, output[-4000:]
    port = HOST.rsplit(':', 1)[1]
    first_read = output.split('TASK [multihome.multus.cilium_exclusive : Read the Cilium agent DaemonSet]', 1)
    assert len(first_read) == 2, output[-4000:]
    assert f"host='127.0.0.1', port={port}" in first_read[1] and 'Connection refused' in first_read[1], first_read[1][:3000]
    _secrets_absent(output)
