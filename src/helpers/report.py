"""The journalists' report: one self-contained HTML file, no code, no external resources.

Findings, the claims table with its evidence, each figure (embedded) with caption and alt text,
the method in numbered steps with the counts at each step, limitations and provenance
(input files with sha256, parameters, package versions).
"""

from __future__ import annotations

import base64
import html
import importlib.metadata as md
import os
from pathlib import Path

import pandas as pd
import yaml

from . import paths, store

PACKAGES = ["pandas", "geopandas", "shapely", "pyproj", "pyarrow", "pyais", "pystac", "pandera",
            "matplotlib", "papermill", "numpy", "scipy"]

CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1,h2,h3{font-family:'DejaVu Sans',Arial,sans-serif;line-height:1.2}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.7em 1em;font-family:'DejaVu Sans',Arial,sans-serif}
table{border-collapse:collapse;width:100%;font-family:'DejaVu Sans',Arial,sans-serif;font-size:.88em;margin:1em 0}
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.supported{color:#006d2c;font-weight:bold}.not-supported{color:#a50f15;font-weight:bold}
.insufficient-data{color:#8c6d00;font-weight:bold}
figure{margin:1.5em 0}figure img{width:100%;height:auto;border:1px solid #eee}
figcaption{font-family:'DejaVu Sans',Arial,sans-serif;font-size:.9em;color:#444}
pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em}
.small{font-size:.85em;color:#555}
"""


def _e(x) -> str:
    return html.escape(str(x))


def _table(df: pd.DataFrame, cls: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r):
            k = (cls or {}).get(c)
            attr = f' class="{_e(str(v).replace(" ", "-"))}"' if k == "verdict" else ""
            cells.append(f"<td{attr}>{_e('' if pd.isna(v) else v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _manifest() -> pd.DataFrame:
    path = paths.RAW / "MANIFEST"
    if not path.is_file():
        return pd.DataFrame(columns=["file", "sha256"])
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = [ln.split("\t") for ln in lines[1:]]
    df = pd.DataFrame(rows, columns=lines[0].split("\t"))
    return df[["file", "sha256", "simulates"]] if "simulates" in df else df


def _figures(fig_dir: Path) -> str:
    from .figures import CAPTIONS

    parts = []
    for i, png in enumerate(sorted(fig_dir.glob("fig*.png")), 1):
        alt_file = png.with_name(png.stem + ".alt.txt")
        alt = alt_file.read_text(encoding="utf-8").strip() if alt_file.is_file() else png.stem
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        cap = CAPTIONS.get(png.stem, png.stem)
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
                     f"<figcaption><b>Figure {i}.</b> {_e(cap)}<br><span class='small'>Alt text: {_e(alt)}</span>"
                     f"</figcaption></figure>")
    return "\n".join(parts)


def build(P) -> Path:
    """Write <outputs.build>/report.html from the processed tables and figures."""
    claims = store.read("claims", P)
    qa = store.read("qa_ais", P)
    calls, dark = store.read("port_calls", P), store.read("dark_periods", P)
    acq, sightings = store.read("acquisitions", P), store.read("sightings", P)
    visits, legs, rts = store.read("visits", P), store.read("legs", P), store.read("round_trips", P)
    origin, dest = P["route"]["origin"], P["route"]["destination"]
    total = qa.set_index("source").loc["total"]
    per_ship = rts.groupby("vessel").size()
    ident = int((sightings["match"] == "identified").sum())
    on_route = legs[legs["origin"].isin([origin, dest]) & legs["destination"].isin([origin, dest])]

    sim = bool(P["simulated"])
    banner = ("<p class='banner'><b>Simulated data.</b> Every number and figure in this report comes from the "
              "project's <b>simulated reference scenario</b>: synthetic AIS and imagery generated from the public "
              "facts by a seeded simulator, in real formats. They are not observations of the real ships. "
              "The method is what this report demonstrates; rerun it on real data to make claims about the world.</p>"
              if sim else "")
    findings = "".join(
        f"<li><b>{_e(r.verdict)}</b>: {_e(r.claim)}.</li>" for r in claims.itertuples())
    steps = [
        f"AIS read from {len(P['inputs']['ais'])} inputs: {int(total['positions_read']):,} position reports; "
        f"{int(total['kept']):,} kept, {int(total['rejected_positions']):,} rejected with a reason, "
        f"{int(total['duplicates']):,} duplicates of the same message heard twice.",
        f"Port calls (slow positions inside a geofence for at least {P.t['port_min_dwell_hours']:g} h): "
        f"{len(calls):,} calls by {calls['mmsi'].nunique()} vessels.",
        f"Dark periods (silence longer than {P.t['dark_min_hours']:g} h): {len(dark):,}, of which "
        f"{int((dark['class'] == 'likely-disabled').sum())} likely disabled (other vessels heard nearby).",
        f"Imagery: {len(acq)} acquisitions; {len(sightings)} analyst sightings, {ident} identifying "
        f"{' or '.join(P['vessels_of_interest'])} with at least {P.t['min_id_confidence']} confidence.",
        f"Fusion: {len(visits)} port visits, {len(on_route)} legs between {origin} and {dest} "
        f"({int((~on_route['feasible']).sum())} infeasible at {P.t['max_speed_kn']:g} kn).",
        f"Round trips {origin} -> {dest} -> {origin}: at least {len(rts)} "
        f"({', '.join(f'{k} {v}' for k, v in per_ship.items()) or 'none'}).",
        "Claims checked against these tables (below).",
    ]
    versions = pd.DataFrame([(p, md.version(p)) for p in PACKAGES], columns=["package", "version"])
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rajin-Dunai shuttle: reconstruction and claims check</title>
<style>{CSS}</style></head><body>
<h1>The Rajin&ndash;Dunai shuttle of ANGARA and MARIA, Aug&ndash;Oct 2023</h1>
<p class="small">Parameters: {_e(P.file)} ({_e(P['name'] if 'name' in P.raw else '')}). {_e(P.source_line)}</p>
{banner}
<h2>Findings</h2><ul>{findings}</ul>
<h2>The reporting's claims, checked</h2>
{_table(claims[['claim_id', 'claim', 'verdict', 'evidence', 'source']], {'verdict': 'verdict'})}
<h2>Figures</h2>
{_figures(P.output('figures'))}
<h2>Method</h2><ol>{''.join(f'<li>{_e(s)}</li>' for s in steps)}</ol>
<h2>Round trips</h2>
{_table(rts[['trip_id', 'vessel', 'trip_no', 'start', 'end', 'evidence']].astype(str))}
<h2>Limitations</h2><ul>
<li>{'The data is a simulated reference scenario: it shows what the method recovers when the truth is known, not what happened.' if sim else 'AIS and imagery coverage limit what can be seen.'}</li>
<li>Round-trip and container counts are lower bounds: a visit that no clear image caught is not counted.</li>
<li>Port geofences and berth positions are our own approximations; the Dunai facility's position is not public.</li>
<li>With real data, identification from imagery carries more doubt (similar ships, partial views), reception
varies more, and AIS can be spoofed as well as switched off.</li></ul>
<h2>Provenance</h2>
<h3>Inputs</h3>{_table(_manifest())}
<h3>Parameters</h3><pre>{_e(yaml.safe_dump(P.raw, sort_keys=False))}</pre>
<h3>Software</h3>{_table(versions)}
</body></html>
"""
    out = P.output("build") / "report.html"
    tmp = out.with_name(".report.html.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, out)
    return out
