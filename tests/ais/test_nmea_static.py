"""The batch reader's static-record builders (helpers.ais.nmea_static) on their own; the batch
reader as a whole is held equal to the line-by-line reader in test_fastnmea.py."""

from __future__ import annotations

import numpy as np
from pyais import NMEAMessage, encode_dict

from helpers.ais import fastnmea, nmea_static


def _text(s: str, n: int) -> np.ndarray:
    return np.frombuffer(s.ljust(n).encode(), dtype=np.uint8)


def test_texts_strip_and_give_none_for_blank():
    chars = np.stack([_text(" SIM 1 ", 8), _text("", 8), _text("ABCDEFGH", 8)])
    assert nmea_static.texts(chars) == ["SIM 1", None, "ABCDEFGH"]
    assert nmea_static.texts(np.zeros((0, 7), dtype=np.uint8)) == []


def test_distinct_rows_group_equal_rows():
    packed = np.array([[1, 2, 3], [4, 5, 6], [1, 2, 3], [4, 5, 7], [4, 5, 6]], dtype=np.uint8)
    first, inv = nmea_static.distinct_rows(packed)
    assert sorted(first.tolist()) == [0, 1, 3]
    assert (packed[first[inv]] == packed).all()
    assert inv[0] == inv[2] and inv[1] == inv[4] and len(set(inv.tolist())) == 3


def test_distinct_rows_survive_a_hash_collision(monkeypatch):
    monkeypatch.setattr(nmea_static, "_MULT", np.zeros(64, dtype=np.uint64))  # every row one hash
    packed = np.array([[9, 9], [1, 1], [9, 9]], dtype=np.uint8)
    first, inv = nmea_static.distinct_rows(packed)
    assert sorted(first.tolist()) == [0, 1] and inv[0] == inv[2] != inv[1]


def _words(sentences):
    payload = b"".join(s.split(",")[5].encode() for s in sentences)
    return fastnmea.words(fastnmea.dearmour(np.frombuffer(payload, dtype=np.uint8))[None, :])


def test_dearmour_is_the_ais_alphabet():
    c = np.arange(256, dtype=np.uint8)
    ok = fastnmea.ARMOUR != 255
    assert (fastnmea.dearmour(c)[ok] == fastnmea.ARMOUR[ok]).all() and (fastnmea.dearmour(c) < 64).all()


def test_type5_events_one_per_distinct_record_with_first_and_last_time():
    s = encode_dict({"type": 5, "mmsi": 273210440, "imo": 9123456, "callsign": "UBAB2",
                     "shipname": "ANGARA", "ship_type": 70, "to_bow": 100, "to_stern": 20,
                     "to_port": 9, "to_starboard": 9}, talker_id="AI", sentence_type="VDM")
    w = np.concatenate([_words(s)] * 3)
    d = fastnmea.decode_type5(w)
    ev = nmea_static.type5_events(d["mmsi"], d, np.array([32, 16, 48]), np.array([5, 7, 3]))
    assert ev == [(16, 2, ((273210440, 9123456, "ANGARA", "UBAB2", None, 70, 120.0, 18.0), 3, 7))]
    msg = NMEAMessage.assemble_from_iterable([NMEAMessage(x.encode()) for x in s]).decode()
    assert (msg.mmsi, msg.imo, msg.shipname, msg.callsign) == ev[0][2][0][:4]


def test_type24_events_part_a_and_b():
    a = encode_dict({"type": 24, "mmsi": 211000001, "partno": 0, "shipname": "SIM 1"},
                    talker_id="AI", sentence_type="VDM")
    b = encode_dict({"type": 24, "mmsi": 211000001, "partno": 1, "ship_type": 37, "callsign": "SB1",
                     "to_bow": 8, "to_stern": 4, "to_port": 0, "to_starboard": 0},
                    talker_id="AI", sentence_type="VDM")
    w = np.concatenate([_words(a), _words(b)])
    d = fastnmea.decode_type24(w)
    ev = nmea_static.type24_events(d["mmsi"], fastnmea.field(w, 38, 2), d, np.array([0, 16]),
                                   np.array([10, 11]))
    assert ev == [(0, 3, (211000001, 10, 11)),
                  (0, 1, (211000001, "a", {"name": "SIM 1"}, 10)),
                  (16, 1, (211000001, "b", {"callsign": "SB1", "ship_type": 37, "length_m": 12.0,
                                            "beam_m": None}, 11))]


def test_type24_events_act_as_every_part_applied_in_key_order():
    """Per MMSI and part only the winner is an event; applied among other events in key order
    the result (spans, winning parts, the order MMSIs are first seen) is that of every row."""
    rng = np.random.default_rng(24)
    m = 400
    mmsi = rng.choice([211000001, 211000002, 211000003, 211000004], m)
    partno = rng.integers(0, 2, m)
    keys = rng.permutation(m) * 16
    ts = rng.integers(0, 30, m)  # many ties
    d = {"name": rng.integers(65, 70, (m, 20)).astype(np.uint8),
         "callsign": rng.integers(65, 70, (m, 7)).astype(np.uint8),
         "ship_type": rng.integers(0, 100, m), "to_bow": rng.integers(0, 3, m),
         "to_stern": rng.integers(0, 3, m), "to_port": rng.integers(0, 3, m),
         "to_starboard": rng.integers(0, 3, m)}
    # the same rows as one event each, and some other MMSI's events in between
    one_by_one = [ev for j in range(m) for ev in nmea_static.type24_events(
        mmsi[j:j + 1], partno[j:j + 1], {c: v[j:j + 1] for c, v in d.items()}, keys[j:j + 1], ts[j:j + 1])
        if ev[1] == 1]
    other = [(int(k) + 8, 1, (211000009, "a", {"name": "X"}, int(t))) for k, t in zip(keys[:50], ts[:50])]
    want_static, want_t24 = {}, {}
    nmea_static.apply(sorted(one_by_one + other, key=lambda e: e[0]), want_static, want_t24)
    got_static, got_t24 = {}, {}
    nmea_static.apply(sorted(nmea_static.type24_events(mmsi, partno, d, keys, ts) + other,
                             key=lambda e: e[0]), got_static, got_t24)
    assert got_t24 == want_t24 and list(got_t24) == list(want_t24)
    assert len(nmea_static.type24_events(mmsi, partno, d, keys, ts)) == 4 + 8


def test_type19_events_skip_reports_without_static_fields():
    full = encode_dict({"type": 19, "mmsi": 211000002, "shipname": "SIM 2", "ship_type": 37,
                        "to_bow": 5, "to_stern": 5, "to_port": 1, "to_starboard": 2},
                       talker_id="AI", sentence_type="VDM")
    empty = encode_dict({"type": 19, "mmsi": 211000003}, talker_id="AI", sentence_type="VDM")
    w = np.concatenate([_words(full), _words(empty)])
    ev = nmea_static.type19_events(np.array([211000002, 211000003]),
                                   fastnmea.decode_type19_static(w), np.array([0, 16]), np.array([1, 2]))
    assert ev == [(0, 0, ((211000002, None, "SIM 2", None, None, 37, 10.0, 3.0), 1))]
