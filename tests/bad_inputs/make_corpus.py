"""Regenerate the committed bad-input corpus in this folder (deterministic; no network).

    .venv/bin/python tests/bad_inputs/make_corpus.py

The files are small and committed; this script only records how the odd ones were made
(UTF-16, Latin-1, binary garbage, NMEA with exact checksums). Parquet and GeoPackage cases are
not committed: tests/test_bad_inputs.py builds them in a temporary folder at test time.
"""

from __future__ import annotations

import json
import random
from functools import reduce
from operator import xor
from pathlib import Path

import pyais

HERE = Path(__file__).resolve().parent
T0 = 1693526400  # 2023-09-01T00:00:00Z
MMSI = 273210440
MC_HEADER = ("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,"
             "Status,Length,Width,Draft,Cargo,TransceiverClass")
MC_ROW = "273210440,2023-09-01T00:00:00,42.5,131.0,10.0,90.0,90,ANGARA,IMO9179842,UBCF9,79,0,120,18,,,A"
DMA_HEADER = ("# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
              "Heading,IMO,Callsign,Name,Ship type")
MT_HEADER = "MMSI,LAT,LON,SPEED,COURSE,HEADING,TIMESTAMP"
SIGHT_HEADER = ("sighting_id,acq_id,datetime,port,lat,lon,length_m,heading_deg,vessel,id_confidence,"
                "containers,analyst_note")


def cs(body: str) -> str:
    return f"{reduce(xor, body.encode('ascii'), 0):02X}"


def tag(sentence: str, t: int, station: str = "RX") -> str:
    body = f"s:{station},c:{t}"
    return f"\\{body}*{cs(body)}\\{sentence}"


def t1(mmsi=MMSI, lat=42.5, lon=131.0) -> str:
    return pyais.encode_dict({"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": 10.0,
                              "course": 90.0, "heading": 90, "status": 0},
                             talker_id="AI", sentence_type="VDM", radio_channel="A")[0]


def t5() -> list[str]:
    return pyais.encode_dict({"type": 5, "mmsi": MMSI, "imo": 9179842, "callsign": "UBCF9",
                              "shipname": "ANGARA", "ship_type": 79, "to_bow": 60, "to_stern": 60,
                              "to_port": 9, "to_starboard": 9},
                             talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=1)


def text(name: str, lines: list[str], encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(("\n".join(lines) + "\n").encode(encoding))


def stac_item(**over) -> dict:
    item = {
        "type": "Feature", "stac_version": "1.0.0", "id": "BAD-S2_20230901T020000",
        "geometry": {"type": "Polygon", "coordinates": [[[130.2, 42.1], [130.5, 42.1],
                                                         [130.5, 42.4], [130.2, 42.4],
                                                         [130.2, 42.1]]]},
        "bbox": [130.2, 42.1, 130.5, 42.4],
        "properties": {"datetime": "2023-09-01T02:00:00Z", "platform": "sentinel-2a",
                       "instruments": ["msi"], "eo:cloud_cover": 5.0, "gsd": 10},
        "links": [], "assets": {},
    }
    for k, v in over.items():
        if k in item["properties"] or k in ("datetime", "platform", "eo:cloud_cover"):
            item["properties"][k] = v
        else:
            item[k] = v
    return item


def port_feature(port="Rajin", role="origin", ring=None, berth=(130.309, 42.2345), **props):
    ring = ring or [[130.29, 42.22], [130.32, 42.22], [130.32, 42.25], [130.29, 42.25],
                    [130.29, 42.22]]
    p = {"port": port, "country": "KP", "role": role, "berth_lon": berth[0],
         "berth_lat": berth[1], "anchorage_lon": 130.295, "anchorage_lat": 42.205,
         "note": "bad-input corpus", "approximation": "test fence"}
    p.update(props)
    return {"type": "Feature", "properties": {k: v for k, v in p.items() if v is not ...},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def ports(name: str, *features, crs=None) -> None:
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    (HERE / name).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    good = tag(t1(), T0)
    # ---- NMEA
    a, b = t5()
    text("nmea_truncated.nmea", [good, tag(t1(lat=42.6), T0 + 60), tag(a, T0 + 120),
                                 tag(t1(lat=42.7), T0 + 180)[:40]])
    (HERE / "nmea_utf16.nmea").write_bytes(("\n".join([good, good]) + "\n").encode("utf-16"))
    lat1 = tag(t1(), T0 + 60)
    text("nmea_latin1.nmea", ["# receiver at Vladivostok - Nakhodka caf\xe9", good,
                              lat1[:30] + "\xe9" + lat1[31:]], encoding="latin-1")
    (HERE / "nmea_empty.nmea").write_bytes(b"")
    rnd = random.Random(20231016)
    (HERE / "garbage.bin").write_bytes(bytes(rnd.randrange(256) for _ in range(512)))
    bad_cs = tag(t1(), T0 + 60)
    text("nmea_bad_checksum.nmea", [good, bad_cs[:-2] + ("00" if bad_cs[-2:] != "00" else "11")])
    bad_tag = tag(t1(), T0 + 60).replace("c:1693526460*", "c:1693526461*")
    text("nmea_bad_tag_checksum.nmea", [good, bad_tag])
    text("nmea_no_timestamps.nmea", [t1(), t1(lat=42.6)])
    text("nmea_impossible_coordinates.nmea", [good, tag(t1(lat=91), T0 + 60),
                                              tag(t1(lat=95.0), T0 + 120),
                                              tag(t1(lon=-185.0), T0 + 180)])
    text("nmea_bad_mmsi.nmea", [good, tag(t1(mmsi=12345), T0 + 60)])
    text("nmea_orphan_fragment.nmea", [good, tag(b, T0 + 60)])
    junk = "!AIVDM,1,1,,A,~~~~~~,0"
    text("nmea_undecodable.nmea", [good, tag(f"{junk}*{cs(junk[1:])}", T0 + 60)])
    pghp = "PGHP,1,2023,13,01,00,00,00,000,,,,1,"
    text("nmea_gatehouse_bad_date.nmea", [good, f"${pghp}*{cs(pghp)}", t1()])
    # ---- MarineCadastre
    text("mc_renamed_column.csv", [MC_HEADER.replace(",LAT,", ",Latitude,"), MC_ROW])
    text("mc_wrong_types.csv", [MC_HEADER, MC_ROW,
                                MC_ROW.replace("273210440,", "abc,", 1),
                                MC_ROW.replace(",42.5,", ",north,"),
                                MC_ROW.replace(",10.0,", ",fast,")])
    text("mc_time_zones.csv", [MC_HEADER, MC_ROW,
                               MC_ROW.replace("2023-09-01T00:00:00", "2023-09-01T10:00:00+10:00")
                               .replace(",42.5,", ",42.6,"),
                               MC_ROW.replace("2023-09-01T00:00:00", "2023-09-01T00:00:00Z")
                               .replace(",42.5,", ",42.7,"),
                               MC_ROW.replace("2023-09-01T00:00:00", "yesterday noon")])
    text("mc_impossible_coordinates.csv", [MC_HEADER, MC_ROW,
                                           MC_ROW.replace(",42.5,", ",91,"),
                                           MC_ROW.replace(",42.5,", ",123.4,"),
                                           MC_ROW.replace(",131.0,", ",-200.0,")])
    text("mc_truncated.csv", [MC_HEADER, MC_ROW, MC_ROW.replace(",42.5,", ",42.6,")[:30]])
    text("mc_ragged_row.csv", [MC_HEADER, MC_ROW, MC_ROW + ",EXTRA", MC_ROW])
    text("mc_unclosed_quote.csv", [MC_HEADER, MC_ROW, MC_ROW.replace("ANGARA", '"ANGARA')])
    (HERE / "mc_utf16.csv").write_bytes(("\n".join([MC_HEADER, MC_ROW]) + "\n").encode("utf-16"))
    text("mc_latin1.csv", [MC_HEADER, MC_ROW.replace("ANGARA", "S\xc3O JOS\xc9")],
         encoding="latin-1")
    text("mc_header_only.csv", [MC_HEADER])
    (HERE / "mc_empty.csv").write_bytes(b"")
    text("mc_duplicate_rows.csv", [MC_HEADER, MC_ROW, MC_ROW, MC_ROW.replace("00:00:00", "00:01:00")])
    # ---- DMA
    dma = ("01/09/2023 00:00:00,Class A,273210440,42.500000,131.000000,Under way using engine,,10,90,90,"
           "9179842,UBCF9,ANGARA,Cargo")
    text("dma_missing_latitude.csv", [DMA_HEADER.replace("Latitude,", ""),
                                      dma.replace("42.500000,", "")])
    text("dma_bad_rows.csv", [DMA_HEADER, dma,
                              dma.replace("01/09/2023", "09/31/2023"),
                              dma.replace("01/09/2023 00:00:00", "2023-09-01T00:00:00"),
                              dma.replace("42.500000", "fifty"),
                              dma.replace("Class A", "Base Station")])
    # ---- MarineTraffic
    text("mt_missing_timestamp.csv", [MT_HEADER.replace(",TIMESTAMP", ""),
                                      "273210440,42.5,131.0,100,90,90"])
    text("mt_mixed_times.csv", [MT_HEADER,
                                "273210440,42.5,131.0,100,90,90,1693526400",
                                "273210440,42.6,131.0,100,90,90,2023-09-01T09:00:00+09:00",
                                "273210440,42.7,131.0,100,90,90,2023-09-01 00:00:00",
                                "273210440,42.8,131.0,100,90,90,not a time"])
    text("mt_semicolons.csv", [MT_HEADER.replace(",", ";"), "273210440;42.5;131.0;100;90;90;2023-09-01T00:00:00Z"])
    # ---- generic table CSV (fmt="table" with a columns= mapping)
    text("table_positions.csv", ["ship_id,time,y,x,speed",
                                 "273210440,2023-09-01T00:00:00Z,42.5,131.0,10",
                                 "273210440.5,2023-09-01T00:01:00Z,42.5,131.0,10",
                                 "273210440,1693526520,42.5,131.0,ten",
                                 "273210440,2023-09-01T00:03:00,,131.0,10"])
    # ---- STAC items
    base = stac_item()
    (HERE / "stac_truncated.json").write_text(json.dumps(base, indent=1)[:200], encoding="utf-8")
    (HERE / "stac_utf16.json").write_bytes(json.dumps(base).encode("utf-16"))
    noitem = stac_item()
    del noitem["properties"]["datetime"]
    for name, item in (("stac_no_datetime.json", noitem),
                       ("stac_naive_datetime.json", stac_item(datetime="2023-09-01T02:00:00")),
                       ("stac_bowtie_footprint.json", stac_item(geometry={
                           "type": "Polygon", "coordinates": [[[130.2, 42.1], [130.5, 42.4],
                                                               [130.5, 42.1], [130.2, 42.4],
                                                               [130.2, 42.1]]]})),
                       ("stac_cloud_cover_text.json", stac_item(**{"eo:cloud_cover": "cloudy"})),
                       ("stac_impossible_footprint.json", stac_item(geometry={
                           "type": "Polygon", "coordinates": [[[230.2, 42.1], [230.5, 42.1],
                                                               [230.5, 142.4], [230.2, 142.4],
                                                               [230.2, 42.1]]]})),
                       ("stac_not_stac.json", {"type": "Feature", "id": "x"})):
        (HERE / name).write_text(json.dumps(item, indent=1) + "\n", encoding="utf-8")
    dup = HERE / "stac_duplicate_ids"
    dup.mkdir(exist_ok=True)
    for n in ("a.json", "b.json"):
        (dup / n).write_text(json.dumps(base, indent=1) + "\n", encoding="utf-8")
    cat = {"type": "Catalog", "stac_version": "1.0.0", "id": "remote", "description": "x",
           "links": [{"rel": "item", "href": "https://example.org/item.json"}]}
    (HERE / "stac_remote_link.json").write_text(json.dumps(cat, indent=1) + "\n", encoding="utf-8")
    # ---- sightings
    srow = "S1,BAD-S2_20230901T020000,2023-09-01T02:00:00Z,Rajin,42.2345,130.309,118,90,ANGARA,high,40,ok"
    text("sightings_missing_datetime.csv", [SIGHT_HEADER.replace("datetime,", ""),
                                            srow.replace("2023-09-01T02:00:00Z,", "")])
    text("sightings_bad_rows.csv", [SIGHT_HEADER, srow,
                                    srow.replace("S1,", "S2,").replace("02:00:00Z", "02:00:00"),
                                    srow.replace("S1,", "S3,").replace("42.2345", "95.0"),
                                    srow.replace("S1,", "S4,").replace(",high,", ",sure,"),
                                    srow,
                                    srow.replace("S1,", "S6,").replace(",40,", ",many,")])
    (HERE / "sightings_empty.csv").write_bytes(b"")
    text("sightings_latin1.csv", [SIGHT_HEADER, srow.replace(",ok", ",caf\xe9 ok")], encoding="latin-1")
    # ---- port geofences
    bow = [[130.29, 42.22], [130.32, 42.25], [130.32, 42.22], [130.29, 42.25], [130.29, 42.22]]
    ports("ports_bowtie.geojson", port_feature(ring=bow, berth=(130.2975, 42.2275)))
    ports("ports_duplicate_names.geojson", port_feature(), port_feature(role="other"))
    ports("ports_missing_role.geojson", port_feature(role=...))
    ports("ports_unknown_role.geojson", port_feature(role="harbour"))
    ports("ports_berth_outside.geojson", port_feature(berth=(130.5, 42.5)))
    ports("ports_berth_text.geojson", port_feature(berth=(130.309, "north")))
    ports("ports_impossible_coordinates.geojson", port_feature(
        ring=[[230.29, 42.22], [230.32, 42.22], [230.32, 42.25], [230.29, 42.25], [230.29, 42.22]],
        berth=(230.309, 42.2345)))
    ports("ports_projected_crs.geojson", port_feature(), crs="urn:ogc:def:crs:EPSG::3857")
    pt = port_feature()
    pt["geometry"] = {"type": "Point", "coordinates": [130.309, 42.2345]}
    ports("ports_point_geometry.geojson", pt)
    (HERE / "ports_truncated.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [port_feature()]})[:150], encoding="utf-8")
    ports("ports_empty_collection.geojson")
    # geography that needs the coastline (checked with the bundled clip, 129-134.5 E, 41-44 N)
    ports("ports_outside_clip.geojson", port_feature(), port_feature(
        port="Busan", role="destination", berth=(129.04, 35.1),
        ring=[[129.03, 35.09], [129.05, 35.09], [129.05, 35.11], [129.03, 35.11], [129.03, 35.09]]))
    ports("ports_berth_on_land.geojson", port_feature(
        berth=(130.38, 42.34),        # Rason city, about 1.1 km inland
        ring=[[130.37, 42.33], [130.39, 42.33], [130.39, 42.35], [130.37, 42.35], [130.37, 42.33]]))
    # ---- vessels reference
    vh = "name,mmsi,imo,flag,ship_type,length_m,beam_m,callsign"
    text("vessels_missing_imo.csv", ["name,mmsi,flag,ship_type,length_m,beam_m,callsign",
                                     "ANGARA,273210440,RU,79,120,18,UBCF9"])
    text("vessels_mmsi_text.csv", [vh, "ANGARA,273210440,9179842,RU,79,120,18,UBCF9",
                                   "MARIA,unknown,8517839,RU,79,100,16,UBMR2"])
    text("vessels_duplicate_mmsi.csv", [vh, "ANGARA,273210440,9179842,RU,79,120,18,UBCF9",
                                        "MARIA,273210440,8517839,RU,79,100,16,UBMR2"])
    text("vessels_no_name.csv", [vh, ",273210440,9179842,RU,79,120,18,UBCF9"])
    (HERE / "vessels_empty.csv").write_bytes(b"")
    (HERE / "vessels_utf16.csv").write_bytes(
        ("\n".join([vh, "ANGARA,273210440,9179842,RU,79,120,18,UBCF9"]) + "\n").encode("utf-16"))
    # ---- a directory where a file is expected
    d = HERE / "a_directory.csv"
    d.mkdir(exist_ok=True)
    (d / "README").write_text("A directory standing where the corpus expects a file.\n",
                              encoding="utf-8")


if __name__ == "__main__":
    main()
