#!/usr/bin/env bash
# ansible-test wants the collection at ansible_collections/<ns>/<name> inside a git
# tree; run it on a copy of the committed and working files in the cache.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dest="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}/sanity/ansible_collections/multihome/multus"
mkdir -p "$dest"
(cd "$repo" && git ls-files -co --exclude-standard -z) | rsync -a --delete --from0 --files-from=- "$repo/" "$dest/"
# ansible-test fetches a pip bootstrap script from a host we cannot reach; give it ours.
pip_version=$(python3 - <<'PY'
import inspect, re
from ansible_test._internal import python_requirements as pr
found = re.search(r"pip='([0-9.]+)'", inspect.getsource(pr))
print(found.group(1) if found else '24.2')
PY
)
mkdir -p "$HOME/.ansible/test/cache"
cp "$repo/hack/ansible_test_pip_bootstrap.py" "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
cd "$dest"
rm -rf .git && git init -q && git add -A
ansible-test sanity --local --python 3.11 --color no "$@"
