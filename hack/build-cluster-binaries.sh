#!/usr/bin/env bash
# Builds the lab cluster's binaries from their Go modules into a cache keyed by
# version: kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kubectl from k8s.io/kubernetes, the Multus binaries (thin and thick), whereabouts
# (its CNI plugin, ip-control-loop and the release's install scripts), kwok and
# kwokctl (they start and stop the control plane), etcd with etcdctl, and the
# lab's Cilium agent: lab/cluster/cilium-cni-config (Cilium's CNI configuration
# manager) and the legacy release's cni-install.sh and cni-uninstall.sh.
# Only the first run pays; later runs find the binaries and exit.
set -euo pipefail
# The pinned versions: the lab's plan (lab/mhmlab/plan.py); the environment may override them.
plan=$(PYTHONPATH="$(dirname -- "$0")/../lab" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m mhmlab plan shell) ||
  { echo "build-cluster-binaries: cannot read the lab plan (python3 -m mhmlab plan shell)" >&2; exit 1; }
eval "$plan"
KUBE_VERSION=${KUBE_VERSION:-$PLAN_KUBE_VERSION}
MULTUS_VERSION=${MULTUS_VERSION:-$PLAN_MULTUS_VERSION}
KWOK_VERSION=${KWOK_VERSION:-$PLAN_KWOK_VERSION}
ETCD_VERSION=${ETCD_VERSION:-$PLAN_ETCD_VERSION}
CILIUM_VERSION=$PLAN_CILIUM_VERSION
CILIUM_LEGACY_VERSION=$PLAN_CILIUM_LEGACY_VERSION
WHEREABOUTS_VERSION=$PLAN_WHEREABOUTS_VERSION
cache="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}/cluster-bin"
out="$cache/k8s-v$KUBE_VERSION"
mout="$cache/multus-$MULTUS_VERSION"
kout="$cache/kwok-$KWOK_VERSION"
eout="$cache/etcd-$ETCD_VERSION"
cout="$cache/cilium-$CILIUM_VERSION"
clout="$cache/cilium-$CILIUM_LEGACY_VERSION"
wout="$cache/whereabouts-$WHEREABOUTS_VERSION"
cilium_src="$(cd -- "$(dirname -- "$0")/../lab/cluster/cilium-cni-config" && pwd)"
# The machine's Go toolchain, also when the caller's PATH lacks its directory (a CI job's minimal PATH).
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "build-cluster-binaries: no go on PATH nor in /usr/local/go/bin" >&2; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOPATH="${GOPATH:-$HOME/go}" GOCACHE="${GOCACHE:-$HOME/.cache/go-build}"

build_kubernetes() {
  [ -x "$out/kubelet" ] && [ -x "$out/kubectl" ] && return 0
  local mod="$cache/src/k8s-v$KUBE_VERSION" staging="v0.${KUBE_VERSION#1.}"
  mkdir -p "$mod" "$out"
  cd "$mod"
  [ -f go.mod ] || go mod init multihome.lab/k8sbins >/dev/null
  # k8s.io/kubernetes requires its staging modules at v0.0.0 with replace lines
  # that do not apply to a dependent; point each at its published tag.
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
  awk '$2 == "v0.0.0" && $1 ~ /^k8s\.io\// {print $1}' "$gomod" | sort -u | while read -r m; do
    go mod edit -replace="$m=$m@$staging"
  done
  go get "k8s.io/kubernetes@v$KUBE_VERSION"
  local minor=${KUBE_VERSION#1.}; minor=${minor%%.*}
  local ldflags="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=v$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  go build -p 2 -trimpath -ldflags "$ldflags" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl
}

build_multus() {
  [ -x "$mout/thin_entrypoint" ] && [ -x "$mout/passthru" ] && [ -x "$mout/multus-daemon" ] && return 0
  # `go install pkg@version` asks the proxy for the module's version list, which
  # it refuses for this gopkg.in path; a wrapper module needs only the exact version.
  local mod="$cache/src/multus-$MULTUS_VERSION" m=gopkg.in/k8snetworkplumbingwg/multus-cni.v4
  mkdir -p "$mod" "$mout"
  cd "$mod"
  [ -f go.mod ] || go mod init multihome.lab/multusbins >/dev/null
  go get "$m@$MULTUS_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$mout/" "$m/cmd/multus" "$m/cmd/install_multus" "$m/cmd/thin_entrypoint" \
    "$m/cmd/multus-daemon" "$m/cmd/multus-shim"
  # The image holds it as `passthru` (install_multus copies it to the node).
  go build -trimpath -ldflags "-s -w" -o "$mout/passthru" "$m/cmd/passthru-cni"
}

build_whereabouts() {
  [ -x "$wout/ip-control-loop" ] && [ -f "$wout/lib.sh" ] && return 0
  local mod="$cache/src/whereabouts-$WHEREABOUTS_VERSION" m=github.com/k8snetworkplumbingwg/whereabouts dir
  mkdir -p "$mod" "$wout"
  cd "$mod"
  [ -f go.mod ] || go mod init multihome.lab/whereaboutsbins >/dev/null
  go get "$m@$WHEREABOUTS_VERSION"
  # The names the release image gives them.
  go build -trimpath -ldflags "-s -w" -o "$wout/whereabouts" "$m/cmd"
  go build -trimpath -ldflags "-s -w" -o "$wout/ip-control-loop" "$m/cmd/controlloop"
  dir=$(go list -m -f '{{.Dir}}' "$m")
  install -m 0755 "$dir/script/install-cni.sh" "$dir/script/lib.sh" "$dir/script/token-watcher.sh" "$wout/"
}

build_kwok() {
  [ -x "$kout/kwok" ] && [ -x "$kout/kwokctl" ] && return 0
  # Same wrapper pattern as Multus: only the exact version is asked of the proxy.
  # kwokctl's default Kubernetes version is stamped to ours, so nothing it
  # derives from it points at a release we did not build.
  local mod="$cache/src/kwok-$KWOK_VERSION" m=sigs.k8s.io/kwok
  mkdir -p "$mod" "$kout"
  cd "$mod"
  [ -f go.mod ] || go mod init multihome.lab/kwokbins >/dev/null
  go get "$m@$KWOK_VERSION"
  go build -trimpath -ldflags "-s -w -X $m/pkg/consts.KubeVersion=$KUBE_VERSION" -o "$kout/" "$m/cmd/kwok" "$m/cmd/kwokctl"
}

build_etcd() {
  [ -x "$eout/etcd" ] && [ -x "$eout/etcdctl" ] && return 0
  # server/v3 carries `=> ../api` style replace lines that only work inside the
  # etcd tree; a dependent ignores them and takes the published sibling tags.
  local mod="$cache/src/etcd-$ETCD_VERSION"
  mkdir -p "$mod" "$eout"
  cd "$mod"
  [ -f go.mod ] || go mod init multihome.lab/etcdbins >/dev/null
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" "go.etcd.io/etcd/etcdctl/v3@$ETCD_VERSION"
  # Both main packages sit at their module roots; go build would name them
  # `server` and `etcdctl`, so name each explicitly.
  go build -trimpath -ldflags "-s -w" -o "$eout/etcd" go.etcd.io/etcd/server/v3
  go build -trimpath -ldflags "-s -w" -o "$eout/etcdctl" go.etcd.io/etcd/etcdctl/v3
}

build_cilium() {
  if [ ! -x "$cout/cilium-cni-config" ]; then
    # The program's go.mod pins the module; the plan names the same version.
    grep -Eq "^[[:space:]]*(require[[:space:]]+)?github.com/cilium/cilium $CILIUM_VERSION\$" "$cilium_src/go.mod" ||
      { echo "build-cluster-binaries: $cilium_src/go.mod does not require github.com/cilium/cilium $CILIUM_VERSION (the plan's)" >&2; exit 1; }
    mkdir -p "$cout"
    (cd "$cilium_src" && GOFLAGS=-mod=readonly go build -p 2 -trimpath -ldflags "-s -w" -o "$cout/cilium-cni-config" .)
  fi
  [ -x "$clout/cni-install.sh" ] && [ -x "$clout/cni-uninstall.sh" ] && return 0
  # The legacy release's scripts, as its image holds them (postStart and preStop hooks).
  local dir
  dir=$(cd "$cilium_src" && go mod download -json "github.com/cilium/cilium@$CILIUM_LEGACY_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  mkdir -p "$clout"
  install -m 0755 "$dir/plugins/cilium-cni/cni-install.sh" "$dir/plugins/cilium-cni/cni-uninstall.sh" "$clout/"
}

start=$(date +%s)
case "${1:-all}" in
  kubernetes) build_kubernetes ;;
  multus) build_multus ;;
  kwok) build_kwok ;;
  etcd) build_etcd ;;
  cilium) build_cilium ;;
  whereabouts) build_whereabouts ;;
  all) build_multus; build_kubernetes; build_etcd; build_kwok; build_cilium; build_whereabouts ;;
  *) echo "usage: $0 [all|kubernetes|multus|kwok|etcd|cilium|whereabouts]" >&2; exit 2 ;;
esac
echo "cluster binaries ready in $cache ($(( $(date +%s) - start ))s)"
