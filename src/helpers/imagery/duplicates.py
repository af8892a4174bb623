"""One scene in several items: which one the acquisitions table keeps.

Catalogs hold the same scene more than once: one product in two collections (Earth Search's
`sentinel-2-l2a` and `sentinel-2-c1-l2a`), a reprocessing with a newer baseline, the same item
in two pages or two catalogue generations. Two items are *the same scene* when

- they have the same id ("same id": with identical content a plain copy, else two versions), or
- they are from the same platform family, their satellites do not differ (when both name one),
  their times are at most `SAME_SCENE_SECONDS` (1 s) apart, and either both give a tile
  (helpers.imagery.fields.item_tile) and it is the same, or (a tile missing) their footprints
  overlap by at least `MIN_OVERLAP` (90 %) of the smaller one ("same scene"). Neighbouring tiles
  of one pass share their time but not their tile, so they stay apart. Measured on the real
  fixtures: two adjacent Sentinel-2 tiles of one pass (Planetary Computer, same second) overlap
  by 82 % of the smaller footprint, consecutive PlanetScope frames of one strip (Planet v0, 1 s
  apart) by 2-42 %; two processings of one scene have the same footprint.

Of each group of the same scene, the *newest processing* is kept, compared in this order:
the higher processing version (baseline, e.g. 05.11 over 02.12), the later processing time,
the later `updated`, the later `created` (an item without the value ranks lowest), and last the
lexicographically greatest id (one id read twice with all of these equal: the copy read
first). Every other item of the group is a duplicate, listed with the
kept id, the rule and the comparison that decided.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

SAME_SCENE_SECONDS = 1.0
MIN_OVERLAP = 0.9
DUPLICATE_COLUMNS = ["acq_id", "kept_id", "rule", "decided_by", "file", "source"]
_RANK_NAMES = ["processing version", "processing time", "updated", "created", "id"]


def _version(v) -> tuple:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ()
    return tuple(int(x) for x in re.findall(r"\d+", str(v)))


def _time(t) -> int:
    return -(2**62) if t is None or pd.isna(t) else pd.Timestamp(t).value


def rank(row) -> tuple:
    """The newest-processing order of an item (module docstring); higher is newer."""
    return (_version(row["processing_version"]), _time(row["processed"]), _time(row["updated"]),
            _time(row["created"]), str(row["acq_id"]))


def _content(row) -> tuple:
    return (row["platform"], row["sensor"], row["datetime"], repr(row["cloud_cover"]),
            repr(row["gsd_m"]), row["provider"], row["footprint"].wkb)


class _Groups:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _given(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) or v == "" else v


def _same_scene(a, b) -> bool:
    if _given(a["satellite"]) and _given(b["satellite"]) and a["satellite"] != b["satellite"]:
        return False
    if _given(a["tile"]) and _given(b["tile"]):
        return a["tile"] == b["tile"]
    fa, fb = a["footprint"], b["footprint"]
    smaller = min(fa.area, fb.area)
    return smaller > 0 and shapely.intersection(fa, fb).area >= MIN_OVERLAP * smaller


def resolve(records: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Which records to keep (a boolean array, in `records` order) and the duplicates table
    (DUPLICATE_COLUMNS): one row per item left out."""
    n = len(records)
    rows = records.reset_index(drop=True)
    groups = _Groups(n)
    for _, idx in rows.groupby("acq_id", sort=False).indices.items():
        for j in idx[1:]:
            groups.union(idx[0], j)
    order = rows.sort_values(["family", "datetime"], kind="stable").index.to_numpy()
    fam = rows["family"].to_numpy(object)[order]
    ns = pd.DatetimeIndex(rows["datetime"]).as_unit("ns").asi8[order]
    window = int(SAME_SCENE_SECONDS * 1e9)
    for a in range(n):
        b = a + 1
        while b < n and fam[b] == fam[a] and ns[b] - ns[a] <= window:
            i, j = order[a], order[b]
            if rows.at[i, "acq_id"] != rows.at[j, "acq_id"] and _same_scene(rows.loc[i], rows.loc[j]):
                groups.union(i, j)
            b += 1
    keep = np.ones(n, dtype=bool)
    dups = []
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(groups.find(i), []).append(i)
    for group in members.values():
        if len(group) < 2:
            continue
        ranks = {i: rank(rows.loc[i]) for i in group}
        kept = max(group, key=lambda i: ranks[i])
        for i in sorted(group):
            if i == kept:
                continue
            keep[i] = False
            same_id = rows.at[i, "acq_id"] == rows.at[kept, "acq_id"]
            if same_id and _content(rows.loc[i]) == _content(rows.loc[kept]):
                rule, decided = "same id, same content", "identical"
            else:
                rule = "same id, different content" if same_id else "same scene"
                decided = next((name for name, x, y in zip(_RANK_NAMES, ranks[kept], ranks[i])
                                if x != y), "file order")
            dups.append({"acq_id": rows.at[i, "acq_id"], "kept_id": rows.at[kept, "acq_id"],
                         "rule": rule, "decided_by": decided, "file": rows.at[i, "file"],
                         "source": rows.at[i, "source"]})
    return keep, pd.DataFrame(dups, columns=DUPLICATE_COLUMNS)
