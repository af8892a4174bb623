"""The report's sections as data, from a run's tables: pure functions, no parameter set.

Every sentence is written from the numbers it states. `sim` (the run is a simulation) puts
"in the simulation" into headings and sentences about results, so that no sentence about
simulated data reads as a fact about the real ships. Tables come back as
`helpers.report.tables.table` dicts; the per-trip rows also as a DataFrame for their CSV.
"""

from __future__ import annotations

import pandas as pd

from .tables import cell, day, hours, num, part, share, table, when, window

VERDICT_WORDS = {"supported": "supported", "not supported": "not supported by the data",
                 "insufficient data": "not settled: the data is insufficient"}


def where(sim: bool, capital: bool = False) -> str:
    """'In the simulation, ' / 'in the simulation' or nothing, for sentences about results."""
    if not sim:
        return ""
    return "In the simulation, " if capital else " in the simulation"


def sources_cell(text: str, links: dict[str, str]) -> dict:
    """A claim's source text with each known source linked: 'RUSI / Washington Post, 16 Oct
    2023' -> RUSI linked (its URL known), Washington Post as text. `links`: name -> URL, a name
    matching where a source part starts."""
    parts = []
    for i, chunk in enumerate(str(text).split("; ")):
        if i:
            parts.append(part("; "))
        for j, name in enumerate(chunk.split(" / ")):
            if j:
                parts.append(part(" / "))
            parts.append(part(name, next((u for k, u in links.items() if name.startswith(k)), None)))
    return cell(parts=parts, sep="")


def claims_table(claims: pd.DataFrame, links: dict[str, str], sim: bool) -> dict:
    rows = [[f"{r.claim_id}. {r.claim}", cell(VERDICT_WORDS.get(r.verdict, r.verdict), cls=verdict_class(r.verdict)),
             r.evidence, sources_cell(r.source, links)] for r in claims.itertuples()]
    return table("claims-table", "The reporting's claims and what the data" + (" of the simulation" if sim else "")
                 + " says about each, with the evidence and where the claim was published.",
                 ["Claim", "Verdict", "Evidence", "Source"], rows, row_header=True, cls="stack")


def verdict_class(verdict: str) -> str:
    return "verdict-" + str(verdict).replace(" ", "-")


EVIDENCE_WORDS = {"imagery": "the ship identified in clear satellite images at each port",
                  "ais": "the ship seen on AIS in port at each end",
                  "inferred": "inferred across a gap in the observations"}


def evidence_phrase(trips: pd.DataFrame) -> str:
    """What the confirmed trips rest on, from their evidence: 'each with the ship identified in
    clear satellite images at each port', or '18 with ..., 4 inferred ...'."""
    counts = trips["evidence"].value_counts() if len(trips) else pd.Series(dtype=int)

    def words(ev):
        return ("" if ev == "inferred" else "with ") + EVIDENCE_WORDS.get(ev, ev)
    if len(counts) == 1:
        return f"each {words(counts.index[0])}"
    return ", ".join(f"{n} {words(ev)}" for ev, n in counts.items())


def findings(claims: pd.DataFrame, trips: pd.DataFrame, bounds: pd.DataFrame | None,
             containers: pd.DataFrame | None, *, origin: str, destination: str, sim: bool,
             by: pd.Timestamp | None = None) -> list[dict]:
    """The findings in plain words: round trips (confirmed, possible), containers, then each
    claim's verdict. Each item: `text` and optional `verdict`/`cls`."""
    w = where(sim, capital=True)
    out = []
    per_ship = ", ".join(f"{k} {v}" for k, v in trips.groupby("vessel").size().items())
    n_possible = 0
    if bounds is not None and len(bounds):
        allrow = bounds[bounds["vessel"] == "all"]
        n_possible = int(allrow["possible"].iloc[0]) if len(allrow) else int(bounds["possible"].sum())
    route = f"{origin} \u2192 {destination} \u2192 {origin}"
    if len(trips):
        many = len(trips) > 1
        text = (f"{w}at least {len(trips)} round trip{'s' if many else ''} {route} {'are' if many else 'is'} confirmed"
                f" ({per_ship}): {evidence_phrase(trips)}.")
    else:
        text = f"{w}no round trip {route} is confirmed: no ship was observed at both ends of the route in turn."
    if n_possible:
        text += (f" {n_possible} more {'is' if n_possible == 1 else 'are'} possible, resting on a detection "
                 "the analyst could not name (see the table of possible trips); possible trips are never counted.")
    out.append({"text": text[0].upper() + text[1:], "cls": None, "verdict": None})
    d = None if containers is None else containers[(containers["port"] == destination)
                                                   & containers["cumulative_low"].notna()]
    if d is not None and len(d):
        d = d.sort_values("datetime")
        text = (f"{w}at least {num(d['cumulative_low'].iloc[-1])} containers were counted on the quay at "
                f"{destination} after the ships arrived, up to {num(d['cumulative_high'].iloc[-1])} allowing for "
                "containers the imagery cannot see (a lower bound: visits no clear image caught are not counted)")
        if by is not None:
            upto = d[d["datetime"] <= by]
            if len(upto):
                text += f"; by {day(by)}: at least {num(upto['cumulative_low'].iloc[-1])}"
        out.append({"text": text[0].upper() + text[1:] + ".", "cls": None, "verdict": None})
    for r in claims.itertuples():
        out.append({"text": f"Claim {r.claim_id}, \u201c{r.claim}\u201d:",
                    "verdict": f"{VERDICT_WORDS.get(r.verdict, r.verdict)}{where(sim)}",
                    "cls": verdict_class(r.verdict)})
    return out


def at_most_meaning(bounds: pd.DataFrame | None, sim: bool = False) -> str | None:
    """What 'at most N' means, in one sentence (None without bounds)."""
    if bounds is None or not len(bounds):
        return None
    b = bounds[bounds["vessel"] == "all"]
    b = b.iloc[0] if len(b) else bounds.iloc[0]
    return (f"\u201cAt most {num(b['at_most'])}\u201d is a ceiling, not an estimate: it is how many round trips "
            f"could be fitted into the ships' AIS-dark time between observations{where(sim)} if every unseen "
            f"stay in port lasted only {num(b['min_dwell_hours'])} h and the ships sailed at "
            f"{num(b['max_speed_kn'])} kn ({num(b['round_trip_hours'])} h per hidden trip), with no clear "
            "image ruling a stay out. Nothing observed points to that many; do not quote it without this meaning.")


def _sightings_parts(s: pd.DataFrame) -> list[dict]:
    return [part(f"{r.sighting_id} ({r.port} {r.datetime:%d %b}, scene {r.acq_id})") for r in s.itertuples()]


TRIP_COLUMNS = ["trip_id", "vessel", "left_origin_earliest", "left_origin_latest", "at_destination_first_seen",
                "at_destination_last_seen", "back_earliest", "back_latest", "containers_loaded",
                "containers_delivered", "sighting_ids", "scene_ids", "sightings_used", "evidence"]


def trip_rows(trips: pd.DataFrame, legs: pd.DataFrame, containers: pd.DataFrame | None,
              sightings: pd.DataFrame, origin: str, destination: str) -> pd.DataFrame:
    """One row per confirmed round trip: when it left the origin (window), when it was seen at
    the destination, when it was back (window), containers counted at loading and at
    unloading, and the identified sightings (with their scenes) at each end. Times are UTC."""
    legs = legs.set_index("leg_id")
    ident = sightings[sightings["match"] == "identified"] if "match" in sightings else sightings.iloc[:0]
    cont = containers if containers is not None else pd.DataFrame(columns=["vessel", "datetime", "activity",
                                                                          "counted"])
    rows = []
    for t in trips.sort_values(["start", "vessel"]).itertuples():
        out_id, back_id = (str(t.legs).split(";") + [""])[:2]
        if out_id not in legs.index or back_id not in legs.index:
            continue
        out, back = legs.loc[out_id], legs.loc[back_id]
        mine = ident[ident["vessel"] == t.vessel]
        at_dest = mine[(mine["port"] == destination) & (mine["datetime"] >= out["arrive_latest"])
                       & (mine["datetime"] <= back["depart_earliest"])]
        ends = mine[(mine["port"] == origin) & mine["datetime"].isin([out["depart_earliest"], back["arrive_latest"]])]
        used = pd.concat([ends, at_dest]).sort_values("datetime")
        c = cont[cont["vessel"] == t.vessel]
        loaded = c[(c["activity"] == "loaded") & (c["datetime"] == out["depart_earliest"])]["counted"]
        delivered = c[(c["activity"] == "delivered") & (c["datetime"] == back["depart_earliest"])]["counted"]
        rows.append({
            "trip_id": t.trip_id, "vessel": t.vessel,
            "left_origin_earliest": out["depart_earliest"], "left_origin_latest": out["depart_latest"],
            "at_destination_first_seen": out["arrive_latest"], "at_destination_last_seen": back["depart_earliest"],
            "back_earliest": back["arrive_earliest"], "back_latest": back["arrive_latest"],
            "containers_loaded": int(loaded.iloc[0]) if len(loaded) else pd.NA,
            "containers_delivered": int(delivered.iloc[0]) if len(delivered) else pd.NA,
            "sighting_ids": ";".join(used["sighting_id"]), "scene_ids": ";".join(used["acq_id"]),
            "sightings_used": used, "evidence": t.evidence})
    return pd.DataFrame(rows, columns=TRIP_COLUMNS)


def trips_table(rows: pd.DataFrame, origin: str, destination: str, max_speed_kn: float, sim: bool) -> dict:
    body = [[cell(r.trip_id, cls="id"), r.vessel, window(r.left_origin_earliest, r.left_origin_latest),
             window(r.at_destination_first_seen, r.at_destination_last_seen),
             window(r.back_earliest, r.back_latest),
             num(r.containers_loaded) if pd.notna(r.containers_loaded) else "not counted",
             num(r.containers_delivered) if pd.notna(r.containers_delivered) else "not counted",
             cell(parts=_sightings_parts(r.sightings_used), cls="id", as_list=True)] for r in rows.itertuples()]
    return table("trips-table",
                 f"Confirmed round trips{where(sim)}, one row per trip (times UTC). A window is the span in which "
                 f"the departure or arrival must have happened, given the observations on either side and a "
                 f"top speed of {num(max_speed_kn)} kn; at {destination} the first and last time the ship was seen.",
                 ["Trip", "Ship", f"Left {origin} (window)", f"At {destination} (seen)", f"Back at {origin} (window)",
                  "Containers loaded", "Containers delivered", "Sightings (scene)"], body, row_header=True,
                 cls="stack")


def trips_csv(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.drop(columns=["sightings_used"])


def possible_table(possible: pd.DataFrame, sightings: pd.DataFrame, origin: str, destination: str,
                   sim: bool) -> dict:
    s = sightings.set_index("sighting_id")

    def detections(ids: str) -> dict:
        parts = []
        for i in [x for x in str(ids or "").split(";") if x]:
            if i in s.index:
                r = s.loc[i]
                length = f"{num(r['length_m'])} m, " if pd.notna(r["length_m"]) else ""
                parts.append(part(f"{i} ({length}{r['id_confidence']} confidence, {r['datetime']:%d %b}, "
                                  f"scene {r['acq_id']})"))
            else:
                parts.append(part(i))
        return cell(parts=parts or [part("none")], cls="id", as_list=True)
    body = [[cell(r.trip_id, cls="id"), r.vessel, when(r.start), window(r.stay_earliest, r.stay_latest),
             when(r.end), r.basis, detections(r.sightings), detections(r.origin_sightings)]
            for r in possible.sort_values("start").itertuples()]
    return table("possible-table",
                 f"Possible round trips{where(sim)}: not counted in \u201cat least\u201d nor in the claims. "
                 f"Each rests on a detection at {destination} the analyst could not name, of a ship the right "
                 "length, at a time the ship was dark and a trip fits (times UTC).",
                 ["Possible trip", "Ship", f"Could have left {origin}", f"At {destination} (window)",
                  f"Back at {origin} by", "What it rests on", f"Detections at {destination}",
                  f"Detections at {origin} (weak)"], body, row_header=True, cls="stack")


def _score(scores: pd.DataFrame, item: str) -> pd.Series | None:
    s = scores[(scores["item"] == item) & (scores["vessel"] == "all")]
    return s.iloc[0] if len(s) else None


def _contains(trips: pd.DataFrame, truth_trips: pd.DataFrame) -> pd.Series:
    """For each true trip: does a reconstructed trip of its ship contain it?"""
    return pd.Series([bool(((trips["vessel"] == t.vessel) & (trips["start"] <= t.depart_rajin)
                            & (trips["end"] >= t.return_rajin)).any()) for t in truth_trips.itertuples()],
                     index=truth_trips.index, dtype=bool)


def truth_section(*, scores: pd.DataFrame, dark_start: pd.DataFrame | None, truth_trips: pd.DataFrame,
                  trips: pd.DataFrame, possible: pd.DataFrame | None, bounds: pd.DataFrame | None,
                  containers: pd.DataFrame | None, split_visits: int | None, origin: str,
                  destination: str) -> dict:
    """Truth against reconstruction: the intro sentences, the comparison table and the start of
    darkness (simulation only: only a simulation has a truth)."""
    n_true = len(truth_trips)
    per_ship = ", ".join(f"{k} {v}" for k, v in truth_trips.groupby("vessel").size().items())
    rt, rev, pos = (_score(scores, "round_trips"), _score(scores, "round_trips_revealable"),
                    _score(scores, "round_trips_with_possible"))
    visits, legs = _score(scores, "port_calls"), _score(scores, "legs")
    found = _contains(trips, truth_trips)
    n_possible = 0 if possible is None else len(possible)
    at_most = None
    if bounds is not None and len(bounds):
        b = bounds[bounds["vessel"] == "all"]
        at_most = int((b if len(b) else bounds)["at_most"].iloc[0])
    rows = []
    if rt is not None:
        reco = f"{num(len(trips))} confirmed"
        reco += f", {n_possible} more possible" if possible is not None else ""
        reco += f"; at most {at_most} (a ceiling, see below)" if at_most is not None else ""
        check = f"{int(rt['n_found'])} of {n_true} found; precision {share(rt['precision'])}"
        if pos is not None and n_possible:
            check += f"; with the possible: {int(pos['n_found'])} of {n_true}, precision {share(pos['precision'])}"
        rows.append([f"Round trips {origin} \u2192 {destination} \u2192 {origin}", f"{n_true} ({per_ship})",
                     reco, check])
    if rev is not None:
        rows.append(["Round trips the imagery could reveal (ship identified at all three stops)",
                     num(rev["n_truth"]), f"{num(rev['n_reconstructed'])} confirmed",
                     f"{int(rev['n_found'])} of {int(rev['n_truth'])} found"])
    if visits is not None:
        split = f" ({split_visits} split where a hidden trip could fit)" if split_visits else ""
        rows.append([f"Port visits at {origin} and {destination}", num(visits["n_truth"]),
                     f"{num(visits['n_reconstructed'])}{split}",
                     f"{int(visits['n_correct'])} of {int(visits['n_reconstructed'])} inside a true visit; "
                     f"{int(visits['n_found'])} of {int(visits['n_truth'])} true visits found"])
    if legs is not None:
        rows.append([f"Legs between {origin} and {destination}", num(legs["n_truth"]), num(legs["n_reconstructed"]),
                     f"{int(legs['n_correct'])} of {int(legs['n_reconstructed'])} hold exactly one true leg; "
                     f"{int(legs['n_found'])} of {int(legs['n_truth'])} found"])
    cont_text = None
    if "containers" in truth_trips and containers is not None and len(containers):
        d = containers[(containers["port"] == destination)].sort_values("datetime")
        if len(d):
            low, high = int(d["cumulative_low"].iloc[-1]), int(d["cumulative_high"].iloc[-1])
            true_found = int(truth_trips.loc[found, "containers"].sum())
            true_all = int(truth_trips["containers"].sum())
            holds = low <= true_found <= high
            rows.append([f"Containers delivered at {destination}",
                         f"{num(true_found)} on the {int(found.sum())} trip{'' if found.sum() == 1 else 's'} found; "
                         f"{num(true_all)} on all {n_true}",
                         f"{num(low)} counted, up to {num(high)}",
                         f"the range {'holds' if holds else 'misses'} the true {num(true_found)}"])
            cont_text = (f"It counts {num(low)} containers delivered, up to {num(high)} allowing for containers the "
                         f"imagery cannot see; {num(true_found)} were truly delivered on those trips, "
                         f"{num(true_all)} on all {n_true}.")
    comparison = table("truth-table", "Truth against reconstruction in the simulation: what the simulator made "
                       "happen, what the method reconstructed from the simulated observations, and how close it came.",
                       ["What is counted", "True", "Reconstructed", "How close"], rows, row_header=True, cls="stack")
    dark = None
    if dark_start is not None and len(dark_start):
        dark = table("dark-start-table", "When each ship went dark in the simulation: the true AIS switch-off "
                     "against the start of the silence the method found (UTC).",
                     ["Ship", "AIS switched off (true)", "Silence found from", "Error"],
                     [[r.vessel, when(r.true_off), when(r.detected_start), hours(r.error_hours)]
                      for r in dark_start.itertuples()], row_header=True)
    intro = (f"The simulation knows what really happened, so it can score the method. Of {n_true} true round trips "
             f"({per_ship}), the reconstruction confirms {int(found.sum())}")
    if n_possible and pos is not None:
        intro += f" and lists {int(pos['n_found']) - int(found.sum())} more as possible"
    if rt is not None:
        intro += (f"; none it confirms is false (precision {share(rt['precision'])})." if rt["precision"] == 1
                  else f"; precision {share(rt['precision'])}.")
    else:
        intro += "."
    missed = truth_trips[~found]
    if len(missed):
        intro += " Missed: " + ", ".join(f"{r.vessel}'s trip {r.trip_no} ({r.depart_rajin:%d %b})"
                                          for r in missed.itertuples()) + "."
    if cont_text:
        intro += " " + cont_text
    if dark_start is not None and len(dark_start):
        worst = dark_start["error_hours"].abs().max()
        intro += (f" It finds the start of each ship's AIS silence within {worst:.1f} h of the true switch-off.")
    return {"intro": intro, "table": comparison, "dark_start": dark}


def sensitivity_section(sens: pd.DataFrame, gap_hours: float, realistic: float = 0.5) -> dict | None:
    """The reconstruction rerun on scarcer imagery: a sentence at realistic scene loss (the
    cloud probability nearest `realistic`), not the best case, and the table behind it."""
    if sens is None or not len(sens):
        return None
    s = sens[sens["gap_hours"] == gap_hours]
    if s.empty:
        s = sens[sens["gap_hours"] == sens["gap_hours"].min()]
    s = s.sort_values(["revisit_days", "cloud_prob"])
    n = int(s["n_truth"].iloc[0])
    first = int(s["revisit_days"].min())
    daily = s[s["revisit_days"] == first]

    def found(r):
        return int(round(r["recall"] * r["n_truth"]))

    def correct(r):
        return 0 if pd.isna(r["precision"]) else int(round(r["precision"] * r["n_reconstructed"]))

    def every(k):
        return "daily scenes" if k == 1 else f"a scene every {k} days"

    def short(k):
        return "daily" if k == 1 else f"every {k} days"
    real = daily.iloc[(daily["cloud_prob"] - realistic).abs().argsort().iloc[0]]
    best = daily.iloc[0]
    text = (f"The results above use every scene of the simulated record. If each scene is lost to cloud with a "
            f"probability of {real['cloud_prob']:.0%}, {every(first)} confirm {found(real)} of {n} true round trips "
            f"(precision {share(real['precision'])})")
    worse = daily[daily["cloud_prob"] > real["cloud_prob"]]
    if len(worse):
        w = worse.iloc[-1]
        text += (f"; at {w['cloud_prob']:.0%} the method reconstructs {int(w['n_reconstructed'])} trips, of which "
                 f"{correct(w)} {'is' if correct(w) == 1 else 'are'} exactly one true trip "
                 f"(precision {share(w['precision'])})")
    text += (f". Only with no scene lost does it find {found(best)} of {n}.")
    later = s[(s["revisit_days"] > first) & (s["cloud_prob"] == s["cloud_prob"].min())]
    if len(later):
        r2 = later.iloc[0]
        text += f" With {every(int(r2['revisit_days']))} it finds at best {found(r2)} of {n}"
        none = later[later["recall"] == 0]
        if len(none):
            text += f", and from {every(int(none['revisit_days'].iloc[0]))} none"
        text += (": a trip counts only when the ship is identified at both ends, and a stay at the "
                 "destination lasts a few days.")
    keep = s[s["revisit_days"].isin(sorted(s["revisit_days"].unique())[:2])]
    rows = [[short(int(r.revisit_days)).capitalize(), f"{r.cloud_prob:.0%}", num(r.n_reconstructed),
             f"{found(r._asdict())} of {n}", share(r.precision)] for r in keep.itertuples()]
    tab = table("sensitivity-table", f"The reconstruction rerun on thinned simulated imagery, scored against the "
                f"truth (dark-period threshold {num(gap_hours)} h). Precision: the share of confirmed trips that "
                "are exactly one true trip (n/a: none confirmed).",
                ["Scenes", "Lost to cloud", "Trips confirmed", "True trips found", "Precision"], rows)
    return {"text": text, "table": tab, "realistic_cloud": float(real["cloud_prob"]), "found": found(real),
            "n_truth": n, "precision": real["precision"]}


def record_section(calls: pd.DataFrame, departures: pd.DataFrame, aggregates: pd.DataFrame, *,
                   n_observations: int, n_pages: int, origin: str, destination: str) -> dict:
    """The public record (real data): what it dates per port and ship, the departures it bounds
    between two images, and each source's own total against what the ledger itself dates.
    `calls`: helpers.public_record.calls; `departures`: departures_between; `aggregates`:
    compare_aggregates, with `source_url`."""
    ships = sorted(s for s in calls["vessel"].dropna().unique())
    rows = []
    for place, g in calls.groupby("place", sort=False):
        named = [num(g.loc[g["vessel"] == s, "call_id"].nunique()) for s in ships]
        unnamed = g.loc[g["vessel"].isna(), "call_id"].nunique()
        rows.append([place, *named, num(unnamed), num(g["call_id"].nunique()), day(g["day"].min()),
                     day(g["day"].max())])
    order = {p: i for i, p in enumerate([origin, destination])}
    rows.sort(key=lambda r: (order.get(r[0], 2), r[0]))
    calls_t = table("record-calls", "Dated ship calls in the public record, by port and ship (distinct calls: "
                    "one ship at one port over consecutive days, whatever the number of sources).",
                    ["Port", *ships, "Ship not named", "All calls", "First", "Last"], rows, row_header=True)
    dep = table("record-departures", "Departures the record bounds between two images (the ship seen on one, "
                "gone on the next).", ["Port", "Ship", "Seen there", "Gone by", "Window", "Source"],
                [[r.place, r.ship, day(r.after), day(r.before), f"{num(r.hours)} h", r.source]
                 for r in departures.itertuples()])
    agg_rows = []
    for r in aggregates.itertuples():
        agg_rows.append([r.claim, num(r.value), r.unit, day(r.as_of),
                         cell(r.source_outlet, href=r.source_url if str(r.source_url).startswith("http") else None),
                         num(r.ledger_value), cell(r.verdict, cls=verdict_class_record(r.verdict)), r.reason])
    agg_t = table("record-aggregates", "Each source's own total against what the ledger itself dates for the "
                  "same unit, scope and date.", ["Total as published", "Value", "Unit", "As of", "Source",
                                                 "The ledger shows", "Verdict", "Why"], agg_rows, cls="stack")
    verdicts = aggregates["verdict"].value_counts()
    dunai = calls[calls["place"] == destination]
    intro = (f"The public record holds {num(n_observations)} dated observations from {num(n_pages)} published pages "
             f"(data/public_record/), real and as the sources reported them. In this report's window it dates "
             f"{num(calls.loc[calls['place'] == origin, 'call_id'].nunique())} ship calls at {origin} and "
             f"{num(dunai['call_id'].nunique())} at {destination}"
             + (", none of them naming a ship" if dunai["vessel"].notna().sum() == 0 else "")
             + f". Of the sources' {num(len(aggregates))} totals, {num(verdicts.get('reproduced', 0))} are reproduced "
             f"by the ledger's own dated rows, {num(verdicts.get('consistent (lower)', 0))} are consistent but higher "
             f"than what it dates, and {num(verdicts.get('cannot check', 0))} cannot be checked from dated public "
             "observations.")
    return {"intro": intro, "calls": calls_t, "departures": dep, "aggregates": agg_t}


def verdict_class_record(verdict: str) -> str:
    return {"reproduced": "supported", "consistent (lower)": "insufficient-data",
            "cannot check": "insufficient-data"}.get(verdict, "")
