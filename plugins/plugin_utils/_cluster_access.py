# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""Choice behind the ``multihome.multus.cluster_access`` filter.

Works out which of the ways ``kubernetes.core`` takes credentials a run will use,
in the order ``kubernetes.core`` itself follows (``module_utils/k8s/client.py``):

1. a host with a bearer token, a client certificate and key, or a username and
   password: nothing else is loaded;
2. otherwise a kubeconfig (a file, or its content as a dict) or a context
   (of the default kubeconfig);
3. otherwise the in-cluster service account;
4. otherwise the default kubeconfig (``~/.kube/config``).

Each setting comes from its ``multihome_multus_*`` variable, else from the
``K8S_AUTH_*`` environment variables ``kubernetes.core`` reads for it. Secrets
(bearer token, password, a kubeconfig's content) are only tested for presence:
nothing this module returns contains them. Standard library only; no Ansible
imports.
"""

from __future__ import annotations

from collections.abc import Mapping

VARIABLE_PREFIX = 'multihome_multus_'
DEFAULT_KUBECONFIG = '~/.kube/config'
SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

# Setting -> environment variables kubernetes.core reads for it, in its order
# (K8S_AUTH_<parameter>, then K8S_AUTH_<kubernetes client name>).
ENVIRONMENT = {
    'kubeconfig': ('K8S_AUTH_KUBECONFIG',),
    'context': ('K8S_AUTH_CONTEXT',),
    'host': ('K8S_AUTH_HOST',),
    'api_key': ('K8S_AUTH_API_KEY',),
    'username': ('K8S_AUTH_USERNAME',),
    'password': ('K8S_AUTH_PASSWORD',),
    'client_cert': ('K8S_AUTH_CLIENT_CERT', 'K8S_AUTH_CERT_FILE'),
    'client_key': ('K8S_AUTH_CLIENT_KEY', 'K8S_AUTH_KEY_FILE'),
    'ca_cert': ('K8S_AUTH_CA_CERT', 'K8S_AUTH_SSL_CA_CERT'),
    'validate_certs': ('K8S_AUTH_VALIDATE_CERTS', 'K8S_AUTH_VERIFY_SSL'),
}
IN_CLUSTER_ENVIRONMENT = ('KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT')

# Host credentials, by the name of the way: the settings each needs besides the host.
HOST_WAYS = (
    ('token', ('api_key',)),
    ('client_certificate', ('client_cert', 'client_key')),
    ('basic_auth', ('username', 'password')),
)
HOST_SETTINGS = ('host',) + tuple(name for _way, needed in HOST_WAYS for name in needed)

ACCEPTED = (
    'Give the cluster credentials in one of the ways kubernetes.core takes them: '
    '(1) a kubeconfig file: multihome_multus_kubeconfig or K8S_AUTH_KUBECONFIG (default ~/.kube/config), '
    'with multihome_multus_context or K8S_AUTH_CONTEXT for another context than the current one; '
    '(2) the API server URL, multihome_multus_host or K8S_AUTH_HOST, with a bearer token '
    '(multihome_multus_api_key or K8S_AUTH_API_KEY), a client certificate and key '
    '(multihome_multus_client_cert and multihome_multus_client_key, or K8S_AUTH_CERT_FILE and K8S_AUTH_KEY_FILE) '
    'or a username and password (multihome_multus_username and multihome_multus_password, '
    'or K8S_AUTH_USERNAME and K8S_AUTH_PASSWORD), and the CA certificate in multihome_multus_ca_cert '
    'or K8S_AUTH_SSL_CA_CERT; (3) the in-cluster service account of a pod (KUBERNETES_SERVICE_HOST '
    f'and {SERVICEACCOUNT_DIR}/token).'
)


def _present(value: object) -> bool:
    """Whether a setting counts as given: not None and not an empty string, list or dict."""
    if value is None:
        return False
    if isinstance(value, (str, bytes, list, tuple, Mapping)):
        return len(value) > 0
    return True


def setting(name: str, variables: Mapping, env: Mapping) -> tuple[object, str]:
    """(value, source) of one setting: its variable first, then its environment variables; (None, '') when unset."""
    value = variables.get(name)
    if _present(value):
        return value, VARIABLE_PREFIX + name
    for env_name in ENVIRONMENT[name]:
        value = env.get(env_name)
        if _present(value):
            return value, env_name
    return None, ''


def is_true(value: object) -> bool:
    """A validate_certs value as kubernetes.core reads it (an environment string is false only for 0, false, no)."""
    if isinstance(value, str):
        return value.strip().lower() not in ('0', 'false', 'no', 'n', 'off')
    return bool(value)


def _file(what: str, path: object, source: str) -> tuple[str, str, str]:
    return what, str(path), source


def _tls(given: Mapping[str, tuple[object, str]]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Words about the CA certificate and certificate validation, and the CA file to look for."""
    words, files = [], []
    ca_cert, ca_source = given['ca_cert']
    if ca_source:
        words.append(f'CA certificate {ca_cert} ({ca_source})')
        files.append(_file('CA certificate', ca_cert, ca_source))
    validate, validate_source = given['validate_certs']
    if validate_source and not is_true(validate):
        words.append(f'certificate validation off ({validate_source})')
    return words, files


def _host_way(given: Mapping[str, tuple[object, str]]) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The host credentials that are complete: (way, words, files); ('', '', []) when none is."""
    host, host_source = given['host']
    if not host_source:
        return '', '', []
    for way, needed in HOST_WAYS:
        if all(given[name][1] for name in needed):
            if way == 'token':
                return way, f"bearer token ({given['api_key'][1]}) for {host} ({host_source})", []
            if way == 'client_certificate':
                cert, cert_source = given['client_cert']
                key, key_source = given['client_key']
                words = f'client certificate {cert} ({cert_source}) and key {key} ({key_source}) for {host} ({host_source})'
                return way, words, [_file('client certificate', cert, cert_source), _file('client key', key, key_source)]
            words = f"username and password ({given['username'][1]}, {given['password'][1]}) for {host} ({host_source})"
            return way, words, []
    return '', '', []


def _incomplete(given: Mapping[str, tuple[object, str]]) -> str:
    """What is missing from host credentials that are set in part ('' when none is set)."""
    set_names = [given[name][1] for name in HOST_SETTINGS if given[name][1]]
    if not set_names:
        return ''
    if not given['host'][1]:
        return f"{', '.join(set_names)} set but no API server URL (multihome_multus_host or K8S_AUTH_HOST)"
    return (f"{', '.join(set_names)} set but no credential for it: a bearer token, a client certificate with its key, "
            'or a username with its password')


def candidate_paths(variables: Mapping, env: Mapping, serviceaccount_dir: str = SERVICEACCOUNT_DIR) -> list[str]:
    """Every file the choice may depend on, each once: configured files, the service account's, the default kubeconfig."""
    paths = []
    for name in ('kubeconfig', 'client_cert', 'client_key', 'ca_cert'):
        value, _source = setting(name, variables, env)
        if isinstance(value, str):
            paths.append(value)
    paths += [f'{serviceaccount_dir}/token', f'{serviceaccount_dir}/ca.crt', DEFAULT_KUBECONFIG]
    return list(dict.fromkeys(paths))


def cluster_access(variables: Mapping, env: Mapping, found: Mapping[str, bool],
                   serviceaccount_dir: str = SERVICEACCOUNT_DIR) -> dict:
    """The way to the cluster: {'way', 'summary', 'kubeconfig', 'paths', 'error'}.

    ``variables`` maps setting names (kubeconfig, context, host, api_key, username,
    password, client_cert, client_key, ca_cert, validate_certs) to the values of
    their ``multihome_multus_*`` variables; ``env`` maps environment variable names
    to values; ``found`` maps file paths to whether they exist on the host where the
    modules run (a path it lacks counts as missing).
    """
    given = {name: setting(name, variables, env) for name in ENVIRONMENT}
    result = {'way': '', 'summary': '', 'kubeconfig': '', 'paths': candidate_paths(variables, env, serviceaccount_dir),
              'error': ''}
    way, words, files = _host_way(given)
    kubeconfig, kubeconfig_source = given['kubeconfig']
    context, context_source = given['context']
    unused = []
    if way:
        unused = [source for source in (kubeconfig_source, context_source) if source]
    elif kubeconfig_source or context_source:
        if isinstance(kubeconfig, Mapping):
            way = 'kubeconfig_content'
            words = f'kubeconfig content ({kubeconfig_source})'
        else:
            way = 'kubeconfig'
            path = kubeconfig if kubeconfig_source else DEFAULT_KUBECONFIG
            words = f"kubeconfig {path} ({kubeconfig_source or 'the default'})"
            files.append(_file('kubeconfig', path, kubeconfig_source or 'the default'))
            result['kubeconfig'] = path
        if context_source:
            words += f', context {context} ({context_source})'
        overrides = [given[name][1] for name in HOST_SETTINGS if given[name][1]]
        if overrides:
            words += f", with {', '.join(overrides)} over the kubeconfig's"
    else:
        incomplete = _incomplete(given)
        if incomplete:
            result['error'] = f'{incomplete}. {ACCEPTED}'
            return result
        token = f'{serviceaccount_dir}/token'
        if all(_present(env.get(name)) for name in IN_CLUSTER_ENVIRONMENT) and found.get(token) \
                and found.get(f'{serviceaccount_dir}/ca.crt'):
            way = 'in_cluster'
            words = (f"in-cluster service account (KUBERNETES_SERVICE_HOST={env['KUBERNETES_SERVICE_HOST']}, "
                     f'token {token})')
        elif found.get(DEFAULT_KUBECONFIG):
            way = 'kubeconfig'
            words = f'kubeconfig {DEFAULT_KUBECONFIG} (the default)'
            result['kubeconfig'] = DEFAULT_KUBECONFIG
        else:
            result['error'] = (f'no cluster credentials: no kubeconfig at {DEFAULT_KUBECONFIG} (the default), '
                               f'no host credentials, not in a pod with a service account. {ACCEPTED}')
            return result
    tls_words, tls_files = _tls(given)
    files += tls_files
    missing = [(what, path, source) for what, path, source in files if not found.get(path)]
    if missing:
        named = ', '.join(f'no {what} at {path} ({source})' for what, path, source in missing)
        fix = ' and '.join(dict.fromkeys(VARIABLE_PREFIX + 'kubeconfig' if source == 'the default' else source
                                         for _what, _path, source in missing))
        result['error'] = f'{named} on this host. Point {fix} at a file that exists, or use another way. {ACCEPTED}'
        return result
    if unused:
        tls_words.append(f"not used: {', '.join(unused)} (kubernetes.core prefers host credentials)")
    result['way'] = way
    result['summary'] = '; '.join([words] + tls_words)
    return result
