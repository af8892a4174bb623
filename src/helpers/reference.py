"""Reference tables in data/reference/: the vessels of interest and their identities."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .errors import InputError

VESSEL_COLUMNS = ["name", "mmsi", "imo", "flag", "ship_type", "length_m", "beam_m", "callsign"]


def vessels_of_interest(path: str | Path | None = None, names: list[str] | None = None) -> pd.DataFrame:
    """The reference identities (name, MMSI, IMO, dimensions, and which are assumptions)."""
    path = paths.resolve(path or paths.REFERENCE / "vessels_of_interest.csv")
    shown = paths.display(path)
    if not path.is_file():
        raise InputError(shown, "(file)", "vessels reference not found",
                         "set inputs.vessels to a CSV with columns " + ", ".join(VESSEL_COLUMNS))
    df = pd.read_csv(path, dtype={"mmsi": "Int64", "imo": "Int64"})
    missing = [c for c in VESSEL_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(shown, missing[0], "missing column", "add it (see data/reference/vessels_of_interest.csv)")
    if df["mmsi"].isna().any() or df["name"].isna().any():
        raise InputError(shown, "mmsi", "a vessel has no MMSI or name", "give both for every vessel")
    if names is not None:
        unknown = sorted(set(names) - set(df["name"]))
        if unknown:
            raise InputError(shown, "name", f"vessels of interest {unknown} not in the reference",
                             "add a row for each vessel named in vessels_of_interest")
        df = df[df["name"].isin(names)]
    return df.sort_values("name", kind="stable").reset_index(drop=True)


def names(reference: pd.DataFrame) -> dict[int, str]:
    """mmsi -> name for the vessels of interest."""
    return {int(m): n for m, n in zip(reference["mmsi"], reference["name"])}
