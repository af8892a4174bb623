"""Step 90 (notebook 90_report): the journalists' report, a folder that opens from disk.

`build(P)` reads the run's processed tables and figures and writes `<outputs.build>/report.html`
with `<outputs.build>/report_files/`: the figures, one CSV behind every chart and table, the
inputs with their sha256 (`inputs_manifest.csv`) and the parameters. The HTML comes from
`helpers.report` (a jinja2 template with its own CSS); this module builds its context from the
parameter set and the tables (`context`) and writes the folder (`write`, what tests call).
The page fetches nothing from the network: its only http(s) addresses are plain links to the
sources (`SOURCE_LINKS`); images and downloads are files in report_files/.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import re
import shutil
import struct
from pathlib import Path

import pandas as pd
import yaml

from .. import fileio, paths, provenance, public_record, report
from ..analysis import gaps, validation
from ..figures import caption
from ..report import content
from ..report.tables import num, table
from .common import load

PACKAGES = ["pandas", "geopandas", "shapely", "pyproj", "pyarrow", "pyais", "pystac", "pandera",
            "matplotlib", "papermill", "numpy", "scipy", "jinja2"]
TABLES = ["claims", "qa_ais", "port_calls", "dark_periods", "acquisitions", "sightings", "visits",
          "legs", "round_trips"]
OPTIONAL = ["containers", "sensitivity", "trip_bounds", "possible_trips", "coverage", "depot"]
FILES = "report_files"

# The sources named in the claims table (helpers.analysis.claims.SOURCES, docs/claims.md) whose
# address is known; a source not listed here is shown as text.
SOURCE_LINKS = {
    "RUSI": "https://www.rusi.org/explore-our-research/publications/commentary/"
            "report-orient-express-north-koreas-clandestine-supply-route-russia",
    "CSIS Beyond Parallel": "https://beyondparallel.csis.org/ongoing-arms-transfer-activity-at-najin-port/",
}


# --- the CSVs behind the charts ------------------------------------------------------------

def _ships(P, df: pd.DataFrame) -> pd.DataFrame:
    return df[df["vessel"].isin(P.vessel_names)]


def _sightings_identified(P, t):
    s = t["sightings"]
    ident = s["match"] == "identified" if "match" in s.columns else pd.Series(False, index=s.index)
    s = s[ident & s["port"].isin([P["route"]["origin"], P["route"]["destination"]])]
    return s[["sighting_id", "acq_id", "datetime", "port", "vessel", "id_confidence", "length_m", "containers",
              "lat", "lon"]]


def _dark_periods_ships(P, t):
    d = _ships(P, t["dark_periods"])
    return d[["gap_id", "vessel", "start_ts", "end_ts", "hours", "start_lat", "start_lon", "end_lat", "end_lon",
              "class", "reason"]]


def _positions_per_day(P, t):
    pos = t.get("positions_per_day")
    return pos if pos is not None else pd.DataFrame(columns=["date", "vessel", "positions"])


def _visits_ships(P, t):
    return _ships(P, t["visits"])[["visit_id", "vessel", "port", "first_seen", "last_seen", "evidence", "n_obs",
                                   "n_imagery", "split", "containers"]]


DATA = {   # file stem -> (what it holds, rows from the run's tables)
    "sightings_identified": ("Identified satellite sightings of the ships at the route's ports",
                             _sightings_identified),
    "last_ais_positions": ("Each ship's last AIS position before its longest likely switch-off",
                           lambda P, t: gaps.last_before_dark(_ships(P, t["dark_periods"]))),
    "visits": ("The ships' port visits as reconstructed", _visits_ships),
    "dark_periods_ships": ("The ships' AIS silences, with their class", _dark_periods_ships),
    "ais_positions_per_day": ("AIS positions received per day from each ship", _positions_per_day),
    "coverage": ("Satellite scenes per port and day, clear or not",
                 lambda P, t: t["coverage"].drop(columns=["footprint"], errors="ignore")),
    "containers": ("Containers counted per stay, loaded and delivered, with running totals",
                   lambda P, t: t["containers"]),
    "depot": ("The analyst's counts at the depot (claim 6)", lambda P, t: t["depot"]),
    "sensitivity": ("The reconstruction rerun on thinned imagery, scored against the truth",
                    lambda P, t: t["sensitivity"]),
}
FIGURE_DATA = {
    "fig01_route_map": ["sightings_identified", "last_ais_positions"],
    "fig02_timeline": ["visits", "dark_periods_ships"],
    "fig03_ais_activity": ["ais_positions_per_day", "dark_periods_ships"],
    "fig04_coverage": ["coverage", "sightings_identified"],
    "fig05_containers": ["containers", "depot"],
    "fig06_validation": ["sensitivity"],
    "fig07_sighting_cards": ["sightings_identified"],
}
NEEDS = {"coverage": "coverage", "containers": "containers", "depot": "depot", "sensitivity": "sensitivity"}


def _data_files(P, t: dict, name: str) -> dict[str, pd.DataFrame]:
    out = {}
    for stem in FIGURE_DATA.get(name, []):
        if stem in NEEDS and t.get(NEEDS[stem]) is None:
            continue
        out[stem] = DATA[stem][1](P, t)
    return out


# --- pieces of the page --------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"not a PNG: {path}")
    return struct.unpack(">II", head[16:24])


def inputs_table(P) -> pd.DataFrame:
    """Every input file of the run (its provenance record) with its sha256 and what its
    MANIFEST says it is."""
    rec = P.record()["inputs"]
    what = provenance.describe(P.input_files())
    return pd.DataFrame({"file": [r["file"] for r in rec], "sha256": [r["sha256"] for r in rec],
                         "what": [what.get(r["file"], "") for r in rec]})


def _period(P) -> str:
    end = P.end - pd.Timedelta(seconds=1)
    return f"{P.start:%b %Y} to {end:%b %Y}"


def _n(x) -> str:
    return num(x)


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
    bounds = t.get("trip_bounds")
    upper = None
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
        f"Round trips {origin} \u2192 {dest} \u2192 {origin}: at least {len(rts)} confirmed (lower bound; "
        f"{', '.join(f'{k} {v}' for k, v in per_ship.items()) or 'none'})"
        + (f", {n_possible} more possible (an unnamed detection of a ship of the right length in the "
           "dark time, never counted in the lower bound; listed under Round trips)" if possible is not None else "")
        + (f", at most {upper}: a ceiling, the most trips that could fit into the dark time between "
           f"observations with {P.t['trip_min_dwell_hours']:g} h stays at {P.t['max_speed_kn']:g} kn, "
           "not an estimate." if upper is not None else "; this run computes no upper bound."),
    ]
    if t.get("containers") is not None and len(t["containers"]):
        c = t["containers"]
        d = c[(c["port"] == dest) & c["cumulative_low"].notna()].sort_values("datetime")
        if len(d):
            steps.append(f"Containers: counted at {len(c)} stays; delivered at {dest}: at least "
                         f"{num(d['cumulative_low'].iloc[-1])}, up to {num(d['cumulative_high'].iloc[-1])} "
                         f"(counted / {P.t['container_visibility_min']:g}, the smallest share the imagery shows).")
    if len(t["claims"]):
        steps.append(f"Claims checked against these tables: {len(t['claims'])} (above).")
    return steps


def limitations(P, sens: dict | None) -> list[str]:
    sim = bool(P["simulated"])
    route_ports = (P["route"]["origin"], P["route"]["destination"])
    out = [
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
    if sens is not None:
        out.append(f"The method needs frequent clear images of both ports: with daily scenes and "
                   f"{sens['realistic_cloud']:.0%} of them lost to cloud it confirms {sens['found']} of "
                   f"{sens['n_truth']} true trips in the simulation (see When imagery is scarcer).")
    return out


def public_record_href(P) -> str | None:
    """A relative link to the public record's report, when a run of
    notebooks/params/public_record.yaml wrote one beside this report: in a sibling folder
    `public_record/` (`../public_record/report.html`), in this folder's `public_record/`, or, for a
    report inside the project, where that parameter file writes by default
    (notebooks/params/public_record/). Simulated runs only; None when there is none."""
    if not P["simulated"]:
        return None
    out = P.output("build").resolve()
    candidates = [out.parent / "public_record" / "report.html", out / "public_record" / "report.html"]
    if out.is_relative_to(paths.PROJECT_ROOT.resolve()):
        candidates.append(paths.PROJECT_ROOT / "notebooks" / "params" / "public_record" / "report.html")
    for cand in candidates:
        if cand.is_file() and cand.resolve() != out / "report.html":
            return Path(os.path.relpath(cand.resolve(), out)).as_posix()
    return None


def _ship_list(names: list[str]) -> str:
    """'ANGARA and MARIA', 'ANGARA, MARIA, LADY R and MAIA-1'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _dek(P) -> str:
    ships, o, d = _ship_list(P.vessel_names), P["route"]["origin"], P["route"]["destination"]
    if P.input("public_record") is not None:
        return (f"Every observation in this report was published: ships at the piers of {o} and other ports, "
                "container stacks, departures between two images, as news outlets, think tanks and governments "
                "reported them from satellite imagery, collected with their sources and paraphrased by this project "
                f"(data/public_record/). It is real but partial: the method that reconstructs the {o}\u2013{d} "
                "shuttle is the one the simulation demonstrates; here it shows what the public evidence can settle.")
    if P["simulated"]:
        return (f"Every number and figure in this report comes from a simulation: AIS and satellite imagery of "
                f"{ships} generated by a seeded simulator from the public facts about the {o}\u2013{d} shuttle, "
                "written in real formats, with the true story kept apart. None of it is an observation of the real "
                "ships. What the simulation shows is how well the method recovers a story it knows: it demonstrates "
                "the method, it does not establish facts.")
    return (f"This report reconstructs the {o}\u2013{d} shuttle of {ships} from the run's data "
            f"({P.source_line})" + (" and checks the reporting's claims against it." if P.check_claims else "."))


def _title(P) -> str:
    ships, o, d = _ship_list(P.vessel_names), P["route"]["origin"], P["route"]["destination"]
    end = P.end - pd.Timedelta(seconds=1)
    span = (f"{end:%b %Y}" if (P.start.year, P.start.month) == (end.year, end.month)
            else f"{P.start:%b}\u2013{end:%b %Y}" if P.start.year == end.year else f"{P.start:%b %Y}\u2013{end:%b %Y}")
    if P["simulated"]:
        return f"Simulation: the {o}\u2013{d} shuttle of {ships}, {span}"
    if P.input("public_record") is not None:
        return f"The public record of the {o}\u2013{d} shuttle, {span}: what is known"
    if not P.check_claims:
        return f"The {o}\u2013{d} shuttle of {ships}, {span}: reconstruction"
    return f"The {o}\u2013{d} shuttle of {ships}, {span}: reconstruction and claims check"


def _figures(P, t: dict, fig_dir: Path, only: set[str] | None, files: dict, notes: dict[str, str]) -> list[dict]:
    out = []
    pngs = [p for p in sorted(Path(fig_dir).glob("fig*.png"))
            if not p.name.endswith(".narrow.png") and (only is None or p.name in only)]
    for k, png in enumerate(pngs, 1):
        m = re.match(r"fig(\d+)", png.stem)
        number = int(m.group(1)) if m else k
        alt_file, cap_file = png.with_name(png.stem + ".alt.txt"), png.with_name(png.stem + ".caption.txt")
        alt = alt_file.read_text(encoding="utf-8").strip() if alt_file.is_file() else png.stem
        cap = (cap_file.read_text(encoding="utf-8").strip() if cap_file.is_file()
               else caption(png.stem, ships=P.vessel_names, origin=P["route"]["origin"],
                            destination=P["route"]["destination"], period=_period(P)))
        if png.stem in notes:
            cap += " " + notes[png.stem]
        width, height = png_size(png)
        files[png.name] = png
        narrow = png.with_name(png.stem + ".narrow.png")
        srcset = None
        if narrow.is_file():
            files[narrow.name] = narrow
            srcset = f"{FILES}/{narrow.name} {png_size(narrow)[0]}w, {FILES}/{png.name} {width}w"
        data = []
        for stem, df in _data_files(P, t, png.stem).items():
            files[f"{stem}.csv"] = df
            data.append({"href": f"{FILES}/{stem}.csv", "label": f"data: {stem.replace('_', ' ')} (CSV)"})
        out.append({"id": png.stem, "number": number, "src": f"{FILES}/{png.name}", "srcset": srcset,
                    "sizes": "(max-width: 60rem) calc(100vw - 2rem), 58rem", "width": width, "height": height,
                    "alt": alt, "caption": cap, "full_href": f"{FILES}/{png.name}", "data": data})
    return out


def not_drawn(fig_dir: Path, figs: list[dict]) -> list[dict]:
    """The figures this run chose not to draw (`<name>.not-drawn.txt`, written by notebook 60),
    each with its number and the reason, so the report says why a figure is missing."""
    drawn = {f["id"] for f in figs}
    out = []
    for p in sorted(Path(fig_dir).glob("fig*.not-drawn.txt")):
        stem = p.name[: -len(".not-drawn.txt")]
        m = re.match(r"fig(\d+)", stem)
        if stem in drawn or not m:
            continue
        reason = re.sub(r"^not drawn:\s*", "", p.read_text(encoding="utf-8").strip())
        out.append({"id": stem, "number": int(m.group(1)), "reason": reason[:1].upper() + reason[1:]})
    return out


def context(P, t: dict, fig_dir: Path, figure_files: set[str] | None = None) -> tuple[dict, dict]:
    """The report's context (helpers.report) and the files of its folder (name -> DataFrame for
    a CSV, Path to copy, or text) from the parameter set and the run's tables `t` (TABLES,
    OPTIONAL, and for the truth section `validation`, `validation_dark_start`, `truth_trips`)."""
    sim = bool(P["simulated"])
    o, d = P["route"]["origin"], P["route"]["destination"]
    claims, rts = t["claims"], t["round_trips"]
    bounds, possible = t.get("trip_bounds"), t.get("possible_trips")
    files: dict = {}
    sens = None
    if t.get("sensitivity") is not None:
        sens = content.sensitivity_section(t["sensitivity"], float(P.t["dark_min_hours"]))
    truth = None
    if t.get("validation") is not None and t.get("truth_trips") is not None:
        split = None
        if bounds is not None and len(bounds):
            b = bounds[bounds["vessel"] == "all"]
            split = int((b if len(b) else bounds)["split_visits"].iloc[0])
        truth = content.truth_section(scores=t["validation"], dark_start=t.get("validation_dark_start"),
                                      truth_trips=t["truth_trips"], trips=rts, possible=possible, bounds=bounds,
                                      containers=t.get("containers"), split_visits=split, origin=o, destination=d)
        files["validation.csv"] = t["validation"]
    rows = content.trip_rows(rts, t["legs"], t.get("containers"), t["sightings"], o, d)
    files["round_trips.csv"] = content.trips_csv(rows)
    if len(claims):
        files["claims.csv"] = claims
    intro = (f"{content.where(sim, capital=True)}{len(rts)} round trip{'s are' if len(rts) != 1 else ' is'} "
             f"confirmed: a leg {o} \u2192 {d} followed by a leg back, "
             + (f"{content.evidence_phrase(rts)}. " if len(rts) else "")
             + "The table gives each trip's dates at each end, the containers counted and the sightings it rests on.")
    trips = {"intro": intro,
             "table": content.trips_table(rows, o, d, float(P.t["max_speed_kn"]), sim),
             "href": f"{FILES}/round_trips.csv", "possible": None, "possible_href": None}
    trips["intro"] = trips["intro"][0].upper() + trips["intro"][1:]
    if possible is not None and len(possible):
        trips["possible"] = content.possible_table(possible, t["sightings"], o, d, sim)
        files["possible_trips.csv"] = possible
        trips["possible_href"] = f"{FILES}/possible_trips.csv"
    if bounds is not None:
        files["trip_bounds.csv"] = bounds
    notes = {}
    if sens is not None:
        notes["fig06_validation"] = (f"At {sens['realistic_cloud']:.0%} cloud, daily scenes find {sens['found']} "
                                     f"of {sens['n_truth']} true trips.")
    figs = _figures(P, t, fig_dir, figure_files, files, notes)
    record = None
    if t.get("record_calls") is not None:
        record = content.record_section(t["record_calls"], t["record_departures"], t["aggregates_check"],
                                        n_observations=t["record_observations"], n_pages=t["record_pages"],
                                        origin=o, destination=d)
        files["record_calls.csv"] = t["record_calls"].drop(columns=["obs_ids"])
        files["aggregates_check.csv"] = t["aggregates_check"]
        record.update(calls_href=f"{FILES}/record_calls.csv", aggregates_href=f"{FILES}/aggregates_check.csv")
    inputs = inputs_table(P)
    files["inputs_manifest.csv"] = inputs
    params_yaml = yaml.safe_dump(P.record()["parameters"], sort_keys=False)
    files["parameters.yaml"] = params_yaml
    versions = table("versions-table", "Software that made this report, with versions.", ["Package", "Version"],
                     [["Python", platform.python_version()]] + [[p, md.version(p)] for p in PACKAGES],
                     row_header=True)
    downloads = [{"name": name, "href": f"{FILES}/{name}", "what": _describe(name),
                  "rows": num(len(obj)) if isinstance(obj, pd.DataFrame) else None}
                 for name, obj in sorted(files.items()) if not name.endswith(".png")]
    ctx = {
        "title": _title(P), "dek": _dek(P), "source_line": P.source_line, "simulated": sim,
        "public_record_href": public_record_href(P), "record": record, "truth": truth, "sensitivity": sens,
        "at_most_meaning": content.at_most_meaning(bounds, sim),
        "findings": content.findings(claims, rts, bounds, t.get("containers"), origin=o, destination=d, sim=sim,
                                     by=pd.Timestamp(P.t["claimed_containers_by"])),
        "claims": content.claims_table(claims, SOURCE_LINKS, sim) if len(claims) else None,
        "claims_href": f"{FILES}/claims.csv" if len(claims) else None,
        "figures": figs, "not_drawn": not_drawn(fig_dir, figs),
        "trips": trips, "method": method_steps(P, t), "limitations": limitations(P, sens),
        "provenance": {"run_id": P.record()["run_id"], "params_file": str(P.file),
                       "params_name": P.raw.get("name", ""), "n_inputs": len(inputs),
                       "manifest_href": f"{FILES}/inputs_manifest.csv", "downloads": downloads,
                       "versions": versions, "parameters_yaml": params_yaml,
                       "parameters_href": f"{FILES}/parameters.yaml"},
    }
    return ctx, files


def _describe(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    return {"round_trips": "Confirmed round trips, one row per trip, with dates, containers and sightings",
            "possible_trips": "Possible round trips and what each rests on",
            "trip_bounds": "Round trips per ship: at least, possible, at most (a ceiling)",
            "claims": "The reporting's claims, verdicts and evidence",
            "validation": "Scores against the simulated truth (visits, legs, round trips)",
            "inputs_manifest": "Every input file of the run with its SHA-256 hash",
            "parameters": "The parameters of the run (YAML)"}.get(stem, DATA.get(stem, ("",))[0])


def write(P, t: dict, fig_dir: Path, figure_files: set[str] | None = None, out: Path | None = None) -> Path:
    """Write the report folder: `<out>/report.html` and `<out>/report_files/` (default out:
    outputs.build). Fails, writing nothing, if the page would fetch anything from the network or
    links to a file it does not have."""
    out = Path(out) if out is not None else P.output("build")
    ctx, files = context(P, t, fig_dir, figure_files)
    html = report.render(ctx)
    bad = report.external_refs(html)
    if bad:
        raise ValueError(f"report would load external resources: {bad[:3]}")
    ours = {f"{FILES}/{name}" for name in files} | {ctx["public_record_href"]}
    missing = [r for r in report.local_refs(html) if r not in ours]
    if missing:
        raise ValueError(f"report links to files it does not write: {missing[:3]}")
    folder = out / FILES
    if folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, obj in files.items():
        if isinstance(obj, pd.DataFrame):
            fileio.write_csv(obj, folder / name)
        elif isinstance(obj, Path):
            shutil.copyfile(obj, folder / name)
        else:
            fileio.write_text(folder / name, str(obj))
    return fileio.write_text(out / "report.html", html)


def _png_source(path: Path) -> str | None:
    from PIL import Image  # matplotlib's own dependency
    with Image.open(path) as im:
        return im.info.get("Source")


def tables(P) -> dict:
    """The run's tables the report uses: only what this run made (a table or figure left by an
    earlier run with other inputs or parameters carries another run id and stays out)."""
    t = {name: load(P, name) for name in TABLES}
    rid = P.record()["run_id"]
    for name in OPTIONAL:
        path = P.processed(f"{name}.parquet")
        if path.is_file() and (provenance.of_table(path) or {}).get("run_id") == rid:
            t[name] = load(P, name)
    # the truth section: step 70's tables (written with the sensitivity of this run) and the truth
    if t.get("sensitivity") is not None and P.input("truth") is not None and P.processed("validation.csv").is_file():
        t["validation"] = pd.read_csv(P.processed("validation.csv"))
        dark = P.processed("validation_dark_start.csv")
        if dark.is_file():
            t["validation_dark_start"] = pd.read_csv(dark, parse_dates=["true_off", "detected_start"])
        t["truth_trips"] = validation.load_truth(P.input("truth"))["round_trips"]
    if P.input("public_record") is not None:        # the record's own section
        obs = public_record.read_observations(P.input("public_record") / "observations.csv")
        aggs = public_record.read_aggregates(P.input("public_record") / "aggregates.csv")
        calls, deps = public_record.calls(obs), public_record.departures_between(obs)
        t["record_calls"] = calls[(calls["day"] >= P.start) & (calls["day"] < P.end)]        # the run's window
        t["record_departures"] = deps[(deps["after"] >= P.start) & (deps["after"] < P.end)]
        t["aggregates_check"] = load(P, "aggregates_check").merge(aggs[["agg_id", "source_url"]], on="agg_id",
                                                                    how="left")
        t["record_observations"], t["record_pages"] = len(obs), obs["source_url"].nunique()
    ships = load(P, "vessels_of_interest")
    pos = load(P, "positions")
    names = dict(zip(ships["mmsi"].astype("Int64"), ships["name"]))
    pos = pos.assign(vessel=pos["mmsi"].astype("Int64").map(names)).dropna(subset=["vessel"])
    t["positions_per_day"] = (pos.assign(date=pos["ts"].dt.strftime("%Y-%m-%d")).groupby(["date", "vessel"])
                              .size().rename("positions").reset_index())
    return t


def build(P) -> Path:
    """Write <outputs.build>/report.html and report_files/ from the processed tables and figures."""
    rid = P.record()["run_id"]
    figs = {p.name for p in P.output("figures").glob("fig*.png") if _png_source(p) == f"rajin-dunai run {rid}"}
    figs |= {p.name for p in P.output("figures").glob("fig*.narrow.png")}
    return write(P, tables(P), P.output("figures"), figs)


def run(P) -> str:
    """Write the report (`build`) and say where it is."""
    return f"report written: {paths.display(build(P))}"
