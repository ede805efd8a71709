# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
"""Print kwok's default Node and Pod stages, with pod readiness tied to Multus.

kwok marks a pod Ready as soon as it is scheduled. A kubelet only starts the
containers after the CNI ADD, and with Multus that ADD writes the
k8s.v1.cni.cncf.io/network-status annotation; so a Ready pod that asked for
networks always carries it. The lab runtime (podrunner.py) does the ADD, and
this keeps the order: a pod with a k8s.v1.cni.cncf.io/networks annotation
becomes Ready only once its network-status annotation exists.

The stages are read from kwok's own module source (the version clusterctl
runs), so only the readiness selector is ours.

    python3 kwok_stages.py KWOK_MODULE_DIR > stages.yaml
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

NETWORKS = '.metadata.annotations["k8s.v1.cni.cncf.io/networks"]'
STATUS = '.metadata.annotations["k8s.v1.cni.cncf.io/network-status"]'
FILES = [
    'kustomize/stage/node/fast/node-initialize.yaml',
    'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'kustomize/stage/pod/fast/pod-ready.yaml',
    'kustomize/stage/pod/fast/pod-complete.yaml',
    'kustomize/stage/pod/fast/pod-delete.yaml',
]


def stages(module_dir: Path) -> list[dict]:
    out = []
    for rel in FILES:
        stage = yaml.safe_load((module_dir / rel).read_text(encoding='utf-8'))
        if stage['metadata']['name'] != 'pod-ready':
            out.append(stage)
            continue
        plain = copy.deepcopy(stage)
        plain['spec']['selector']['matchExpressions'].append({'key': NETWORKS, 'operator': 'DoesNotExist'})
        attached = copy.deepcopy(stage)
        attached['metadata']['name'] = 'pod-ready-network-attached'
        attached['spec']['selector']['matchExpressions'] += [
            {'key': NETWORKS, 'operator': 'Exists'},
            {'key': STATUS, 'operator': 'Exists'},
        ]
        out += [plain, attached]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1], FILES[0]).is_file():
        print(f'usage: {Path(argv[0]).name} KWOK_MODULE_DIR (the sigs.k8s.io/kwok module source)', file=sys.stderr)
        return 2
    yaml.safe_dump_all(stages(Path(argv[1])), sys.stdout, sort_keys=False)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
