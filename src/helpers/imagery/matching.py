"""Matching sightings to the vessels of interest: identification confidence, berth and length.

`match_sightings` labels each sighting in `match`: identified (analyst identification at the
minimum confidence, at a berth of the named port, length within the tolerance), low-confidence,
other vessel, length mismatch, not at berth, or unidentified (kept and reported as such).
Confidences are ranked by `helpers.schema.CONFIDENCE_ORDER`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..errors import ParamsError
from ..schema import CONFIDENCE_ORDER, confidence_at_least, validate


def match_sightings(sightings: pd.DataFrame, *, vessels_of_interest: list[str],
                    min_confidence: str = "medium", lengths: dict[str, float] | None = None,
                    length_tolerance_m: float | None = None, ports=None) -> pd.DataFrame:
    """Label each sighting in `match` (apply once, to sightings as read).

    Then, for identified sightings, two checks when their inputs are given: `ports` (port,
    geometry): the position must lie in the geofence of the sighting's port, else "not at berth";
    `lengths` (name -> metres) with `length_tolerance_m`: a measured length further than the
    tolerance from the ship's is a "length mismatch". Both set vessel to null and keep the
    analyst's name in analyst_note. Unidentified detections stay "unidentified" (the note says
    which vessel of interest their length would fit).

    - "identified": names a vessel of interest (case-insensitive) at confidence >= min_confidence;
      vessel set to the name as spelled in `vessels_of_interest`.
    - "low-confidence": names any vessel below min_confidence; vessel set to null and the
      analyst's name kept in analyst_note, prefixed "analyst id: NAME (CONFIDENCE)".
    - "other vessel": names a vessel not of interest at confidence >= min_confidence.
    - "unidentified": no name. All rows are kept.
    """
    if min_confidence not in CONFIDENCE_ORDER:
        raise ParamsError("<parameters>", "min_confidence",
                          f"unknown confidence {min_confidence!r}",
                          f"use one of {CONFIDENCE_ORDER}")
    canonical = {str(v).strip().upper(): str(v) for v in vessels_of_interest}
    df = sightings.copy()
    name = df["vessel"].astype(object).where(df["vessel"].notna(), "").astype(str).str.strip()
    named = name != ""
    strong = confidence_at_least(df["id_confidence"], min_confidence)
    key = name.str.upper()
    of_interest = key.isin(list(canonical))

    match = pd.Series("unidentified", index=df.index, dtype=object)
    match[named & ~strong] = "low-confidence"
    match[named & strong & of_interest] = "identified"
    match[named & strong & ~of_interest] = "other vessel"

    low = (match == "low-confidence").to_numpy()
    note = df["analyst_note"].astype(object).where(df["analyst_note"].notna(), None)
    prefix = "analyst id: " + name + " (" + df["id_confidence"].astype(str) + ")"
    note[low] = [p if n is None or n == "" else f"{p}; {n}"
                 for p, n in zip(prefix[low], note[low])]
    vessel = df["vessel"].astype(object)
    vessel[low | ~named.to_numpy()] = None
    ident = (match == "identified").to_numpy()
    vessel[ident] = key[ident].map(canonical)
    df["vessel"], df["analyst_note"], df["match"] = vessel, note, match
    return validate(_check_match(df, lengths, length_tolerance_m, ports), "sightings",
                    file="<sightings>")


def _check_match(df: pd.DataFrame, lengths, tol, ports) -> pd.DataFrame:
    """Second checks on identified sightings: at a berth of the named port, length fits."""
    df = df.copy()
    ident = (df["match"] == "identified").to_numpy()
    reasons = pd.Series("", index=df.index, dtype=object)
    new_match = pd.Series(None, index=df.index, dtype=object)
    if ports is not None and len(df):
        off = ident & ~_in_port_fence(df, ports)
        new_match[off] = "not at berth"
        reasons[off] = "position outside the " + df.loc[off, "port"].astype(str) + " geofence"
    if lengths and tol is not None and len(df):
        want = df["vessel"].map({str(k): float(v) for k, v in lengths.items()}).astype(float)
        diff = (df["length_m"].astype(float) - want).abs()
        bad = ident & (diff > tol).to_numpy() & new_match.isna().to_numpy()
        new_match[bad] = "length mismatch"
        reasons[bad] = ("length " + df.loc[bad, "length_m"].round(0).astype(int).astype(str)
                        + " m vs " + want[bad].round(0).astype(int).astype(str)
                        + f" m (tolerance {tol:g} m)")
        _note_length_fits(df, lengths, tol)
    return _demote(df, new_match, reasons)


def _in_port_fence(df: pd.DataFrame, ports) -> np.ndarray:
    """Whether each sighting lies in the geofence of its port (False for an unknown port)."""
    fences = dict(zip(ports["port"], ports.geometry))
    geoms = np.asarray([fences.get(p, shapely.Point()) for p in df["port"]], dtype=object)
    return shapely.intersects_xy(geoms, df["lon"].to_numpy(float), df["lat"].to_numpy(float))


def _note_length_fits(df: pd.DataFrame, lengths, tol) -> None:
    """Unidentified detections stay unidentified; note (in place, in analyst_note) which vessel
    of interest their measured length fits."""
    unid = (df["match"] == "unidentified").to_numpy() & df["length_m"].notna().to_numpy()
    if not unid.any():
        return
    L = df.loc[unid, "length_m"].to_numpy(float)
    names = list(lengths)
    fits = np.abs(L[:, None] - np.array([float(lengths[n]) for n in names])[None, :]) <= tol
    hint = [", ".join(n for n, f in zip(names, row) if f) for row in fits]
    note = df["analyst_note"].astype(object)
    idx = df.index[unid]
    for i, h in zip(idx, hint):
        if h:
            note[i] = f"length fits {h}" if pd.isna(note[i]) or note[i] == "" else f"{note[i]}; length fits {h}"
    df["analyst_note"] = note


def _demote(df: pd.DataFrame, new_match: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Identified sightings that failed a check get `new_match`, vessel null, and the analyst's
    identification and the reason first in analyst_note."""
    changed = new_match.notna().to_numpy()
    if changed.any():
        note = df["analyst_note"].astype(object)
        prefix = ("analyst id: " + df.loc[changed, "vessel"].astype(str) + " ("
                  + df.loc[changed, "id_confidence"].astype(str) + "); " + reasons[changed])
        note[changed] = [p if pd.isna(n) or n == "" else f"{p}; {n}"
                         for p, n in zip(prefix, note[changed])]
        df["analyst_note"] = note
        df.loc[changed, "match"] = new_match[changed]
        df.loc[changed, "vessel"] = None
    return df
