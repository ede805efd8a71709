# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""The lab's one command runner: argv lists, a timeout always, a recording dry run."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhmlab.runner import Call, CommandError, Result, Runner


def test_dry_run_records_and_runs_nothing(tmp_path):
    runner = Runner(dry_run=True)
    marker = tmp_path / 'made'
    result = runner.run(['touch', marker], timeout=5)
    runner.run(['ip', 'netns', 'add', 'mhm-node1'], timeout=2.5, stdin='x')
    assert not marker.exists()
    assert result == Result(('touch', str(marker)))
    assert runner.calls == [Call(('touch', str(marker)), 5.0), Call(('ip', 'netns', 'add', 'mhm-node1'), 2.5, 'x')]


def test_dry_run_answers():
    runner = Runner(dry_run=True, respond=lambda argv: Result(argv, 1 if argv[0] == 'false' else 0, 'out', 'bad'))
    assert runner.output(['ip', 'netns', 'list'], timeout=1) == 'out'
    with pytest.raises(CommandError, match='false exited 1: bad') as failed:
        runner.run(['false'], timeout=1)
    assert failed.value.result.returncode == 1
    assert runner.run(['false'], timeout=1, check=False).returncode == 1


@pytest.mark.parametrize('timeout', [None, 0, -1, True, '5'])
def test_refuses_a_command_without_a_timeout(timeout):
    runner = Runner(dry_run=True)
    with pytest.raises(ValueError, match='without a positive timeout'):
        runner.run(['ip', 'link'], timeout=timeout)
    assert not runner.calls


def test_timeout_is_required():
    with pytest.raises(TypeError):
        Runner(dry_run=True).run(['ip', 'link'])  # pylint: disable=missing-kwoa


@pytest.mark.parametrize('argv', ['ip link', b'ip', [], ['ip', 3], ('ip', None)])
def test_refuses_anything_but_an_argv_list(argv):
    with pytest.raises(TypeError):
        Runner(dry_run=True).run(argv, timeout=1)


def test_real_run():
    runner = Runner()
    done = runner.run(['sh', '-c', 'cat; echo err >&2; exit 3'], timeout=10, check=False, stdin='in')
    assert (done.returncode, done.stdout, done.stderr) == (3, 'in', 'err\n')
    assert runner.run(['sh', '-c', 'cat'], timeout=10).stdout == ''  # stdin is /dev/null
    assert runner.output(['sh', '-c', 'echo "$X"'], timeout=10, env={'X': 'y'}) == 'y\n'


def test_real_run_failures():
    runner = Runner()
    with pytest.raises(CommandError, match='timed out after 0.2 s'):
        runner.run(['sleep', '5'], timeout=0.2)
    with pytest.raises(CommandError, match='could not start'):
        runner.run([str(Path('/nonexistent/mhm-tool'))], timeout=1)
    with pytest.raises(CommandError, match='exited 1'):
        runner.run(['false'], timeout=5)


def test_the_commands_the_lab_runs_most():
    runner = Runner(dry_run=True)
    runner.ip('link', 'set', 'eth1', 'up', netns='mhm-node1')
    runner.ip('netns', 'list')
    runner.netns_exec('mhm-node1', ['sysctl', '-q', '-w', 'a=1'])
    runner.mount('--make-shared', '/etc/cni')
    runner.umount('/run/netns', lazy=True)
    runner.umount('/run/netns')
    assert [c.argv for c in runner.calls] == [
        ('ip', '-n', 'mhm-node1', 'link', 'set', 'eth1', 'up'), ('ip', 'netns', 'list'),
        ('ip', 'netns', 'exec', 'mhm-node1', 'sysctl', '-q', '-w', 'a=1'), ('mount', '--make-shared', '/etc/cni'),
        ('umount', '-l', '/run/netns'), ('umount', '/run/netns')]
    assert all(c.timeout > 0 for c in runner.calls)


def test_real_run_into_a_log(tmp_path):
    log = tmp_path / 'boot.log'
    log.write_text('before\n', encoding='utf-8')
    done = Runner().run(['sh', '-c', 'echo out; echo err >&2; exit 4'], timeout=10, check=False, log=log)
    assert done.returncode == 4 and done.stdout == ''
    assert log.read_text(encoding='utf-8') == 'before\nout\nerr\n'
