"""requirements.txt (pip, used by make and CI) and environment.yml (conda/Binder) must agree."""

import re

import yaml

from helpers import paths


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (paths.PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            name, version = re.split(r"=+", dep, maxsplit=1)
            pins[name.lower()] = version
    return pins


def test_requirements_and_environment_list_the_same_pins():
    assert pip_pins() == conda_pins()
    needed = {"jupyterlab", "pandas", "geopandas", "matplotlib", "papermill", "nbval", "pyais", "pystac"}
    assert needed <= set(pip_pins())


def test_every_requirement_is_pinned_exactly():
    text = (paths.PROJECT_ROOT / "requirements.txt").read_text()
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        assert not line or re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", line), line
