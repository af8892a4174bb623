"""The batch NMEA reader (helpers.ais.fastnmea + nmea._BatchReader) against the line-by-line
pyais reader (`read_nmea_lines`), the oracle: identical positions, vessels, rejects and QA on every
NMEA file of the tests and the bundled feed, at any block size, and on generated logs of messages
pyais encodes (property test). Also the vectorised pieces on their own."""

from __future__ import annotations

from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyais import NMEAMessage, encode_dict

from helpers.ais import fastnmea
from helpers.ais.nmea import read_nmea_lines
from helpers.ais.nmea_batch import read_nmea, read_nmea_fast
from tests.factories import T0_UNIX

ROOT = Path(__file__).resolve().parents[2]
NMEA_FILES = sorted(p for p in (ROOT / "tests").rglob("*.nmea"))
BUNDLED = ROOT / "data" / "raw" / "ais" / "coastal_receivers_2023.nmea"


def outcome(fn, path, policy, **kw):
    try:
        d = fn(path, "src", policy, **kw)
    except Exception as exc:  # the same error is part of the same behaviour
        return ("error", type(exc).__name__, str(exc))
    return ("ok", d)


def assert_same(path, policy, **kw):
    ref = outcome(read_nmea_lines, path, policy)
    got = outcome(read_nmea_fast, path, policy, **kw)
    assert ref[0] == got[0], (ref, got)
    if ref[0] == "error":
        assert ref == got
        return
    a, b = ref[1], got[1]
    pdt.assert_frame_equal(a.positions, b.positions)
    pdt.assert_frame_equal(a.vessels, b.vessels)
    pdt.assert_frame_equal(a.rejects, b.rejects)
    assert a.qa == b.qa


def test_there_are_nmea_files():
    assert len(NMEA_FILES) >= 15


@pytest.mark.parametrize("policy", ["reject", "receive_order"])
@pytest.mark.parametrize("path", NMEA_FILES, ids=lambda p: p.name)
def test_every_test_file_same_as_pyais(path, policy):
    assert_same(path, policy)
    assert_same(path, policy, block_bytes=97)  # lines, multipart and $PGHP across blocks


@pytest.mark.parametrize("policy", ["reject", "receive_order"])
def test_bundled_feed_same_as_pyais(policy):
    assert_same(BUNDLED, policy, block_bytes=1 << 20)


def test_read_nmea_is_the_batch_reader(tmp_path):
    d = read_nmea(BUNDLED, "x")
    assert d.qa["lines"] == 97123 and d.qa["positions"] > 50_000


# ----------------------------------------------------------------------------- property test

def _cs(body: str) -> str:
    return f"{reduce(xor, body.encode(), 0):02X}"


def _tag(sentence: str, **fields) -> str:
    body = ",".join(f"{k}:{v}" for k, v in fields.items())
    return f"\\{body}*{_cs(body)}\\{sentence}"


mmsis = st.one_of(st.integers(100_000_000, 999_999_999), st.integers(0, 2**30 - 1),
                  st.integers(980_000_000, 989_999_999))
text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 @-", max_size=20)
lats = st.one_of(st.floats(-90, 90), st.sampled_from([91.0, -91.0, 0.0]))
lons = st.one_of(st.floats(-180, 180), st.sampled_from([181.0, -181.0, 0.0]))
position = st.fixed_dictionaries({
    "type": st.sampled_from([1, 2, 3, 18, 19]), "mmsi": mmsis, "lat": lats, "lon": lons,
    "speed": st.one_of(st.floats(0, 102.3), st.just(102.3)), "course": st.floats(0, 409.5),
    "heading": st.integers(0, 511), "status": st.integers(0, 15), "shipname": text,
    "ship_type": st.integers(0, 255), "to_bow": st.integers(0, 511), "to_stern": st.integers(0, 511),
    "to_port": st.integers(0, 63), "to_starboard": st.integers(0, 63)})
long_range = st.fixed_dictionaries({
    "type": st.just(27), "mmsi": mmsis, "lat": lats, "lon": lons, "speed": st.integers(0, 63),
    "course": st.integers(0, 511), "status": st.integers(0, 15)})
static5 = st.fixed_dictionaries({
    "type": st.just(5), "mmsi": mmsis, "imo": st.integers(0, 2**30 - 1), "callsign": text,
    "shipname": text, "ship_type": st.integers(0, 255), "to_bow": st.integers(0, 511),
    "to_stern": st.integers(0, 511), "to_port": st.integers(0, 63), "to_starboard": st.integers(0, 63)})
static24 = st.fixed_dictionaries({
    "type": st.just(24), "mmsi": mmsis, "partno": st.integers(0, 1), "shipname": text,
    "callsign": text, "ship_type": st.integers(0, 255), "to_bow": st.integers(0, 511),
    "to_stern": st.integers(0, 511), "to_port": st.integers(0, 63), "to_starboard": st.integers(0, 63)})
other = st.fixed_dictionaries({"type": st.sampled_from([4, 8, 21]), "mmsi": mmsis})
message = st.one_of(position, position, long_range, static5, static24, other)

# how a sentence is timed and damaged
timing = st.sampled_from(["tag", "tag", "tag_ms", "trailing", "pghp", "none"])
damage = st.sampled_from(["none"] * 8 + ["flip", "truncate", "drop", "swap_crlf"])


@st.composite
def nmea_logs(draw):
    lines = []
    t = T0_UNIX
    for k in range(draw(st.integers(1, 25))):
        data = draw(message)
        seq = draw(st.integers(0, 3))
        try:
            sentences = encode_dict(data, talker_id=draw(st.sampled_from(["AI", "BS", "AB"])),
                                    sentence_type=draw(st.sampled_from(["VDM", "VDO"])),
                                    seq_id=seq, radio_channel=draw(st.sampled_from(["A", "B"])))
        except Exception:
            continue
        t += draw(st.integers(0, 600))
        how = draw(timing)
        n = len(sentences)
        for j, s in enumerate(sentences):
            if how == "tag":
                fields = {"g": f"{j + 1}-{n}-{k}"} if n > 1 else {}
                line = _tag(s, **fields, s=draw(st.sampled_from(["R1", "R2"])), c=t)
            elif how == "tag_ms":
                line = _tag(s, c=t * 1000)
            elif how == "trailing":
                line = f"{s},s27,d-101,T12.5,x{k},{t}"
            elif how == "pghp":
                body = f"PGHP,1,2023,8,1,0,{t % 60},{(t // 60) % 60},{t % 1000},,,,1,"
                lines.append(f"${body}*{_cs(body)}")
                line = s
            else:
                line = s
            dmg = draw(damage)
            if dmg == "flip" and len(line) > 2:
                pos = draw(st.integers(0, len(line) - 1))
                line = line[:pos] + draw(st.sampled_from("0A,*\\!:w")) + line[pos + 1:]
            elif dmg == "truncate":
                line = line[:draw(st.integers(0, len(line)))]
            elif dmg == "drop":
                continue
            lines.append(line)
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# note", "$GPRMC,1,A*00", "  ", "garbage \\ x"])))
    return lines


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=nmea_logs(), newline=st.sampled_from(["\n", "\r\n", "\r"]),
       block=st.sampled_from([53, 4096, 1 << 20]))
def test_property_generated_logs_same_as_pyais(tmp_path, lines, newline, block):
    p = tmp_path / "gen.nmea"
    p.write_bytes(newline.join(lines).encode())
    for policy in ("reject", "receive_order"):
        assert_same(p, policy, block_bytes=block)


# ----------------------------------------------------------------------------- the pieces

@pytest.mark.parametrize("text_", ["a\nb\r\nc\rd", "a\n\nb\n", "", "\r\n\r\n", "x\r", "x\r\r\ny"])
def test_split_lines_is_universal_newlines(text_):
    buf = np.frombuffer(text_.encode(), dtype=np.uint8)
    starts, ends, consumed = fastnmea.split_lines(buf, final=True)
    got = [text_[s:e] for s, e in zip(starts, ends)]
    assert got == text_.splitlines() and consumed == len(text_)


def test_split_lines_leaves_a_partial_line_and_a_last_cr():
    buf = np.frombuffer(b"ab\ncd\r", dtype=np.uint8)
    starts, ends, consumed = fastnmea.split_lines(buf, final=False)
    assert list(zip(starts, ends)) == [(0, 2)] and consumed == 3


@given(data=position)
@settings(max_examples=200, deadline=None)
def test_position_fields_equal_pyais(data):
    s = encode_dict(data, talker_id="AI", sentence_type="VDM")[0]
    d = NMEAMessage(s.encode()).decode()
    payload = s.split(",")[5].encode()
    chars = fastnmea.ARMOUR[np.frombuffer(payload, dtype=np.uint8)][None, :]
    w = fastnmea.words(chars)
    got = fastnmea.decode_positions(np.array([data["type"]]), w)
    assert got["mmsi"][0] == d.mmsi
    assert (got["lat"][0], got["lon"][0]) == (d.lat, d.lon)
    assert (got["speed"][0], got["course"][0], got["heading"][0]) == (d.speed, d.course, d.heading)


def test_block_whose_only_static_report_is_rejected(tmp_path):
    """A type 5 with an invalid MMSI and nothing else static in the block (found by the property test)."""
    parts = encode_dict({"type": 5, "mmsi": 12345, "shipname": "X"}, talker_id="AI", sentence_type="VDM",
                        seq_id=1)
    p = tmp_path / "t5.nmea"
    p.write_text("\n".join(_tag(s, c=T0_UNIX) for s in parts) + "\n")
    assert_same(p, "reject")


def test_pair_timed_to_the_nanosecond(tmp_path):
    """A two-part type 5 timed by a $PGHP line with milliseconds keeps its exact time (the
    property test found it rounded through float64)."""
    body = "PGHP,1,2023,8,1,0,30,47,850,,,,1,"
    parts = encode_dict({"type": 5, "mmsi": 273210440, "shipname": "ANGARA"}, talker_id="AI",
                        sentence_type="VDM", seq_id=0)
    p = tmp_path / "pghp5.nmea"
    p.write_text("\n".join([f"${body}*{_cs(body)}", *parts]) + "\n")
    assert_same(p, "reject")
    assert read_nmea(p, "x").vessels["first_seen"].iloc[0].value == 1690849847850000000


def test_bad_positions_are_unprintable_bytes_and_spaces_but_not_line_ends():
    buf = np.frombuffer(b"!AI VDM\r\nab\tc\n\x7f\xffz\n", dtype=np.uint8)
    assert fastnmea.bad_positions(buf).tolist() == [3, 11, 14, 15]


def test_in_alphabet_checks_every_payload_byte_through_windows():
    text_ = b"15M67FC000G?ufbE`FepT@3n00Sa,x" + b"0" * 40 + b"X" + b"w" * 10 + b"-" + b"\0" * 40
    buf = np.frombuffer(text_, dtype=np.uint8)
    # a 28-byte payload; its run with the comma; 40 valid bytes, then 'X', with a window of 8
    pay, length = np.array([0, 0, 30, 30, 71]), np.array([28, 30, 40, 41, 10])
    assert fastnmea.in_alphabet(buf, pay, length, width=8).tolist() == [True, False, True, False, True]
    assert fastnmea.in_alphabet(buf, np.array([0]), np.array([0])).tolist() == [True]


def test_in_alphabet_equals_the_armour_table_on_random_runs():
    rng = np.random.default_rng(3)
    b = np.zeros(20000, dtype=np.uint8)
    b[:19000] = rng.choice(np.r_[np.arange(48, 88), np.arange(96, 120)], 19000)
    b[rng.integers(0, 19000, 300)] = rng.integers(0, 256, 300)  # some bytes out of it, any value
    pay, length = rng.integers(0, 18700, 3000), rng.integers(0, 201, 3000)
    want = [bool((fastnmea.ARMOUR[b[p:p + n]] != 255).all()) for p, n in zip(pay, length)]
    assert fastnmea.in_alphabet(b, pay, length).tolist() == want
    assert 0.2 < np.mean(want) < 0.8


def test_range_xor_is_the_xor_of_each_range():
    rng = np.random.default_rng(1)
    b = np.zeros(1024, dtype=np.uint8)
    b[:1000] = rng.integers(0, 256, 1000)
    a = rng.integers(0, 1000, 500)
    e = np.minimum(a + rng.integers(0, 80, 500), 1000)
    want = [reduce(xor, b[i:j].tolist(), 0) for i, j in zip(a.tolist(), e.tolist())]
    assert fastnmea.RangeXor(b)(a, e).tolist() == want


def test_digit_runs_read_runs_of_up_to_13_digits():
    b = np.frombuffer(b"c:1690848000123,x:42*,0009,1a2,\x801,/:,99999999999999" + b"\0" * 16,
                      dtype=np.uint8)
    start = np.array([2, 2, 18, 22, 27, 0, 31, 32, 34, 35, 37, 37])
    length = np.array([13, 10, 2, 4, 3, 0, 2, 1, 1, 1, 13, 14])
    ok, v = fastnmea.digit_runs(b, start, length)
    assert ok.tolist() == [True, True, True, True, False, True, False, True, False, False, True, False]
    assert v[ok].tolist() == [1690848000123, 1690848000, 42, 9, 0, 1, 9999999999999]


def test_last_sentence_of_the_file_with_five_commas(tmp_path):
    """A sentence with a correct checksum but a field short, at the very end of the file (no
    seventh comma anywhere after it): left to the line-by-line path, as pyais reads it."""
    good = encode_dict({"type": 1, "mmsi": 273210440, "lat": 43.1, "lon": 131.9}, talker_id="AI",
                       sentence_type="VDM")[0]
    body = "AIVDM,1,1,B," + good.split(",")[5] + ",0"
    p = tmp_path / "short.nmea"
    p.write_text(_tag(good, c=T0_UNIX) + "\n" + _tag(f"!{body}*{_cs(body)}", c=T0_UNIX + 1))
    assert_same(p, "reject")
    assert_same(p, "reject", block_bytes=97)
    assert read_nmea(p, "x").qa["positions"] == 1


def test_batch_tables_need_no_coercion(monkeypatch):
    """The batch reader makes its tables in their declared dtypes and column order, so their
    validation (schema.validate_fast) never falls back to pandera's coercion."""
    import helpers.schema as schema
    called = []
    real = schema.validate
    monkeypatch.setattr(schema, "validate", lambda df, name, file="<memory>": called.append(name)
                        or real(df, name, file))
    d = read_nmea(BUNDLED, "x")
    assert called == [] and list(d.positions["flag"].isna().unique()) == [True]
    assert str(d.positions["source"].dtype) == "str" and d.positions["source"].iloc[0] == "x"
