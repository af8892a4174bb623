"""Step 80 (notebook 80_screening): rank every vessel of the archive by shuttle-like behaviour,
on the engine the parameter set names (pandas, or Dask partition by partition)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis import engine, screening
from .common import dark_options, load, load_land, load_ports, route, save


@dataclass
class Screening:
    ranking: pd.DataFrame
    engine: str
    n_kept: int
    n_dark: int
    route_nm: float


def run(P) -> Screening:
    """Dark periods of every vessel (engine passes), scored and ranked; writes screening."""
    fences, coast = load_ports(P), load_land(P)
    eng = P.raw.get("engine", "pandas")
    opts = dark_options(P, fences, coast)
    opts.pop("min_hours")
    with engine.session(eng, **(P.raw.get("dask") or {})):
        passes = engine.run(P.processed("positions.parquet"), fences, engine=eng, passes=("dark",),
                            dark_min_hours=P.t["dark_min_hours"], dark_options=opts, columns=engine.PASS_COLUMNS)
    origin, destination = route(P)
    nm = screening.route_nm(fences, origin, destination, coast)
    ranking = screening.screen(passes.dark_periods, load(P, "vessels"), fences, origin=origin,
                               destination=destination, route_nm=nm, max_speed_kn=P.t["max_speed_kn"],
                               n_positions=passes.vessel_positions, **(P.raw.get("screening") or {}))
    save(P, ranking, "screening")
    return Screening(ranking, eng, passes.n_kept, len(passes.dark_periods), nm)


def summary(P, s: Screening) -> str:
    origin, destination = route(P)
    return (f"engine {s.engine}: {s.n_kept:,} positions of {len(s.ranking)} vessels, {s.n_dark} dark periods; "
            f"route {origin}-{destination} {s.route_nm:.1f} nm")


def reference_check(P, s: Screening) -> None:
    """On the reference scenario the two shuttle ships must rank first (printed and asserted)."""
    if P.raw.get("name") != "reference-scenario":
        return
    top = list(s.ranking["name"].head(2))
    print("top two:", top)
    assert sorted(top) == sorted(P.vessel_names[:2]), top
