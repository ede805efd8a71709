#!/usr/bin/env bash
# Takes the whole lab down, in order, and keeps going when a part fails or is
# already down: kubelets, lab cluster, namespace nodes.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rc=0
lab/cluster/kubeletctl down || rc=1
lab/cluster/clusterctl down || rc=1
lab/labctl down || rc=1
exit "$rc"
