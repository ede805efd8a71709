#!/usr/bin/env bash
# Builds the collection tarball, checks that it holds the collection and nothing
# else, installs it offline next to the kubernetes.core that the ansible package
# bundles, and checks that the installed copy (not the checkout) serves the
# filter docs and the playbook.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}/build"
rm -rf "$work" && mkdir -p "$work/collections"
ansible-galaxy collection build "$repo" --output-path "$work" --force
tarball=$(ls "$work"/multihome-multus-*.tar.gz)

# What users get: the collection's content, its metadata and its user-facing
# files. Everything else (tests, lab, Makefile, ansible.cfg, inventories, ...)
# stays in the checkout; galaxy.yml's build_ignore keeps it out.
allowed='^(MANIFEST\.json|FILES\.json|README\.md|LICENSE|CHANGELOG\.rst|requirements\.txt|bindep\.txt'
allowed+='|(meta|plugins|roles|playbooks|docs)/.*)$'
listing=$(tar tzf "$tarball")
if stray=$(grep -Ev "$allowed" <<<"$listing"); then
  echo "$tarball holds files outside the allow-list (add them to build_ignore in galaxy.yml):" >&2
  echo "$stray" >&2
  exit 1
fi
for required in MANIFEST.json FILES.json README.md LICENSE CHANGELOG.rst \
  requirements.txt bindep.txt meta/runtime.yml meta/execution-environment.yml playbooks/site.yml; do
  grep -qxF "$required" <<<"$listing" || { echo "$tarball lacks $required" >&2; exit 1; }
done

bundled=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
export ANSIBLE_COLLECTIONS_PATH="$work/collections:$bundled"
ansible-galaxy collection install "$tarball" -p "$work/collections" --offline
ansible-galaxy collection list multihome.multus | grep "$work/collections" >/dev/null
ansible-galaxy collection list kubernetes.core | grep kubernetes.core >/dev/null
ansible-doc -t filter multihome.multus.ipam_range | grep ipam_range >/dev/null
ansible-playbook --syntax-check -i localhost, multihome.multus.site
echo "built, checked against the allow-list and installed offline: $tarball"
