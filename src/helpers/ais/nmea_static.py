"""Static (vessel) records of the batch NMEA reader, from the decoded messages of a whole file.

helpers.ais.nmea_batch decodes types 5, 24 and 19 with numpy (helpers.ais.fastnmea); this module
turns those columns into the events the reader applies in line order at the end (`events`:
(order key, kind, args), kind 0 a static record at a time, 1 a type-24 part, 2 a static record
seen from a first to a last time, 3 an MMSI's type-24 parts seen from a first to a last time;
`apply`). The text fields of a whole set of records are converted at once (`texts`); repeated
type-5 records are grouped with one sort of 64-bit row hashes (`distinct_rows`, checked byte
for byte) and type-24 parts by MMSI and part before any Python object is made.
"""

from __future__ import annotations

import numpy as np
from pyais.constants import ShipType

SHIP_TYPE = np.array([int(ShipType.from_value(v)) for v in range(256)], dtype=np.int64)

# odd multipliers of the row hash, one per 8-byte column (fixed: the grouping is deterministic)
_MULT = np.random.default_rng(14).integers(1, 2**63, 64, dtype=np.uint64) | np.uint64(1)


def texts(chars: np.ndarray) -> list:
    """Every row of an (m, n) matrix of decoded 6-bit text as the reader keeps it: stripped,
    None when empty (helpers.ais.fastnmea.as_text of each row)."""
    m, n = chars.shape
    if not m:
        return []
    raw = np.ascontiguousarray(chars, dtype=np.uint8).view(f"S{n}").ravel()
    return [x or None for x in np.strings.decode(np.strings.strip(raw), "ascii").tolist()]


def _or_none(values: np.ndarray) -> list:
    """int64 values as floats, None for zero (a dimension the message leaves out)."""
    return [float(v) if v else None for v in values.tolist()]


def distinct_rows(packed: np.ndarray):
    """(first, inverse) of the distinct rows of a (m, k) uint8 matrix: the row index of each
    group's first member and each row's group, as np.unique(axis=0) gives them up to the
    order of the groups."""
    m, k = packed.shape
    if not m:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    nw = -(-k // 8)
    wide = np.zeros((m, nw * 8), dtype=np.uint8)
    wide[:, :k] = packed
    cols = wide.view(np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for j in range(nw):
        h ^= cols[:, j] * _MULT[j]
        h = (h << np.uint64(29)) | (h >> np.uint64(35))
    _u, first, inv = np.unique(h, return_index=True, return_inverse=True)
    inv = inv.reshape(-1)
    if not np.array_equal(packed[first[inv]], packed):  # two records of one hash: sort the bytes
        _u, first, inv = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
    return first, inv


def type5_events(mmsi, d, keys, ts) -> list:
    """One event (kind 2) per distinct type-5 record of the rows: at its first key, with its
    first and last time (what the static table keeps of it in any order). `d`: the decoded
    fields of the rows (helpers.ais.fastnmea.decode_type5), `mmsi`, `keys`, `ts` theirs."""
    length = d["to_bow"] + d["to_stern"]
    beam = d["to_port"] + d["to_starboard"]
    st = SHIP_TYPE[d["ship_type"]]
    packed = np.concatenate([
        np.stack([mmsi, d["imo"], st, length, beam], axis=1).view(np.uint8).reshape(len(mmsi), -1),
        d["name"], d["callsign"]], axis=1)
    first, inv = distinct_rows(packed)
    g = len(first)
    kmin = np.full(g, np.iinfo(np.int64).max)
    tmin = np.full(g, np.iinfo(np.int64).max)
    tmax = np.full(g, np.iinfo(np.int64).min)
    np.minimum.at(kmin, inv, keys)
    np.minimum.at(tmin, inv, ts)
    np.maximum.at(tmax, inv, ts)
    recs = zip(mmsi[first].tolist(), [v or None for v in d["imo"][first].tolist()],
               texts(d["name"][first]), texts(d["callsign"][first]), st[first].tolist(),
               _or_none(length[first]), _or_none(beam[first]))
    return [(k, 2, ((mm, imo, nm, cs, None, s, ln, bm), t0, t1))
            for (mm, imo, nm, cs, s, ln, bm), k, t0, t1
            in zip(recs, kmin.tolist(), tmin.tolist(), tmax.tolist())]


def type24_events(mmsi, partno, d, keys, ts) -> list:
    """Events with the effect of the type-24 parts A (partno 0: name) and B (type, callsign,
    dimensions) of the rows applied one by one in key order, among any other events: per MMSI
    one span event (kind 3: its first and last time) at its first key, and per MMSI and part
    the part that wins (the latest time, of those the latest key) as a kind-1 event at its key.
    `d`: helpers.ais.fastnmea.decode_type24 of the rows."""
    if not len(mmsi):
        return []
    o = np.lexsort((keys, ts, partno, mmsi))
    last = np.ones(len(o), dtype=bool)
    last[:-1] = (mmsi[o][1:] != mmsi[o][:-1]) | (partno[o][1:] != partno[o][:-1])
    win = o[last]
    ids, inv = np.unique(mmsi, return_inverse=True)
    inv = inv.reshape(-1)
    kmin = np.full(len(ids), np.iinfo(np.int64).max)
    tmin = np.full(len(ids), np.iinfo(np.int64).max)
    tmax = np.full(len(ids), np.iinfo(np.int64).min)
    np.minimum.at(kmin, inv, keys)
    np.minimum.at(tmin, inv, ts)
    np.maximum.at(tmax, inv, ts)
    out = [(k, 3, (mm, t0, t1)) for mm, k, t0, t1 in zip(ids.tolist(), kmin.tolist(), tmin.tolist(),
                                                         tmax.tolist())]
    names = texts(d["name"][win])
    calls = texts(d["callsign"][win])
    length = _or_none((d["to_bow"] + d["to_stern"])[win])
    beam = _or_none((d["to_port"] + d["to_starboard"])[win])
    for k, (mm, part, st, key, t) in enumerate(zip(mmsi[win].tolist(), partno[win].tolist(),
                                                    d["ship_type"][win].tolist(), keys[win].tolist(),
                                                    ts[win].tolist())):
        if part == 0:
            out.append((key, 1, (mm, "a", {"name": names[k]}, t)))
        else:
            out.append((key, 1, (mm, "b", {"callsign": calls[k], "ship_type": st,
                                           "length_m": length[k], "beam_m": beam[k]}, t)))
    return out


def type19_events(mmsi, s19, keys, ts) -> list:
    """One event (kind 0) per type-19 report with any static field; `s19`:
    helpers.ais.fastnmea.decode_type19_static of the rows."""
    names = texts(s19["name"])
    length = (s19["to_bow"] + s19["to_stern"]).tolist()
    beam = (s19["to_port"] + s19["to_starboard"]).tolist()
    out = []
    for mm, nm, st, ln, bm, key, t in zip(mmsi.tolist(), names, SHIP_TYPE[s19["ship_type"]].tolist(),
                                          length, beam, keys.tolist(), ts.tolist()):
        if nm is None and not st and not ln and not bm:
            continue
        out.append((key, 0, ((mm, None, nm, None, None, st or None, float(ln) if ln else None,
                              float(bm) if bm else None), t)))
    return out


def apply(events: list, static: dict, t24: dict) -> None:
    """Apply `events` in their order to a reader's static records (record -> [first, last]
    time) and type-24 parts (mmsi -> first, last and the latest part A and B), as
    helpers.ais.nmea.NmeaReader._add_static and _add_t24 do one message at a time."""
    for _k, kind, args in events:
        if kind == 3:  # an MMSI's type-24 parts seen from a first to a last time
            mmsi, lo, hi = args
            v = t24.get(mmsi)
            if v is None:
                t24[mmsi] = {"first": lo, "last": hi}
            else:
                v["first"], v["last"] = min(v["first"], lo), max(v["last"], hi)
            continue
        if kind == 1:
            mmsi, part, rec, ts = args
            v = t24.get(mmsi)
            if v is None:
                v = t24[mmsi] = {"first": ts, "last": ts}
            else:
                v["first"], v["last"] = min(v["first"], ts), max(v["last"], ts)
            if part not in v or ts >= v[part][0]:
                v[part] = (ts, rec)  # the latest part A and part B win
            continue
        if kind == 0:
            rec, lo = args
            hi = lo
        else:  # a record seen from a first to a last time
            rec, lo, hi = args
        span = static.get(rec)
        if span is None:
            static[rec] = [lo, hi]
        else:
            span[0], span[1] = min(span[0], lo), max(span[1], hi)
