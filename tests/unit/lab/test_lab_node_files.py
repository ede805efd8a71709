# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (c) 2026 multihome.multus maintainers
"""What the lab writes for a node and for the mirror: sshd config, seed, archive, state, env."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path, PurePosixPath

import pytest

from mhmlab import boot, mirror, nodes, sshd
from mhmlab import plan as lab_plan
from mhmlab.plan import Paths
from mhmlab.runner import Result, Runner
from mhmlab.state import Lock, State, StateError

PLAN = lab_plan.build(cache=Path('/c'))
NODE = PLAN.node('new-worker')
STATE = State(PLAN.paths)


def test_sshd_config_listens_on_the_nodes_eth0_only():
    text = sshd.config(STATE, NODE)
    assert '$' not in text
    assert 'ListenAddress 198.18.0.13\n' in text
    assert 'PidFile /c/lab/nodes/new-worker/sshd.pid\n' in text
    assert 'AuthorizedKeysFile /c/lab/authorized_keys\n' in text
    assert 'PasswordAuthentication no\n' in text and 'UsePAM no\n' in text


def test_cilium_conflist_uses_the_nodes_pod_cidr():
    conf = json.loads(boot.conflist(PLAN, NODE))
    assert conf['name'] == 'cilium' and conf['plugins'][0]['type'] == 'cilium-cni'
    assert conf['plugins'][0]['ipam'] == {'type': 'host-local', 'ranges': [[{'subnet': '198.18.131.0/24'}]],
                                          'routes': [{'dst': '198.18.128.0/17'}]}


def test_seed_record(tmp_path):
    seeded = tmp_path / 'cilium-cni'
    seeded.write_bytes(b'abc')
    seeded.chmod(0o755)
    record, sums = boot.seed_record((str(seeded),))
    entry = json.loads(record)[str(seeded)]
    assert entry['sha256'] == 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    assert (entry['mode'], entry['size']) == ('0755', 3)
    assert sums == f'{entry["sha256"]}  {seeded}\n'


def test_mount_sources_carry_the_prefix():
    assert boot.tmpfs_source(PLAN, NODE, '/var/lib/cni') == 'mhm-new-worker-var-lib-cni'


def test_check_private_refuses_the_hosts_namespaces():
    with pytest.raises(boot.BootError, match="outside a node's own namespaces"):
        boot.check_private(boot.host_namespaces())
    with pytest.raises(boot.BootError, match='host unknown'):
        boot.check_private('')


def test_archive_has_upstreams_layout_and_reproducible_bytes(tmp_path):
    source = tmp_path / 'cni'
    source.mkdir()
    for name in ('macvlan', 'bridge'):
        (source / name).write_bytes(name.encode())
        (source / name).chmod(0o755)
    (source / 'notes.txt').write_text('not a plugin', encoding='utf-8')
    licence = tmp_path / 'copyright'
    licence.write_text('Apache-2.0', encoding='utf-8')
    files = mirror.archive_files(PLAN, source, licence)
    data = mirror.archive_bytes(files)
    assert data == mirror.archive_bytes(files)
    assert gzip.decompress(data)[:1]  # a gzip stream
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == ['.', './LICENSE', './README.md', './bridge', './macvlan']
    assert [oct(m.mode) for m in members] == ['0o755', '0o644', '0o644', '0o755', '0o755']
    assert {(m.uid, m.gid, m.uname, m.mtime) for m in members} == {(0, 0, '', 0)}
    name = PLAN.versions.cni_archive('amd64')
    assert name == 'cni-plugins-linux-amd64-v1.1.1.tgz'
    (tmp_path / name).write_bytes(data)
    (tmp_path / f'{name}.sha256').write_text(mirror.sums_line(name, data), encoding='utf-8')
    assert mirror.archive_valid(tmp_path, name)
    (tmp_path / name).write_bytes(data + b'x')
    assert not mirror.archive_valid(tmp_path, name)


def test_state_dir_layout_tracking_and_lock(tmp_path):
    state = State(Paths(PurePosixPath(tmp_path)))
    state.ensure()
    assert oct(state.root.stat().st_mode & 0o777) == '0o700'
    state.mkdir_tracked(str(tmp_path / 'a' / 'b'))
    state.mkdir_tracked(str(tmp_path / 'a' / 'b'))
    assert state.recorded_dirs() == [str(tmp_path / 'a'), str(tmp_path / 'a' / 'b')]
    assert Lock(state.lock_file).take(1)
    assert not Lock(state.lock_file).take(0.3, step=0.1)
    with pytest.raises(StateError, match='hidden inside the nodes'):
        State(Paths(PurePosixPath('/run/mhm'))).check_path()


def test_env_keeps_labctls_keys_and_order():
    lab = nodes.Lab(PLAN, Runner(dry_run=True))
    keys = [item[0] for item in nodes.env_items(lab, PLAN.node('node1'), 4242)]
    assert keys[:10] == ['MHM_NODE', 'MHM_NODE_INDEX', 'MHM_NETNS', 'MHM_PID', 'MHM_NSENTER', 'MHM_MGMT_IP',
                         'MHM_MGMT_BRIDGE', 'MHM_MGMT_GATEWAY', 'MHM_FABRIC_IP', 'MHM_SECONDARIES']
    assert keys[-3:] == ['MHM_SSH_KEY', 'MHM_STATE', 'MHM_NODE_DIR']
    env = dict(nodes.env_items(lab, PLAN.node('node1'), 4242))
    assert env['MHM_NSENTER'] == 'nsenter --target 4242 --mount --net --uts'
    assert env['MHM_NODE_DIR'] == '/c/lab/nodes/node1'


def test_status_of_a_lab_that_is_not_there(tmp_path):
    def respond(argv):
        return Result(argv, 1 if argv[:3] == ('ip', 'link', 'show') else 0)
    lab = nodes.Lab(lab_plan.build(cache=tmp_path), Runner(dry_run=True, respond=respond))
    assert nodes.status_lines(lab) == (['mirror      down', 'mhm-mgmt    down', 'mhm-fabric  down', 'lab down'], 3)
    lab.state.nodes.mkdir(parents=True)
    (lab.state.nodes / 'node1').mkdir()
    lines, code = nodes.status_lines(lab)
    assert code == 1 and lines[-1].startswith('node1  BROKEN')
