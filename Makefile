# The two commands (see README):  make demo   and   make test
# Both create .venv when it is missing and install what they need into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest install native bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "redthread needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	bash scripts/system-deps.sh
	$(BIN)/python -m pip install -q -e '.[native]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	bash scripts/system-deps.sh test
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed native

# The matching engine compiled with mypyc (about a minute, once per change of its
# sources; instant when built). Where it cannot be built, the Python modules are used.
native: $(VENV)/.installed
	-$(BIN)/redthread native build

# The main job on the embedded defaults: SQLite in the data folder, the bundled OFAC snapshot.
demo: $(VENV)/.installed native
	$(BIN)/redthread init
	$(BIN)/redthread lists load --bundled
	$(BIN)/redthread lists
	$(BIN)/redthread doctor
	$(BIN)/redthread match "Izhevsk Electromechanical Plant Kupol" --schema Company --country ru --limit 3
	mkdir -p out
	$(BIN)/redthread match --input examples/parties.csv --output out/parties-screened.csv
	@echo "results: out/parties-screened.csv (one row per party and candidate, with explanations)"
	$(BIN)/redthread investigate examples/documents $(wildcard ../shared/data/seed-article.txt) --case demo --out out/investigation
	@echo "report: out/investigation/report.html (and findings.json, case.ftm.json, graph.graphml, graph.gexf)"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src

pytest: $(VENV)/.installed-dev native
	bash scripts/with-postgres.sh $(BIN)/pytest

test: lint typecheck pytest

# Benchmarks print figures beside the reference's (nomenklatura); they assert nothing.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	bash scripts/system-deps.sh bench
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed-bench native
	$(BIN)/python -m bench.name_bench
	$(BIN)/python -m bench.screening_bench
	$(BIN)/python -m bench.ofac_bench
	$(BIN)/python -m bench.scale_bench
	$(BIN)/python -m bench.ner_bench
	$(BIN)/python -m bench.extract_bench
	$(BIN)/python -m bench.investigate_bench
	$(BIN)/python -m bench.spark_bench
	$(BIN)/python -m bench.api_bench
	bash scripts/with-postgres.sh sh -c '$(BIN)/python -m bench.api_bench --database-url "$$REDTHREAD_TEST_POSTGRES_URL"'

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
