"""Run the analysis notebooks in order with papermill, in one process.

`run()` executes notebooks/NN_*.ipynb into `<outputs.build>/notebooks/` with the parameter file
given, one after another in one kernel (its namespace cleared between notebooks: each notebook
still stands alone, as nbval checks, but the libraries are imported and the sea routes measured
once per run); `refresh_notebooks()` re-executes the committed notebooks in place with the
default parameters, each in a kernel of its own as a reader running it would, and strips
volatile metadata, so the committed outputs are the default run's.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from papermill.exceptions import PapermillExecutionError

from . import params as params_mod
from . import paths, provenance, steps
from .errors import NotebookInputError

KERNEL = "python3"
# notebooks that only make sense with a given input (a parameter set without it skips them)
REQUIRES = {"70_validation": ("truth", lambda P: P.input("truth") is not None),
            "80_screening": ("ais", lambda P: bool(P.ais_inputs()))}


def notebooks() -> list[Path]:
    """The pipeline's notebooks in run order (NN_name.ipynb, numbered in tens)."""
    return sorted(p for p in paths.NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))


INPUT_ERRORS = {"InputError", "ParamsError", "NotebookInputError"}   # helpers.errors
# the kernel talks to us over loopback TCP; its warning about unencrypted TCP is noise here
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]


@contextmanager
def shared_kernel():
    """One kernel for a run's notebooks, started in notebooks/ and shut down afterwards."""
    km = AsyncKernelManager(kernel_name=KERNEL)
    run_sync(km.start_kernel)(cwd=str(paths.NOTEBOOKS), extra_arguments=KERNEL_ARGS)
    try:
        yield km
    finally:
        run_sync(km.shutdown_kernel)(now=True)


def _clear(km) -> None:
    """Empty the shared kernel's namespace (and close any figure) before the next notebook."""
    cell = nbformat.v4.new_code_cell("import matplotlib.pyplot\nmatplotlib.pyplot.close('all')\n%reset -f")
    NotebookClient(nbformat.v4.new_notebook(cells=[cell]), km=km).execute()


def _execute(src: Path, dst: Path, parameters: dict, progress: bool, km=None) -> None:
    """Run one notebook (in kernel `km` if given, else in a kernel of its own); an InputError
    inside it becomes NotebookInputError (the notebook's name and the error's one line), any
    other error stays as papermill raised it (a bug)."""
    if km is not None:
        _clear(km)
    try:
        pm.execute_notebook(str(src), str(dst), parameters=parameters, kernel_name=KERNEL,
                            cwd=str(paths.NOTEBOOKS), progress_bar=progress, log_output=False,
                            request_save_on_cell_execute=False, extra_arguments=KERNEL_ARGS,
                            **({"km": km} if km is not None else {}))
    except PapermillExecutionError as exc:
        if exc.ename in INPUT_ERRORS:
            raise NotebookInputError(src.stem, exc.evalue) from None
        raise


def run(params: str | Path = params_mod.DEFAULT, overrides: dict | None = None,
        only: list[str] | None = None) -> Path:
    """Run every notebook (or those whose names start with an entry of `only`)."""
    P = params_mod.load(params, overrides)          # fail fast on a bad parameter file
    checked = provenance.check_inputs(P.input_files())   # ... and on inputs not matching their MANIFEST
    print("inputs match " + (", ".join(f"{m} ({n} files)" for m, n in checked.items())
                             or "no MANIFEST (not checked)"), flush=True)
    for line in steps.preflight.check(P):                 # ... and on any input that cannot be read
        print(f"  checked {line}", flush=True)
    out_dir = P.output("build") / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = [nb for nb in notebooks() if not only or any(nb.name.startswith(o) for o in only)]
    parameters = {"params_file": str(P.path), "overrides": overrides or {}}
    progress = sys.stdout.isatty()
    t_all = time.perf_counter()
    with shared_kernel() as km:
        for i, nb in enumerate(todo, 1):
            t0 = time.perf_counter()
            need, given = REQUIRES.get(nb.stem, (None, None))
            if need and not given(P):
                print(f"[{i}/{len(todo)}] {nb.name} skipped: this parameter set has no inputs.{need}",
                      flush=True)
                continue
            print(f"[{i}/{len(todo)}] {nb.name} ...", flush=True)
            _execute(nb, out_dir / nb.name, parameters, progress, km=km)
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
