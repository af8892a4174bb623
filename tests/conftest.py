"""Shared fixtures: one whole-pipeline run on the reference scenario, into a temporary folder,
with outbound network connections blocked in every notebook's kernel (tests/netguard.py).

Under pytest-xdist (`make test` runs `pytest -n auto --dist loadgroup tests`) every test that
uses the run is put in one xdist group, so one worker makes the run and runs those tests while
the others run the rest; likewise the tests of a module that share a module-scoped fixture of
that module (its own run of the pipeline, say) run on one worker, so the fixture is made once.
Should tests using the session's run land on several workers (another --dist mode), the run is
still made once: the first worker to need it runs it into the session's shared
temporary folder under a file lock, the others wait for it and read the same folder (tests
only read it)."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from helpers import params, steps
from tests.factories import output_overrides, run_into
from tests.netguard import kernels_guarded


def _module_fixture_home(item) -> str | None:
    """The module's node id when `item` uses a module-scoped fixture defined in its own module
    (e.g. one pipeline run shared by the module's tests), else None."""
    info = getattr(item, "_fixtureinfo", None)
    module = item.nodeid.split("::")[0]
    for defs in (info.name2fixturedefs.values() if info else ()):
        if defs and defs[-1].scope == "module" and defs[-1].baseid == module:
            return module
    return None


@pytest.hookimpl(tryfirst=True)              # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("pipeline-run"))
        elif home := _module_fixture_home(item):
            # a module's shared fixture is made once: its tests on one worker
            item.add_marker(pytest.mark.xdist_group(home))


@contextmanager
def _locked(path):
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _fresh_run(root):
    (root / "net").mkdir(parents=True, exist_ok=True)
    with kernels_guarded(root / "net") as log:
        r = run_into(root / "run")
    r.net_log = log
    return r


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """The default analysis, run once per test session (outputs in a temporary folder); `net_log`
    is the network guard's log of that run."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _fresh_run(tmp_path_factory.mktemp("session"))
    shared = tmp_path_factory.getbasetemp().parent / "shared-run"     # common to the workers
    shared.mkdir(exist_ok=True)
    with _locked(shared.parent / "shared-run.lock"):
        done = shared / "DONE"
        if done.is_file():
            out = shared / "run"
            P = params.load(params.DEFAULT, overrides=output_overrides(out))
            r = SimpleNamespace(P=P, out=out, read=lambda name: steps.common.load(P, name),
                                net_log=shared / "net" / "net.log")
        else:
            r = _fresh_run(shared)
            done.write_text("ok\n")
    return r
