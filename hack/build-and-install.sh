#!/usr/bin/env bash
# Builds the collection tarball, installs it offline next to the kubernetes.core
# that the ansible package bundles, and checks that the installed copy (not the
# checkout) serves the filter docs and the playbook.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}/build"
rm -rf "$work" && mkdir -p "$work/collections"
ansible-galaxy collection build "$repo" --output-path "$work" --force
tarball=$(ls "$work"/multihome-multus-*.tar.gz)
bundled=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
export ANSIBLE_COLLECTIONS_PATH="$work/collections:$bundled"
ansible-galaxy collection install "$tarball" -p "$work/collections" --offline
ansible-galaxy collection list multihome.multus | grep "$work/collections" >/dev/null
ansible-galaxy collection list kubernetes.core | grep kubernetes.core >/dev/null
ansible-doc -t filter multihome.multus.ipam_range | grep ipam_range >/dev/null
ansible-playbook --syntax-check -i localhost, multihome.multus.site
echo "built and installed offline: $tarball"
