#!/usr/bin/env bash
# Writes the build context of an execution environment that installs the tarball
# hack/build-and-install.sh built (ansible-builder create: no container engine),
# then runs that context's own introspection, as its builder stage would, on the
# tarball installed next to kubernetes.core, and checks what an EE would get from
# the collection: its Python requirements are ranges without test tools, its
# system requirements are bindep.txt's.
set -euo pipefail
cache="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}"
tarball=$(ls "$cache"/build/multihome-multus-*.tar.gz)
work="$cache/ee"
rm -rf "$work" && mkdir -p "$work/collections"
cp "$tarball" "$work/"
name=$(basename "$tarball")

# The base image is only named: nothing here pulls or builds it.
cat >"$work/execution-environment.yml" <<YAML
---
version: 3
images:
  base_image:
    name: quay.io/fedora/fedora:42
dependencies:
  python_interpreter:
    package_system: python3
    python_path: /usr/bin/python3
  ansible_core:
    package_pip: ansible-core>=2.16.0
  ansible_runner:
    package_pip: ansible-runner
  galaxy:
    collections:
      - name: /build/collections/$name
        type: file
additional_build_files:
  - src: $name
    dest: collections
additional_build_steps:
  prepend_galaxy:
    - COPY _build/collections/ /build/collections/
YAML
ansible-builder create -f "$work/execution-environment.yml" -c "$work/context" -v 1
context="$work/context"
grep -qF "/build/collections/$name" "$context/_build/requirements.yml"
test -s "$context/_build/collections/$name"

# The galaxy stage: the tarball from the context, with the kubernetes.core the
# ansible package bundles (the build would fetch it from Galaxy).
bundled=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
ANSIBLE_COLLECTIONS_PATH="$work/collections:$bundled" ansible-galaxy collection install \
  "$context/_build/collections/$name" -p "$work/collections" --offline
mkdir -p "$work/collections/ansible_collections/kubernetes"
cp -a "$bundled/ansible_collections/kubernetes/core" "$work/collections/ansible_collections/kubernetes/"

# The builder stage's introspection, with the script the context carries.
python3 "$context/_build/scripts/introspect.py" introspect \
  --write-pip "$work/requirements.txt" --write-bindep "$work/bindep.txt" "$work/collections" >/dev/null

fail() { echo "execution environment: $*" >&2; exit 1; }
test_tools='^(pytest|pytest-[a-z-]+|hypothesis|molecule|molecule-[a-z-]+|testinfra|pytest-testinfra|kubernetes-validate|antsibull|antsibull-[a-z-]+|ansible-lint|ansible-builder)([^a-z0-9_.-]|$)'
ours="$work/collections/ansible_collections/multihome/multus"
# Introspection drops some test tools by name, so the collection's own file is
# checked as well: it is also what `pip install -r requirements.txt` reads.
raw=$(grep -Ev '^[[:space:]]*(#|$)' "$ours/requirements.txt")
if grep -Ei "$test_tools" <<<"$raw"; then fail "the collection's requirements.txt names test tools"; fi
if grep -F '==' <<<"$raw"; then fail "the collection's requirements.txt pins exact versions"; fi
from_us=$(grep -F 'multihome.multus' "$work/requirements.txt") || fail "no Python requirement comes from multihome.multus"
grep -Eq '^kubernetes[<>=!~ ]' <<<"$from_us" || fail "the kubernetes client is missing from the EE's Python requirements"
if grep -Ei "$test_tools" "$work/requirements.txt"; then fail "the EE's Python requirements name test tools"; fi
if grep -F '==' <<<"$from_us"; then fail "the EE's Python requirements pin exact versions from multihome.multus"; fi
for pkg in tar gzip; do
  grep -Eq "^$pkg .*multihome\.multus" "$work/bindep.txt" || fail "$pkg is missing from the EE's system requirements"
done
echo "execution environment context: $context"
sed 's/^/  pip:    /' "$work/requirements.txt"
sed 's/^/  bindep: /' "$work/bindep.txt"
