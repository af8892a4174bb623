"""Vectorised NMEA scanning and AIS payload decoding, a block of lines at a time (numpy only).

`split_lines` cuts a byte block into lines as Python's universal newlines do (`\\n`, `\\r\\n`,
`\\r`). `scan` classifies every line of the block at once: blank, comment, non-AIS sentence, or an
AIS sentence whose structure it fully understands (tag block with its checksum and `c:` time,
the seven sentence fields, the checksum, a trailing epoch); every other line is `K_OTHER`, left
to the caller's line-by-line path. Checksums come from one XOR prefix scan over the block's
8-byte words (`RangeXor`); the fields from the positions of the commas, stars and backslashes
found once per block; times and the payload alphabet are read eight bytes at a time in uint64
words (`digit_runs`, `in_alphabet`).

`decode_positions` and `decode_static` de-armour payload characters through a lookup table into
60-bit words (ten characters a word) and extract bit fields with shifts for a whole set of
messages at once, applying the same scaling as pyais (`to_lat_lon`: round(raw / 600000, 6)
computed as ((10 raw + 3) // 6) / 1e6, speeds and courses in tenths). Only payloads of the exact
lengths of their message type are decoded here (`exact_length`); anything else is the caller's.

Nothing here knows about files, rejects or the canonical tables (helpers.ais.nmea does).
"""

from __future__ import annotations

import numpy as np

NS = 1_000_000_000

K_BLANK, K_COMMENT, K_NONAIS, K_AIS, K_OTHER = 0, 1, 2, 3, 4

# 6-bit value of each armoured payload byte; 255 = not in the AIS alphabet
ARMOUR = np.full(256, 255, dtype=np.uint8)
ARMOUR[48:88] = np.arange(0, 40)
ARMOUR[96:120] = np.arange(40, 64)
_HEX = np.full(256, 255, dtype=np.uint8)
_HEX[48:58] = np.arange(10)
_HEX[65:71] = np.arange(10, 16)
_HEX[97:103] = np.arange(10, 16)
_SIXBIT_TEXT = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
_SIXBIT_TEXT[0] = 32  # '@' (no character) reads as a space, as the reader's text cleaning does

MAX_LINE = 400      # longer lines are left to the line-by-line path
MAX_PAYLOAD = 200   # pyais refuses longer payloads
PAD = MAX_LINE + 16

# exact payload bit lengths decoded here, by message type
EXACT_BITS = {1: (168,), 2: (168,), 3: (168,), 18: (168,), 19: (312,), 27: (96,),
              5: (424, 426), 24: (160, 168)}


def split_lines(buf: np.ndarray, final: bool):
    """(starts, ends, consumed) of the lines in `buf` (uint8): `\\n`, `\\r\\n` and `\\r` end a
    line, as in Python's universal newlines. Without `final`, bytes after the last line end (and
    a last `\\r` whose `\\n` may follow) are left for the next block: `consumed` is where they start."""
    n = len(buf)
    if not final and n and buf[-1] == 13:
        n -= 1
    b = buf[:n]
    nl = np.flatnonzero(b == 10)
    cr = np.flatnonzero(b == 13)
    if len(cr):
        nxt = np.minimum(cr + 1, n - 1)
        crlf = (cr + 1 < n) & (b[nxt] == 10)
        nl_lone = nl[~np.isin(nl, cr[crlf] + 1)]
        ends = np.sort(np.concatenate([nl_lone, cr]))
        term_len = np.ones(len(ends), dtype=np.int64)
        term_len[np.isin(ends, cr[crlf])] = 2
    else:
        ends = nl
        term_len = np.ones(len(ends), dtype=np.int64)
    ends = ends.astype(np.int64)
    starts = np.concatenate([[0], ends[:-1] + term_len[:-1]]).astype(np.int64) if len(ends) else \
        np.zeros(0, dtype=np.int64)
    consumed = int(ends[-1] + term_len[-1]) if len(ends) else 0
    if final and consumed < n:
        starts = np.append(starts, consumed)
        ends = np.append(ends, n)
        consumed = n
    return starts, ends, consumed


def bad_positions(buf: np.ndarray) -> np.ndarray:
    """Sorted positions of the bytes no line of `buf` may hold to be read here (not printable,
    or a space), line ends aside; few in any real log."""
    pos = np.flatnonzero(np.subtract(buf, 0x21, dtype=np.uint8) > 0x7E - 0x21)
    return pos[(buf[pos] != 10) & (buf[pos] != 13)]


def in_alphabet(b: np.ndarray, pay: np.ndarray, pay_len: np.ndarray, width: int = 32) -> np.ndarray:
    """Whether every byte of b[pay:pay + pay_len] is in the AIS payload alphabet ('0'..'W',
    '`'..'w'), for ASCII runs (`b` padded by `width` bytes past every run's end; `width` a
    multiple of 8). Eight bytes at a time as uint64 words: a byte's high bit after adding a
    constant tells whether it reached a bound."""
    ok = np.ones(len(pay), dtype=bool)
    nw = width // 8
    lanes = np.arange(0, width, 8)[None, :]
    win = np.lib.stride_tricks.sliding_window_view(b, width)
    high = _ONES * np.uint64(0x80)
    off = 0
    rows = np.flatnonzero(pay_len > 0)
    while len(rows):
        x = np.ascontiguousarray(win[pay[rows] + off]).view("<u8").astype(np.uint64).reshape(-1, nw)
        inside = _LOW[np.clip((pay_len[rows] - off)[:, None] - lanes, 0, 8)] & high
        lo = (x + _ONES * np.uint64(0x50)) & ~(x + _ONES * np.uint64(0x28))  # 0x30 <= byte < 0x58
        hi = (x + _ONES * np.uint64(0x20)) & ~(x + _ONES * np.uint64(0x08))  # 0x60 <= byte < 0x78
        bad = ((~(lo | hi) | x) & inside).any(axis=1)  # a non-ASCII byte is never in it
        ok[rows[bad]] = False
        off += width
        rows = rows[pay_len[rows] > off]
    return ok


def _next_at(pos: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The first of the sorted positions `pos` at or after each of `at` (huge when none)."""
    k = np.searchsorted(pos, at)
    ext = np.append(pos, np.iinfo(np.int64).max // 2)
    return ext[k]


_POW10 = 10 ** np.arange(19, dtype=np.int64)


_LOW = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)  # bytes 0..k-1
_ONES = np.uint64(0x0101010101010101)


def digit_runs(b, start, length, max_len=13):
    """(all digits, value) of the runs b[start:start+length] (length 0..max_len <= 16; `b`
    padded by 16 bytes past every run's start). Eight bytes at a time as a uint64 (SWAR):
    the bytes after the run read as '0', every byte checked to be '0'..'9', the 16 digits
    combined pairwise, and the zeros after the run divided away."""
    win = np.lib.stride_tricks.sliding_window_view(b, 16)[start]
    x = np.ascontiguousarray(win).view("<u8").astype(np.uint64)  # (m, 2), byte 0 lowest
    keep = _LOW[np.clip(length[:, None] - np.array([0, 8]), 0, 8)]
    x = (x & keep) | (_ONES * np.uint64(0x30) & ~keep)
    ok = ((x & _ONES * np.uint64(0x80)) == 0)  # ASCII only, so the sums below carry nowhere
    ok &= ((x + _ONES * np.uint64(0x50)) & _ONES * np.uint64(0x80)) == _ONES * np.uint64(0x80)  # >= '0'
    ok &= ((x + _ONES * np.uint64(0x46)) & _ONES * np.uint64(0x80)) == 0  # <= '9'
    d = x - _ONES * np.uint64(0x30)
    d = (d * np.uint64(10) + (d >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    d = (d * np.uint64(100) + (d >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    d = (d * np.uint64(10000) + (d >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    v = (d[:, 0] * np.uint64(10**8) + d[:, 1]).astype(np.int64)
    return ok.all(axis=1) & (length <= max_len), v // _POW10[16 - length]


def _runs_where(b, fit, start, length):
    """digit_runs of the lines where `fit` (not all digits, value 0 elsewhere)."""
    ok = np.zeros(len(fit), dtype=bool)
    v = np.zeros(len(fit), dtype=np.int64)
    i = np.flatnonzero(fit)
    if len(i):
        ok[i], v[i] = digit_runs(b, start[i], length[i])
    return ok, v


def _epoch(v):
    """(ok, ns) of unix seconds `v` as the reader reads them (milliseconds when above 1e11);
    values numpy cannot hold as nanoseconds are not ok (the line-by-line path reads them)."""
    sec = v <= 9_000_000_000
    ms = (v > 10**11) & (v <= 9_000_000_000_000)
    ns = np.where(sec, v * NS, np.where(ms, v * 1_000_000, 0))
    return sec | ms, ns


class RangeXor:
    """XOR of the bytes b[a:e] for many ranges at once, from one XOR prefix scan over the
    buffer's 8-byte words (`b`: a whole number of words, zero past the data)."""

    def __init__(self, b: np.ndarray):
        self.w = b.view("<u8")
        self.q = np.zeros(len(self.w) + 1, dtype=self.w.dtype)
        np.bitwise_xor.accumulate(self.w, out=self.q[1:])

    def __call__(self, a: np.ndarray, e: np.ndarray) -> np.ndarray:
        """uint8 XOR of b[a:e] for each pair (0 <= a, e < len(b); a <= e)."""
        wa, we = a >> 3, e >> 3
        x = self.q[we] ^ self.q[wa] ^ (self.w[wa] & _LOW[a & 7]) ^ (self.w[we] & _LOW[e & 7])
        x ^= x >> np.uint64(32)
        x ^= x >> np.uint64(16)
        x ^= x >> np.uint64(8)
        return (x & np.uint64(255)).astype(np.uint8)


def scan(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> dict:
    """Classify every line (`kind`) and parse the AIS sentences understood here.

    For `K_AIS` lines: `own_ok`/`own_ts` (the tag block's `c:` time, else a trailing epoch, in
    ns), `frag_cnt`, `frag_num`, `seq` (-1 when empty), `chan` (byte, 0 when empty), `pay`
    (payload start in `buf`), `pay_len`, `fill`, `mtype` (first six bits), `s0`/`star`
    (the sentence `!...*hh` is buf[s0:star + 3]). The checksum of every `K_AIS` line is
    correct; a line with a wrong one is `K_OTHER`."""
    b = np.zeros(-(-(len(buf) + PAD) // 8) * 8, dtype=np.uint8)  # whole 8-byte words
    b[:len(buf)] = buf
    n = len(starts)
    length = ends - starts
    kind = np.full(n, K_OTHER, dtype=np.int8)
    clean = (_next_at(bad_positions(buf), starts) >= ends) & (length <= MAX_LINE)
    kind[length == 0] = K_BLANK
    ok = clean & (length > 0)
    first = b[starts]
    kind[ok & (first == 35)] = K_COMMENT
    pghp = ok & (length >= 6) & (b[starts] == 36) & (b[starts + 1] == 80) & (b[starts + 2] == 71) \
        & (b[starts + 3] == 72) & (b[starts + 4] == 80) & (b[starts + 5] == 44)
    cand = ok & (first != 35) & ~pghp

    backslash = np.flatnonzero(buf == 92)
    stars = np.flatnonzero(buf == 42)
    commas = np.flatnonzero(buf == 44)
    xor = RangeXor(b)

    tag = cand & (first == 92)
    te = _next_at(backslash, starts + 1)
    tag_found = tag & (te < ends)
    cand &= ~tag | tag_found
    s0 = np.where(tag, te + 1, starts)
    s0c = np.minimum(s0, len(b) - 8)
    vdm = (s0 + 6 <= ends) & (b[s0c] == 33) & (b[s0c + 3] == 86) & (b[s0c + 4] == 68) \
        & ((b[s0c + 5] == 77) | (b[s0c + 5] == 79))
    kind[cand & ~vdm] = K_NONAIS
    ais = cand & vdm

    # tag block: checksum of the text before its last '*', and one `c:` item of digits
    own_ok = np.zeros(n, dtype=bool)
    own_ts = np.zeros(n, dtype=np.int64)
    stars_x = np.append(stars, np.iinfo(np.int64).max // 2)
    ks = np.searchsorted(stars, te)  # the first '*' after the tag block's end
    k = ks - 1
    tstar = np.where(k >= 0, stars_x[np.maximum(k, 0)], -1)
    t_ok = tag & (tstar > starts) & (te - tstar == 3)
    tsc = np.clip(tstar, 0, len(b) - 3)
    h1, h2 = _HEX[b[tsc + 1]], _HEX[b[tsc + 2]]
    t_ok &= (h1 < 16) & (h2 < 16)
    body_x = xor(np.minimum(starts + 1, len(buf)), np.clip(tstar, 0, len(buf)))
    t_ok &= body_x == (h1.astype(np.uint8) << 4 | h2)
    ais &= ~tag | t_ok
    citem = np.flatnonzero(buf == 99)
    prev, nxt = b[np.maximum(citem - 1, 0)], b[citem + 1]
    citem = citem[(citem > 0) & ((prev == 44) | (prev == 92)) & ((nxt == 58) | (nxt == 44) | (nxt == 42))]
    k1 = np.searchsorted(citem, starts + 1)
    k2 = np.searchsorted(citem, tstar)
    nc = np.where(tag, k2 - k1, 0)
    ais &= nc <= 1
    cpos = np.append(citem, 0)[np.minimum(k1, len(citem))]
    has_c = ais & (nc == 1)
    cpos = np.where(has_c, cpos, 0)
    ais &= ~has_c | (b[cpos + 1] == 58)
    vstart = cpos + 2
    vend = np.minimum(_next_at(commas, vstart), tstar)
    vlen = vend - vstart
    vfit = has_c & (vlen >= 1) & (vlen <= 13)
    vdig, cv = _runs_where(b, vfit, vstart, vlen)
    c_ok, c_ns = _epoch(cv)
    good_c = has_c & vdig & c_ok
    ais &= ~has_c | good_c
    own_ok |= good_c
    own_ts = np.where(good_c, c_ns, own_ts)

    # sentence: first '*' after its start, two hex digits, the XOR of the text between
    star = stars_x[ks]  # after a tag block: the first '*' after its end
    nt = np.flatnonzero(~tag)
    star[nt] = _next_at(stars, s0[nt])
    ais &= (star + 3 <= ends)
    sc = np.where(ais, star, 0)
    h1, h2 = _HEX[b[sc + 1]], _HEX[b[sc + 2]]
    ais &= (h1 < 16) & (h2 < 16)
    sx = xor(np.minimum(s0 + 1, len(buf)), np.minimum(sc, len(buf)))
    ais &= sx == (h1.astype(np.uint8) << 4 | h2)
    # exactly six commas between the talker and the '*'
    c_lo = np.searchsorted(commas, s0)
    cmx = np.append(commas, np.full(7, np.iinfo(np.int64).max // 2))
    ais &= (cmx[c_lo + 5] < sc) & (cmx[c_lo + 6] >= sc)  # the sixth before the '*', the seventh not
    cm = np.append(commas, 0)
    ci = [cm[np.where(ais, c_lo + j, len(commas))] for j in range(6)]
    flen = [ci[j + 1] - ci[j] - 1 for j in range(5)] + [sc - ci[5] - 1]
    d1, d2, d3 = b[ci[0] + 1].astype(np.int64) - 48, b[ci[1] + 1].astype(np.int64) - 48, \
        b[ci[2] + 1].astype(np.int64) - 48
    ais &= (flen[0] == 1) & (d1 >= 1) & (d1 <= 9) & (flen[1] == 1) & (d2 >= 1) & (d2 <= d1)
    ais &= (flen[2] == 0) | ((flen[2] == 1) & (d3 >= 0) & (d3 <= 9))
    ais &= flen[3] <= 1
    fill = b[ci[5] + 1].astype(np.int64) - 48
    ais &= (flen[5] == 1) & (fill >= 0) & (fill <= 5)
    pay = ci[4] + 1
    pay_len = flen[4]
    ais &= (pay_len >= 0) & (pay_len <= MAX_PAYLOAD)
    rows = np.flatnonzero(ais)
    ais[rows] = in_alphabet(b, pay[rows], pay_len[rows])
    # what decides the message type must be there: the first six bits of a single sentence or
    # of a first fragment without fill bits
    single = d1 == 1
    ais &= np.where(single, pay_len * 6 - fill >= 6, (d2 > 1) | ((pay_len >= 1) & (fill == 0)))

    # trailing epoch after the checksum, when there is no tag block time
    tr = ais & ~own_ok & (ends > sc + 3) & (b[sc + 3] == 44)
    tstart = np.zeros(n, dtype=np.int64)  # after the line's last comma
    rows = np.flatnonzero(tr)
    tstart[rows] = commas[np.searchsorted(commas, ends[rows]) - 1] + 1
    tlen = ends - tstart
    tfit = tr & (tlen >= 1) & (tlen <= 13)
    tdig, tv = _runs_where(b, tfit, tstart, tlen)
    ais &= ~tr | tdig
    e_ok, e_ns = _epoch(tv)
    ais &= ~tr | e_ok | (tv == 0)
    good_t = tr & tdig & e_ok & (tv > 0)
    own_ok |= good_t
    own_ts = np.where(good_t, e_ns, own_ts)

    kind[ais] = K_AIS
    pc = np.where(ais, pay, 0)
    return {
        "kind": kind, "own_ok": own_ok & ais, "own_ts": own_ts,
        "frag_cnt": np.where(ais, d1, 0), "frag_num": np.where(ais, d2, 0),
        "seq": np.where(ais & (flen[2] == 1), d3, -1),
        "chan": np.where(ais & (flen[3] == 1), b[ci[3] + 1], 0).astype(np.int64),
        "pay": pc, "pay_len": np.where(ais, pay_len, 0), "fill": np.where(ais, fill, 0),
        "mtype": np.where(ais, ARMOUR[b[pc]], 0).astype(np.int64),
        "s0": s0, "star": sc,
    }


def exact_length(mtype: np.ndarray, nbits: np.ndarray) -> np.ndarray:
    """Whether a payload of type `mtype` and `nbits` bits is decoded here."""
    out = np.zeros(len(mtype), dtype=bool)
    for t, lens in EXACT_BITS.items():
        out |= (mtype == t) & np.isin(nbits, lens)
    return out


def words(chars: np.ndarray) -> np.ndarray:
    """60-bit words (uint64, ten 6-bit values each, left-aligned) of a (m, c) matrix of 6-bit values."""
    m, c = chars.shape
    nw = -(-c // 10)
    padded = np.zeros((m, nw * 10), dtype=np.uint8)
    padded[:, :c] = chars
    w = padded[:, 0::10].astype(np.uint64) << np.uint64(54)
    for k in range(1, 10):  # column k of every word at once
        w |= padded[:, k::10].astype(np.uint64) << np.uint64(54 - 6 * k)
    return w


def field(w: np.ndarray, start: int, width: int, signed: bool = False) -> np.ndarray:
    """Bits start..start+width (width <= 60) of every row of the word matrix `w`, as int64."""
    i, off = divmod(start, 60)
    one = np.uint64(1)
    if off + width <= 60:
        v = (w[:, i] >> np.uint64(60 - off - width)) & ((one << np.uint64(width)) - one)
    else:
        w1 = 60 - off
        w2 = width - w1
        v = ((w[:, i] & ((one << np.uint64(w1)) - one)) << np.uint64(w2)) | (w[:, i + 1] >> np.uint64(60 - w2))
    v = v.astype(np.int64)
    if signed:
        v = np.where(v >= (1 << (width - 1)), v - (1 << width), v)
    return v


def text(w: np.ndarray, start: int, nchars: int) -> np.ndarray:
    """(m, nchars) uint8 ASCII of a 6-bit text field, '@' as a space."""
    return np.stack([_SIXBIT_TEXT[field(w, start + 6 * j, 6)] for j in range(nchars)], axis=1) \
        .astype(np.uint8)


def dearmour(c: np.ndarray) -> np.ndarray:
    """6-bit values of armoured payload bytes (uint8, any shape); a byte outside the alphabet
    gives some value below 64 (callers decode only payloads checked to be in it)."""
    v = c - np.uint8(48)
    v -= (v >= 40).view(np.uint8) << np.uint8(3)  # '`'..'w' follow 'W' after a gap of eight
    v &= np.uint8(63)
    return v


def gather(buf: np.ndarray, pay: np.ndarray, nchars: int) -> np.ndarray:
    """(m, nchars) 6-bit values of the payloads starting at `pay` in `buf` (padded by the caller
    or long enough)."""
    return dearmour(np.lib.stride_tricks.sliding_window_view(buf, nchars)[pay])


def _lat_lon(raw: np.ndarray, scale_num: int) -> np.ndarray:
    """pyais' round(raw / (600000 / ...), 6): ((scale_num * raw + 3) // 6) / 1e6."""
    return ((scale_num * raw + 3) // 6) / 1e6


def decode_positions(mtype: np.ndarray, w: np.ndarray) -> dict:
    """Position fields of types 1-3, 18, 19 (words of their first 168 bits or more) and 27."""
    m = len(mtype)
    out = {"mmsi": field(w, 8, 30)}
    lon = np.zeros(m)
    lat = np.zeros(m)
    speed = np.zeros(m)
    course = np.zeros(m)
    heading = np.full(m, 511, dtype=np.int64)
    status = np.full(m, -1, dtype=np.int64)
    a = (mtype <= 3)
    b = (mtype == 18) | (mtype == 19)
    c = mtype == 27
    for sel, o in ((a, 4), (b, 0)):  # class B fields sit 4 bits earlier (8 reserved bits, no rot)
        if sel.any():
            ws = w[sel]
            lon[sel] = _lat_lon(field(ws, 57 + o, 28, True), 10)
            lat[sel] = _lat_lon(field(ws, 85 + o, 27, True), 10)
            speed[sel] = field(ws, 46 + o, 10) / 10.0
            course[sel] = field(ws, 112 + o, 12) / 10.0
            heading[sel] = field(ws, 124 + o, 9)
            if o:
                status[sel] = field(ws, 38, 4)
    if c.any():
        wc = w[c]
        lon[c] = _lat_lon(field(wc, 44, 18, True), 10000)
        lat[c] = _lat_lon(field(wc, 62, 17, True), 10000)
        speed[c] = field(wc, 79, 6).astype(np.float64)
        course[c] = field(wc, 85, 9).astype(np.float64)
        status[c] = field(wc, 40, 4)
    out.update(lon=lon, lat=lat, speed=speed, course=course, heading=heading, status=status)
    return out


def decode_type19_static(w: np.ndarray) -> dict:
    """Name, ship type (raw) and dimensions of type-19 reports."""
    return {"name": text(w, 143, 20), "ship_type": field(w, 263, 8),
            "to_bow": field(w, 271, 9), "to_stern": field(w, 280, 9),
            "to_port": field(w, 289, 6), "to_starboard": field(w, 295, 6)}


def decode_type5(w: np.ndarray) -> dict:
    return {"mmsi": field(w, 8, 30), "imo": field(w, 40, 30), "callsign": text(w, 70, 7),
            "name": text(w, 112, 20), "ship_type": field(w, 232, 8),
            "to_bow": field(w, 240, 9), "to_stern": field(w, 249, 9),
            "to_port": field(w, 258, 6), "to_starboard": field(w, 264, 6)}


def decode_type24(w: np.ndarray) -> dict:
    """Part A (partno 0: name) and part B (partno 1: type, callsign, dimensions) fields."""
    return {"mmsi": field(w, 8, 30), "partno": field(w, 38, 2), "name": text(w, 40, 20),
            "ship_type": field(w, 40, 8), "callsign": text(w, 90, 7),
            "to_bow": field(w, 132, 9), "to_stern": field(w, 141, 9),
            "to_port": field(w, 150, 6), "to_starboard": field(w, 156, 6)}


def pairs(sc: dict, frag: np.ndarray, other: np.ndarray):
    """(first, second) lines of the plain two-part messages: a fragment 1 of 2 whose next
    fragment under the same (sequence id, channel) is its fragment 2 of 2, with no line left to
    the line-by-line path between them. Such a pair completes whatever came before."""
    idx = np.flatnonzero(frag)
    if len(idx) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = (sc["seq"][idx] + 1) * 256 + sc["chan"][idx]
    order = np.lexsort((idx, key))
    i, k = idx[order], key[order]
    a, b = i[:-1], i[1:]
    other_before = np.concatenate([[0], np.cumsum(other)])
    ok = (k[:-1] == k[1:]) & (sc["frag_cnt"][a] == 2) & (sc["frag_num"][a] == 1) \
        & (sc["frag_cnt"][b] == 2) & (sc["frag_num"][b] == 2) & (other_before[b] == other_before[a + 1])
    a, b = a[ok], b[ok]
    o = np.argsort(a)
    return a[o], b[o]


def as_text(chars: np.ndarray):
    """A decoded 6-bit text field as the reader keeps it: stripped, None when empty."""
    return chars.tobytes().decode("ascii").strip() or None
