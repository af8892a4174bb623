"""The package's layers point down only (helpers/__init__.py lists them): no import of a higher
layer, at module level or inside a function; no import cycle; no module over 600 lines."""

from __future__ import annotations

import ast

import pytest

from helpers import paths

SRC = paths.PROJECT_ROOT / "src"
PACKAGE = SRC / "helpers"
LAYER = {"errors": 1, "paths": 1, "fileio": 1, "schema": 2, "geo": 2, "reference": 2,
         "ais": 3, "imagery": 3, "analysis": 3, "figures": 3, "report": 3, "sim": 3,
         "public_record": 3,
         "store": 4, "provenance": 4, "ingest": 4, "params": 5, "steps": 6, "pipeline": 7, "__main__": 7}


def modules() -> dict[str, object]:
    out = {}
    for f in sorted(PACKAGE.rglob("*.py")):
        parts = f.relative_to(SRC).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def imports(name: str, path) -> set[str]:
    """The package modules `name` imports anywhere in its file (module or function level)."""
    mods = modules()
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                for cand in (f"{target}.{alias.name}", target):
                    if cand in mods:
                        found.add(cand)
                        break
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in mods}
    return {m for m in found if m != name and not name.startswith(m + ".")}


def top(name: str) -> str:
    return name.split(".")[1] if name.count(".") else name


GRAPH = {m: imports(m, f) for m, f in modules().items()}


def test_every_module_has_a_layer():
    assert {top(m) for m in GRAPH if m != "helpers"} == set(LAYER)


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m != "helpers"))
def test_imports_point_down(module):
    up = [t for t in GRAPH[module] if t != "helpers" and LAYER[top(t)] > LAYER[top(module)]]
    assert up == [], f"{module} imports a higher layer: {up}"
    sim = [t for t in GRAPH[module] if top(t) == "sim" and top(module) not in ("sim", "__main__")]
    assert sim == [], f"{module} imports the simulator: only the command line may"


def test_no_import_cycle_and_no_big_module():
    seen, stack = {}, []

    def visit(m):
        seen[m] = "open"
        stack.append(m)
        for t in GRAPH[m]:
            if seen.get(t) == "open":
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in seen:
                visit(t)
        stack.pop()
        seen[m] = "done"
    for m in sorted(GRAPH):
        if m not in seen:
            visit(m)
    sizes = {m: sum(1 for _ in open(f, encoding="utf-8")) for m, f in modules().items()}
    assert {m: n for m, n in sizes.items() if n > 600} == {}
