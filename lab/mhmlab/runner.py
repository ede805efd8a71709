# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""The one way the lab runs a command (ip, nsenter, mount, sshd, ...).

An argv list (never a shell string), a timeout on every command (there is no
default: a call without one is refused), output captured as text, and a
non-zero exit raised as CommandError unless ``check=False``. A recording runner
(``Runner(dry_run=True)``) runs nothing: it records each argv in ``calls`` and
answers with ``respond(argv)`` (default: exit 0, no output), for unit tests and
for printing what a step would do. ``log=PATH`` appends both output streams to
a file instead of capturing them (a command that leaves a daemon behind).
``ip``, ``netns_exec``, ``mount`` and ``umount`` spell the commands the lab
runs most.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Seconds for one ip/mount/sysctl call: they return at once unless the kernel is stuck.
QUICK = 30


@dataclasses.dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int = 0
    stdout: str = ''
    stderr: str = ''


class CommandError(RuntimeError):
    """A command that failed, timed out or could not start."""

    def __init__(self, message: str, result: Result | None = None):
        super().__init__(message)
        self.result = result


@dataclasses.dataclass(frozen=True)
class Call:
    """One recorded command."""

    argv: tuple[str, ...]
    timeout: float
    stdin: str | None = None


def _argv(argv: Sequence[str | os.PathLike]) -> tuple[str, ...]:
    if isinstance(argv, (str, bytes)):
        raise TypeError(f'argv must be a list of arguments, not a string: {argv!r}')
    args = tuple(os.fspath(a) if isinstance(a, os.PathLike) else a for a in argv)
    if not args or not all(isinstance(a, str) for a in args):
        raise TypeError(f'argv must be a non-empty list of strings: {argv!r}')
    return args


class Runner:
    def __init__(self, dry_run: bool = False, respond: Callable[[tuple[str, ...]], Result] | None = None):
        self.dry_run = dry_run
        self.respond = respond
        self.calls: list[Call] = []

    def run(self, argv: Sequence[str | os.PathLike], *, timeout: float, check: bool = True, stdin: str | None = None,
            env: Mapping[str, str] | None = None, log: Path | None = None,
            cwd: str | os.PathLike | None = None) -> Result:
        """Run argv with a time limit of ``timeout`` seconds; raise CommandError on failure when check."""
        args = _argv(argv)
        if timeout is None or isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise ValueError(f'refusing to run {shlex.join(args)} without a positive timeout (got {timeout!r})')
        self.calls.append(Call(args, float(timeout), stdin))
        if self.dry_run:
            result = self.respond(args) if self.respond else Result(args)
        else:
            result = self._spawn(args, timeout, stdin, env, log, cwd)
        if check and result.returncode != 0:
            raise CommandError(
                f'{shlex.join(args)} exited {result.returncode}: {result.stderr.strip() or result.stdout.strip()}', result)
        return result

    def output(self, argv: Sequence[str | os.PathLike], *, timeout: float, **kwargs) -> str:
        """stdout of a command that must succeed."""
        return self.run(argv, timeout=timeout, check=True, **kwargs).stdout

    def ip(self, *args: str, netns: str | None = None, check: bool = True) -> Result:
        """``ip [-n NETNS] ARGS``."""
        return self.run(['ip', *(['-n', netns] if netns else []), *args], timeout=QUICK, check=check)

    def netns_exec(self, netns: str, argv: Sequence[str | os.PathLike], *, timeout: float = QUICK,
                   check: bool = True, **kwargs) -> Result:
        """``ip netns exec NETNS ARGV``."""
        return self.run(['ip', 'netns', 'exec', netns, *argv], timeout=timeout, check=check, **kwargs)

    def mount(self, *args: str | os.PathLike, check: bool = True) -> Result:
        """``mount ARGS``."""
        return self.run(['mount', *args], timeout=QUICK, check=check)

    def umount(self, target: str | os.PathLike, *, lazy: bool = False, check: bool = True) -> Result:
        """``umount [-l] TARGET``."""
        return self.run(['umount', *(['-l'] if lazy else []), target], timeout=QUICK, check=check)

    @staticmethod
    def _spawn(args: tuple[str, ...], timeout: float, stdin: str | None, env: Mapping[str, str] | None,
               log: Path | None, cwd: str | os.PathLike | None = None) -> Result:
        # Text on stdin when given, else /dev/null: a command never reads the caller's terminal.
        stdin_args = {'input': stdin} if stdin is not None else {'stdin': subprocess.DEVNULL}
        env = None if env is None else dict(env)
        try:
            if log is None:
                done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, env=env,
                                      cwd=cwd, **stdin_args)
                return Result(args, done.returncode, done.stdout, done.stderr)
            with open(log, 'a', encoding='utf-8') as out:
                done = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                                      check=False, env=env, cwd=cwd, **stdin_args)
            return Result(args, done.returncode, '', f'(output in {log})')
        except subprocess.TimeoutExpired as exc:
            raise CommandError(f'{shlex.join(args)} timed out after {timeout} s') from exc
        except OSError as exc:
            raise CommandError(f'{shlex.join(args)} could not start: {exc}') from exc
