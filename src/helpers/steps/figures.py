"""The report's seven figures, drawn from a run's processed tables.

`helpers.figures` draws a figure from tables it is given; this module picks the tables of a run
(parameter set `P`), works out each title from the data (titles state the finding, so they are
numbers, not prose written in advance) and saves the files. Notebook 60 draws figures 1-5 and 7,
notebook 70 draws figure 6 (it needs the validation run). Everything comes from the parameters:
another route, other ships or another window give their own titles, and the run's palette
(`run_palette`, built once per `draw`) gives each ship one colour in every figure.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import figures, geo, imagery
from ..analysis import gaps, visits
from ..figures import HOUSE, Layout
from ..fileio import write_text
from .common import load, load_land, load_optional, load_ports, vessels
from .common import names as mmsi_names
from .imagery import observations as read_observations
from .parallel import fork_map


def _ships(P) -> str:
    return " and ".join(P.vessel_names)


def _title(P, text: str) -> str:
    """A figure's title, opening with "Simulated: " when the run's data is simulated."""
    return figures.framed_title(text, bool(P["simulated"]))


def _route(P):
    fences = load_ports(P)
    p = fences.set_index("port")
    o, d = P["route"]["origin"], P["route"]["destination"]
    line = geo.sea_route((p.at[o, "berth_lon"], p.at[o, "berth_lat"]),
                         (p.at[d, "berth_lon"], p.at[d, "berth_lat"]), load_land(P))
    return fences, o, d, line


def run_palette(P) -> figures.Palette:
    """The run's colours: its ships of interest and its route's ports."""
    return figures.Palette.for_cast(P.vessel_names, P["route"]["origin"], P["route"]["destination"])


def _period(P) -> str:
    end = P.end - pd.Timedelta(seconds=1)
    return f"{P.start:%b}-{end:%b %Y}" if P.start.year == end.year else f"{P.start:%b %Y}-{end:%b %Y}"


def fig00_lede(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str]:
    o, d = P["route"]["origin"], P["route"]["destination"]
    dark = load(P, "dark_periods")
    numbers = figures.lede_numbers(load(P, "round_trips"), load_optional(P, "possible_trips"),
                                   dark[dark["vessel"].isin(P.vessel_names)], P.vessel_names)
    fig = figures.lede_strip(
        numbers, palette=palette, window=(P.start, P.end), title=_title(P, figures.lede_title(numbers, o, d)),
        subtitle=f"Each block one round trip {o} -> {d} -> {o}, from its departure to its return",
        source_line=P.source_line, layout=layout)
    return fig, figures.alt_lede(numbers, o, d, figures.lede.lede_window(numbers, (P.start, P.end)))


def fig01_route_map(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str]:
    land = load_land(P)
    fences, o, d, route = _route(P)
    dark, rts, sightings = load(P, "dark_periods"), load(P, "round_trips"), load(P, "sightings")
    last = gaps.last_before_dark(dark[dark["vessel"].isin(P.vessel_names)])
    on_route = sightings[(sightings["match"] == "identified") & sightings["port"].isin([o, d])]
    went_dark = f"{_ships(P)} went dark, then " if len(last) else f"{_ships(P)} "
    seen = "seen from space" if len(on_route) else "from AIS"
    region = P.raw["inputs"].get("region_land")   # optional: the locator's land
    region_land = geo.load_region_land(P.input("region_land")) if region else None
    region_borders = geo.load_region_land(P.input("region_land"), "borders") if region else None
    # the map frames the route and its ports inside the run's coastline clip; the locator the
    # map inside the run's locator land (the Rajin-Dunai framing when they fit in it)
    ends = fences[fences["port"].isin([o, d])]
    xy = list(route.coords) + list(zip(ends["berth_lon"], ends["berth_lat"]))
    extent = figures.route_extent([x for x, _ in xy], [y for _, y in xy], tuple(land.total_bounds))
    locator_extent = figures.locator_extent_for(
        extent, tuple(region_land.total_bounds) if region_land is not None else None)
    fig = figures.route_map(
        land, fences, palette=palette, route=route, last_positions=last, sightings=on_route,
        region_land=region_land, region_borders=region_borders, extent=extent,
        locator_extent=locator_extent,
        title=_title(P, f"{went_dark}shuttled {o} -> {d}: at least {len(rts)} round trips {seen}"),
        subtitle="; ".join([f"Sea route {geo.length_nm(route):.0f} nm"]
                           + (["last AIS positions before the ships went dark"] if len(last) else [])
                           + (["identified imagery sightings at the berths"] if len(on_route) else [])),
        source_line=P.source_line, layout=layout)
    region = (figures.captions.REGION if extent == figures.EXTENT else
              f"the coast from {extent[2]:.2f} to {extent[3]:.2f} degrees latitude, {extent[0]:.2f} to "
              f"{extent[1]:.2f} degrees longitude")
    return fig, figures.alt_route_map(last, on_route, route, o, d, region, round_trips=len(rts))


def fig02_timeline(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str]:
    o, d = P["route"]["origin"], P["route"]["destination"]
    visit_table, legs, rts = load(P, "visits"), load(P, "legs"), load(P, "round_trips")
    sightings, dark = load(P, "sightings"), load(P, "dark_periods")
    st = visits.states(visit_table, legs, P.start, P.end)
    possible = load_optional(P, "possible_trips")
    fig = figures.timeline(
        st, palette=palette, sightings=sightings[sightings["match"] == "identified"],
        dark_periods=dark[dark["vessel"].isin(P.vessel_names)], round_trips=rts,
        window=(P.start, P.end), vessels=P.vessel_names, possible_trips=possible,
        title=_title(P, f"At least {len(rts)} {o}-{d} round trips, {_period(P)}: "
                     + ("dark on AIS, seen by satellite" if len(sightings) else "from AIS port calls")),
        subtitle="Where each ship was observed; shading: AIS dark periods; numbers: round trips"
                 + ("; dashed: a possible trip" if possible is not None and len(possible) else ""),
        source_line=P.source_line, layout=layout)
    return fig, figures.alt_timeline(st, rts, (P.start, P.end), possible)


def fig03_ais_activity(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | str:
    positions, names = load_optional(P, "positions"), mmsi_names(P)
    voi = P.vessel_names
    if positions is None or positions.empty:
        return (f"not drawn: this run has no AIS positions of {_ships(P)} (its data holds no AIS), "
                "so there is no activity to show")
    pos = positions.assign(vessel=positions["mmsi"].map(names))
    pos = pos[pos["vessel"].isin(voi)]
    if pos.empty:
        return f"not drawn: this run has no AIS positions of {_ships(P)}, so there is no activity to show"
    dark = load(P, "dark_periods")
    dark = dark[dark["vessel"].isin(voi)]
    longest = dark[dark["class"] == "likely-disabled"].groupby("vessel")["hours"].max() / 24
    silent = [f"{v} fell silent on AIS for {figures.days_text(longest[v])}" for v in voi if v in longest]
    title = " and ".join(silent) if silent else f"No likely switch-off of AIS found for {_ships(P)}"
    fig = figures.ais_activity(pos, dark, palette=palette, window=(P.start, P.end), vessels=voi, title=_title(P, title),
                               subtitle="AIS positions received per day; shading: periods with no AIS, by class",
                               source_line=P.source_line, layout=layout)
    return fig, figures.alt_ais_activity(pos, dark, voi)


def fig04_coverage(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | None:
    coverage = load_optional(P, "coverage")
    if coverage is None or coverage.empty:
        return None
    o, d = P["route"]["origin"], P["route"]["destination"]
    sightings = load(P, "sightings")
    ident = sightings[(sightings["match"] == "identified") & sightings["vessel"].isin(P.vessel_names)]
    clear = {q: coverage.loc[(coverage["port"] == q) & coverage["clear"], "date"].nunique() for q in (o, d)}
    seen = {q: ident.loc[ident["port"] == q, "datetime"].dt.floor("D").nunique() for q in (o, d)}
    fig = figures.coverage_calendar(
        coverage, ident, palette=palette, ports=[o, d], window=(P.start, P.end), vessels=P.vessel_names,
        title=_title(P, f"Clear images of {o} on {clear[o]} days and of {d} on {clear[d]}; "
                        f"they showed the ships there on {seen[o]} and {seen[d]} days"),
        subtitle="Satellite scenes per port and day; dots: a scene showed that ship there",
        source_line=P.source_line, layout=layout)
    return fig, figures.alt_coverage(coverage, ident, [o, d], palette=palette)


def fig05_containers(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | None:
    cont = load_optional(P, "containers")
    if cont is None or cont["counted"].notna().sum() == 0:
        return None
    d = P["route"]["destination"]
    depot = load_optional(P, "depot")
    claimed = float(P.t["claimed_containers"])
    by = pd.Timestamp(P.t["claimed_containers_by"])
    sightings = load(P, "sightings")
    cont = cont.assign(counted_at=figures.counted_at(cont, sightings[sightings["match"] == "identified"]))
    at_dest = cont[(cont["port"] == d) & cont["cumulative_low"].notna() & (cont["datetime"] <= by)]
    low = float(at_dest.sort_values("datetime")["cumulative_low"].iloc[-1]) if len(at_dest) else 0.0
    fig = figures.containers_chart(
        cont, depot, palette=palette, window=(P.start, P.end), claimed=claimed, claim_date=by,
        origin=P["route"]["origin"], destination=d, vessels=P.vessel_names,
        title=_title(P, f"At least {low:,.0f} containers delivered at {d} by {by:%d %b}, "
                        f"against the claim of more than {claimed:,.0f}"),
        subtitle="Containers counted on the quay per visit, the running total with its range, and the depot",
        source_line=P.source_line, layout=layout)
    return fig, figures.alt_containers(cont, claimed, d, claim_date=by)


def fig06_validation(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | None:
    """Figure 6 (drawn by notebook 70); no ship colours, so `palette` is not used."""
    sens = load_optional(P, "sensitivity")
    if sens is None or sens.empty:
        return None
    gap = float(P.t["dark_min_hours"])
    if not (sens["gap_hours"] == gap).any():
        gap = float(sens["gap_hours"].min())
    numbers = figures.sensitivity_numbers(sens, gap)
    title = figures.sensitivity_title(numbers)
    subtitle = "Reconstruction rerun with scarcer imagery, scored against the simulated truth"
    if numbers["false_from"]:
        c, p = numbers["false_from"]
        subtitle += f"; from {c:.0%} cloud daily scenes also find false trips (precision {p:.0%})"
    fig = figures.sensitivity_chart(
        sens, gap_hours=gap, default_revisit=1, title=_title(P, title), subtitle=subtitle,
        source_line=P.source_line, layout=layout)
    return fig, figures.alt_sensitivity(sens, gap, numbers=numbers)


def fig07_sighting_cards(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | None:
    sightings = load(P, "sightings")
    o, d = P["route"]["origin"], P["route"]["destination"]
    stac = P.input("acquisitions")
    chips = {k: a["href"] for k, a in imagery.raster_assets(stac).items()} if stac is not None else {}
    cards = figures.key_sightings(sightings, [o, d], palette=palette, vessels=P.vessel_names,
                                  with_image=set(chips))
    if cards.empty:
        return None
    acq = load(P, "acquisitions")
    fences = load_ports(P)
    chips = {k: h for k, h in chips.items() if k in set(cards["acq_id"]) or k in set(acq["acq_id"])}
    befores = figures.before_scenes(cards, acq, sightings, fences, chips)
    land = load_land(P)
    ref = vessels(P)
    beams = {n: b for n, b in zip(ref["name"], ref["beam_m"]) if pd.notna(b)}
    ships = sorted(set(cards["vessel"]))
    fig = figures.sighting_cards(
        cards, acq, fences, land, palette=palette, beams=beams, chips=chips, befores=befores,
        title=_title(P, f"{len(cards)} satellite sightings put {' and '.join(ships)} at "
                        f"{'both berths' if cards['port'].nunique() > 1 else cards['port'].iloc[0]} "
                        "with containers on the quay"),
        subtitle="One card per stay: the image of the berth when the scene has one (the ship and the "
                 "container stack marked), else a schematic; each row opens with the empty quay before",
        source_line=P.source_line, layout=layout)
    for ax in fig.axes:     # labels in the upper corners, scale bar lower left, credit lower right
        figures.mark_corner(ax, "center left")
    return fig, figures.alt_sighting_cards(cards, set(chips), befores)




REPORT = ["fig00_lede", "fig01_route_map", "fig02_timeline", "fig03_ais_activity", "fig04_coverage", "fig05_containers",
          "fig07_sighting_cards"]     # step 60 draws these; step 70 draws fig06_validation


def report_names(P) -> list[str]:
    """The figures step 60 draws for this run: figures 1-5 and 7, and figure 8 (the public-record
    timeline) when the run reads the public record."""
    return REPORT + ([figures.RECORD_FIGURE_NAME] if P.input("public_record") is not None else [])


def fig08_public_record(P, palette: figures.Palette, layout: Layout = HOUSE) -> tuple[Figure, str] | None:
    """The public-record timeline, and its numbered sources as a CSV beside it."""
    if P.input("public_record") is None:
        return None
    obs = read_observations(P)
    window = (P.start, P.end)
    o, d = P["route"]["origin"], P["route"]["destination"]
    lanes = figures.record_lanes(obs, window, o, d)
    sources = figures.record_sources(obs, figures.record_marks(obs, window, lanes))
    name = figures.RECORD_FIGURE_NAME
    figures.save_sources(sources, name, P.output("figures"))
    fig = figures.record_timeline(obs, palette=palette, window=window, source_line=P.source_line,
                                  lanes=lanes, sources_csv=f"{name}.sources.csv", layout=layout)
    return fig, figures.alt_record_timeline(obs, window, lanes, sources)


DRAW = {f.__name__: f for f in (fig00_lede, fig01_route_map, fig02_timeline, fig03_ais_activity, fig04_coverage,
                                fig05_containers, fig06_validation, fig07_sighting_cards, fig08_public_record)}


# figures without a phone render yet, the report serves the full render there: the sighting
# cards lay their cards out for the page only (their legend height assumes four columns); the
# public-record timeline's legend and numbered sources overlap at phone width
NO_NARROW = frozenset({"fig07_sighting_cards", "fig08_public_record"})


def narrow(name: str, P, palette: figures.Palette) -> Figure:
    """Figure `name` drawn for a phone (figures.NARROW: 690 px, type at least 8.7 pt, i.e. 12 px
    in a 375 px phone's 343 px column), with the same framing as the full render."""
    fig, _ = DRAW[name](P, palette, layout=figures.NARROW)
    if P["simulated"]:
        figures.mark_simulated(fig, fontsize=figures.NARROW.min_pt)
    figures.enforce_min_font(fig, figures.NARROW.min_pt)
    return fig


def draw(names: list[str], P, workers: int | None = None) -> pd.DataFrame:
    """Draw the report figures `names` from the run's tables and save each (PNG, SVG, alt text)
    in the figures folder. A figure whose data is absent (e.g. imagery figures on an AIS-only
    run, AIS activity on the public record) is not drawn: old files of it are removed and
    `name`.not-drawn.txt says why. Returns one row per figure: name,
    files written (relative to the project) and alt text ("not drawn: ..." when absent).
    Figures are independent: with `workers` (default $HELPERS_WORKERS, helpers.steps.parallel)
    they are drawn in forked processes, the same files either way."""
    palette = run_palette(P)
    rows = fork_map(lambda name: _draw_one(name, P, palette), list(names), workers)
    return pd.DataFrame(rows, columns=["figure", "files", "alt_text"])


def _draw_one(name: str, P, palette: figures.Palette) -> tuple[str, str, str]:
    import matplotlib.pyplot as plt

    out = P.output("figures")
    made = DRAW[name](P, palette)
    if made is None or isinstance(made, str):
        for old in out.glob(f"{name}.*"):
            old.unlink()
        why = made or "not drawn: its input table is empty or absent in this run"
        write_text(out / f"{name}.not-drawn.txt", why + "\n")     # for the report to say why
        return (name, "not-drawn.txt", why)
    fig, alt = made
    (out / f"{name}.not-drawn.txt").unlink(missing_ok=True)
    # the alt text says what the title says (names with digits aside)
    figures.check_alt(fig.get_suptitle(), alt, names=[*P.vessel_names, *P["route"].values()])
    if P["simulated"]:      # a cropped or quoted figure still says what its data is
        figures.mark_simulated(fig)
        alt = figures.framed_alt(alt, True)
    saved = figures.save(fig, name, out, alt_text=alt, run_id=P.run_id)
    plt.close(fig)
    if name not in NO_NARROW:
        saved["narrow"] = figures.save_narrow(narrow(name, P, palette), name, out, run_id=P.run_id)
    return (name, ", ".join({"alt": "alt.txt", "narrow": "narrow.png"}.get(k, p.suffix.lstrip("."))
                            for k, p in saved.items()), alt)
