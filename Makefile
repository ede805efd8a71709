# Entry points: `make demo` runs the main job on the local lab, `make test` runs every test.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/multihome-multus
VENV := $(CACHE)/venv
COLLECTIONS := $(CACHE)/collections
LINK := $(COLLECTIONS)/ansible_collections/multihome/multus
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS):$(VENV)/lib/python3.11/site-packages
export MULTIHOME_CACHE := $(CACHE)
export MOLECULE_GLOB := molecule/*/molecule.yml

.PHONY: setup install packages venv link vm-kernel demo test unit sanity lint templates matrix molecule build lab-down molecule-cluster molecule-vm bench

# The lab's Debian packages (root) come only with setup, that is with demo and test.
setup: packages venv link vm-kernel

# Debian's kernel for the VM workers (apt-get download) and their initramfs, built once into $(CACHE)/vm-kernel.
vm-kernel: packages
	PYTHONPATH=lab python3 -m mhmlab vms kernel

# Running the playbooks from a checkout: the pinned Python environment and the
# collection link in $(CACHE); no root, no system package.
install: venv link

packages:
	bash hack/install-packages.sh

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt test-requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r test-requirements.txt
	touch $@

link:
	mkdir -p $(dir $(LINK))
	ln -sfn $(CURDIR) $(LINK)

demo: setup
	bash lab/demo.sh

test: setup unit templates matrix lint sanity build molecule molecule-cluster molecule-vm

unit:
	pytest -q -p no:cacheprovider tests/unit

templates:
	pytest -q -p no:cacheprovider tests/templates

lint:
	ansible-lint --profile production --offline

# unit and templates again on the oldest declared versions (tests/matrix/*.txt, one venv each in the cache).
matrix: link
	bash hack/matrix.sh

sanity:
	bash hack/sanity.sh

# galaxy.yml's version is released in the changelog; the tarball (allow-list,
# offline install); an execution environment's build context with it
# (ansible-builder create, no container engine).
build:
	bash hack/check-changelog.sh
	bash hack/build-and-install.sh
	bash hack/check-execution-environment.sh

molecule:
	molecule test -s node

lab-down:
	bash lab/down.sh

# Cluster side against a real API server (builds the cluster binaries on first use).
molecule-cluster:
	molecule test -s cluster

# Not part of test: the node side of the guide's way, Kubespray's way and the
# collection on fresh labs of 1, 5, 10 and 20 workers (bench/README.md).
bench: setup
	$(VENV)/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt
	$(VENV)/bin/python bench/fleet $(BENCH_ARGS)

# Node side on QEMU VM workers with Debian's kernel: the seed's ipvlan l3 end to end.
molecule-vm:
	molecule test -s vm
