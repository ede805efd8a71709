#!/usr/bin/env bash
# The main job on the local lab: namespace nodes up, site.yml (its node side; the
# lab has no API server yet), the data-path check with the real CNI plugins and
# the per-node allocation table. The lab is taken down on exit, also on failure.
# KEEP_LAB=1 leaves it up for poking around (remove it with `lab/labctl down`).
set -euo pipefail
cd "$(dirname "$0")/.."
cleanup() { [ "${KEEP_LAB:-0}" = 1 ] || lab/labctl down; }
trap cleanup EXIT
lab/labctl up
ansible-playbook -i inventories/lab site.yml
python3 lab/datapath_check.py
