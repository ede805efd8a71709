#!/usr/bin/env bash
# Fails unless galaxy.yml's version is a released entry of the changelog
# (changelogs/changelog.yaml and CHANGELOG.rst), and checks the changelog inputs.
# Release a version with `antsibull-changelog release` after writing fragments.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
python3 - "$version" <<'PY'
import sys
import yaml

version = sys.argv[1]
releases = yaml.safe_load(open('changelogs/changelog.yaml')).get('releases') or {}
entry = releases.get(version)
if not entry or not entry.get('release_date') or not (entry.get('changes') or entry.get('plugins')):
    sys.exit(f'galaxy.yml says {version}, but changelogs/changelog.yaml has no released entry for it '
             f'(released: {", ".join(releases) or "none"}); run antsibull-changelog release')
PY
grep -qx "v$version" CHANGELOG.rst || { echo "CHANGELOG.rst has no section v$version" >&2; exit 1; }
antsibull-changelog lint
antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml
echo "changelog: $version released"
