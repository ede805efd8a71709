# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Count the lab API server's requests by verb and resource from its audit log.

The lab cluster (lab/cluster/clusterctl) logs every request at Metadata level,
one JSON event per line. This reads the events after a marker and prints
a table of request counts by verb and resource; a resource is written like
kubectl names it, with its group: ``pods``, ``pods/status``,
``daemonsets.apps``, ``leases.coordination.k8s.io``. Requests without a
resource (discovery, /version) are shown by URL path.

Which requests count (the collection runs as an admin user, so count people,
not the cluster's own components):

* a user name starting with ``system:`` never counts: service accounts,
  nodes, controllers, ``system:apiserver``, ``system:anonymous``;
* ``kwok-admin`` never counts: it is the one client certificate kwokctl gives
  all of its components (controller manager, scheduler);
  clusterctl gives the collection its own user, ``mhm-admin``;
* ``--user NAME`` (repeatable) counts only those users; ``--all-users`` counts
  everyone.

Each request is counted once (a watch logs two stages under one audit ID).
A write made with ``?dryRun=All`` changes nothing; it is listed under its own
verb, e.g. ``patch (dry-run)``, and is not a write for ``--assert-read-only``;
nor is a create of a review (TokenReview, SelfSubjectAccessReview, ...), which
the API server answers without storing anything: ``create (review)``.

Markers: ``--mark`` prints the log's current size in bytes; pass it back as
``--offset N`` after a run to count only that run; ``--end M`` (a second
``--mark``) stops there, to count one run of several. ``--since TIME`` (RFC 3339)
counts requests received at or after TIME instead.

Exit status: 0 done; 1 ``--assert-read-only`` found a create, update, patch,
delete or deletecollection (or a POST/PUT/PATCH/DELETE to a non-resource URL);
2 bad arguments or an unreadable log.

Usage (``PYTHONPATH=lab``; from Python: ``log_size``, ``summary``, ``text_lines``):
    python3 -m mhmlab audit --mark
    python3 -m mhmlab audit --offset 123456 --assert-read-only
    python3 -m mhmlab audit --since 2026-11-28T11:00:00Z --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from mhmlab import plan as lab_plan
from mhmlab.controlplane import ControlPlane

COMPONENT_USERS = ("kwok-admin",)
WRITE_VERBS = frozenset(("create", "update", "patch", "delete", "deletecollection"))
NON_RESOURCE_WRITE_VERBS = frozenset(("post", "put", "patch", "delete"))
# Create-only query resources: the API server answers them and stores nothing.
REVIEW_GROUPS = frozenset(("authentication.k8s.io", "authorization.k8s.io"))


class UsageError(Exception):
    """A bad argument or an unreadable log."""


def default_log() -> str:
    """The lab cluster's audit log ($MULTIHOME_CACHE/cluster/audit.log)."""
    return str(ControlPlane.from_plan(lab_plan.from_env()).audit_link)


def log_size(path: str) -> int:
    """The log's size in bytes: a marker, for a later --offset or --end."""
    try:
        return os.stat(path).st_size
    except OSError as exc:
        raise UsageError(f"cannot read the audit log {path}: {exc.strerror}") from exc


def parse_time(text: str) -> datetime.datetime:
    """Parse an RFC 3339 time; a time without a zone is taken as UTC."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(f"not an RFC 3339 time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def resource_name(event: dict) -> tuple[str, bool]:
    """Return (resource label, is a resource request) for an audit event."""
    ref = event.get("objectRef") or {}
    resource = ref.get("resource")
    if not resource:
        return urlsplit(event.get("requestURI", "")).path or "?", False
    if ref.get("subresource"):
        resource = f"{resource}/{ref['subresource']}"
    if ref.get("apiGroup"):
        resource = f"{resource}.{ref['apiGroup']}"
    return resource, True


def is_dry_run(event: dict) -> bool:
    """True when the request asked for dryRun (it persists nothing)."""
    query = parse_qs(urlsplit(event.get("requestURI", "")).query)
    return any(value and value.lower() != "false" for value in query.get("dryRun", []))


def is_review(event: dict) -> bool:
    """True for TokenReview, SubjectAccessReview and friends (never stored)."""
    ref = event.get("objectRef") or {}
    return ref.get("apiGroup") in REVIEW_GROUPS and ref.get("resource", "").endswith("reviews")


def counted_user(username: str, only: set[str], all_users: bool) -> bool:
    """Apply the counting rule described in the module docstring."""
    if all_users:
        return True
    if only:
        return username in only
    return not username.startswith("system:") and username not in COMPONENT_USERS


def read_events(path: str, offset: int, end: int | None = None):
    """Yield the audit events from byte OFFSET on (a partial first line is skipped), up to byte END."""
    try:
        handle = open(path, "rb")  # pylint: disable=consider-using-with  # closed below, also on error
    except OSError as exc:
        raise UsageError(f"cannot read the audit log {path}: {exc.strerror}") from exc
    with handle:
        size = os.fstat(handle.fileno()).st_size
        if offset > size:
            raise UsageError(f"offset {offset} is past the end of {path} ({size} bytes): was the log replaced?")
        if end is not None and end > size:
            raise UsageError(f"end {end} is past the end of {path} ({size} bytes): was the log replaced?")
        if offset > 0:
            handle.seek(offset - 1)
            if handle.read(1) != b"\n":
                handle.readline()
        position = handle.tell()
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                break  # an event still being written
            position += len(raw)
            if end is not None and position > end:
                break  # written after the end marker
            try:
                yield json.loads(raw)
            except ValueError as exc:
                raise UsageError(f"{path}: line {number} after the marker is not JSON: {exc}") from exc


def count(events, since: datetime.datetime | None, only: set[str], all_users: bool) -> tuple[Counter, int, set[str]]:
    """Return (Counter of (verb, resource, is_write), events seen, users counted)."""
    counts: Counter = Counter()
    seen_ids: set[str] = set()
    users: set[str] = set()
    total = 0
    for event in events:
        audit_id = event.get("auditID")
        if audit_id in seen_ids:
            continue
        seen_ids.add(audit_id)
        if since is not None:
            received = event.get("requestReceivedTimestamp")
            if not received or parse_time(received) < since:
                continue
        total += 1
        username = (event.get("user") or {}).get("username", "")
        if not counted_user(username, only, all_users):
            continue
        users.add(username)
        verb = event.get("verb", "?")
        resource, is_resource = resource_name(event)
        write = verb in (WRITE_VERBS if is_resource else NON_RESOURCE_WRITE_VERBS)
        if write and is_dry_run(event):
            verb = f"{verb} (dry-run)"
            write = False
        elif write and is_review(event):
            verb = f"{verb} (review)"
            write = False
        counts[(verb, resource, write)] += 1
    return counts, total, users


def summary(log: str, offset: int = 0, end: int | None = None, since: str | None = None, only: Iterable[str] = (),
            all_users: bool = False) -> dict:
    """The counted requests of a part of the log (the --json form): log, requests_after_marker, users, counted,
    writes, counts (rows of verb, resource, write, count; most frequent first)."""
    if offset < 0:
        raise UsageError("--offset must not be negative")
    if end is not None and end < offset:
        raise UsageError("--end must not be before --offset")
    start = parse_time(since) if since else None
    counts, total, users = count(read_events(log, offset, end), start, set(only), all_users)
    return {
        "log": log,
        "requests_after_marker": total,
        "users": sorted(users),
        "counted": sum(counts.values()),
        "writes": sum(number for (_verb, _resource, write), number in counts.items() if write),
        "counts": [
            {"verb": verb, "resource": resource, "write": write, "count": number}
            for (verb, resource, write), number in sorted(counts.items(), key=lambda item: (-item[1], item[0][:2]))
        ],
    }


def render_table(rows: list[dict]) -> list[str]:
    """The table lines of summary()'s counts."""
    verb_width = max([len("VERB")] + [len(row["verb"]) for row in rows])
    res_width = max([len("RESOURCE")] + [len(row["resource"]) for row in rows])
    lines = [f"{'VERB':<{verb_width}}  {'RESOURCE':<{res_width}}  COUNT"]
    for row in rows:
        lines.append(f"{row['verb']:<{verb_width}}  {row['resource']:<{res_width}}  {row['count']:>5}")
    return lines


def text_lines(counted: dict) -> list[str]:
    """summary() as the table the command prints without --json."""
    return [
        f"audit log: {counted['log']}",
        f"requests after the marker: {counted['requests_after_marker']}; counted: {counted['counted']} by "
        f"{', '.join(counted['users']) or 'nobody'}",
        *render_table(counted["counts"]),
        f"writes (create/update/patch/delete/deletecollection): {counted['writes']}",
    ]


def build_parser() -> argparse.ArgumentParser:
    """Command line interface."""
    default = default_log()
    parser = argparse.ArgumentParser(
        prog="python -m mhmlab audit",
        description="Count the lab API server's requests by verb and resource from its audit log.",
        epilog="Counted: users not named system:* and not kwok-admin (the kwokctl components), unless --user/--all-users.",
    )
    parser.add_argument("log", nargs="?", default=default, help=f"audit log (default {default})")
    marker = parser.add_mutually_exclusive_group()
    marker.add_argument("--mark", action="store_true", help="print the log's size in bytes (an --offset for later) and exit")
    marker.add_argument("--offset", type=int, default=0, help="count only events written after this byte offset")
    marker.add_argument("--since", help="count only requests received at or after this RFC 3339 time")
    parser.add_argument("--end", type=int, help="with --offset: stop at this byte offset (a later --mark), to count one run between two marks")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--user", action="append", default=[], help="count only this user (repeatable)")
    who.add_argument("--all-users", action="store_true", help="count every user, system components included")
    parser.add_argument("--assert-read-only", action="store_true", help="exit 1 when any counted request is a write")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.mark:
            print(log_size(args.log))
            return 0
        counted = summary(args.log, args.offset, args.end, args.since, args.user, args.all_users)
    except UsageError as exc:
        print(f"audit_counts: error: {exc}", file=sys.stderr)
        return 2

    if args.json:
        json.dump(counted, sys.stdout, indent=2)
        print()
    else:
        print("\n".join(text_lines(counted)))
    if args.assert_read_only and counted["writes"]:
        print(f"audit_counts: read-only assertion failed: {counted['writes']} write request(s)", file=sys.stderr)
        return 1
    return 0
