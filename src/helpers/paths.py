"""Every path of the project comes from here, rooted at the project directory."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
REFERENCE = DATA / "reference"
TRUTH = DATA / "truth"
PROCESSED = DATA / "processed"
FIGURES = PROJECT_ROOT / "figures"
BUILD = PROJECT_ROOT / "build"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
PARAMS = NOTEBOOKS / "params"


def resolve(path: str | Path, root: Path = PROJECT_ROOT) -> Path:
    """An absolute path for `path`, taken relative to the project root unless absolute."""
    p = Path(path)
    return p if p.is_absolute() else (root / p)


def display(path: str | Path) -> str:
    """`path` relative to the project root when inside it (no machine paths in outputs)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return p.name
