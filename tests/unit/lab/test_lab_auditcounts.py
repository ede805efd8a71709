# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""python -m mhmlab audit (mhmlab.auditcounts): who counts, what is a write, and the markers, on a small log."""

from __future__ import annotations

import json

import pytest

from mhmlab import auditcounts, cli


def event(audit_id, user, verb, uri, resource=None, group=None, received='2026-11-28T11:00:00Z'):
    found = {'auditID': audit_id, 'user': {'username': user}, 'verb': verb, 'requestURI': uri,
             'requestReceivedTimestamp': received}
    if resource:
        found['objectRef'] = {'resource': resource, **({'apiGroup': group} if group else {})}
    return json.dumps(found) + '\n'


FIRST = [event('a', 'mhm-admin', 'get', '/api/v1/pods', 'pods'),
         event('a', 'mhm-admin', 'get', '/api/v1/pods', 'pods'),  # a watch's second stage: one request
         event('b', 'system:node:node1', 'update', '/api/v1/nodes/node1', 'nodes'),
         event('c', 'kwok-admin', 'delete', '/api/v1/pods/p', 'pods')]
SECOND = [event('d', 'mhm-admin', 'patch', '/apis/apps/v1/daemonsets/x?dryRun=All', 'daemonsets', 'apps'),
          event('e', 'mhm-admin', 'create', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
                'selfsubjectaccessreviews', 'authorization.k8s.io'),
          event('f', 'mhm-admin', 'get', '/version', received='2026-11-28T12:00:00Z')]
THIRD = [event('g', 'mhm-admin', 'patch', '/api/v1/namespaces/x', 'namespaces', received='2026-11-28T13:00:00Z')]


@pytest.fixture(name='log')
def fixture_log(tmp_path):
    path = tmp_path / 'audit.log'
    path.write_text(''.join(FIRST + SECOND + THIRD) + '{"still being wri', encoding='utf-8')
    return str(path)


def marks():
    first = len(''.join(FIRST))
    return first, first + len(''.join(SECOND))


def rows(counted):
    return [(r['verb'], r['resource'], r['write'], r['count']) for r in counted['counts']]


def test_only_people_count_and_each_request_once(log):
    counted = auditcounts.summary(log)
    assert (counted['requests_after_marker'], counted['counted'], counted['users']) == (7, 5, ['mhm-admin'])
    assert ('get', 'pods', False, 1) in rows(counted)
    assert counted['writes'] == 1 and ('patch', 'namespaces', True, 1) in rows(counted)
    everyone = auditcounts.summary(log, all_users=True)
    assert everyone['counted'] == 7 and everyone['users'] == ['kwok-admin', 'mhm-admin', 'system:node:node1']
    assert auditcounts.summary(log, only=['kwok-admin'])['writes'] == 1


def test_dry_runs_and_reviews_between_two_marks_are_no_writes(log):
    start, end = marks()
    counted = auditcounts.summary(log, start, end)
    assert rows(counted) == [('create (review)', 'selfsubjectaccessreviews.authorization.k8s.io', False, 1),
                             ('get', '/version', False, 1), ('patch (dry-run)', 'daemonsets.apps', False, 1)]
    assert counted['writes'] == 0
    # An offset inside a line starts at the next one.
    assert auditcounts.summary(log, start - 3, end)['requests_after_marker'] == 3


def test_since_counts_requests_received_from_then(log):
    assert [r[0] for r in rows(auditcounts.summary(log, since='2026-11-28T12:00:00Z'))] == ['get', 'patch']


def test_the_table_is_the_json_as_text(log):
    start, end = marks()
    assert auditcounts.text_lines(auditcounts.summary(log, start, end)) == [
        f'audit log: {log}',
        'requests after the marker: 3; counted: 3 by mhm-admin',
        'VERB             RESOURCE                                       COUNT',
        'create (review)  selfsubjectaccessreviews.authorization.k8s.io      1',
        'get              /version                                           1',
        'patch (dry-run)  daemonsets.apps                                    1',
        'writes (create/update/patch/delete/deletecollection): 0']


def test_command_line_marks_counts_and_asserts_read_only(log, capsys):
    assert cli.main(['audit', '--mark', log]) == 0
    size = int(capsys.readouterr().out)
    assert size == auditcounts.log_size(log) > marks()[1]
    start, end = marks()
    assert cli.main(['audit', log, '--offset', str(start), '--end', str(end), '--assert-read-only', '--json']) == 0
    assert json.loads(capsys.readouterr().out)['counted'] == 3
    assert cli.main(['audit', log, '--offset', str(end), '--assert-read-only']) == 1
    assert capsys.readouterr().err == 'audit_counts: read-only assertion failed: 1 write request(s)\n'


@pytest.mark.parametrize('args, message', [
    (['--offset', '-1'], '--offset must not be negative'),
    (['--offset', '5', '--end', '2'], '--end must not be before --offset'),
    (['--offset', '999999'], 'is past the end of'),
    (['--since', 'yesterday'], "not an RFC 3339 time: 'yesterday'"),
])
def test_bad_arguments_exit_2(log, capsys, args, message):
    assert auditcounts.main([log, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith('audit_counts: error: ') and message in err


def test_default_log_follows_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv('MULTIHOME_CACHE', str(tmp_path))
    assert auditcounts.default_log() == str(tmp_path / 'cluster' / 'audit.log')
    with pytest.raises(auditcounts.UsageError, match='cannot read the audit log'):
        auditcounts.log_size(auditcounts.default_log())
