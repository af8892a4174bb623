"""Run the analysis notebooks in order with papermill, in one process.

`run()` executes notebooks/NN_*.ipynb into `<outputs.build>/notebooks/` with the parameter file
given; `refresh_notebooks()` re-executes the committed notebooks in place with the default
parameters and strips volatile metadata, so the committed outputs are the default run's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat

from . import geo, paths, provenance
from . import params as params_mod

KERNEL = "python3"
# notebooks that only make sense with a given input (a parameter set without it skips them)
REQUIRES = {"70_validation": "truth"}


def notebooks() -> list[Path]:
    """The pipeline's notebooks in run order (NN_name.ipynb, numbered in tens)."""
    return sorted(p for p in paths.NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))


def _execute(src: Path, dst: Path, parameters: dict, progress: bool) -> None:
    import papermill as pm

    pm.execute_notebook(str(src), str(dst), parameters=parameters, kernel_name=KERNEL,
                        cwd=str(paths.NOTEBOOKS), progress_bar=progress, log_output=False,
                        request_save_on_cell_execute=False,
                        # the kernel talks to us over loopback TCP; its warning about
                        # unencrypted TCP, repeated per notebook, is noise here
                        extra_arguments=["--IPKernelApp.log_level=ERROR"])


def run(params: str | Path = params_mod.DEFAULT, overrides: dict | None = None,
        only: list[str] | None = None) -> Path:
    """Run every notebook (or those whose names start with an entry of `only`)."""
    P = params_mod.load(params, overrides)          # fail fast on a bad parameter file
    checked = provenance.check_inputs(P.input_files())   # ... and on inputs not matching their MANIFEST
    print("inputs match " + (", ".join(f"{m} ({n} files)" for m, n in checked.items())
                             or "no MANIFEST (not checked)"), flush=True)
    # ... and on geography that cannot work: ports outside the coastline clip, berths on land
    geo.load_ports(P.input("ports"), land=geo.load_land(P.input("coastline")))
    out_dir = P.output("build") / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = [nb for nb in notebooks() if not only or any(nb.name.startswith(o) for o in only)]
    parameters = {"params_file": P.file, "overrides": overrides or {}}
    progress = sys.stdout.isatty()
    t_all = time.perf_counter()
    for i, nb in enumerate(todo, 1):
        t0 = time.perf_counter()
        need = REQUIRES.get(nb.stem)
        if need and P.input(need) is None:
            print(f"[{i}/{len(todo)}] {nb.name} skipped: this parameter set has no inputs.{need}",
                  flush=True)
            continue
        print(f"[{i}/{len(todo)}] {nb.name} ...", flush=True)
        _execute(nb, out_dir / nb.name, parameters, progress)
        print(f"[{i}/{len(todo)}] {nb.name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    provenance.write(P.record(), [P.output("processed"), P.output("figures")])
    print(f"pipeline: {len(todo)} notebooks in {time.perf_counter() - t_all:.1f} s; "
          f"executed copies in {paths.display(out_dir)}; parameters {P.file}", flush=True)
    return out_dir


def scrub(path: Path) -> None:
    """Remove volatile metadata (times, papermill bookkeeping) from a notebook in place."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": KERNEL}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "tags" in cell.metadata and not cell.metadata["tags"]:
            cell.metadata.pop("tags")
    nbformat.write(nb, path)


def refresh_notebooks() -> None:
    """Re-execute the committed notebooks in place with their own (default) parameters."""
    P = params_mod.load()
    provenance.check_inputs(P.input_files())
    for i, nb in enumerate(notebooks(), 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(notebooks())}] refreshing {nb.name} ...", flush=True)
        tmp = nb.with_name(f".{nb.name}.tmp.ipynb")
        _execute(nb, tmp, {}, sys.stdout.isatty())
        scrub(tmp)
        os.replace(tmp, nb)
        print(f"[{i}/{len(notebooks())}] {nb.name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    provenance.write(P.record(), [P.output("processed"), P.output("figures")])
