"""The NMEA reader over blocks of lines: what `helpers.ais.read` uses for NMEA.

`read_nmea` reads about 8 MB at a time. helpers.ais.fastnmea scans the block (line split,
checksums, tag blocks and their `c:` time, sentence fields, trailing epochs) and decodes the
common payloads (types 1-3, 18, 19, 27, 5, 24 at their exact lengths) with numpy; `$PGHP` times
and receive-order times are resolved for the whole block with accumulations; plain two-part
messages are paired with numpy. Every other line, multipart assembly that is not plain and payload
not of its type's exact length goes through the line-by-line reader's own code
(helpers.ais.nmea, pyais), in line order. Static records are grouped for the whole file in
`finish` (helpers.ais.nmea_static). Every row carries an order key (its line), so positions,
rejects and static records come out exactly as `helpers.ais.nmea.read_nmea_lines` makes them
(tests/ais/test_fastnmea.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyais
import pyarrow as pa

from ..errors import InputError
from . import fastnmea, nmea_static
from .files import open_binary
from .nmea import NmeaReader, line_info, ns_to_utc
from .records import (
    R_BAD_CHECKSUM,
    R_BAD_MMSI,
    R_IMPOSSIBLE,
    R_MALFORMED,
    R_NOT_AVAILABLE,
    R_ORPHAN,
    R_UNDECODABLE,
    STATIC_KEY,
    AisData,
    assemble,
)

_ORDER = 16  # order key of line i: i * _ORDER (+ one per further row the line makes)


class _Items:
    """array[i] as a Python value, for code that reads a few elements of a long array."""

    __slots__ = ("item",)

    def __init__(self, a: np.ndarray):
        self.item = a.item

    def __getitem__(self, i):
        return self.item(i)


class _BatchReader(NmeaReader):
    """The NMEA reader over blocks of lines (helpers.ais.fastnmea): the common sentences are
    parsed, timed and decoded with numpy for the whole block; every other line, multipart
    assembly that is not plain, and payload not of its type's exact length goes through the
    line-by-line reader's own code (pyais). Every row carries an order key (its line), so
    positions, rejects and static records come out in the order the line-by-line reader
    makes them."""

    def __init__(self, name, source, time_policy="reject"):
        super().__init__(name, source, time_policy)
        self.key = 0
        self.pos_key: list[int] = []
        self.rej_key: list[int] = []
        self.events: list[tuple] = []  # (key, kind 0 static / 1 type 24 / 2 static span, args)
        self.fast_pos: list[dict] = []
        self.t5_rows: list[tuple] = []  # type-5 records decoded here: (mmsi, fields, keys, times)
        self.t24_rows: list[tuple] = []  # type-24 parts: (mmsi, partno, fields, keys, times)
        self.pghp_pending = None  # a $PGHP time not yet used, carried between blocks
        self.lines_done = 0

    # ----- rows with order keys
    def reject(self, lineno, reason, raw):
        super().reject(lineno, reason, raw)
        self.rej_key.append(self.key)
        self.key += 1

    def _add_static(self, key, ts):
        self.events.append((self.key, 0, (key, ts)))

    def _add_t24(self, mmsi, part, rec, ts):
        self.events.append((self.key, 1, (mmsi, part, rec, ts)))

    def slow_message(self, key, msg, ts, lines):
        self.key = key
        n = len(self.pos["mmsi"])
        self.message(msg, ts, lines)
        if len(self.pos["mmsi"]) > n:
            self.pos_key.append(key)

    def count_skips(self, reason, n):
        if n:
            self.n_skipped += n
            self.n_records += n
            self.by_reason[reason] = self.by_reason.get(reason, 0) + n

    # ----- one block
    def block(self, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray):
        n = len(starts)
        if not n:
            return
        line0 = self.lines_done
        self.lines_done += n
        sc = fastnmea.scan(buf, starts, ends)
        kind = sc["kind"]
        self.count_skips("blank line", int(np.count_nonzero(kind == fastnmea.K_BLANK)))
        self.count_skips("comment", int(np.count_nonzero(kind == fastnmea.K_COMMENT)))
        self.count_skips("non-AIS sentence", int(np.count_nonzero(kind == fastnmea.K_NONAIS)))
        fast = kind == fastnmea.K_AIS
        cons = fast.copy()          # AIS sentences: each uses up a pending $PGHP time
        csok = fast.copy()          # ... with a correct checksum
        own_ok = sc["own_ok"].copy()
        own_ts = sc["own_ts"].copy()
        pg_ok = np.zeros(n, dtype=bool)
        pg_ts = np.zeros(n, dtype=np.int64)
        other = {}
        for i in np.flatnonzero(kind == fastnmea.K_OTHER).tolist():
            s = bytes(buf[starts[i]:ends[i]]).decode("utf-8", "replace").strip()
            info = line_info(s)
            other[i] = (s, info)
            code = info[0]
            if code == "pghp":
                pg_ok[i], pg_ts[i] = True, info[1]
            elif code == "badcs":
                cons[i] = True
            elif code == "ais":
                cons[i] = csok[i] = True
                if info[1] is not None:
                    own_ok[i], own_ts[i] = True, info[1]

        # receive times: own, else a $PGHP line since the previous AIS sentence, else (policy)
        # the last time seen
        idx = np.arange(1, n + 1)
        base = 0 if self.pghp_pending is not None else -1
        last_pg = np.maximum.accumulate(np.concatenate([[base], np.where(pg_ok, idx, -1)]))
        last_cons = np.maximum.accumulate(np.concatenate([[-1], np.where(cons, idx, -1)]))
        pg_vals = np.concatenate([[self.pghp_pending or 0], pg_ts])
        pg_avail = cons & (last_pg[1:] > last_cons[:-1]) & (last_pg[1:] >= 0)
        ts_ok = (own_ok | pg_avail) & csok
        ts = np.where(own_ok, own_ts, pg_vals[np.maximum(last_pg[1:], 0)])
        self.pghp_pending = int(pg_vals[last_pg[-1]]) if last_pg[-1] > last_cons[-1] and \
            last_pg[-1] >= 0 else None
        sets = np.flatnonzero(ts_ok)
        prev_last = self.last_ts
        if len(sets):
            self.last_ts = int(ts[sets[-1]])
        if self.time_policy == "receive_order":
            lastset = np.maximum.accumulate(np.concatenate([
                [0 if prev_last is not None else -1], np.where(ts_ok, idx, -1)]))[1:]
            vals = np.concatenate([[prev_last or 0], ts])
            fill_in = csok & ~ts_ok & (lastset >= 0)
            ts = np.where(fill_in, vals[np.maximum(lastset, 0)], ts)
            ts_ok = ts_ok | fill_in

        mtype = sc["mtype"]
        single = fast & (sc["frag_cnt"] == 1)
        nbits = sc["pay_len"] * 6 - sc["fill"]
        decodable = single & ts_ok & fastnmea.exact_length(mtype, nbits)
        pair_a, pair_b = fastnmea.pairs(sc, fast & ~single, kind == fastnmea.K_OTHER)
        in_pair = np.zeros(n, dtype=bool)
        in_pair[pair_a] = in_pair[pair_b] = True
        loop = sorted(set(other) | set(np.flatnonzero(fast & ~single & ~in_pair).tolist())
                      | set(np.flatnonzero(single & ~decodable).tolist()))
        # where each key's plain pairs start, by key then line: a pair orphans what was pending
        # under its key
        pcode = (sc["seq"][pair_a] + 1) * 256 + sc["chan"][pair_a]
        po = np.lexsort((pair_a, pcode))
        pcode, pstart = pcode[po], pair_a[po]

        def settle(pkey, upto):
            """Orphan the entry pending under `pkey` if a plain pair of that key came after it
            and before line `upto` (the pair's first line orphaned it)."""
            entry = self.pending.get(pkey)
            seq, ch = pkey
            if entry is None or not len(pstart) or not (seq is None or (isinstance(seq, int) and 0 <= seq <= 9)) \
                    or not isinstance(ch, str) or len(ch) > 1 or (ch and ord(ch) > 255):
                return  # no plain pair has such a key
            code = (0 if seq is None else seq + 1) * 256 + (ord(ch) if ch else 0)
            lo, hi = np.searchsorted(pcode, [code, code + 1]).tolist()
            k = lo + int(np.searchsorted(pstart[lo:hi], entry[2], side="right"))
            if k < hi and pstart[k] < upto:
                self.key = (line0 + int(pstart[k])) * _ORDER
                self.orphans([mat(x) for x in entry[1]])
                del self.pending[pkey]

        def text_of(i):
            return bytes(buf[starts[i]:ends[i]]).decode("ascii")

        def sentence_of(i):
            return bytes(buf[sc["s0"][i]:sc["star"][i] + 3])

        def mat(part):
            """A part read in this block, as text and bytes that outlive the block."""
            if not isinstance(part[4], int):
                return part
            i = part[4]
            p0 = pay[i]
            return (part[0], text_of(i), None, part[3], (bytes(buf[p0:p0 + pay_len[i]]), fill[i],
                                                          sentence_of(i)))

        # lines the vectorised pass does not finish: in order (multipart assembly needs it)
        assembled, live = [], []
        tsl, tsokl = _Items(ts), _Items(ts_ok)  # Python values of the few lines read here
        cntl, numl, seql, chl = (_Items(sc[k]) for k in ("frag_cnt", "frag_num", "seq", "chan"))
        pay, pay_len, fill, mtl = (_Items(sc[k]) for k in ("pay", "pay_len", "fill", "mtype"))
        for i in loop:
            lineno = line0 + i + 1
            self.key = (line0 + i) * _ORDER
            t = tsl[i] if tsokl[i] else None
            if i in other:
                s, info = other[i]
                code = info[0]
                if code == "skip":
                    self.skip(info[1])
                    continue
                if code == "reject":
                    self.reject(lineno, info[1], s)
                    continue
                if code == "pghp":
                    self.skip("Gatehouse time sentence")
                    continue
                if code == "badcs":
                    self.reject(lineno, R_BAD_CHECKSUM, s)
                    continue
                try:
                    msg = pyais.NMEAMessage(info[2].encode("ascii"))
                except Exception:  # pyais raises several exception types for malformed sentences
                    self.reject(lineno, R_MALFORMED, s)
                    continue
                part = (lineno, s, msg, t, None)
                cnt, num, pkey = msg.frag_cnt, msg.frag_num, (msg.seq_id, msg.channel)
            else:
                cnt = cntl[i]
                if cnt == 1:
                    self.slow_message(self.key, pyais.NMEAMessage(sentence_of(i)), t,
                                      [(lineno, text_of(i))])
                    continue
                num = numl[i]
                seq, ch = seql[i], chl[i]
                pkey = (None if seq < 0 else seq, chr(ch) if ch else "")
                part = (lineno, None, None, t, i)  # made text only if it is needed
            if cnt == 1:
                self.slow_message(self.key, msg, t, [(lineno, s)])
                continue
            settle(pkey, i)
            self.key = (line0 + i) * _ORDER
            entry = self.pending.get(pkey)
            if num == 1:
                if entry is not None:
                    self.orphans([mat(x) for x in entry[1]])
                self.pending[pkey] = [cnt, [part], i]
                continue
            if entry is None or entry[0] != cnt or len(entry[1]) + 1 != num:
                self.reject(lineno, R_ORPHAN, mat(part)[1])
                continue
            entry[1].append(part)
            if len(entry[1]) == cnt:
                del self.pending[pkey]
                parts = entry[1]
                if all(isinstance(x[4], int) for x in parts):
                    nbits = sum(pay_len[x[4]] for x in parts) * 6 - fill[parts[-1][4]]
                    t0 = next((x[3] for x in parts if x[3] is not None), None)
                    if t0 is not None and nbits in fastnmea.EXACT_BITS.get(mtl[parts[0][4]], ()):
                        live.append((self.key, t0, parts[0][0], [x[4] for x in parts]))
                        continue
                self.complete([mat(x) for x in parts], assembled)
        for pkey in list(self.pending):
            settle(pkey, n)
        for entry in self.pending.values():  # parts waiting for the next block
            entry[1] = [mat(x) for x in entry[1]]
            entry[2] = -1
        pk, pt, pl, pidx = self.plain_pairs(sc, pair_a, pair_b, ts, ts_ok, line0, assembled, mat)
        self.decode_fast(buf, sc, np.flatnonzero(decodable), ts, line0, text_of)
        width = max([len(a[3]) for a in live] + [2])
        idx = np.full((len(live), width), -1, dtype=np.int64)
        for j, a in enumerate(live):
            idx[j, :len(a[3])] = a[3]
        pidx = np.concatenate([pidx, np.full((len(pidx), width - 2), -1, dtype=np.int64)], axis=1)
        cols = [np.concatenate([np.array([a[c] for a in live], dtype=np.int64), v.astype(np.int64)])
                for c, v in ((0, pk), (1, pt), (2, pl))]  # int64 throughout: times are ns
        self.decode_live(buf, sc, *cols, np.concatenate([idx, pidx]), text_of, sentence_of)
        self.decode_assembled(assembled)

    def plain_pairs(self, sc, pair_a, pair_b, ts, ts_ok, line0, assembled, mat):
        """Two-part messages whose parts follow each other under their key (no state needed):
        (keys, times, first line numbers, (m, 2) lines) of those decoded here."""
        nbits = (sc["pay_len"][pair_a] + sc["pay_len"][pair_b]) * 6 - sc["fill"][pair_b]
        t_ok = ts_ok[pair_a] | ts_ok[pair_b]
        t = np.where(ts_ok[pair_a], ts[pair_a], ts[pair_b])
        exact = t_ok & fastnmea.exact_length(sc["mtype"][pair_a], nbits)
        keys = (line0 + pair_b) * _ORDER
        linenos = line0 + pair_a + 1
        out = (keys[exact], t[exact], linenos[exact], np.stack([pair_a[exact], pair_b[exact]], axis=1))
        keys, linenos, tl = _Items(keys), _Items(linenos), _Items(t)
        for k in np.flatnonzero(~exact).tolist():
            a, b = int(pair_a[k]), int(pair_b[k])
            self.key = keys[k]
            ta = tl[k] if ts_ok[a] else None
            tb = int(ts[b]) if ts_ok[b] else None
            pa, pb = mat((linenos[k], None, None, ta, a)), mat((line0 + b + 1, None, None, tb, b))
            self.complete([pa, pb], assembled)
        return out

    def complete(self, parts, assembled):
        """A multipart message whose parts have all arrived (key: its last line)."""
        t = next((p[3] for p in parts if p[3] is not None), None)
        lines = [(p[0], p[1]) for p in parts]
        if all(p[4] is not None for p in parts):
            payload = b"".join(p[4][0] for p in parts)
            nbits = len(payload) * 6 - parts[-1][4][1]
            mt = int(fastnmea.ARMOUR[payload[0]])
            if t is not None and nbits in fastnmea.EXACT_BITS.get(mt, ()):
                assembled.append((self.key, t, lines, payload, mt, parts))
                return
        msgs = [p[2] if p[2] is not None else pyais.NMEAMessage(p[4][2]) for p in parts]
        try:
            full = pyais.NMEAMessage.assemble_from_iterable(msgs)
        except Exception:
            self.reject(parts[0][0], R_UNDECODABLE, "\n".join(p[1] for p in parts))
            return
        self.slow_message(self.key, full, t, lines)

    def orphans(self, parts):
        for lineno, s, *_ in parts:
            self.reject(lineno, R_ORPHAN, s)

    def decode_fast(self, buf, sc, rows, ts, line0, text_of):
        """Single-sentence messages of the fast types at their exact lengths, from the block."""
        if not len(rows):
            return
        bp = np.concatenate([buf, np.zeros(128, dtype=np.uint8)])
        nbits = (sc["pay_len"] * 6 - sc["fill"])[rows]

        def raw(j):
            return text_of(rows[j])

        def make_msg(j):
            i = rows[j]
            return pyais.NMEAMessage(bytes(buf[sc["s0"][i]:sc["star"][i] + 3]))

        def chars(sel, nchars):
            return fastnmea.gather(bp, sc["pay"][rows[sel]], nchars)

        self.decode_rows(sc["mtype"][rows], nbits, chars, (line0 + rows) * _ORDER, ts[rows],
                         line0 + rows + 1, raw, make_msg)

    def decode_live(self, buf, sc, keys, times, linenos, idx, text_of, sentence_of):
        """Assembled multipart messages whose parts are all in this block (`idx`: their lines,
        -1 after the last): gathered from it."""
        m, width = idx.shape
        if not m:
            return
        lens = np.where(idx >= 0, sc["pay_len"][idx], 0)
        pays = sc["pay"][idx]
        ends_ = np.cumsum(lens, axis=1)
        bp = np.concatenate([buf, np.zeros(128, dtype=np.uint8)])

        def chars(sel, nchars):
            """Each part's bytes from its column on: a window of the line set back by the
            columns before it (parts follow each other in the buffer, so it stays inside)."""
            win = np.lib.stride_tricks.sliding_window_view(bp, nchars)
            out = win[pays[sel, 0]]
            c = np.arange(nchars)[None, :]
            for k in range(1, width):
                lo = ends_[sel, k] - lens[sel, k]
                has = idx[sel, k] >= 0
                later = win[np.where(has, pays[sel, k] - lo, 0)]
                out = np.where(has[:, None] & (c >= lo[:, None]), later, out)
            return fastnmea.dearmour(out)

        def raw(j):
            return "\n".join(text_of(i) for i in idx[j] if i >= 0)

        def make_msg(j):
            return pyais.NMEAMessage.assemble_from_iterable(
                [pyais.NMEAMessage(sentence_of(i)) for i in idx[j] if i >= 0])

        mt = sc["mtype"][idx[:, 0]]
        nbits = lens.sum(axis=1) * 6 - sc["fill"][idx[np.arange(m), (idx >= 0).sum(axis=1) - 1]]
        self.decode_rows(mt, nbits, chars, keys, times, linenos, raw, make_msg)

    def decode_assembled(self, assembled):
        """Assembled multipart messages of the fast types at their exact lengths."""
        if not assembled:
            return
        payloads = [a[3] for a in assembled]
        offs = np.cumsum([0] + [len(p) for p in payloads])
        bp = np.concatenate([np.frombuffer(b"".join(payloads), dtype=np.uint8),
                             np.zeros(128, dtype=np.uint8)])
        mt = np.array([a[4] for a in assembled], dtype=np.int64)
        nbits = np.array([len(a[3]) * 6 - a[5][-1][4][1] for a in assembled], dtype=np.int64)

        def raw(j):
            return "\n".join(x[1] for x in assembled[j][2])

        def make_msg(j):
            return pyais.NMEAMessage.assemble_from_iterable(
                [pyais.NMEAMessage(p[4][2]) for p in assembled[j][5]])

        def chars(sel, nchars):
            return fastnmea.gather(bp, offs[:-1][sel], nchars)

        self.decode_rows(mt, nbits, chars, np.array([a[0] for a in assembled], dtype=np.int64),
                         np.array([a[1] for a in assembled], dtype=np.int64),
                         np.array([a[2][0][0] for a in assembled], dtype=np.int64), raw, make_msg)

    def decode_rows(self, mt, nbits, chars, keys, ts, linenos, raw, make_msg):
        """Messages of the fast types (all timed): positions, rejects and static records."""
        m = len(mt)
        mmsi = np.zeros(m, dtype=np.int64)
        groups = {}
        for name, sel, nchars in (("pos", np.isin(mt, (1, 2, 3, 18, 27)), 28),
                                  ("t19", mt == 19, 52), ("t5", mt == 5, 71), ("t24", mt == 24, 28)):
            sel = np.flatnonzero(sel)
            if len(sel):
                w = fastnmea.words(chars(sel, nchars))
                mmsi[sel] = fastnmea.field(w, 8, 30)
                groups[name] = (sel, w)
        slow = np.zeros(m, dtype=bool)
        if "t24" in groups:
            sel, w = groups["t24"]
            partno = fastnmea.field(w, 38, 2)
            aux = (mmsi[sel] >= 980_000_000) & (mmsi[sel] <= 989_999_999)
            slow[sel] = (partno > 1) | ((partno == 1) & (aux | (nbits[sel] != 168)))
        bad = ~slow & ((mmsi < 100_000_000) | (mmsi > 999_999_999))
        few = np.flatnonzero(slow | bad)  # Python objects only for the rows that need them
        keysl, tsl, linl = (dict(zip(few.tolist(), v[few].tolist())) for v in (keys, ts, linenos))
        for j in np.flatnonzero(slow).tolist():
            try:
                msg = make_msg(j)
            except Exception:
                self.key = keysl[j]
                self.reject(linl[j], R_UNDECODABLE, raw(j))
                continue
            self.slow_message(keysl[j], msg, tsl[j], [(linl[j], raw(j))])
        for j in np.flatnonzero(bad).tolist():
            self.key = keysl[j]
            self.reject(linl[j], R_BAD_MMSI, raw(j))
        ok = ~slow & ~bad
        self.positions_of(groups, ok, mt, mmsi, keys, ts, linenos, raw)
        if "t5" in groups and ok[groups["t5"][0]].any():
            sel, w = groups["t5"]
            rows = np.flatnonzero(ok[sel])
            d = {k: v[rows] for k, v in fastnmea.decode_type5(w).items()}
            r = sel[rows]
            self.t5_rows.append((mmsi[r], d, keys[r], ts[r]))  # grouped once, in finish
            self.n_static += len(rows)
            self.n_records += len(rows)
        if "t24" in groups:
            sel, w = groups["t24"]
            rows = np.flatnonzero(ok[sel])
            d = {k: v[rows] for k, v in fastnmea.decode_type24(w).items()}
            r = sel[rows]
            self.t24_rows.append((mmsi[r], fastnmea.field(w, 38, 2)[rows], d, keys[r], ts[r]))
            self.n_static += len(rows)
            self.n_records += len(rows)

    def positions_of(self, groups, ok, mt, mmsi, keys, ts, linenos, raw):
        parts = [(n, groups[n]) for n in ("pos", "t19") if n in groups]
        for name, (sel, w) in parts:
            sel = sel[ok[sel]]
            w = w[ok[np.asarray(groups[name][0])]]
            if not len(sel):
                continue
            d = fastnmea.decode_positions(mt[sel], w)
            lat, lon = d["lat"], d["lon"]
            na = (lat == 91.0) | (lon == 181.0)
            imp = ~na & ~((lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0))
            for k in np.flatnonzero(na | imp).tolist():
                j = sel[k]
                self.key = int(keys[j])
                self.reject(int(linenos[j]), R_NOT_AVAILABLE if na[k] else R_IMPOSSIBLE, raw(j))
            good = ~(na | imp)
            t = mt[sel][good]
            speed = d["speed"][good]
            speed = np.where((t == 27) & (speed >= 63), np.nan, speed)
            course = d["course"][good]
            hdg = d["heading"][good]
            status = d["status"][good]
            self.fast_pos.append({
                "key": keys[sel][good], "mmsi": mmsi[sel][good], "ts": ts[sel][good],
                "lat": lat[good], "lon": lon[good],
                "sog_kn": np.where(speed <= 102.2, speed, np.nan),
                "cog_deg": np.where(course < 360.0, course, np.nan),
                "heading_deg": np.where((t != 27) & (hdg < 360), hdg.astype(np.float64), np.nan),
                "nav_status": status, "msg_type": t})
            self.n_records += int(good.sum())
            if name == "t19":
                g = sel[good]
                self.events += nmea_static.type19_events(
                    mmsi[g], fastnmea.decode_type19_static(w[good]), keys[g], ts[g])

    def finish(self) -> AisData:
        if self.time_policy == "receive_order" and self.last_ts is None:
            raise InputError(self.name, "time", "no line of the file has a receive time, so "
                             "time_policy='receive_order' has nothing to order by",
                             "use a log with tag blocks, trailing epoch times or $PGHP lines")
        self.key = self.lines_done * _ORDER
        for _key, entry in sorted(self.pending.items(), key=lambda kv: kv[1][1][0][0]):
            self.orphans(entry[1])
        self.pending = {}
        if self.t5_rows:  # one event per distinct record of the file, at its first key
            mm, d, k, t = zip(*self.t5_rows)
            self.events += nmea_static.type5_events(
                np.concatenate(mm), {c: np.concatenate([x[c] for x in d]) for c in d[0]},
                np.concatenate(k), np.concatenate(t))
        if self.t24_rows:  # per MMSI its span, per part the one that wins
            mm, pn, d, k, t = zip(*self.t24_rows)
            self.events += nmea_static.type24_events(
                np.concatenate(mm), np.concatenate(pn), {c: np.concatenate([x[c] for x in d]) for c in d[0]},
                np.concatenate(k), np.concatenate(t))
        self.events.sort(key=lambda e: e[0])
        nmea_static.apply(self.events, self.static, self.t24)
        self.merge_type24()
        p = self.pos
        slow = {"key": np.asarray(self.pos_key, dtype=np.int64),
                "mmsi": np.asarray(p["mmsi"], dtype=np.int64), "ts": np.asarray(p["ts"], dtype=np.int64),
                "lat": np.asarray(p["lat"], dtype=np.float64), "lon": np.asarray(p["lon"], dtype=np.float64),
                "sog_kn": np.asarray(p["sog_kn"], dtype=np.float64),
                "cog_deg": np.asarray(p["cog_deg"], dtype=np.float64),
                "heading_deg": np.asarray(p["heading_deg"], dtype=np.float64),
                "nav_status": np.asarray([-1 if v is pd.NA else v for v in p["nav_status"]],
                                         dtype=np.int64),
                "msg_type": np.asarray(p["msg_type"], dtype=np.int64)}
        chunks = [slow] + self.fast_pos
        positions = _positions_frame(chunks, self.source)
        keys = list(self.static)
        vessels = pd.DataFrame([k for k in keys], columns=STATIC_KEY)
        vessels["first_seen"] = ns_to_utc([self.static[k][0] for k in keys])
        vessels["last_seen"] = ns_to_utc([self.static[k][1] for k in keys])
        vessels["source"] = self.source
        ro = np.argsort(np.asarray(self.rej_key, dtype=np.int64), kind="stable").tolist()
        rejects = pd.DataFrame({"source": self.source, "locator": [self.rej_loc[i] for i in ro],
                                "reason": [self.rej_reason[i] for i in ro],
                                "raw": [self.rej_raw[i] for i in ro]})
        return assemble(positions, vessels, rejects, source=self.source, rows_read=self.n_records,
                        static=self.n_static, skipped=self.n_skipped, by_reason=self.by_reason)


def _positions_frame(chunks: list, source: str) -> pd.DataFrame:
    """The positions of the chunks (dicts of columns with an order key) in key order, every
    column made in its table dtype (validation converts nothing) and the five float columns
    written straight into one block (no consolidating copy)."""
    key = np.concatenate([ch["key"] for ch in chunks])
    order = np.argsort(key, kind="stable")
    n = len(order)

    def col(c):
        return np.concatenate([ch[c] for ch in chunks])[order]

    floats = ["lat", "lon", "sog_kn", "cog_deg", "heading_deg"]
    block = np.empty((len(floats), n))
    for i, c in enumerate(floats):
        np.take(np.concatenate([ch[c] for ch in chunks]), order, out=block[i])
    df = pd.DataFrame(block.T, columns=floats, copy=False)
    df.insert(0, "ts", ns_to_utc(col("ts")))
    df.insert(0, "mmsi", col("mmsi"))
    nav = col("nav_status")
    df["nav_status"] = pd.arrays.IntegerArray(np.maximum(nav, 0), nav < 0)
    string = pd.StringDtype("pyarrow", na_value=np.nan)  # the tables' "str"
    df["source"] = pd.arrays.ArrowStringArray(
        pa.chunked_array([pa.repeat(pa.scalar(source, pa.large_string()), n)]), dtype=string)
    df["msg_type"] = pd.array(col("msg_type"), dtype="Int64")
    df["flag"] = pd.arrays.ArrowStringArray(pa.chunked_array([pa.nulls(n, pa.large_string())]), dtype=string)
    return df


BLOCK_BYTES = 8 << 20  # about 100,000 lines a block: memory stays bounded by the block size


def read_nmea(path: Path, source: str, time_policy: str = "reject",
              block_bytes: int = BLOCK_BYTES) -> AisData:
    """Read an NMEA log into AisData, `block_bytes` at a time; `qa["lines"]` is the raw line
    count. Same tables, rejects and QA as helpers.ais.nmea.read_nmea_lines."""
    reader = _BatchReader(path.name, source, time_policy)
    carry = b""
    with open_binary(path) as fh:
        while True:
            data = fh.read(block_bytes)
            final = not data
            block = carry + data
            buf = np.frombuffer(block, dtype=np.uint8)
            starts, ends, consumed = fastnmea.split_lines(buf, final)
            reader.block(buf, starts, ends)
            carry = block[consumed:]
            if final:
                break
    data = reader.finish()
    data.qa["lines"] = reader.lines_done
    return data


read_nmea_fast = read_nmea
