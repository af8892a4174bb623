"""Cleaning: several inputs merged for one analysis window.

`clean` keeps the window [start, end), drops cross-feed duplicates and flags implausible jumps
(`flag_jumps`, one vectorised pass over all vessels: `jump_mask`); every position read ends
kept, rejected or counted as a duplicate, and the QA table (one row per source, plus a total)
proves it. `merge_vessels` joins the readers' vessels tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..fileio import utc
from ..geo import haversine_nm
from ..schema import in_vessel_time_order, utc_ns, validate
from .records import R_WINDOW, STATIC_KEY, AisData, vessels_frame

_POS_COLS = ["mmsi", "ts", "lat", "lon", "sog_kn", "cog_deg", "heading_deg", "nav_status",
             "source", "msg_type"]


@dataclass
class Cleaned:
    """Positions of several inputs merged, de-duplicated and filtered; qa has one row per source.
    `inputs`: each reader's QA dict, in input order (layout, columns, units, lost_share: for
    `helpers.ais.loss_warnings` and `inputs_table`)."""
    positions: pd.DataFrame
    vessels: pd.DataFrame
    rejects: pd.DataFrame
    qa: pd.DataFrame
    inputs: list = field(default_factory=list)


def _implied_speed(lat, lon, t_s, i, j):
    """Implied speed in knots from rows i to rows j (index arrays of the same shape)."""
    dist = haversine_nm(lat[i], lon[i], lat[j], lon[j])
    hours = (t_s[j] - t_s[i]) / 3600.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hours > 0, dist / hours, np.where(dist > 1e-6, np.inf, 0.0))


def jump_mask(mmsi, t_s, lat, lon, max_kn: float, window: int = 32):
    """Rows (sorted by mmsi, ts) rejected as implausible jumps, with their implied speed.

    Exactly the result of walking each vessel's track and comparing every position with the
    previous *kept* one, computed for all vessels at once: each pass looks at the next `window`
    rows of every vessel (a vessels x window array), keeps the rows up to the first jump,
    rejects the run of rows too fast from the last kept one, and resumes at the first row
    that fits. Work per pass is vessels x window, so a noisy track costs passes, not n^2.
    """
    n = len(mmsi)
    rejected = np.zeros(n, dtype=bool)
    speed_at = np.full(n, np.nan)
    if n < 2:
        return rejected, speed_at
    starts = np.flatnonzero(np.r_[True, mmsi[1:] != mmsi[:-1]])
    ends = np.r_[starts[1:], n]
    anchor, cursor = starts.copy(), starts + 1
    offs = np.arange(window)
    while True:
        live = cursor < ends
        anchor, cursor, ends = anchor[live], cursor[live], ends[live]
        if not len(cursor):
            break
        v = np.arange(len(cursor))
        valid = (cursor[:, None] + offs) < ends[:, None]
        rows = np.minimum(cursor[:, None] + offs, ends[:, None] - 1)
        prev = np.concatenate([anchor[:, None], rows[:, :-1]], axis=1)
        bad = (_implied_speed(lat, lon, t_s, prev, rows) > max_kn) & valid
        has_bad = bad.any(axis=1)
        f = np.where(has_bad, bad.argmax(axis=1), window)        # first jump in the window
        kept_to = np.where(f > 0, rows[v, np.maximum(f - 1, 0)], anchor)
        spd = _implied_speed(lat, lon, t_s, np.broadcast_to(kept_to[:, None], rows.shape), rows)
        fits = (spd <= max_kn) & valid & (offs > f[:, None])
        g = np.where(fits.any(axis=1), fits.argmax(axis=1), window)  # first row that fits
        hit = (offs >= f[:, None]) & (offs < g[:, None]) & valid
        rejected[rows[hit]] = True
        speed_at[rows[hit]] = spd[hit]
        resumed = g < window
        new_anchor = np.where(~has_bad, rows[:, -1],
                              np.where(resumed, rows[v, np.minimum(g, window - 1)], kept_to))
        cursor = np.where(resumed, rows[v, np.minimum(g, window - 1)] + 1, cursor + window)
        anchor = new_anchor
    return rejected, speed_at


def _position_rejects(df: pd.DataFrame, reasons) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in ("source", "locator", "reason", "raw")})
    ts = df["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pd.DataFrame({
        "source": df["source"].to_numpy(),
        "locator": ("mmsi " + df["mmsi"].astype(str) + " at " + ts).to_numpy(),
        "reason": np.asarray(reasons, dtype=object),
        "raw": (df["mmsi"].astype(str) + "," + ts + "," + df["lat"].map("{:.6f}".format)
                + "," + df["lon"].map("{:.6f}".format)).to_numpy(),
    })


JUMP_POLICIES = ("reject", "keep")


def flag_jumps(positions: pd.DataFrame, max_implied_speed_kn: float, *,
               _t_ns: np.ndarray | None = None) -> pd.Series:
    """The `flag` of each position: "implausible jump: implied speed X kn" where reaching it from
    the vessel's previous plausible position needs more than `max_implied_speed_kn`, else null.

    Positions must be sorted by (mmsi, ts). One vectorised pass (see `jump_mask`)."""
    t_s = (utc_ns(positions["ts"]).view(np.int64) if _t_ns is None else _t_ns) / 1e9
    jump, spd = jump_mask(positions["mmsi"].to_numpy(), t_s, positions["lat"].to_numpy(float),
                           positions["lon"].to_numpy(float), max_implied_speed_kn)
    flag = np.full(len(positions), None, dtype=object)
    flag[jump] = [f"implausible jump: implied speed {v:.1f} kn" for v in spd[jump]]
    return pd.Series(flag, index=positions.index, name="flag", dtype="str")


def clean(datasets: list[AisData], start, end, max_implied_speed_kn: float = 40.0,
          jump_policy: str = "reject") -> Cleaned:
    """Merge several inputs: keep the window [start, end), drop cross-feed duplicates, flag
    implausible jumps. Every position read ends kept, rejected or counted as a duplicate.

    Each position too fast to reach from its vessel's previous plausible one gets a `flag`.
    `jump_policy` decides what the cleaning does with flagged positions, and the QA table's
    `flagged` column records how many there were either way: "reject" (default) moves them to
    the rejects with the flag as reason; "keep" keeps them in the positions, flag set, for an
    analyst who wants to look at them (later passes then use them like any other position)."""
    if jump_policy not in JUMP_POLICIES:
        raise ValueError(f"jump_policy must be one of {JUMP_POLICIES}, not {jump_policy!r}")
    start, end = utc(start), utc(end)
    pos = pd.concat([d.positions for d in datasets], ignore_index=True) if datasets else \
        validate(pd.DataFrame({c: [] for c in _POS_COLS}), "positions")
    pos = validate(pos, "positions")
    m, t = pos["mmsi"].to_numpy(), utc_ns(pos["ts"]).view(np.int64)
    if not in_vessel_time_order(m, t):
        order = np.lexsort((t, m))          # stable: among equal (mmsi, ts) input order is kept
        pos, m, t = pos.iloc[order].reset_index(drop=True), m[order], t[order]

    outside = (t < start.value) | (t >= end.value)
    rej_parts = [d.rejects for d in datasets]
    rej_parts.append(_position_rejects(pos[outside], [R_WINDOW] * int(outside.sum())))
    clean_rej_src = list(pos.loc[outside, "source"])
    if outside.any():
        pos, m, t = pos[~outside].reset_index(drop=True), m[~outside], t[~outside]

    # The same message heard twice: same vessel and time, positions within ~100 m (feeds round
    # coordinates differently, so exact or rounded equality would miss some). The sort is stable,
    # so the copy from the earlier input is kept.
    la, lo = pos["lat"].to_numpy(dtype=float), pos["lon"].to_numpy(dtype=float)
    dup = np.zeros(len(pos), dtype=bool)
    dup[1:] = ((m[1:] == m[:-1]) & (t[1:] == t[:-1])
               & (np.abs(la[1:] - la[:-1]) < 1e-3) & (np.abs(lo[1:] - lo[:-1]) < 1e-3))
    dup_src = pos.loc[dup, "source"].value_counts()
    pos = pos[~dup].reset_index(drop=True)

    pos["flag"] = flag_jumps(pos, max_implied_speed_kn, _t_ns=t[~dup])
    jump = pos["flag"].notna().to_numpy()
    flagged_src = pos.loc[jump, "source"].value_counts()
    if jump_policy == "reject":
        rej_parts.append(_position_rejects(pos[jump], pos.loc[jump, "flag"].to_numpy()))
        clean_rej_src += list(pos.loc[jump, "source"])
        pos = pos[~jump]
    kept = pos.reset_index(drop=True)     # rows of the validated table: no second validation

    rejects = validate(pd.concat(rej_parts, ignore_index=True), "rejects")
    vessels = merge_vessels([d.vessels for d in datasets])
    qa = _clean_qa(datasets, kept, rejects, pd.Series(clean_rej_src, dtype=object), dup_src,
                   flagged_src)
    return Cleaned(kept, vessels, rejects, qa, [dict(d.qa) for d in datasets])


def merge_vessels(frames) -> pd.DataFrame:
    """The vessels tables of several inputs as one: a row per distinct static record, seen from
    the first to the last time any input saw it, its sources joined by ";" (no frames: empty)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return validate(pd.DataFrame({c: [] for c in STATIC_KEY + ["first_seen", "last_seen",
                                                                  "source"]}), "vessels")
    v = pd.concat(frames, ignore_index=True)
    merged = (v.groupby(STATIC_KEY, dropna=False, sort=False)
              .agg(first_seen=("first_seen", "min"), last_seen=("last_seen", "max"),
                   source=("source", lambda s: ";".join(sorted(set(s)))))
              .reset_index())
    return vessels_frame(merged)


def _clean_qa(datasets, kept, rejects, clean_rej_src, dup_src, flagged_src) -> pd.DataFrame:
    rows = {}
    for d in datasets:
        q = d.qa
        r = rows.setdefault(q["source"], {"source": q["source"], "rows_read": 0,
                                          "positions_read": 0, "static": 0, "skipped": 0})
        r["rows_read"] += q["rows_read"]
        r["positions_read"] += q["positions"]
        r["static"] += q["static"]
        r["skipped"] += q["skipped"]
    qa = pd.DataFrame(list(rows.values()),
                      columns=["source", "rows_read", "positions_read", "static", "skipped"])
    by_src = kept.groupby("source")
    qa["kept"] = qa["source"].map(by_src.size()).fillna(0).astype("int64")
    qa["rejected"] = qa["source"].map(rejects["source"].value_counts()).fillna(0).astype("int64")
    qa["rejected_positions"] = qa["source"].map(clean_rej_src.value_counts()).fillna(0) \
        .astype("int64")
    qa["duplicates"] = qa["source"].map(dup_src).fillna(0).astype("int64")
    qa["flagged"] = qa["source"].map(flagged_src).fillna(0).astype("int64")
    mm = pd.concat([kept[["source", "mmsi"]]] + [d.vessels[["source", "mmsi"]] for d in datasets])
    qa["vessels"] = qa["source"].map(mm.groupby("source")["mmsi"].nunique()).fillna(0) \
        .astype("int64")
    no_times = pd.Series(dtype="datetime64[ns, UTC]")     # no input at all: an empty table
    qa["first_ts"] = qa["source"].map(by_src["ts"].min()) if len(qa) else no_times
    qa["last_ts"] = qa["source"].map(by_src["ts"].max()) if len(qa) else no_times
    total = {c: qa[c].sum() for c in qa.columns if c not in ("source", "first_ts", "last_ts")}
    total.update(source="total", vessels=int(pd.concat([kept["mmsi"]] + [d.vessels["mmsi"]
                                                                        for d in datasets])
                                             .nunique()),
                 first_ts=kept["ts"].min() if len(kept) else pd.NaT,
                 last_ts=kept["ts"].max() if len(kept) else pd.NaT)
    qa = pd.concat([qa, pd.DataFrame([total])], ignore_index=True)
    qa = qa[["source", "rows_read", "positions_read", "kept", "rejected", "rejected_positions",
             "duplicates", "flagged", "static", "skipped", "vessels", "first_ts", "last_ts"]]
    for c in ("first_ts", "last_ts"):
        qa[c] = pd.to_datetime(qa[c], utc=True)
    ok_pos = qa["positions_read"] == qa["kept"] + qa["rejected_positions"] + qa["duplicates"]
    ok_all = qa["rows_read"] == (qa["kept"] + qa["rejected"] + qa["duplicates"] + qa["static"]
                                 + qa["skipped"])
    assert ok_pos.all() and ok_all.all(), f"clean() QA identity broken:\n{qa}"
    return qa
