"""Scoring the reconstruction against the simulated scenario's ground truth (data/truth/).

Only notebook 70 and the tests call this: the analysis itself never reads the truth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .imagery import CONFIDENCE_ORDER

CONFIDENCE = {c: i for i, c in enumerate(CONFIDENCE_ORDER)}


def load_truth(root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    root = paths.resolve(root or paths.TRUTH)
    out = {}
    for name, times in (("round_trips", ["depart_rajin", "arrive_dunai", "depart_dunai", "return_rajin"]),
                        ("port_visits", ["arrival", "departure"]),
                        ("ais_switches", ["ais_off", "ais_on"])):
        df = pd.read_csv(root / f"{name}.csv")
        for c in times:
            df[c] = pd.to_datetime(df[c], utc=True)
        out[name] = df
    return out


def visit_seen(visits: pd.DataFrame, sightings: pd.DataFrame, min_confidence: str) -> np.ndarray:
    """For each true visit: did an identified sighting (confidence >= min) fall inside it?"""
    ok = sightings["id_confidence"].map(CONFIDENCE).fillna(0) >= CONFIDENCE[min_confidence]
    s = sightings[ok & sightings["vessel"].notna()]
    seen = np.zeros(len(visits), dtype=bool)
    for i, v in enumerate(visits.itertuples()):
        m = (s["vessel"] == v.vessel) & (s["port"] == v.port) & \
            (s["datetime"] >= v.arrival) & (s["datetime"] <= v.departure)
        seen[i] = bool(m.any())
    return seen


def revealable(truth: dict, sightings: pd.DataFrame, min_confidence: str) -> pd.DataFrame:
    """True round trips whose three visits (Rajin, Dunai, Rajin again) the imagery all saw."""
    visits = truth["port_visits"].copy()
    visits["seen"] = visit_seen(visits, sightings, min_confidence)
    trips = truth["round_trips"].copy()

    def seen(vessel, port, col, t):
        m = visits[(visits["vessel"] == vessel) & (visits["port"] == port) & (visits[col] == t)]
        return bool(len(m)) and bool(m["seen"].iloc[0])

    trips["seen_load"] = [seen(r.vessel, "Rajin", "departure", r.depart_rajin) for r in trips.itertuples()]
    trips["seen_unload"] = [seen(r.vessel, "Dunai", "arrival", r.arrive_dunai) for r in trips.itertuples()]
    trips["seen_return"] = [seen(r.vessel, "Rajin", "arrival", r.return_rajin) for r in trips.itertuples()]
    trips["revealable"] = trips[["seen_load", "seen_unload", "seen_return"]].all(axis=1)
    return trips


def score_round_trips(reconstructed: pd.DataFrame, truth_trips: pd.DataFrame) -> pd.DataFrame:
    """Match each reconstructed round trip to the true trips it contains; precision and recall."""
    rows = []
    for vessel in sorted(set(truth_trips["vessel"]) | set(reconstructed["vessel"])):
        t = truth_trips[truth_trips["vessel"] == vessel]
        r = reconstructed[reconstructed["vessel"] == vessel]
        contains = np.array([[(rr.start <= tt.depart_rajin) and (rr.end >= tt.return_rajin)
                              for tt in t.itertuples()] for rr in r.itertuples()], dtype=bool).reshape(len(r), len(t))
        exact = contains.sum(axis=1) == 1 if len(r) else np.zeros(0, bool)
        found = contains.any(axis=0) if len(r) else np.zeros(len(t), bool)
        rev = t["revealable"].to_numpy() if "revealable" in t else np.ones(len(t), bool)
        rows.append(dict(vessel=vessel, true_trips=len(t), revealable=int(rev.sum()),
                         reconstructed=len(r), correct=int(exact.sum()),
                         found=int(found.sum()), found_revealable=int((found & rev).sum())))
    df = pd.DataFrame(rows)
    tot = df.drop(columns="vessel").sum().to_frame().T.assign(vessel="all")
    df = pd.concat([df, tot[df.columns]], ignore_index=True)
    df["precision"] = (df["correct"] / df["reconstructed"].where(df["reconstructed"] > 0)).round(3)
    df["recall"] = (df["found"] / df["true_trips"].where(df["true_trips"] > 0)).round(3)
    df["recall_revealable"] = (df["found_revealable"] / df["revealable"].where(df["revealable"] > 0)).round(3)
    return df


def dark_start_error(dark_periods: pd.DataFrame, switches: pd.DataFrame) -> pd.DataFrame:
    """Detected start of darkness (last position before the gap) versus the true switch-off."""
    rows = []
    for s in switches.itertuples():
        d = dark_periods[(dark_periods["vessel"] == s.vessel) & (dark_periods["start_ts"] <= s.ais_off)
                         & (dark_periods["end_ts"] >= s.ais_off)]
        if d.empty:
            rows.append(dict(vessel=s.vessel, true_off=s.ais_off, detected_start=pd.NaT, error_hours=np.nan,
                             detected_class=None))
            continue
        g = d.iloc[0]
        rows.append(dict(vessel=s.vessel, true_off=s.ais_off, detected_start=g.start_ts,
                         error_hours=round((g.start_ts - s.ais_off) / pd.Timedelta(hours=1), 2),
                         detected_class=g["class"]))
    return pd.DataFrame(rows)
