# Orientation CMQ: the two commands are `make run` and `make test`.
# Each one first makes the virtual environment (only when requirements.txt or pyproject.toml
# changed), builds the knowledge base and the NLU data generated from it (only when their
# sources changed), and trains the model (only when its data or configuration changed).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
KB_DB := var/knowledge.db
# Rasa's command line and the project's checks, in the quiet environment (bot.ops.processes) with
# the known warnings of Rasa's libraries hidden (bot.extensions.known_warnings); CMQ_DEBUG=1 shows all.
QUIETLY := $(PY) -m bot.ops.processes $(PY) -m bot.extensions.known_warnings
NLU_DATA := data/generated/knowledge.yml
MODEL := models/cmq.tar.gz
WIDGET_DEPS := node_modules/.package-lock.json
WEBCHAT := var/webchat/rasa-webchat-1.0.1.js
WEBCHAT_INTEGRITY := sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w==

# python3.10 may be a pyenv shim that refuses to run: try each candidate for real.
PYTHON310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	if "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo "$$p"; break; fi; done)
# What running needs (requirements.txt), and on top of it what testing and checking needs
# (requirements-dev.txt): `make run` installs only the first.
REQ_HASH := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
VENV_STAMP := $(VENV)/.requirements-$(REQ_HASH)
DEV_HASH := $(shell cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -c1-16)
DEV_STAMP := $(VENV)/.dev-requirements-$(DEV_HASH)
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
# Known pip noise, hidden line by line: this machine's pip configuration warns about every package
# of its local indexes, and three old packages pinned by Rasa are built the legacy way.
PIP_NOISE := { grep -v -e "is ignored: it is neither a file nor a directory" \
	-e "is being installed using the legacy 'setup.py install' method" || true; }
KB_SOURCES := $(shell find knowledge -name '*.py' -o -name '*.yml')
RASA_SOURCES := config.yml domain.yml $(wildcard data/*.yml) $(NLU_DATA) $(wildcard bot/extensions/nlu/*.py)

.PHONY: setup setup-dev kb model widget webchat chromium nginx run run-cluster retention insights lint test bench bench-response-selector ask check-data stats clean

setup: $(VENV_STAMP)

setup-dev: $(DEV_STAMP)

$(VENV_STAMP): requirements.txt pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then \
		echo "Python 3.10 est introuvable (Rasa 3.6 exige Python 3.8 à 3.10)."; \
		echo "Installez-le (par exemple « pyenv install 3.10.13 ») puis relancez la commande."; \
		exit 1; fi
	@echo "==> Environnement virtuel avec $(PYTHON310)"
	@[ -x $(PY) ] || $(PYTHON310) -m venv $(VENV)
	@set -o pipefail; $(PIP_INSTALL) -r requirements.txt 2>&1 | $(PIP_NOISE)
	@set -o pipefail; $(PIP_INSTALL) --no-deps -e . 2>&1 | $(PIP_NOISE)
	@rm -f $(VENV)/.requirements-* $(VENV)/.dev-requirements-*
	@touch $@

$(DEV_STAMP): $(VENV_STAMP) requirements-dev.txt
	@echo "==> Outils de test et de vérification (requirements-dev.txt)"
	@set -o pipefail; $(PIP_INSTALL) -r requirements-dev.txt 2>&1 | $(PIP_NOISE)
	@rm -f $(VENV)/.dev-requirements-*
	@touch $@

kb: $(KB_DB)

$(KB_DB): $(VENV_STAMP) $(KB_SOURCES)
	@echo "==> Base de connaissances"
	@$(PY) -m knowledge build

# Rewritten only when its content changes, so that the model is retrained only then.
$(NLU_DATA): $(KB_DB) bot/extensions/nlu/lookup_data.py
	@$(PY) -m bot.extensions.nlu.lookup_data

model: $(MODEL)

$(MODEL): $(VENV_STAMP) $(RASA_SOURCES)
	@echo "==> Vérification des données d'entraînement"
	@$(QUIETLY) -m bot.extensions.validation
	@mkdir -p var
	@echo "==> Entraînement du modèle (1 à 3 minutes)"
	@start=$$(date +%s); $(QUIETLY) rasa train --skip-validation $(if $(filter 1,$(CMQ_DEBUG)),,--quiet) \
		--fixed-model-name cmq --out models && \
		echo "Entraînement : $$(( $$(date +%s) - start )) s" | tee var/training-time.txt

widget: $(WIDGET_DEPS)

# The widget's socket.io client, from the npm registry with its lock file, served locally.
$(WIDGET_DEPS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm est introuvable : installez Node.js 20 ou plus (widget web)."; exit 1; }
	@echo "==> Client socket.io du widget (npm)"
	@npm ci --no-audit --no-fund --loglevel=error --silent

webchat: $(WEBCHAT)

# rasa-webchat, the widget many sites embed Rasa with, for its browser test only: `npm pack`
# fetches the package alone from the registry (its bundle carries React: its 590 dependencies
# are not needed), checked against the registry's integrity hash, then served locally.
$(WEBCHAT): | $(VENV_STAMP)
	@command -v npm >/dev/null || { echo "npm est introuvable : installez Node.js 20 ou plus (test de rasa-webchat)."; exit 1; }
	@echo "==> rasa-webchat 1.0.1 (npm, empreinte vérifiée) pour son test dans le navigateur"
	@mkdir -p var/webchat
	@cd var/webchat && npm pack --silent --loglevel=error rasa-webchat@1.0.1 >/dev/null
	@$(PY) -m bot.ops.integrity var/webchat/rasa-webchat-1.0.1.tgz $(WEBCHAT_INTEGRITY)
	@tar -xzf var/webchat/rasa-webchat-1.0.1.tgz -C var/webchat package/lib/index.js
	@mv var/webchat/package/lib/index.js $@ && rm -rf var/webchat/package var/webchat/rasa-webchat-1.0.1.tgz

chromium:
	@bot/ops/install-debian-package.sh /usr/bin/chromium chromium "les tests du navigateur"

nginx:
	@bot/ops/install-debian-package.sh /usr/sbin/nginx nginx "les tests de la grappe (make run-cluster)"

# A counsellor's quick question to the running assistant: make ask Q="un BTS dans le 93 ?"
ask: setup
	@$(VENV)/bin/cmq ask "$(Q)"

check-data: setup
	$(PY) -m knowledge check

stats: kb
	$(PY) -m knowledge stats

run: $(MODEL) $(WIDGET_DEPS)
	@$(PY) -m bot.ops.launch

# The production set-up on this machine: PostgreSQL, Redis, 2 Rasa + 2 action servers behind nginx.
run-cluster: $(MODEL) $(WIDGET_DEPS) nginx
	@$(PY) -m bot.ops.processes $(PY) -m bot.ops.cluster

# What students ask and do not find, from the conversation store, with no personal data:
# var/insights/index.html and CSV files (make insights SINCE=2026-09-01 UNTIL=2026-09-30).
insights: kb
	$(VENV)/bin/cmq insights $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL))

# Delete the conversations idle for more than CMQ_RETENTION_DAYS days (default 30).
retention: setup
	$(PY) -m bot.ops.retention

# The linter configured in pyproject.toml (ruff), over the whole project.
lint: $(DEV_STAMP)
	@echo "==> Vérification du code (ruff)"
	@$(VENV)/bin/ruff check .

test: lint $(MODEL) $(WIDGET_DEPS) $(WEBCHAT) chromium nginx
	@echo "==> Tests (environ 10 minutes)"
	@$(PY) -m pytest -q tests

# Quality, latency, throughput and cost against the baselines, all trained and served in this
# run (about 15 minutes): writes bench/results.md, bench/latency.png and the README's figures.
bench: $(DEV_STAMP) $(NLU_DATA) nginx
	@$(QUIETLY) -m bench.run

# Issue 13's trial of a ResponseSelector for the general questions, on the development set
# (about 15 minutes): bench/response_selector.json, reported in bench/results.md.
bench-response-selector: $(DEV_STAMP) $(MODEL)
	@$(QUIETLY) -m bench.response_selector

clean:
	rm -rf $(VENV) var models data/generated node_modules test_artifacts
