"""The journalists' report: one self-contained HTML file, no code, no external resources.

Findings, the claims table with its evidence, each figure (embedded as a data: URI) with caption
and alt text, the method in numbered steps with the counts at each step, limitations and
provenance (input files with sha256, parameters, package versions). `build(P)` reads the
processed tables; `render(P, tables, fig_dir)` does the writing and is what tests call.
The only "http" in the file is text (a source named in the parameters or manifest), never a
src or href: nothing is fetched when the report opens.
"""

from __future__ import annotations

import base64
import html
import importlib.metadata as md
import re
from pathlib import Path

import pandas as pd
import yaml

from .. import fileio, paths, provenance
from ..figures import caption
from .common import load

PACKAGES = ["pandas", "geopandas", "shapely", "pyproj", "pyarrow", "pyais", "pystac", "pandera",
            "matplotlib", "papermill", "numpy", "scipy"]
TABLES = ["claims", "qa_ais", "port_calls", "dark_periods", "acquisitions", "sightings", "visits",
          "legs", "round_trips"]
OPTIONAL = ["containers", "sensitivity", "trip_bounds", "possible_trips"]

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
ol.method li{margin-bottom:.4em}
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


def inputs_table(P) -> pd.DataFrame:
    """Every input file of the run (its provenance record) with its sha256 and what its
    MANIFEST says it is."""
    rec = P.record()["inputs"]
    what = provenance.describe(P.input_files())
    return pd.DataFrame({"file": [r["file"] for r in rec], "sha256": [r["sha256"] for r in rec],
                         "what": [what.get(r["file"], "") for r in rec]})


def _figures(fig_dir: Path, only: set[str] | None = None, P=None) -> str:
    parts = []
    pngs = [p for p in sorted(Path(fig_dir).glob("fig*.png")) if only is None or p.name in only]
    for k, png in enumerate(pngs, 1):
        num = re.match(r"fig(\d+)", png.stem)
        i = int(num.group(1)) if num else k
        alt_file = png.with_name(png.stem + ".alt.txt")
        alt = alt_file.read_text(encoding="utf-8").strip() if alt_file.is_file() else png.stem
        cap_file = png.with_name(png.stem + ".caption.txt")
        cap = (cap_file.read_text(encoding="utf-8").strip() if cap_file.is_file()
               else caption(png.stem, ships=P.vessel_names if P is not None else ["the ships"],
                            origin=P["route"]["origin"] if P is not None else "the origin",
                            destination=P["route"]["destination"] if P is not None else "the destination",
                            period=_period(P) if P is not None else "the analysis window"))
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        parts.append(f'<figure id="{_e(png.stem)}"><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
                     f"<figcaption><b>Figure {i}.</b> {_e(cap)}<br><span class='small'>Alt text: {_e(alt)}</span>"
                     f"</figcaption></figure>")
    return "\n".join(parts) or "<p>No figures were found (run notebook 60 first).</p>"


def _period(P) -> str:
    end = P.end - pd.Timedelta(seconds=1)
    return f"{P.start:%b %Y} to {end:%b %Y}"


def _n(x) -> str:
    return f"{int(x):,}"


def _utc_text(df: pd.DataFrame) -> pd.DataFrame:
    """Times as '14 Aug 2023 03:15 UTC' (minutes), everything else as text."""
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_convert("UTC").dt.strftime("%d %b %Y %H:%M UTC")
    return out.astype(str)


def method_steps(P, t: dict) -> list[str]:
    """The method in numbered steps, with the counts at each step (plain sentences)."""
    qa, calls, dark = t["qa_ais"], t["port_calls"], t["dark_periods"]
    acq, sightings, visits, legs, rts = (t["acquisitions"], t["sightings"], t["visits"], t["legs"],
                                         t["round_trips"])
    origin, dest = P["route"]["origin"], P["route"]["destination"]
    total = qa.set_index("source").loc["total"]
    by_class = dark["class"].value_counts().sort_index()
    match = sightings["match"].value_counts() if "match" in sightings.columns else pd.Series(dtype=int)
    on_route = legs[legs["origin"].isin([origin, dest]) & legs["destination"].isin([origin, dest])]
    ev = legs["evidence"].value_counts().sort_index()
    per_ship = rts.groupby("vessel").size()
    upper = None
    bounds = t.get("trip_bounds")
    if bounds is not None and len(bounds) and "at_most" in bounds.columns:
        allrow = bounds[bounds["vessel"] == "all"]
        upper = int(allrow["at_most"].iloc[0]) if len(allrow) else int(bounds["at_most"].sum())
    possible = t.get("possible_trips")
    n_possible = 0 if possible is None else len(possible)
    steps = [
        f"AIS read from {len(P['inputs']['ais'])} inputs: {_n(total['rows_read'])} rows, "
        f"{_n(total['positions_read'])} of them position reports; {_n(total['kept'])} kept, "
        f"{_n(total['rejected'])} rows rejected with a reason, {_n(total['duplicates'])} duplicates "
        f"of the same message heard twice, {_n(total.get('static', 0))} static messages and "
        f"{_n(total.get('skipped', 0))} other lines skipped.",
        f"Port calls (slower than {P.t['port_max_sog_kn']:g} kn inside a geofence for at least "
        f"{P.t['port_min_dwell_hours']:g} h): {_n(len(calls))} calls by {calls['mmsi'].nunique()} vessels.",
        f"Dark periods (silence longer than {P.t['dark_min_hours']:g} h): {_n(len(dark))}, by class: "
        + ", ".join(f"{k} {v}" for k, v in by_class.items()) + ".",
        f"Imagery: {_n(len(acq))} acquisitions; {_n(len(sightings))} analyst sightings: "
        f"{int(match.get('identified', 0))} matched to {' or '.join(P.vessel_names)} "
        f"(identification at least {P.t['min_id_confidence']}), "
        f"{int(match.get('low-confidence', 0))} low-confidence and "
        f"{int(match.get('unidentified', 0))} unidentified, kept as such.",
        f"Fusion: {_n(len(visits))} port visits and {_n(len(legs))} legs, by evidence: "
        + ", ".join(f"{k} {v}" for k, v in ev.items())
        + f"; {len(on_route)} legs between {origin} and {dest} "
        f"({int((~on_route['feasible']).sum())} infeasible at {P.t['max_speed_kn']:g} kn, flagged not dropped).",
        f"Round trips {origin} -> {dest} -> {origin}: at least {len(rts)} confirmed (lower bound; "
        f"{', '.join(f'{k} {v}' for k, v in per_ship.items()) or 'none'})"
        + (f", {n_possible} more possible (an unnamed detection of a ship of the right length in the "
           "dark time, never counted in the lower bound)" if possible is not None else "")
        + (f", at most {upper} as the observations allow." if upper is not None else
           "; this run computes no upper bound."),
    ]
    if t.get("containers") is not None and len(t["containers"]):
        c = t["containers"]
        d = c[(c["port"] == dest) & c["cumulative_low"].notna()].sort_values("datetime")
        if len(d):
            steps.append(f"Containers: counted at {len(c)} visits; delivered at {dest}: at least "
                         f"{d['cumulative_low'].iloc[-1]:,.0f}, up to {d['cumulative_high'].iloc[-1]:,.0f}.")
    steps.append(f"Claims checked against these tables: {len(t['claims'])} (below).")
    return steps


def render(P, tables: dict, fig_dir: Path, figure_files: set[str] | None = None) -> str:
    """The report's HTML from the tables (names as in TABLES/OPTIONAL) and the figure folder."""
    claims, rts = tables["claims"], tables["round_trips"]
    route_ports = (P["route"]["origin"], P["route"]["destination"])
    sim = bool(P["simulated"])
    banner = ("<p class='banner'><b>Simulated data.</b> Every number and figure in this report comes from the "
              "project's <b>simulated reference scenario</b>: synthetic AIS and imagery generated from the public "
              "facts by a seeded simulator, in real formats. They are not observations of the real ships. "
              "The method is what this report demonstrates; rerun it on real data to make claims about the world.</p>"
              if sim else "")
    findings = "".join(
        f"<li><b>{_e(r.verdict)}</b>: {_e(r.claim)}.</li>"
        for r in claims.itertuples())
    steps = method_steps(P, tables)
    versions = pd.DataFrame([(p, md.version(p)) for p in PACKAGES], columns=["package", "version"])
    cols = [c for c in ["trip_id", "vessel", "trip_no", "start", "end", "evidence"] if c in rts.columns]
    limits = [
        ("The data is a simulated reference scenario: it shows what the method recovers when the truth is "
         "known, not what happened. The ships' MMSI (MARIA), dimensions and the dates they went dark are "
         "assumptions of the scenario." if sim else "AIS and imagery coverage limit what can be seen."),
        "Round-trip and container counts are lower bounds: a visit that no clear image caught is not counted, "
        "and containers hidden from the imagery are allowed for only in the upper end of the range.",
        "Port geofences and berth positions are our own approximations"
        + ("; the Dunai facility's position is not public." if "Dunai" in route_ports else "."),
        "Real data would change: identification from imagery carries more doubt (similar ships, partial views, "
        "fewer cloud-free very-high-resolution scenes, which cost money); AIS reception varies more than the "
        "simulated receivers; AIS can be spoofed as well as switched off; analysts' container counts vary.",
    ]
    route = f"{P['route']['origin']}&ndash;{P['route']['destination']}"
    ships = " and ".join(_e(n) for n in P.vessel_names)
    trips_note = (f'<p class="small">Start: the earliest the ship can have left {P["route"]["origin"]} on the first '
                  "leg; end: the latest it can\nhave been back.")
    period = f"{P.start:%b %Y}&ndash;{(P.end - pd.Timedelta(seconds=1)):%b %Y}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{route} shuttle: reconstruction and claims check</title>
<style>{CSS}</style></head><body>
<h1>The {route} shuttle of {ships}, {period}</h1>
<p class="small">Parameters: {_e(P.file)} ({_e(P.raw.get('name', ''))}). {_e(P.source_line)}</p>
{banner}
<h2>Findings</h2><ul>{findings}</ul>
<h2>The reporting's claims, checked</h2>
{_table(claims[['claim_id', 'claim', 'verdict', 'evidence', 'source']], {'verdict': 'verdict'})}
<h2>Figures</h2>
{_figures(fig_dir, figure_files, P)}
<h2>Method, step by step</h2><ol class="method">{''.join(f'<li>{_e(s)}</li>' for s in steps)}</ol>
<h2>Round trips</h2>
{_table(_utc_text(rts[cols]))}
{trips_note} Times in UTC. Confirmed trips only; possible trips are listed in the method step above.</p>
<h2>Limitations</h2><ul>{''.join(f'<li>{_e(x)}</li>' for x in limits)}</ul>
<h2>Provenance</h2>
<h3>Inputs</h3>{_table(inputs_table(P))}
<h3>Parameters</h3><pre>{_e(yaml.safe_dump(P.record()["parameters"], sort_keys=False))}</pre>
<p class="small">Run id {P.record()["run_id"][:16]}&hellip; (sha256 of the inputs' hashes, these
parameters and the package versions; the same id is stored in every processed table's metadata and
in provenance.json beside the tables and figures). Output folders are not part of it.</p>
<h3>Software</h3>{_table(versions)}
</body></html>
"""


def external_refs(text: str) -> list[str]:
    """src/href/url() values that would make the browser fetch something (should be none)."""
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", text, flags=re.I)
    refs += re.findall(r"""url\(\s*["']?([^"')]*)""", text, flags=re.I)
    return [r for r in refs if not r.startswith(("data:", "#"))]


def _png_source(path: Path) -> str | None:
    from PIL import Image  # matplotlib's own dependency
    with Image.open(path) as im:
        return im.info.get("Source")


def run(P) -> str:
    """Write the report (`build`) and say where it is."""
    return f"report written: {paths.display(build(P))}"


def build(P) -> Path:
    """Write <outputs.build>/report.html from the processed tables and figures."""
    tables = {name: load(P, name) for name in TABLES}
    # Only what this run made: a table or figure left by an earlier run with other inputs or
    # parameters (e.g. a step this parameter set skips) carries another run id and stays out.
    rid = P.record()["run_id"]
    for name in OPTIONAL:
        path = P.processed(f"{name}.parquet")
        if path.is_file() and (provenance.of_table(path) or {}).get("run_id") == rid:
            tables[name] = load(P, name)
    figs = {p.name for p in P.output("figures").glob("fig*.png") if _png_source(p) == f"rajin-dunai run {rid}"}
    body = render(P, tables, P.output("figures"), figs)
    bad = external_refs(body)
    if bad:
        raise ValueError(f"report would load external resources: {bad[:3]}")
    return fileio.write_text(P.output("build") / "report.html", body)
