"""helpers.imagery.search (`python -m helpers imagery-search`): replayed, never on a network.

The API's answers are real: VCR cassettes recorded by pystac-client for its own tests
(tests/fixtures/real/stac_api/cassettes, README there). A requests adapter serves them
(tests/imagery/replay.py) and the socket guard of tests/netguard.py refuses any connection."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import yaml

from helpers import __main__ as cli
from helpers import imagery
from tests.imagery.factories import REAL
from tests.imagery.replay import Replay, session
from tests.netguard import guard_module

CASSETTES = REAL / "stac_api" / "cassettes"
EARTH_SEARCH = "https://earth-search.aws.element84.com/v1"


@pytest.fixture
def no_network(tmp_path):
    log = tmp_path / "net.log"
    _d, guard = guard_module(tmp_path)
    guard["_LOG"] = str(log)
    guard["install"]()
    try:
        yield log
    finally:
        guard["uninstall"]()
    assert not log.exists(), log.read_text(encoding="utf-8")


def _ports(tmp_path: Path, lon: float, lat: float) -> Path:
    """One port fence around (lon, lat): the search asks for scenes containing the berth."""
    d = 0.01
    feature = {"type": "Feature", "properties": {
        "port": "Test", "country": "US", "role": "origin", "berth_lon": lon, "berth_lat": lat,
        "anchorage_lon": lon, "anchorage_lat": lat, "note": "test fence", "approximation": "none"},
        "geometry": {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d],
                                                         [lon + d, lat + d], [lon - d, lat + d],
                                                         [lon - d, lat - d]]]}}
    path = tmp_path / "ports.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_search_writes_the_pages_read_catalog_reads(tmp_path, no_network):
    """Earth Search v1, Sentinel-2 L2A and Landsat C2 L2 over one point on 2023-10-08: the
    requests are exactly the recorded ones (body included); 2 items, then an empty page."""
    replay = Replay(CASSETTES / "pystac-client_test_multiple_collections.yaml")
    out = tmp_path / "search"
    r = imagery.search_stac(EARTH_SEARCH, _ports(tmp_path, -105.1019, 40.1672), "2023-10-08T00:00:00Z",
                            "2023-10-08T23:59:59Z", ["sentinel-2-l2a", "landsat-c2-l2"], out,
                            session=session(replay))
    assert (r.items, [p.name for p in r.pages], r.complete) == (2, ["page-0001.json"], True)
    assert [(m, u) for m, u, _b in replay.sent] == [("POST", f"{EARTH_SEARCH}/search")] * 2
    assert replay.sent[0][2] == {"datetime": "2023-10-08T00:00:00Z/2023-10-08T23:59:59Z",
                                 "collections": ["sentinel-2-l2a", "landsat-c2-l2"],
                                 "intersects": {"type": "Point", "coordinates": [-105.1019, 40.1672]}}
    assert replay.sent[1][2]["next"] == "2023-10-08T17:37:26.656958Z,LC08_L2SP_033032_20231008_02_T1,landsat-c2-l2"
    page = json.loads((out / "page-0001.json").read_text())
    assert [ln["rel"] for ln in page["links"]] == ["root"]          # the search ended: no next
    assert yaml.safe_load((out / "search.yaml").read_text())["items"] == 2

    cat = imagery.read_catalog(out)
    acq = cat.acquisitions
    assert acq["acq_id"].tolist() == ["LC08_L2SP_033032_20231008_02_T1", "S2A_13TDE_20231008_0_L2A"]
    assert [t.isoformat() for t in acq["datetime"]] == ["2023-10-08T17:37:26.656958+00:00",
                                                        "2023-10-08T18:02:55.276000+00:00"]
    assert acq["platform"].tolist() == ["landsat-8", "sentinel-2a"]
    assert acq["cloud_cover"].tolist() == [0.06, 0.000299] and acq["gsd_m"].tolist() == [30.0, 10.0]
    assert cat.qa["source"].tolist() == ["page-0001.json", "total"]
    assert cat.qa["links_not_followed"].tolist() == [0, 0]


def test_pages_are_chained_on_disk_and_a_cut_search_says_more_exist(tmp_path, no_network):
    """Planetary Computer, NAIP, 10 items a page, stopped at 20 items: page 1's `next` names
    page-0002.json; page 2 keeps the API's `next`, counted as not followed. The cassette was
    recorded for a bbox search, so requests are matched on method and URL only; the second
    request is the recorded page's `next` (its token)."""
    replay = Replay(CASSETTES / "pystac-client_TestItemSearch.test_result_paging.yaml", match_body=False)
    out = tmp_path / "naip"
    r = imagery.search_stac("https://planetarycomputer.microsoft.com/api/stac/v1", _ports(tmp_path, -73.15, 44.0),
                            "2016-01-01T00:00:00Z", "2024-01-01T00:00:00Z", ["naip"], out, max_items=20,
                            limit=10, session=session(replay))
    assert (r.items, len(r.pages), r.complete) == (20, 2, False)
    assert replay.sent[0][2]["limit"] == 10 and replay.sent[0][2]["collections"] == ["naip"]
    assert replay.sent[1][2]["token"] == "next:naip:vt_m_4307307_nw_18_060_20211029"
    nxt = [ln for ln in json.loads((out / "page-0001.json").read_text())["links"] if ln["rel"] == "next"]
    assert nxt == [{"rel": "next", "type": "application/geo+json", "href": "page-0002.json",
                    "href_remote": "https://planetarycomputer.microsoft.com/api/stac/v1/search"}]

    cat = imagery.read_catalog(out / "page-0001.json")          # follows next to page 2 on disk
    qa = cat.qa.set_index("source")
    assert qa[["items_read", "kept", "links_not_followed"]].values.tolist() == [[10, 10, 0], [10, 10, 1], [20, 20, 1]]
    assert qa.loc["page-0002.json", "note"] == (
        "next page not followed (a URL; nothing is fetched): POST https://planetarycomputer.microsoft.com/api/stac/v1/search")
    acq = cat.acquisitions
    assert acq["acq_id"].iloc[0] == "vt_m_4307307_ne_18_h_20160805"
    assert acq["acq_id"].iloc[-1] == "vt_m_4307308_nw_18_030_20230622_20231113"
    assert sorted({round(g, 6) for g in acq["gsd_m"]}) == [0.3, 0.6]     # some written 0.6000000000000024
    assert set(acq["platform"]) == {"unknown"}


def test_an_unrecorded_request_fails_instead_of_reaching_a_network(tmp_path, no_network):
    replay = Replay(CASSETTES / "pystac-client_test_multiple_collections.yaml")
    with pytest.raises(Exception, match="no recorded response"):
        imagery.search_stac(EARTH_SEARCH, _ports(tmp_path, 0.0, 0.0), "2023-10-08T00:00:00Z",
                            "2023-10-08T23:59:59Z", ["sentinel-1-grd"], tmp_path / "x", session=session(replay))


def test_the_command_line_verb(tmp_path, no_network, monkeypatch, capsys):
    """`python -m helpers imagery-search ...` with the same recorded answers."""
    replay = Replay(CASSETTES / "pystac-client_test_multiple_collections.yaml")
    monkeypatch.setattr(cli.search, "search_stac", functools.partial(imagery.search_stac, session=session(replay)))
    code = cli.main(["imagery-search", "--url", EARTH_SEARCH, "--ports", str(_ports(tmp_path, -105.1019, 40.1672)),
                     "--start", "2023-10-08T00:00:00Z", "--end", "2023-10-08T23:59:59Z",
                     "--collections", "sentinel-2-l2a", "landsat-c2-l2", "--out", str(tmp_path / "out")])
    assert code == 0
    assert capsys.readouterr().out == f"2 items in 1 pages written to {tmp_path / 'out'}\n"
    bad = cli.main(["imagery-search", "--url", EARTH_SEARCH, "--ports", str(tmp_path / "ports.geojson"),
                    "--start", "2023-10-08", "--end", "2023-10-09T00:00:00Z", "--collections", "x",
                    "--out", str(tmp_path / "o2")])
    assert bad == 2 and "has no time zone" in capsys.readouterr().err
