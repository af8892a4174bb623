"""Reference tables in data/reference/: the vessels of interest and their identities.

Vessels of interest are chosen in the parameters by name, MMSI or IMO (`vessels_of_interest`):

    vessels_of_interest:
      - ANGARA                          # a name in the reference CSV (inputs.vessels)
      - {mmsi: 273000002}               # an MMSI: the reference row, or a row of its own
      - {imo: 9179842, name: ANGARA}    # an IMO: every MMSI that broadcast it in the AIS

An MMSI or IMO that the reference CSV does not list still selects a vessel: it is named by the
entry's `name`, or "MMSI 123456789" / "IMO 1234567" when none is given (never from AIS, so every
notebook uses the same name). An IMO is turned into MMSIs with the AIS static data (type 5,
provider columns): a ship that changed MMSI is followed under each of them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .errors import InputError

VESSEL_COLUMNS = ["name", "mmsi", "imo", "flag", "ship_type", "length_m", "beam_m", "callsign"]
SELECTOR_KEYS = ("name", "mmsi", "imo")


def read(path: str | Path | None = None) -> pd.DataFrame:
    """The reference CSV of known vessels (name, MMSI, IMO, dimensions, and which are assumptions)."""
    path = paths.resolve(path or paths.REFERENCE / "vessels_of_interest.csv")
    shown = paths.display(path)
    if not path.is_file():
        raise InputError(shown, "(file)", "vessels reference not found",
                         "set inputs.vessels to a CSV with columns " + ", ".join(VESSEL_COLUMNS)
                         + ", or to null and select vessels by mmsi/imo")
    try:
        df = pd.read_csv(path, encoding="utf-8-sig")
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(shown, "(file)", f"is not a readable CSV ({exc})",
                         "write a UTF-8 CSV with columns " + ", ".join(VESSEL_COLUMNS)) from None
    missing = [c for c in VESSEL_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(shown, missing[0], "missing column", "add it (see data/reference/vessels_of_interest.csv)")
    for col in ("mmsi", "imo"):
        num = pd.to_numeric(df[col], errors="coerce")
        bad = df[col].notna() & (num.isna() | (num % 1 != 0))
        if bad.any():
            raise InputError(shown, col, f"{df.loc[bad, col].iloc[0]!r} is not a whole number",
                             f"write the {'9-digit MMSI' if col == 'mmsi' else '7-digit IMO'} "
                             "as digits only (leave it empty if unknown)")
        df[col] = pd.array(num, dtype="Int64")
    if df["name"].isna().any():
        raise InputError(shown, "name", "a vessel has no name", "give every vessel a name (its MMSI may be empty: "
                         "a ship known only by name is seen by imagery and the public record, not by AIS)")
    dup = df.loc[df["mmsi"].notna() & df["mmsi"].duplicated(), "mmsi"]
    if len(dup):
        raise InputError(shown, "mmsi", f"MMSI {dup.iloc[0]} is on more than one row",
                         "keep one row per MMSI (a ship that changed MMSI has one row per MMSI)")
    return df


def selector(entry, where: str = "vessels_of_interest") -> dict:
    """One `vessels_of_interest` entry as {name?, mmsi?, imo?}; a bad entry raises ValueError."""
    if isinstance(entry, str) and entry.strip():
        return {"name": entry.strip()}
    if isinstance(entry, dict) and entry and set(entry) <= set(SELECTOR_KEYS):
        out = {}
        for k in ("mmsi", "imo"):
            if k in entry:
                v = entry[k]
                ok = isinstance(v, int) and not isinstance(v, bool) and (
                    100_000_000 <= v <= 999_999_999 if k == "mmsi" else 1_000_000 <= v <= 9_999_999)
                if not ok:
                    raise ValueError(f"{where}.{k}: {v!r} is not a {'9' if k == 'mmsi' else '7'}-digit {k.upper()}")
                out[k] = v
        if "name" in entry:
            if not isinstance(entry["name"], str) or not entry["name"].strip():
                raise ValueError(f"{where}.name: give the name as text")
            out["name"] = entry["name"].strip()
        if "mmsi" not in out and "imo" not in out and "name" not in out:
            raise ValueError(f"{where}: give a name, mmsi or imo")
        return out
    raise ValueError(f"{where}: {entry!r} is neither a name nor a mapping with keys {SELECTOR_KEYS}")


def display_name(sel: dict, ref: pd.DataFrame | None) -> str:
    """The name a selector goes by in every table and figure."""
    if ref is not None:
        for k in ("mmsi", "imo"):
            if k in sel:
                hit = ref[ref[k] == sel[k]]
                if len(hit):
                    return str(hit["name"].iloc[0])
    if "name" in sel:
        return sel["name"]
    return f"MMSI {sel['mmsi']}" if "mmsi" in sel else f"IMO {sel['imo']}"


def vessels_of_interest(path: str | Path | None = None, names: list | None = None, *,
                        ais_vessels: pd.DataFrame | None = None,
                        use_reference: bool = True) -> pd.DataFrame:
    """The vessels of interest, one row per MMSI (name, mmsi, imo, ..., selected_by).

    `names` holds the `vessels_of_interest` entries (names, or {mmsi, imo, name} mappings; None
    means every vessel of the reference). `ais_vessels` (the cleaned vessels table) turns an IMO
    the reference lacks into the MMSIs that broadcast it. A vessel whose MMSI stays unknown has a
    null mmsi: imagery can still see it by name, AIS cannot.
    """
    shown = paths.display(paths.resolve(path or paths.REFERENCE / "vessels_of_interest.csv"))
    ref = read(path) if use_reference else pd.DataFrame(columns=VESSEL_COLUMNS).astype(
        {"mmsi": "Int64", "imo": "Int64"})
    if names is None:
        df = ref.assign(selected_by="reference")
        return df.sort_values(["name", "mmsi"], kind="stable").reset_index(drop=True)
    rows = []
    for i, entry in enumerate(names):
        try:
            sel = selector(entry, f"vessels_of_interest[{i}]")
        except ValueError as exc:
            raise InputError(shown, f"vessels_of_interest[{i}]", str(exc),
                             "write a name, {mmsi: 9 digits} or {imo: 7 digits}") from None
        rows.extend(_resolve(sel, ref, ais_vessels, shown))
    df = pd.DataFrame(rows, columns=VESSEL_COLUMNS + ["selected_by"])
    df = df.astype({"mmsi": "Int64", "imo": "Int64"})
    df = df.drop_duplicates(["name", "mmsi"]).sort_values(["name", "mmsi"], kind="stable")
    return df.reset_index(drop=True)


def _resolve(sel: dict, ref: pd.DataFrame, ais_vessels, shown: str) -> list[dict]:
    name = display_name(sel, ref)
    for key in ("mmsi", "imo"):
        if key in sel:
            hit = ref[ref[key] == sel[key]]
            if len(hit):
                return [dict(r, selected_by=f"{key} {sel[key]} (reference)")
                        for r in hit[VESSEL_COLUMNS].to_dict("records")]
    if set(sel) == {"name"}:
        hit = ref[ref["name"].str.upper() == sel["name"].upper()]
        if not len(hit):
            raise InputError(shown, "name", f"vessels of interest {[sel['name']]} not in the reference",
                             "add a row for each vessel named in vessels_of_interest, "
                             "or select it by {mmsi: ...} or {imo: ...}")
        return [dict(r, selected_by="name (reference)") for r in hit[VESSEL_COLUMNS].to_dict("records")]
    blank = {c: None for c in VESSEL_COLUMNS}
    if "mmsi" in sel:
        row = dict(blank, name=name, mmsi=sel["mmsi"], imo=sel.get("imo"))
        static = _latest_static(ais_vessels, "mmsi", sel["mmsi"])
        if static:
            row.update({k: v for k, v in static.items() if k in ("imo", "flag", "ship_type", "length_m",
                                                                 "beam_m", "callsign") and pd.notna(v)})
        return [dict(row, selected_by=f"mmsi {sel['mmsi']}")]
    # an IMO the reference lacks: every MMSI that broadcast it
    v = ais_vessels if ais_vessels is not None else pd.DataFrame(columns=["mmsi", "imo"])
    mmsis = sorted(int(m) for m in v.loc[v["imo"] == sel["imo"], "mmsi"].dropna().unique())
    if not mmsis:
        return [dict(blank, name=name, imo=sel["imo"],
                     selected_by=f"imo {sel['imo']} (no MMSI broadcast it in the AIS)")]
    out = []
    for m in mmsis:
        static = _latest_static(v, "mmsi", m) or {}
        out.append(dict(blank, name=name, mmsi=m, imo=sel["imo"],
                        **{k: static.get(k) for k in ("flag", "ship_type", "length_m", "beam_m",
                                                      "callsign") if pd.notna(static.get(k))},
                        selected_by=f"imo {sel['imo']} (AIS static data)"))
    return out


def _latest_static(vessels: pd.DataFrame | None, key: str, value) -> dict | None:
    if vessels is None or not len(vessels):
        return None
    hit = vessels[vessels[key] == value]
    if not len(hit):
        return None
    if "last_seen" in hit:
        hit = hit.sort_values("last_seen", kind="stable", na_position="first")
    return hit.iloc[-1].to_dict()


def names(reference: pd.DataFrame) -> dict[int, str]:
    """mmsi -> name for the vessels of interest (several MMSIs may share a name)."""
    ok = reference["mmsi"].notna()
    return {int(m): n for m, n in zip(reference.loc[ok, "mmsi"], reference.loc[ok, "name"])}


def vessel_names(entries: list, path: str | Path | None = None, use_reference: bool = True) -> list[str]:
    """The display names of `vessels_of_interest` entries, in their order, without AIS."""
    ref = read(path) if use_reference else None
    out = []
    for i, e in enumerate(entries):
        sel = selector(e, f"vessels_of_interest[{i}]")
        n = display_name(sel, ref)
        if ref is not None and set(sel) == {"name"}:
            hit = ref[ref["name"].str.upper() == n.upper()]
            n = str(hit["name"].iloc[0]) if len(hit) else n
        if n not in out:
            out.append(n)
    return out
