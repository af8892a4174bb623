"""The one save helper: PNG (for the web), SVG (for editors) and alt text, deterministic."""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from ..fileio import write_bytes, write_text
from .style import HOUSE, use_style


def _render(fig: Figure, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, **kw)
    return buf.getvalue()


def save(fig: Figure, name: str, directory: str | os.PathLike, *, alt_text: str,
         caption: str | None = None, run_id: str | None = None,
         dpi: int = HOUSE.dpi) -> dict[str, Path]:
    """Write `name`.png (1800 px wide), `name`.svg and `name`.alt.txt (+ `name`.caption.txt).

    Files are written atomically and are byte-identical across runs (no dates, no software
    version, fixed SVG ids). `run_id` (helpers.provenance) is written into the PNG and SVG
    metadata as their source, linking each file to the provenance.json beside it. The figure stays
    open; closing it is the caller's business. `dpi`: the PNG's resolution (the house 200 dpi
    makes a 9 in figure 1800 px wide).
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("alt_text is required: describe what the figure shows for screen readers")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    with use_style():
        png_meta = {"Software": None}
        if run_id:   # links the file to provenance.json (inputs' sha256, parameters, versions)
            png_meta["Source"] = f"rajin-dunai run {run_id}"
        paths["png"] = write_bytes(out / f"{name}.png",
                                   _render(fig, "png", dpi=dpi, metadata=png_meta))
        svg_meta = {"Date": None, "Creator": None, "Title": name, "Description": alt_text.strip()}
        if run_id:
            svg_meta["Source"] = f"rajin-dunai run {run_id}"
        paths["svg"] = write_bytes(out / f"{name}.svg", _render(fig, "svg", metadata=svg_meta))
    paths["alt"] = write_text(out / f"{name}.alt.txt", alt_text.strip() + "\n")
    if caption:
        paths["caption"] = write_text(out / f"{name}.caption.txt", caption.strip() + "\n")
    return paths


def save_narrow(fig: Figure, name: str, directory: str | os.PathLike, *, run_id: str | None = None,
                dpi: int = HOUSE.dpi) -> Path:
    """Write the phone render of figure `name` as `name`.narrow.png (deterministic, atomic); the
    figure is drawn with the NARROW layout (style.py), so 3.45 in at 200 dpi = 690 px."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    with use_style():
        meta = {"Software": None}
        if run_id:
            meta["Source"] = f"rajin-dunai run {run_id}"
        return write_bytes(out / f"{name}.narrow.png", _render(fig, "png", dpi=dpi, metadata=meta))
