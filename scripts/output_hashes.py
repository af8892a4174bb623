"""Run the analysis into a folder and print the sha256 of every output, for refactors.

A refactor must change no output. Run this before and after the change and compare:

    python scripts/output_hashes.py --out /tmp/before > before.txt
    ... change the code ...
    python scripts/output_hashes.py --out /tmp/after > after.txt
    diff before.txt after.txt        # no lines: every output is byte-identical

Every file the run writes (processed tables, figures PNG/SVG/alt text, report, provenance) is
listed by its path inside --out. The executed notebooks carry papermill's timings, so for each
one the script hashes its cell outputs only (text, HTML and images, in order).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
from pathlib import Path

from helpers import fileio, pipeline


def notebook_outputs_digest(path: Path) -> str:
    """sha256 of a notebook's code-cell outputs in order (no metadata, no execution counts)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    outs = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            o = {k: v for k, v in o.items() if k not in ("execution_count", "metadata")}
            if o:
                outs.append(o)
    return hashlib.sha256(json.dumps(outs, sort_keys=True).encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--params", default="notebooks/params/default.yaml")
    ap.add_argument("--out", required=True, type=Path, help="folder for the run's outputs")
    ap.add_argument("--no-run", action="store_true", help="only hash what --out holds")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    if not args.no_run:
        overrides = {"outputs": {k: str(out / k) for k in ("processed", "figures", "build")}}
        with contextlib.redirect_stdout(sys.stderr):     # progress to stderr, hashes to stdout
            pipeline.run(args.params, overrides=overrides)
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = f.relative_to(out).as_posix()
        digest = notebook_outputs_digest(f) if f.suffix == ".ipynb" else fileio.sha256(f)
        print(f"{digest}  {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
