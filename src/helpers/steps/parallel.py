"""Independent pieces of a step (the sensitivity grid's chunks, the report's figures) run in
forked worker processes and put back in their order, so the result is the one-process result.

Forked workers inherit the step's inputs (nothing large is pickled) and what the parent process
has memoised (sea routes). `HELPERS_WORKERS` sets how many: a number, or "auto" (the CPUs this
process may use); unset, one (everything in this process). A platform without fork runs in
this process too.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_JOB: dict = {}


def workers_available() -> int:
    """Processes for a step's pieces: $HELPERS_WORKERS ("auto": the CPUs this process may use), else 1."""
    env = os.environ.get("HELPERS_WORKERS", "1")
    if env == "auto":
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, int(env))


def _piece(i: int):
    fn, items = _JOB["job"]
    return fn(items[i])


def fork_map(fn: Callable, items: list, workers: int | None = None) -> list:
    """[fn(x) for x in items], in up to `workers` forked processes (default `workers_available()`);
    results in the order of `items`."""
    n = min(workers or workers_available(), len(items))
    if n <= 1 or "fork" not in mp.get_all_start_methods() or sys.platform != "linux":
        return [fn(x) for x in items]
    _JOB["job"] = (fn, list(items))
    try:
        with ProcessPoolExecutor(n, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_piece, range(len(items))))
    finally:
        _JOB.clear()
