#!/usr/bin/env bash
# The main job on the local lab: the namespace nodes, the lab cluster (real
# control plane built from the Kubernetes Go modules), containerd and a kubelet
# on each node, the Cilium stand-in, then the whole site.yml on it. It ends with
# the verification table of the two sample pods (attached by the real Multus,
# pinging each other over net1) and leaves the lab up; on failure it takes the
# lab down again (KEEP_LAB=1 keeps it for debugging). `make lab-down` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}
log="$cache/demo-site.log"

on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ "${KEEP_LAB:-0}" != 1 ]; then
    echo "demo failed (exit $rc); taking the lab down (KEEP_LAB=1 keeps it)" >&2
    bash lab/down.sh
  fi
}
trap on_exit EXIT

lab/labctl up
lab/cluster/clusterctl up
lab/cluster/kubeletctl up
ansible-playbook lab/cluster/cilium.yml
mkdir -p "$cache"
ansible-playbook -i inventories/lab-cluster site.yml | tee "$log"

kubeconfig=$(lab/cluster/clusterctl kubeconfig)
cat <<USAGE

The lab is up. Verification (from $log):
$(sed -n '/^ *POD  *NODE  *NET1/,/^$/p' "$log" | sed 's/^ *//')

  export KUBECONFIG=$kubeconfig
  $cache/cluster-bin/k8s-v1.36.3/kubectl get pods -A -o wide
  $cache/cluster-bin/k8s-v1.36.3/kubectl exec multus-verify-1 -- ip -o addr show dev net1
  ansible-playbook -i inventories/lab-cluster site.yml      # run it again: nothing changes
  lab/labctl ssh node1                                      # a worker node
  lab/cluster/kubeletctl status                             # its kubelet and containerd (logs: $cache/kubelet/nodes/)
Tear down: make lab-down
USAGE
