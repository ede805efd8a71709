#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: (c) 2026, multihome.multus contributors
#
# Install the Debian packages the namespace lab (lab/labctl) and the data-path
# check need. Idempotent: nothing runs when every package is installed; otherwise
# one `apt-get update`, then `apt-get install -y` of exactly the missing ones.
# Service start-up is suppressed during the install (the lab runs its own sshd
# per node; a host sshd on port 22 is not wanted).
set -euo pipefail

packages=(
  containerd                  # the lab nodes' container runtime (CRI), with runc
  runc                        # OCI runtime (crun refuses the hybrid cgroup layout of these machines)
  containernetworking-plugins # /usr/lib/cni: macvlan, ipvlan, host-local, ptp for the nodes and the mirror
  busybox-static              # the lab pods' commands (ip, ping, sh), run by kubectl exec in the pod netns
  coreutils                   # sha256sum, install, timeout
  gzip
  iproute2                    # ip netns / link / addr
  iputils-ping                # ping -I net1 in the data-path check
  mount                       # mount, umount
  openssh-client              # ssh, ssh-keygen (controller side)
  openssh-server              # sshd inside every lab node
  openssh-sftp-server         # Ansible file transfers
  procps                      # ps, pgrep
  qemu-system-x86             # the VM workers (python -m mhmlab vms): Debian's kernel under TCG
  rsync                       # hack/sanity.sh copies the tree for ansible-test
  shellcheck                  # the shellcheck test of ansible-test sanity
  python3                     # Ansible on the nodes, the mirror's HTTP server, the lab package (mhmlab)
  tar
  util-linux                  # unshare, nsenter, setsid, findmnt, flock
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != installed ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-packages: all ${#packages[@]} packages present, nothing to do"
  exit 0
fi

if ((EUID != 0)); then
  echo "install-packages: missing ${missing[*]}; run this script as root" >&2
  exit 1
fi

echo "install-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Keep maintainer scripts from starting services (Debian's policy-rc.d
# protocol). An existing policy file is left alone.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  own_policy=true
fi
cleanup() {
  if [[ "$own_policy" == true ]]; then
    rm -f "$policy"
  fi
}
trap cleanup EXIT

apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-packages: done"
