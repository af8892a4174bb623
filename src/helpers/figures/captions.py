"""Captions and alt text of the report's figures (the report and figures/README.md use these).

A caption says what a figure shows for any run (its ships, route and period filled in); alt text
says it in numbers for screen readers, from the same tables the figure was drawn from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from ..geo import length_nm
from .charts import utc
from .palette import Palette

CAPTIONS: Mapping[str, str] = MappingProxyType({
    "fig00_lede": "The trips at a glance: one strip per ship, each solid block a round trip {origin}-{destination}-"
                  "{origin} the evidence confirms (numbered), each dashed block a trip that fits the observations "
                  "but rests on a low-confidence sighting, grey the days the ship's AIS was off.",
    "fig01_route_map": "The sea route between {origin} and {destination}, each ship's last AIS position "
                       "before it went dark (where it did), and the imagery sightings at each berth. Geofences "
                       "and berths are our own approximations.",
    "fig02_timeline": "Where {ships} were observed, {period}: at {origin}, at {destination}, in transit "
                      "between observations, or unknown; AIS dark periods shaded; identified imagery "
                      "sightings marked; reconstructed round trips numbered (a lower bound).",
    "fig03_ais_activity": "AIS positions received per day from each ship, {period}, over the "
                          "periods with no AIS, shaded by class: likely switched off (other ships were heard "
                          "nearby at the time) or poor reception.",
    "fig04_coverage": "Satellite scenes of each port per day, cloud-clear (dark) or too cloudy to see the "
                      "berth (light), and the days a scene showed {ships} there (identified by the "
                      "analyst with at least medium confidence).",
    "fig05_containers": "Containers counted on the quay at each identified visit (with the range allowing for "
                        "containers the imagery cannot see) and the running total delivered at the destination, "
                        "against the claim of more than 1,000 containers; depot activity when its annotations "
                        "are available.",
    "fig06_validation": "How the reconstruction holds up when imagery is scarcer: share of the true round trips "
                        "found (recall) and of found trips that are true (precision) as the imagery revisit "
                        "interval grows, for several cloud probabilities (scenario reruns scored against the "
                        "simulated truth).",
    "fig07_sighting_cards": "Key sightings, one card per ship's stay and one row per port: the satellite image "
                            "of the berth when the scene has one (north up, scale bar, the ship outlined at the "
                            "analyst's length and heading, the container stack marked with its count, provider "
                            "and date), else a schematic map saying so; each row opens with the last image of "
                            "the empty quay before the first stay shown.",
    "fig08_public_record": "The public record, {period}: every dated observation that published reporting "
                           "gives, one lane per port ({origin} and {destination} first), each mark coloured "
                           "by ship (grey: a ship the source does not name, with the length it gives); bars: "
                           "a ship seen then gone between two images, or a call dated only to a window; shaded: "
                           "months with no observation at that port. Numbers are the sources, listed under the "
                           "figure; their links are in the CSV beside it. Real observations as reported, not "
                           "checked against the imagery.",
})


def caption(name: str, *, ships: list[str], origin: str, destination: str, period: str) -> str:
    """The caption of figure `name` for a run: its ships, route and period filled in."""
    text = CAPTIONS.get(name, name)
    return text.format(ships=" and ".join(ships), origin=origin, destination=destination,
                       period=period)


REGION = "the coast from North Korea to Russia's Primorsky Krai"    # the Rajin-Dunai map


def _deg(v: float, pos: str, neg: str) -> str:
    return f"{abs(v):.2f} {pos if v >= 0 else neg}"


def alt_route_map(last_positions, sightings, route, origin: str, destination: str,
                  region: str = REGION, round_trips: int | None = None) -> str:
    """Alt text for the route map, stating what it shows in numbers; `region`: what the map
    covers (another region: e.g. "the coast from 55.62 N to 56.10 N, 12.30 E to 12.90 E")."""
    parts = [f"Map of {region} with the sea route from "
             f"{origin} to {destination} ({length_nm(route):.0f} nautical miles)."]
    for r in last_positions.itertuples():
        parts.append(f"{r.vessel}'s last AIS position before going dark: {_deg(r.lat, 'N', 'S')}, "
                     f"{_deg(r.lon, 'E', 'W')} on {r.ts:%d %b %Y}.")
    if sightings is not None and len(sightings):
        ident = sightings[sightings["match"] == "identified"]
        for port in (origin, destination):
            s = ident[ident["port"] == port]
            per = ", ".join(f"{v} {n}" for v, n in s.groupby("vessel").size().items()) or "none"
            parts.append(f"Identified imagery sightings at {port}: {per}.")
    if round_trips is not None:
        parts.append(f"At least {round_trips} round trip{'s' if round_trips != 1 else ''} between them.")
    return " ".join(parts)


def month_range(window) -> str:
    """'July to October 2023' for a window (start, end) whose end is exclusive."""
    a, b = pd.Timestamp(window[0]), pd.Timestamp(window[1]) - pd.Timedelta(seconds=1)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a:%B %Y}"
    return f"{a:%B} to {b:%B %Y}" if a.year == b.year else f"{a:%B %Y} to {b:%B %Y}"


def alt_timeline(states, round_trips, window=None, possible_trips=None) -> str:
    """Alt text for the timeline: per ship, round trips (and possible ones) and time in each
    state, over the months of `window` (by default those the states span)."""
    window = window or (states["start"].min(), states["end"].max())
    n_all = len(round_trips)
    parts = [f"Timeline, one lane per ship, {month_range(window)}: at least {n_all} round "
             f"trip{'s' if n_all != 1 else ''} in all."]
    for vessel, s in states.groupby("vessel", sort=True):
        days = ((s["end"] - s["start"]) / pd.Timedelta(days=1)).groupby(s["state"]).sum()
        at = "; ".join(f"{k}: {_days_round(v)}" for k, v in days.items())
        n = int((round_trips["vessel"] == vessel).sum())
        k = int((possible_trips["vessel"] == vessel).sum()) if possible_trips is not None and len(possible_trips) else 0
        more = f", {k} more possible" if k else ""
        parts.append(f"{vessel}: at least {n} round trip{'s' if n != 1 else ''}{more}; {at}.")
    return " ".join(parts)


def days_text(v: float) -> str:
    """Days rounded to whole days: 'less than 1 day', '1 day', '12 days' (titles and alt texts)."""
    return _days_round(v)


def _days_round(v: float) -> str:
    """Days rounded to whole days: 'less than 1 day', '1 day', '12 days'."""
    k = round(v)
    return "less than 1 day" if k == 0 else f"{k} day" + ("" if k == 1 else "s")


def alt_ais_activity(positions, dark_periods, vessels) -> str:
    """Alt text for the AIS activity chart: days heard and the longest silence per ship."""
    parts = ["Bar chart of AIS positions received per day for each ship, July to October 2023."]
    days = utc(positions["ts"]).dt.floor("D")
    for v in vessels:
        n = int(days[positions["vessel"].to_numpy() == v].nunique())
        d = dark_periods[(dark_periods["vessel"] == v)]
        if "class" in d.columns and (d["class"] == "likely-disabled").any():
            d = d[d["class"] == "likely-disabled"]       # the silence the title states
        txt = f"{v}: positions on {_days_round(n)}"
        if len(d):
            r = d.loc[d["hours"].idxmax()]
            txt += (f"; longest silence {_days_round(r['hours'] / 24)}, {pd.Timestamp(r['start_ts']):%d %b} "
                    f"to {pd.Timestamp(r['end_ts']):%d %b %Y}, classed {r['class']}")
        parts.append(txt + ".")
    return " ".join(parts)


def alt_coverage(coverage, sightings, ports, *, palette: Palette) -> str:
    """Alt text for the coverage calendar: per port, days with scenes, clear days, days each of
    the palette's ships was seen there."""
    parts = ["Calendar of satellite scenes per port and day."]
    ident = sightings[palette.identified(sightings)]
    for port in ports:
        c = coverage[coverage["port"] == port]
        days = c["date"].nunique()
        clear = c.loc[c["clear"], "date"].nunique()
        s = ident[ident["port"] == port]
        per = ", ".join(f"{v} on {_days_round(g['datetime'].dt.floor('D').nunique())}"
                        for v, g in s.groupby("vessel")) or "no identified ship"
        seen = s["datetime"].dt.floor("D").nunique()
        parts.append(f"{port}: scenes on {_days_round(days)}, cloud-clear on {clear}; the ships seen there on "
                     f"{_days_round(seen)} ({per}).")
    return " ".join(parts)


def alt_containers(containers, claimed: float, destination: str, claim_date=None) -> str:
    """Alt text for the containers chart: visits counted and the running total against the
    claim, by the day the claim was made (`claim_date`, as the title says) when given."""
    c = containers.dropna(subset=["cumulative_low"])
    c = c[c["port"] == destination] if (c["port"] == destination).any() else c
    parts = [f"Containers counted at {len(containers)} visits."]
    if claim_date is not None:
        c = c[c["datetime"] <= pd.Timestamp(claim_date)]
    if len(c):
        last = c.sort_values("datetime").iloc[-1]
        when = pd.Timestamp(claim_date if claim_date is not None else last["datetime"])
        parts.append(f"Running total delivered at {destination} by {when:%-d %b %Y}: "
                     f"at least {last['cumulative_low']:,.0f}, up to {last['cumulative_high']:,.0f}, "
                     f"against the claim of more than {claimed:,.0f}.")
    return " ".join(parts)


def numbers_in(text: str) -> set[str]:
    """The numbers a text states ("1,336" as 1336, "50%" as 50), for checking alt text against
    its figure's title."""
    return {m.replace(",", "") for m in re.findall(r"(?<![\w.-])\d[\d,]*(?:\.\d+)?", text)}


def check_alt(title: str, alt: str, names=()) -> None:
    """Raise ValueError when the alt text leaves out a number the figure's title states: both
    are written from the same numbers, so a screen reader hears what the title says. Digits in
    `names` (ships or ports such as "MAIA-1" or "FERRY 211188000") are names, not numbers."""
    title = title.replace("\n", " ")
    for name in sorted(map(str, names), key=len, reverse=True):
        title = title.replace(name, " ")
    missing = numbers_in(title) - numbers_in(alt)
    if missing:
        raise ValueError(f"alt text lacks the title's number(s) {sorted(missing)}: title {title!r}, alt {alt!r}")


def _days(k: float) -> str:
    """'1 day', '2 days', '1.5 days'."""
    return f"{k:g} day" + ("" if k == 1 else "s")


def _every(k: float) -> str:
    return "daily scenes" if k == 1 else f"a scene every {k:g} days"


def alt_sensitivity(sensitivity, gap_hours: float, target: float = 0.95,
                    numbers: dict | None = None) -> str:
    """Alt text for the validation chart: the title's numbers (`numbers`, from
    sensitivity.sensitivity_numbers), then recall at each end of the revisit range per cloud level."""
    s = sensitivity[sensitivity["gap_hours"] == gap_hours].sort_values("revisit_days")
    parts = [f"Line charts of round-trip recall and precision against imagery revisit interval "
             f"(dark-period threshold {gap_hours:g} h)."]
    if numbers:
        f, n = numbers["found"], numbers["n_truth"]
        parts.append(f"At {numbers['cloud']:.0%} cloud, {_every(f[0][0])} find {f[0][1]} of {n} true round trips"
                     + (f", {_every(f[1][0])} {f[1][1]}" if len(f) > 1 else "")
                     + f"; with {numbers['best_cloud']:.0%} cloud, {numbers['best'][0][1]} of {n}.")
        if numbers["false_from"]:
            c, p = numbers["false_from"]
            parts.append(f"From {c:.0%} cloud, daily scenes also find false trips (precision {p:.0%}).")
    never = []
    for p, g in s.groupby("cloud_prob"):
        ok = g[g["recall"] >= target]
        d0, d1 = g["revisit_days"].iloc[0], g["revisit_days"].iloc[-1]
        if len(ok):
            parts.append(f"Cloud probability {p:.0%}: recall {g['recall'].iloc[0]:.0%} with {_every(d0)}, "
                         f"{g['recall'].iloc[-1]:.0%} with {_every(d1)}; at or above {target:.0%} up to "
                         f"{_days(ok['revisit_days'].max())} between scenes.")
        else:
            never.append(f"{p:.0%}")
    if never:
        parts.append(f"Recall never reaches {target:.0%} at cloud probability {', '.join(never)}.")
    return " ".join(parts)


def alt_sighting_cards(cards, with_image=None, befores=None) -> str:
    """Alt text for the sighting cards: what the cards show, then one sentence per card.
    with_image: acquisition ids with an image; befores: the empty-quay scenes (before_scenes)."""
    imgs = set(with_image or ())
    n_img = int(cards["acq_id"].isin(imgs).sum()) if len(cards) else 0
    parts = [f"{len(cards)} sighting cards, one per ship's stay: "
             + (f"{n_img} show the satellite image of the berth, {len(cards) - n_img} a schematic map "
                "where no image exists." if n_img else "schematic berth-scale maps (no image available).")]
    for b in ([] if befores is None else befores.itertuples(index=False)):
        parts.append(f"{b.port} before, {pd.Timestamp(b.datetime):%d %b %Y}: the quay empty, no ship at the berth.")
    for r in cards.itertuples(index=False):
        parts.append(f"{r.vessel} at {r.port}, {pd.Timestamp(r.datetime):%d %b %Y}: "
                     f"{int(r.containers) if pd.notna(r.containers) else 'no'} containers on the quay, "
                     f"ship {r.length_m:.0f} m long, identification {r.id_confidence}"
                     f"{'' if r.acq_id in imgs else ' (schematic)'}.")
    return " ".join(parts)
