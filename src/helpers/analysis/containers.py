"""Containers counted on the quay per stay at the route ports, loaded and delivered."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import columns, validate


def containers(visits: pd.DataFrame, *, origin: str, destination: str,
               visibility: float) -> pd.DataFrame:
    """Containers counted on the quay per stay at the route ports, and cumulative.

    A stay is a run of consecutive visits of a vessel at one port (split visits joined). Counted
    (`counted`, the most seen in any sighting of the stay) for origin stays followed by a stay at
    the destination (loaded) and destination stays preceded by one at the origin (delivered).
    Range: `low` = counted; `high` = ceil(counted / visibility), allowing for containers the
    imagery does not show (`visibility` = the smallest visible share). Cumulative sums run per
    port in time order over both vessels. `datetime` is the end of the stay."""
    cols = columns("containers")
    rows = []
    for vessel, vv in visits.groupby("vessel", sort=True):
        vv = vv.sort_values("first_seen", kind="stable").reset_index(drop=True)
        port = vv["port"].to_numpy()
        run = np.cumsum(np.r_[True, port[1:] != port[:-1]])
        stays = vv.assign(run=run).groupby("run", sort=True)
        st = stays.agg(port=("port", "first"), last_seen=("last_seen", "max"),
                       counted=("containers", "max"))
        st["visit_id"] = stays.apply(lambda g: g.loc[g["containers"].fillna(-1).idxmax(), "visit_id"],
                                     include_groups=False)
        prev, nxt = st["port"].shift(1), st["port"].shift(-1)
        keep = ((st["port"] == origin) & (nxt == destination)) | ((st["port"] == destination) & (prev == origin))
        st = st[keep & st["counted"].notna()]
        for r in st.itertuples():
            rows.append(dict(vessel=vessel, port=r.port, visit_id=r.visit_id, datetime=r.last_seen,
                             activity="loaded" if r.port == origin else "delivered",
                             counted=int(r.counted)))
    df = pd.DataFrame(rows, columns=["vessel", "port", "visit_id", "datetime", "activity", "counted"])
    df["counted"] = df["counted"].astype("int64")
    df["low"] = df["counted"]
    df["high"] = np.ceil(df["counted"] / visibility - 1e-9).astype("int64")
    df = df.sort_values(["port", "datetime", "vessel"], kind="stable")
    df["cumulative_low"] = df.groupby("port")["low"].cumsum()
    df["cumulative_high"] = df.groupby("port")["high"].cumsum()
    df = df.sort_values(["datetime", "vessel", "port"], kind="stable")
    return validate(df[cols] if len(df) else pd.DataFrame(columns=cols), "containers")
