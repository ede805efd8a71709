#!/usr/bin/env bash
# Runs tests/unit and tests/templates against each entry of tests/matrix/ (all
# of them, or the names given): a pinned venv per entry in the cache
# ($MULTIHOME_CACHE/venv-<name>) with the kubernetes.core that the entry names,
# taken out of the wheel of the ansible package that bundles it (PyPI only).
# The main venv (requirements.txt) keeps the newest versions.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache="${MULTIHOME_CACHE:-$HOME/.cache/multihome-multus}"
python="${PYTHON:-python3}"
cd "$repo"
if [ $# -eq 0 ]; then
    for spec in tests/matrix/*.txt; do
        set -- "$@" "$(basename "$spec" .txt)"
    done
fi
for name in "$@"; do
    spec="tests/matrix/$name.txt"
    venv="$cache/venv-$name"
    start=$SECONDS
    # "# collection: kubernetes.core==5.0.0 from ansible==11.0.0"
    read -r coll coll_version pkg < <(sed -nE 's/^# collection: ([a-z_]+[.][a-z_]+)==([0-9.]+) from (ansible==[0-9.]+)$/\1 \2 \3/p' "$spec")
    if [ -z "${pkg:-}" ]; then
        echo "$spec: no '# collection: <name>==<version> from ansible==<version>' line" >&2
        exit 1
    fi
    stamp="$venv/.installed-$(sha256sum "$spec" | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        rm -rf "$venv"
        "$python" -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$spec"
        wheels="$cache/wheels/$pkg"
        mkdir -p "$wheels"
        "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$wheels" "$pkg"
        "$venv/bin/python" - "$wheels" "$venv/collections" "$coll" "$coll_version" <<'PY'
import json, sys, zipfile
from pathlib import Path
wheels, dest, coll, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
prefix = 'ansible_collections/' + coll.replace('.', '/') + '/'
(wheel,) = wheels.glob('*.whl')
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [n for n in z.namelist() if n.startswith(prefix)])
found = json.loads((dest / prefix / 'MANIFEST.json').read_text())['collection_info']['version']
if found != version:
    sys.exit(f'{wheel.name} bundles {coll} {found}, not {version}')
PY
        touch "$stamp"
    fi
    echo "== matrix $name: $("$venv/bin/ansible" --version | sed -n 1p), $coll $coll_version (from $pkg)"
    # The checkout is linked into $cache/collections by `make link`; only the
    # entry's own kubernetes.core is on the path, not the main venv's. One pytest
    # run per suite, as `make unit` and `make templates` do: each has its own conftest.
    for suite in tests/unit tests/templates; do
        PATH="$venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$cache/collections:$venv/collections" \
            "$venv/bin/pytest" -q -p no:cacheprovider "$suite"
    done
    echo "== matrix $name passed in $((SECONDS - start))s"
done
