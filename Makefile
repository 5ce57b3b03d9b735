# Set-up and everyday commands. `make demo` and `make test` do all set-up on a fresh
# Debian 12 machine (as root they install the Debian packages themselves).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup deps bytecode demo test bench clean

setup: deps $(STAMP) bytecode

# Python writes no .pyc where PYTHONDONTWRITEBYTECODE is set (or the tree is read-only):
# compiled here, once per change, so the kiosk does not compile every module at each start
bytecode: $(STAMP)
	@$(PY) -m compileall -q -j 0 launcher ui kiosk devices offline_queue foundation wire \
	  district_server

deps:
	@bash scripts/install-debian-deps.sh

$(STAMP): setup.py kiosk/_version.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel "setuptools<81"
	$(PY) -m pip install -q -e ".[test,server,bundle]"
	$(PY) -m pip install -q --no-deps "face-recognition==1.3.0"
	touch $(STAMP)

# With a screen: the kiosk in a window beside its simulator control panel. Without one
# (a server, CI): every demo scenario walked headless, a PNG per screen in out/demo/.
demo: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(VENV)/bin/kiosk demo --windowed; \
	else \
	  echo "no display: walking the demo scenarios headless; screenshots in out/demo/"; \
	  for s in config/scenarios/*.yaml; do \
	    $(VENV)/bin/kiosk demo --headless --scenario $$s \
	      --screenshots out/demo/$$(basename $$s .yaml) || exit 1; \
	  done; \
	fi

test: setup
	@bash scripts/start-test-services.sh
	$(PY) -m pytest -q --ignore=tests/ui $(PYTEST_ARGS)
	@bash scripts/run-ui-tests.sh $(PY) $(PYTEST_ARGS)
	@bash scripts/stress-shell.sh $(PY) 300
	@bash scripts/stress-shell.sh $(PY) 100 0
	@# 100 citizen sessions through the headless kiosk, one liveness challenge in each face
	@# check (docs/benchmarks.md "Soak"): fails on a failed session, an application lost,
	@# duplicated or left pending, or descriptors or threads grown after the warm-up
	$(PY) bench/soak.py --sessions 100 --face-challenges 1
	@bash scripts/test-bundle.sh $(PY)

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b; done

clean:
	rm -rf $(VENV) build *.egg-info
