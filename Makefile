# Soma — build, test and benchmark entry points. `make test` is what CI runs.
SHELL := /bin/bash
DEBIAN_PACKAGES := libopenblas-dev libzmq3-dev pkg-config dataset-fashion-mnist libpng-dev libjpeg62-turbo-dev zlib1g-dev libsqlite3-dev python3 python3-venv chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Jupyter refuses to serve as root unless told to (containers, CI machines).
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup setup-debian setup-python build test bench bench-lang bench-interp bench-kernel lab clean

## setup: install what the build and the tests need (Debian packages, Python tools in .venv)
setup: setup-debian setup-python

setup-debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

setup-python: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## build: the release binaries
build: setup-debian
	swift build -c release

## test: unit tests of every target (swift test), then the Python-side checks (pytest in .venv)
test: setup
	swift build --build-tests
	swift test --skip-build
	$(PY) -m pytest -q Tests/python Tests/jupyter

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) -m pip install -q -r requirements-bench.txt
	touch $@

## lab: JupyterLab with the Soma kernel on notebooks/ (the main job)
lab: setup build
	.build/release/soma kernelspec install --prefix $(VENV)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_ARGS)

## bench: side-by-side benchmarks against PyTorch (see bench/README.md)
bench: setup $(VENV)/.bench-installed
	swift build -c release --product soma-bench
	$(PY) bench/run.py

## bench-lang: the tutorials' loops as language programs, `soma run` against CPython with PyTorch (see bench/README.md)
bench-lang: setup $(VENV)/.bench-installed
	swift build -c release --product soma
	$(PY) bench/lang_bench.py

## bench-interp: the interpreter against CPython on the same programs (see bench/README.md)
bench-interp: setup
	swift build -c release --product soma
	$(PY) bench/interp_bench.py

## bench-kernel: kernel start-up, round trip and interrupt against xeus-python and ipykernel (see bench/README.md)
bench-kernel: setup $(VENV)/.bench-installed
	swift build -c release --product soma
	.build/release/soma kernelspec install --prefix $(VENV)
	$(PY) bench/kernel_bench.py

clean:
	rm -rf .build $(VENV)
