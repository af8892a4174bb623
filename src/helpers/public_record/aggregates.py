"""The sources' own totals (aggregates.csv) against what the ledger itself dates.

`compare_aggregates` gives one row per total: what the ledger counts in the same unit, scope and
period, and a verdict:

- **reproduced**: the ledger dates at least as many (its own rows reach the source's number);
- **consistent (lower)**: the ledger dates fewer, but at least `min_share` (half) of the number:
  the public record shows a good part of what the source counts, and a count from published
  images is a lower bound, so fewer is no contradiction;
- **cannot check**: the ledger has no basis for the number (a national total, a unit no image
  shows such as shells or tonnes, a ship or port the ledger never dates), or dates under
  `min_share` of it: too little of the record is public to test it.

What is compared, by unit (the README of data/public_record/ discusses each):

- ship visits, trips, shipments, occasions: distinct dated calls (helpers.public_record.record
  `calls` / `count_calls`) at the first port the scope names (Najin and Rason are Rajin), of the
  ships it names (a scope naming ships, or "four ships", counts named ships only; otherwise every
  ship, unidentified ones included), from the start of the source's period (RECORD_START unless
  the claim or scope says "since 26 Aug", "in 2024 so far", "October-December 2025", "from
  October 2023") to `as_of`; a call counts by `as_of` only when all its dated days are. A Rajin
  call is a trip at most, so calls are compared with trips as a lower bound. Pier and ship-length
  qualifiers of a scope are not applied (sources name the piers differently).
- ship visits per month: those calls divided by the months of the period.
- round trips: round trips dated at both ends (the `round_trips` table given, e.g. from
  helpers.analysis.trips on `as_sightings`; else `traced_round_trips` on the ledger's calls).
- containers: the sum of the container numbers the ledger dates to the day at that port (one
  number per place and day, the largest), of the named ships if the scope names any.
- imagery days: distinct days the ledger dates activity at that port (a ship call or containers
  on the quay).
- shells, tonnes, and any total whose scope is national ("North Korea->Russia ..."): cannot
  check (the ledger's own figure is still given where it has one).
"""

from __future__ import annotations

import re

import pandas as pd

from .ledger import CARGO, VESSELS
from .record import calls as dated_calls
from .record import count_calls, day_dated, traced_round_trips, windows

RECORD_START = pd.Timestamp("2023-08-01", tz="UTC")   # the shuttle's start: totals count from August 2023
VERDICTS = ("reproduced", "consistent (lower)", "cannot check")
CALL_UNITS = ("ship visits", "trips", "shipments", "occasions")
UNOBSERVABLE = ("shells", "tonnes")
PORT_NAMES = {"rajin": "Rajin", "najin": "Rajin", "rason": "Rajin", "dunai": "Dunai",
              "dunay": "Dunai", "vostochny": "Vostochny", "vladivostok": "Vladivostok"}
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MON = "|".join(m[:3] for m in _MONTHS)
COLUMNS = ["agg_id", "claim", "value", "unit", "as_of", "scope", "source_outlet", "since",
           "measure", "ledger_value", "verdict", "reason"]


def _month(word: str) -> int:
    return [m[:3] for m in _MONTHS].index(word[:3].lower()) + 1


def period_start(claim: str, scope: str, as_of: pd.Timestamp) -> pd.Timestamp:
    """Where a total starts counting, from its words; RECORD_START when they do not say."""
    text = f"{claim} {scope}"
    m = re.search(rf"\b(?:since|from|between) (\d{{1,2}}) ({_MON})[a-z]*\.?(?: (\d{{4}}))?", text, re.I)
    if m:
        month = _month(m.group(2))
        year = int(m.group(3)) if m.group(3) else as_of.year - (month > as_of.month)
        return pd.Timestamp(year=year, month=month, day=int(m.group(1)), tz="UTC")
    m = re.search(r"\bin (\d{4}) so far", text, re.I)
    if m:
        return pd.Timestamp(year=int(m.group(1)), month=1, day=1, tz="UTC")
    m = re.search(rf"\b(?:from )?({_MON})[a-z]*(?:-| to )(?:{_MON})[a-z]* (\d{{4}})", text, re.I)
    if m and not re.search(rf"\b({_MON})[a-z]* \d{{4}} to ", text, re.I):
        return pd.Timestamp(year=int(m.group(2)), month=_month(m.group(1)), day=1, tz="UTC")
    m = re.search(rf"\bfrom ({_MON})[a-z]* (\d{{4}})", text, re.I)
    if m:
        return pd.Timestamp(year=int(m.group(2)), month=_month(m.group(1)), day=1, tz="UTC")
    return RECORD_START


def scope_ports(scope: str) -> list[str]:
    """The ledger ports a scope names, in its order (Najin, Rason -> Rajin; Dunay -> Dunai)."""
    found = [PORT_NAMES[m.group(0).lower()]
             for m in re.finditer(r"\b(" + "|".join(PORT_NAMES) + r")\b", scope, re.I)]
    return list(dict.fromkeys(found))


def scope_ships(scope: str) -> list[str] | None:
    """The named ships a scope covers: those it names, all of VESSELS for "four ships" and the
    like, None (every ship, unidentified ones included) otherwise."""
    named = [v for v in VESSELS if re.search(rf"\b{re.escape(v)}\b", scope, re.I)]
    if named:
        return named
    if re.search(r"\b(two|three|four|five|\d+) ships\b", scope, re.I):
        return list(VESSELS)
    return None


def national(scope: str) -> bool:
    """A country-to-country total ("North Korea->Russia ..."): nothing the ledger dates."""
    return bool(re.match(r"\s*(North Korea|Russia)\s*(->|<->)", scope, re.I))


def _d(t) -> str:
    return f"{pd.Timestamp(t):%d %b %Y}".lstrip("0")


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _who(ships) -> str:
    return " or ".join(ships) if ships else "any ship"


def _containers(observations, port, ships, since, until) -> tuple[float, int]:
    """Sum of the dated container numbers (one per place and day, the largest) and how many."""
    o = observations[observations["containers"].notna() & day_dated(observations)
                     & (observations["observed"] >= since)
                     & (observations["observed_end"].fillna(observations["observed"]) <= until)]
    if port is not None:
        o = o[o["place"] == port]
    if ships:
        o = o[o["vessel"].isin(ships)]
    per_day = o.groupby(["place", "observed"])["containers"].max()
    return float(per_day.sum()), int(len(per_day))


def _activity_days(observations, calls, port, since, until) -> int:
    c = calls[(calls["place"] == port) & (calls["day"] >= since) & (calls["day_end"] <= until)]
    o = observations[observations["what"].isin(CARGO) & day_dated(observations)
                     & (observations["place"] == port) & (observations["observed"] >= since)
                     & (observations["observed_end"].fillna(observations["observed"]) <= until)]
    return int(pd.concat([c["day"], o["observed"]]).nunique())


def _verdict(ledger: float, value: float, min_share: float) -> str:
    if ledger >= value:
        return "reproduced"
    if ledger > 0 and ledger >= min_share * value:
        return "consistent (lower)"
    return "cannot check"


def _n(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _compare(a, observations, calls, round_trips, min_share) -> dict:
    since, until = period_start(a.claim, a.scope, a.as_of), a.as_of
    ports, ships = scope_ports(a.scope), scope_ships(a.scope)
    port = ports[0] if ports else None
    period = f"{_d(since)} to {_d(until)}"
    row = dict(since=since, measure="", ledger_value=float("nan"), verdict="cannot check")
    if a.unit in UNOBSERVABLE:
        return dict(row, measure="none", reason=f"{a.unit}: no image shows them; the ledger has "
                    "no basis for the number")
    if a.unit == "containers":
        total, n = _containers(observations, None if national(a.scope) else port, ships, since, until)
        where = "anywhere" if national(a.scope) or port is None else f"at {port}"
        row.update(measure=f"container numbers the ledger dates {where}, {period}",
                   ledger_value=total)
        said = f"the ledger dates {_n(total)} containers {where} in {n} count(s) by {_d(until)}"
        if national(a.scope) or port is None:
            return dict(row, reason=f"a national total; {said} (other stacks are measured in "
                        "metres, not counted)")
        v = _verdict(total, a.value, min_share)
        return dict(row, verdict=v, reason=f"{said}, against {_n(a.value)}")
    if national(a.scope) or port is None:
        return dict(row, measure="none", reason="a national total (or no port named): no dated "
                    "ship-level basis in the ledger")
    if a.unit == "round trips":
        return dict(row, **_round_trips(a, calls, round_trips, ports, ships, since, until,
                                         min_share))
    if a.unit in CALL_UNITS or a.unit == "ship visits per month":
        got = count_calls(calls, place=port, since=since, until=until, vessels=ships)
        n = float(got["calls"])
        measure = f"distinct dated calls at {port} of {_who(ships)}, {period}"
        if a.unit == "ship visits per month":
            months = (until.year - since.year) * 12 + until.month - since.month + 1
            n, measure = n / months, f"{measure}, per month ({months} months)"
        row.update(measure=measure, ledger_value=n)
        v = _verdict(n, a.value, min_share)
        extra = (f"; {count_calls(calls, place=port, since=since, until=until)['calls']} of "
                 "any ship" if ships else "")
        win = windows(observations)
        win = win[(win["place"] == port) & (win["observed"] >= since) & (win["observed_end"] <= until)
                  & (win["vessel"].isin(ships) if ships else True)]
        spans = dict.fromkeys(f"{w.ship} {w.observed.day} {w.observed:%b}-{_d(w.observed_end)}"
                              for w in win.itertuples())
        plus = (f"; plus {len(spans)} call(s) dated only to a window: {', '.join(spans)}"
                if spans else "")
        unit = f" {a.unit}" if a.unit != "ship visits" else ""
        return dict(row, verdict=v, reason=f"the ledger dates {_n(n)} call(s) at {port} of "
                    f"{_who(ships)} on {_days(got['days'])}{extra}, {period}, against "
                    f"{_n(a.value)}{unit}{plus}")
    if a.unit == "imagery days":
        n = _activity_days(observations, calls, port, since, until)
        row.update(measure=f"distinct days with a dated ship call or containers at {port}, {period}",
                   ledger_value=float(n))
        return dict(row, verdict=_verdict(n, a.value, min_share),
                    reason=f"the ledger dates activity at {port} on {_days(n)}, {period}, "
                    f"against {_n(a.value)}")
    return dict(row, measure="none", reason=f"no rule for the unit '{a.unit}'")


def _round_trips(a, calls, round_trips, ports, ships, since, until, min_share) -> dict:
    """Round trips dated at both ends (the reconstruction's, or the ledger's traced ones)."""
    origin = ports[0]
    dest = ports[1] if len(ports) > 1 else None
    if round_trips is not None:
        rt = round_trips[(round_trips["start"] >= since)
                         & (round_trips["end"] < until + pd.Timedelta(days=1))]
        how = "round trips dated at both ends (the reconstruction's)"
    else:
        rt = traced_round_trips(calls, origin, dest or origin, ships)
        rt = rt[(rt["start"] >= since) & (rt["end"] <= until)]
        how = "round trips the ledger dates at both ends"
    if ships:
        rt = rt[rt["vessel"].isin(ships)]
    n = len(rt)
    why = f"{n} round trip(s) dated at both ends; " if n else ""
    if dest and not count_calls(calls, place=dest, since=since, until=until, vessels=ships)["calls"]:
        why += f"no call of {_who(ships)} at {dest} is dated by {_d(until)}; "
    at_origin = count_calls(calls, place=origin, since=since, until=until)["calls"]
    return dict(measure=how, ledger_value=float(n), verdict=_verdict(n, a.value, min_share),
                reason=f"{why}{origin} has {at_origin} day-dated call(s) of any ship, "
                       f"{_d(since)} to {_d(until)}")


def compare_aggregates(aggregates: pd.DataFrame, observations: pd.DataFrame,
                       round_trips: pd.DataFrame | None = None, *,
                       min_share: float = 0.5) -> pd.DataFrame:
    """One row per aggregate (read_aggregates) with what the ledger (read_observations) dates for
    the same unit, scope and period: `since` (where the period starts), `measure` (what is
    counted, in words), `ledger_value`, `verdict` (VERDICTS; the module docstring defines them)
    and `reason`. `round_trips`: vessel, start, end (e.g. helpers.analysis.trips on the ledger's
    sightings); without it the ledger's own traced round trips are used."""
    calls = dated_calls(observations)
    rows = []
    for a in aggregates.itertuples(index=False):
        out = _compare(a, observations, calls, round_trips, min_share)
        rows.append(dict(agg_id=a.agg_id, claim=a.claim, value=a.value, unit=a.unit,
                         as_of=a.as_of, scope=a.scope, source_outlet=a.source_outlet, **out))
    return pd.DataFrame(rows, columns=COLUMNS)
