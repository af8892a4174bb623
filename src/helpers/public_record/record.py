"""What the ledger dates: ship calls per port and ship, departures between two images, windows,
and the ledger's ship presence as the canonical sightings table.

Decisions (data/public_record/README.md, "How the analysis reads the ledger", says them in plain
words):

- **Day precision.** A ship row dates a ship to the day when it has no `observed_end`, or a range
  of at most DAY_RANGE_DAYS (3) calendar days: the README cannot tell, row by row, a stay over
  those days from a window of uncertainty, so only the first day (`observed`) is taken as a day
  the ship was there; the range's end is kept in the note, never turned into a second
  observation. Longer ranges ("7 Sep - 1 Oct", "Sep-Dec 2023") are *windows*: a call somewhere in
  them, listed by `windows`, never a dated call or a sighting. A `departed between` row always
  dates the ship to its `observed` day (it is on that image); its range bounds the departure.
- **Time of a date-only observation.** The ledger's dates are days as the sources give them
  (image dates, not converted between time zones). A sighting is put at 12:00 UTC of that day:
  within +-12 h of any moment of the UTC day, and no more than a day from the day the source
  meant when it wrote a Korean (KST) or US date.
- **Sightings** are the rows of a ship seen (SHIP_SEEN) at a place with a geofence among the
  `ports` given, day-dated. "visit inferred" rows count as calls but are no sighting (no ship was
  imaged). The position is the port's berth (the ledger has no coordinates).
- **De-duplication.** Rows of the same ship (a name, or "unidentified" with its length) at the
  same port on the same day are one sighting and one dated call; every row behind it is listed
  (obs_ids, outlets, pages). Distinct calls (`call_id`) join a ship's dated days at one port
  that follow each other (observation days one day apart, e.g. 19 and 20 Oct, 4 and 5 Feb), and
  count an unidentified ship of no stated length on a day another ship is dated at that port as
  that ship (12 Feb 2024: the same event in two outlets). Ships at two piers two days apart stay
  two calls: the README's 19 dated calls at Rajin, 26 Aug 2023 - 12 Feb 2024.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ParamsError
from ..schema import CONFIDENCE_ORDER, confidence_at_least, validate
from .ledger import DAY_RANGE_DAYS, NONE, SHIP_CALL, SHIP_SEEN, UNIDENTIFIED

MIDDAY = pd.Timedelta(hours=12)
DAY = pd.Timedelta(days=1)
_RANK = {c: i for i, c in enumerate(CONFIDENCE_ORDER)}

CALL_COLUMNS = ["call_id", "place", "ship", "vessel", "length_m", "day", "day_end", "what",
                "containers", "confidence", "n_rows", "n_sources", "obs_ids", "outlets"]


def slug(text: str) -> str:
    """Lowercase, runs of anything but letters and digits as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def ship_key(vessel, length) -> str:
    """How the ledger tells ships apart: the name, or 'unidentified <length> m' (or just
    'unidentified' when the source gives no length)."""
    if vessel is None or pd.isna(vessel) or vessel == UNIDENTIFIED:
        return f"{UNIDENTIFIED} {length:g} m" if length is not None and pd.notna(length) else UNIDENTIFIED
    return str(vessel)


def day_dated(observations: pd.DataFrame) -> pd.Series:
    """True for rows that date what they say to a day (see the module docstring)."""
    o = observations
    span = o["observed_end"] - o["observed"]
    return (o["what"] == "departed between") | o["observed_end"].isna() | \
        (span <= (DAY_RANGE_DAYS - 1) * DAY)


def _ships(observations: pd.DataFrame, whats) -> pd.DataFrame:
    """Rows of a ship (named or unidentified) doing one of `whats`, with `ship` and `day`."""
    o = observations[observations["what"].isin(list(whats))
                     & observations["vessel"].notna() & (observations["vessel"] != NONE)].copy()
    o["ship"] = [ship_key(v, x) for v, x in zip(o["vessel"], o["vessel_length_m"])]
    o["day"] = o["observed"]
    o["day_end"] = o["observed_end"].fillna(o["observed"]).where(o["what"] != "departed between",
                                                                  o["observed"])
    o["rank"] = o["confidence"].map(_RANK)
    return o


def _source(r) -> str:
    return f"{r.source_outlet}, {r.published:%Y-%m-%d} [{r.obs_id}]"


def _group(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per `keys`: the strongest, most detailed row first (its fields), with the ids,
    outlets and pages of all."""
    rows = rows.assign(_has_len=rows["vessel_length_m"].notna(),
                       _has_box=rows["containers"].notna())
    rows = rows.sort_values(["rank", "_has_len", "_has_box", "published", "line"],
                            ascending=[False, False, False, True, True], kind="stable")
    out = []
    for _, g in rows.groupby(keys, sort=True):
        first = g.iloc[0]
        by_line = g.sort_values("line", kind="stable")
        out.append(dict(
            first.to_dict(), what="; ".join(dict.fromkeys(by_line["what"])),
            containers=g["containers"].max() if g["containers"].notna().any() else pd.NA,
            day_end=g["day_end"].max(), n_rows=len(g), n_sources=g["source_url"].nunique(),
            obs_ids=";".join(by_line["obs_id"]),
            outlets="; ".join(dict.fromkeys(by_line["source_outlet"])),
            sources="; ".join(_source(r) for r in by_line.itertuples())))
    return pd.DataFrame(out)


def calls(observations: pd.DataFrame) -> pd.DataFrame:
    """Dated ship calls: one row per place, ship and day (SHIP_CALL rows dated to the day), with
    `call_id` (the distinct call the day belongs to), the rows behind it (obs_ids), how many
    rows and distinct pages (n_sources), the outlets, the strongest confidence and the most
    containers any of them gives. `day_end`: the latest end of a range among the rows."""
    o = _ships(observations, SHIP_CALL)
    o = o[day_dated(o)]
    if o.empty:
        return pd.DataFrame(columns=CALL_COLUMNS)
    c = _group(o, ["place", "ship", "day"])
    c = c.rename(columns={"vessel_length_m": "length_m"})
    c["vessel"] = c["vessel"].where(c["vessel"] != UNIDENTIFIED, None)
    c = c.sort_values(["place", "ship", "day"], kind="stable").reset_index(drop=True)
    alone = c["ship"] != UNIDENTIFIED
    crowded = ~alone & c.duplicated(["place", "day"], keep=False)
    main = c[~crowded]
    new = ((main["place"] != main["place"].shift()) | (main["ship"] != main["ship"].shift())
           | ((main["day"] - main["day"].shift()) > DAY))
    group = new.cumsum()
    first = main.groupby(group)["day"].transform("min")
    c.loc[main.index, "call_id"] = [f"{slug(p)}-{slug(s)}-{d:%Y%m%d}"
                                    for p, s, d in zip(main["place"], main["ship"], first)]
    for i in c.index[crowded]:
        # an unidentified ship of no length on a day another ship is dated there: that ship
        # (a named one first)
        mates = c[(c["place"] == c.at[i, "place"]) & (c["day"] == c.at[i, "day"]) & ~crowded]
        mates = mates.sort_values(["vessel", "ship"], na_position="last", kind="stable")
        c.at[i, "call_id"] = mates["call_id"].iloc[0]
    c = c.sort_values(["place", "day", "ship"], kind="stable").reset_index(drop=True)
    return c[CALL_COLUMNS]


def count_calls(call_table: pd.DataFrame, *, place: str, since=None, until=None,
                vessels=None) -> dict[str, int]:
    """Dated calls at `place` between `since` and `until` (inclusive days, UTC): a call counts
    when its first day is not before `since` and its last day (the end of any range) not after
    `until`, so a call known only to have happened by a later date is left out. `vessels`: only
    rows of these named ships. Returns days (distinct days dated), rows (ship-days) and calls
    (distinct calls)."""
    c = call_table[call_table["place"] == place]
    if vessels is not None:
        c = c[c["vessel"].isin(list(vessels))]
    if len(c):
        span = c.groupby("call_id").agg(first=("day", "min"), last=("day_end", "max"))
        keep = pd.Series(True, index=span.index)
        if since is not None:
            keep &= span["first"] >= _utc(since)
        if until is not None:
            keep &= span["last"] <= _utc(until)
        c = c[c["call_id"].isin(span.index[keep])]
    return {"days": int(c["day"].nunique()), "rows": int(len(c)), "calls": int(c["call_id"].nunique())}


def _utc(t) -> pd.Timestamp:
    t = pd.Timestamp(t)
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def windows(observations: pd.DataFrame) -> pd.DataFrame:
    """Ship calls the ledger dates only to a window longer than DAY_RANGE_DAYS (e.g. the White
    House's ANGARA 7 Sep - 1 Oct 2023, the UK's Sep-Dec 2023 photos): one row per ledger row."""
    o = _ships(observations, SHIP_CALL)
    o = o[~day_dated(o)]
    cols = ["obs_id", "place", "ship", "vessel", "what", "observed", "observed_end",
            "confidence", "source_outlet", "published"]
    return o[cols].sort_values(["observed", "place", "ship"], kind="stable").reset_index(drop=True)


def departures_between(observations: pd.DataFrame) -> pd.DataFrame:
    """Departures bounded between two images ('departed between' rows): the ship was there on
    the `observed` day and gone by the end of the `observed_end` day, so it left between
    `after` (00:00 UTC of observed) and `before` (00:00 UTC the day after observed_end)."""
    o = _ships(observations, ["departed between"])
    out = pd.DataFrame({
        "obs_id": o["obs_id"], "place": o["place"], "ship": o["ship"],
        "vessel": o["vessel"].where(o["vessel"] != UNIDENTIFIED, None),
        "length_m": o["vessel_length_m"], "after": o["observed"],
        "before": o["observed_end"].fillna(o["observed"]) + DAY, "pier": o["pier"],
        "confidence": o["confidence"], "source": [_source(r) for r in o.itertuples()]})
    out["hours"] = (out["before"] - out["after"]) / pd.Timedelta(hours=1)
    return out.sort_values(["after", "place"], kind="stable").reset_index(drop=True)


_MON = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"


def cloudy_days(observations: pd.DataFrame) -> pd.DataFrame:
    """Days a source names as hidden by cloud at a place (a gap in its coverage), read from the
    paraphrase: a day ("14 Feb") followed within a few words by "cloud", in the year of the
    row's range. One row per place and day, with the rows that name it."""
    rows = []
    for r in observations.itertuples(index=False):
        text = f"{r.paraphrase} {r.containers_note or ''}"
        for m in re.finditer(rf"\b(\d{{1,2}}) ({_MON})[a-z]*\b(?=[^.;]{{0,40}}\bcloud)", text):
            day = pd.Timestamp(f"{m.group(1)} {m.group(2)} {r.observed.year}", tz="UTC")
            if day < r.observed:          # a range into the next year ("28 Dec - 3 Jan")
                day = day.replace(year=day.year + 1)
            rows.append(dict(place=r.place, day=day, obs_id=r.obs_id, source_outlet=r.source_outlet))
    out = pd.DataFrame(rows, columns=["place", "day", "obs_id", "source_outlet"])
    return out.groupby(["place", "day"], as_index=False, sort=True).agg(
        obs_ids=("obs_id", ";".join), outlets=("source_outlet", "; ".join))


def as_sightings(observations: pd.DataFrame, ports, *, window=None,
                 min_confidence: str = "medium", vessels=None) -> pd.DataFrame:
    """The ledger's ship presence as the canonical "sightings" table, already matched.

    Rows kept: SHIP_SEEN rows dated to the day at a place whose port (PLACE_PORT, i.e. the
    place's own name) has a geofence in `ports` (a GeoDataFrame like geo.load_ports: port,
    berth_lon, berth_lat); inside `window` (start, end) when given. One sighting per port, ship
    and day (the module docstring says why), at 12:00 UTC of the day and at the port's berth.

    - sighting_id: the obs_id of the strongest row (then the one with a length or a container
      count, then the earliest published); acq_id 'record:<that obs_id>'.
    - match: 'identified' for a named ship at `min_confidence` or above (vessel = the name;
      with `vessels`, a name not among them is 'other vessel'); 'low-confidence' below it (vessel
      null, "analyst id: NAME (low)" in the note, as helpers.imagery.matching writes it);
      'unidentified' for a ship the source does not name (id_confidence 'none', length_m its
      stated length). id_confidence of a named ship: the strongest row's confidence.
    - containers: the most any of the rows gives; analyst_note: what the sources say and every
      row behind it (outlet, publication date, obs_id).
    """
    if min_confidence not in CONFIDENCE_ORDER:
        raise ParamsError("<parameters>", "min_confidence", f"unknown confidence {min_confidence!r}",
                          f"use one of {CONFIDENCE_ORDER}")
    berth = {str(p): (float(x), float(y)) for p, x, y in
             zip(ports["port"], ports["berth_lon"], ports["berth_lat"])}
    o = _ships(observations, SHIP_SEEN)
    o = o[day_dated(o) & o["place"].isin(list(berth))]
    o = o.assign(datetime=o["day"] + MIDDAY)
    if window is not None:
        o = o[(o["datetime"] >= _utc(window[0])) & (o["datetime"] < _utc(window[1]))]
    if o.empty:
        return validate(pd.DataFrame(columns=["sighting_id"]), "sightings", file="<public record>")
    g = _group(o, ["place", "ship", "day"])
    named = g["vessel"] != UNIDENTIFIED
    strong = confidence_at_least(g["confidence"], min_confidence) & named
    wanted = g["vessel"].isin(list(vessels)) if vessels is not None else named
    match = np.select([~named, ~strong, wanted], ["unidentified", "low-confidence", "identified"],
                      "other vessel")
    note = [(f"analyst id: {v} ({c}); " if m == "low-confidence" else "")
            + f"public record: {w}" + (f" ({d:%d %b}-{e:%d %b %Y})" if e > d else "")
            + f"; {n} source{'s' if n > 1 else ''}: {s}"
            for v, c, m, w, d, e, n, s in zip(g["vessel"], g["confidence"], match, g["what"],
                                               g["day"], g["day_end"], g["n_rows"], g["sources"])]
    out = pd.DataFrame({
        "sighting_id": g["obs_id"], "acq_id": "record:" + g["obs_id"], "datetime": g["datetime"],
        "port": g["place"], "lon": [berth[p][0] for p in g["place"]],
        "lat": [berth[p][1] for p in g["place"]], "length_m": g["vessel_length_m"],
        "heading_deg": np.nan,
        "vessel": g["vessel"].where((match == "identified") | (match == "other vessel"), None),
        "id_confidence": g["confidence"].where(named, "none"),
        "containers": g["containers"], "analyst_note": note, "match": match})
    out = out.sort_values(["datetime", "port", "sighting_id"], kind="stable")
    return validate(out, "sightings", file="<public record>")


def traced_round_trips(call_table: pd.DataFrame, origin: str, destination: str,
                       vessels=None) -> pd.DataFrame:
    """Round trips origin -> destination -> origin the ledger dates at both ends, per named ship:
    its distinct calls in date order (at any port), consecutive calls at one port as one stay;
    a stay at the origin, then the destination, then the origin again is one trip (as
    helpers.analysis.visits counts consecutive legs). `start`: the last day at the origin before,
    `end`: the first day back."""
    c = call_table[call_table["vessel"].notna()]
    if vessels is not None:
        c = c[c["vessel"].isin(list(vessels))]
    rows = []
    for vessel, cv in c.groupby("vessel", sort=True):
        calls_ = cv.groupby("call_id").agg(place=("place", "first"), first=("day", "min"),
                                           last=("day_end", "max")).sort_values("first")
        stays = calls_[calls_["place"] != calls_["place"].shift()]
        ends = calls_.groupby((calls_["place"] != calls_["place"].shift()).cumsum())["last"].max()
        stays = stays.assign(last=ends.to_numpy())
        i, n = 0, 0
        while i + 2 < len(stays):
            a, b, d = stays.iloc[i], stays.iloc[i + 1], stays.iloc[i + 2]
            if (a.place, b.place, d.place) == (origin, destination, origin):
                n += 1
                rows.append(dict(vessel=vessel, trip_no=n, start=a["last"], end=d["first"],
                                 calls=";".join(stays.index[i:i + 3])))
                i += 2
            else:
                i += 1
    return pd.DataFrame(rows, columns=["vessel", "trip_no", "start", "end", "calls"])


__all__ = ["MIDDAY", "CALL_COLUMNS", "as_sightings", "calls", "count_calls",
           "cloudy_days", "day_dated", "departures_between", "ship_key", "slug", "traced_round_trips", "windows"]
