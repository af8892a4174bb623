"""The journalists' report: content, structure, honesty of framing, escaping, the report folder,
and a real browser opening it at a phone's, a small tablet's and a desktop's width.

The report is built in a temporary folder from small hand-made tables and figures drawn from
the synthetic inputs of tests/figures/factories.py, so this test needs no pipeline run.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from markupsafe import escape
from PIL import Image

from helpers import figures as F
from helpers import params
from helpers import report as R
from helpers.report import browser, content, tables
from helpers.steps import report
from tests.figures.factories import make_ais, make_cards, make_timeline, synthetic_inputs

UTC = "UTC"
FIGS = ("fig02_timeline", "fig03_ais_activity", "fig07_sighting_cards")


def _t(s):
    return pd.Timestamp(s, tz=UTC)


def small_tables(truth: bool = True) -> dict:
    claims = pd.DataFrame({
        "claim_id": [1, 2], "claim": ["ANGARA and MARIA ran Rajin <-> Dunai", "At least 5 round trips"],
        "verdict": ["supported", "insufficient data"],
        "evidence": ["no port call at Rajin or Dunai before August", "at least 1 round trip"],
        "source": ["RUSI / Washington Post, 16 Oct 2023", "RUSI, 16 Oct 2023; CSIS Beyond Parallel (at least 6)"]})
    qa = pd.DataFrame({"source": ["a.nmea", "total"], "rows_read": [1200, 1200],
                       "positions_read": [1000, 1000], "kept": [900, 900], "rejected": [40, 40],
                       "rejected_positions": [40, 40], "duplicates": [60, 60], "static": [150, 150],
                       "skipped": [10, 10]})
    calls = pd.DataFrame({"call_id": ["c1", "c2", "c3"], "mmsi": [1, 1, 2]})
    dark = pd.DataFrame({"gap_id": ["g1", "g2", "g3"], "vessel": ["ANGARA", "MARIA", None],
                         "start_ts": [_t("2023-08-13 03:36"), _t("2023-08-21 01:48"), _t("2023-08-01")],
                         "end_ts": [_t("2023-09-27"), _t("2023-09-27"), _t("2023-08-02")],
                         "hours": [1100.0, 900.0, 24.0], "start_lat": [42.6, 42.5, 42.0],
                         "start_lon": [132.0, 132.3, 131.0], "end_lat": [42.6, 42.5, 42.0],
                         "end_lon": [132.0, 132.3, 131.0],
                         "class": ["likely-disabled", "likely-disabled", "reception"], "reason": ["", "", ""]})
    acq = pd.DataFrame({"acq_id": ["a1", "a2"]})
    sightings = pd.DataFrame({
        "sighting_id": ["s1", "s2", "s3", "s4"], "acq_id": ["SCENE-A1", "SCENE-A2", "SCENE-A3", "SCENE-A4"],
        "datetime": [_t("2023-08-14 03:15"), _t("2023-08-17 01:38"), _t("2023-08-24 02:00"), _t("2023-09-01")],
        "port": ["Rajin", "Dunai", "Dunai", "Rajin"], "lat": [42.25, 42.88, 42.88, 42.25],
        "lon": [130.3, 132.34, 132.34, 130.3], "length_m": [120.0, 121.0, 124.0, None],
        "vessel": ["ANGARA", "ANGARA", None, None], "id_confidence": ["high", "high", "low", "none"],
        "containers": [290, 300, None, None],
        "match": ["identified", "identified", "low-confidence", "unidentified"]})
    visits = pd.DataFrame({"visit_id": ["v1", "v2", "v3", "v4"], "vessel": ["ANGARA"] * 4,
                           "port": ["Rajin", "Dunai", "Rajin", "Dunai"],
                           "first_seen": [_t("2023-08-10"), _t("2023-08-17 01:38"), _t("2023-08-21 03:15"),
                                          _t("2023-09-01")],
                           "last_seen": [_t("2023-08-14 03:15"), _t("2023-08-18 03:08"), _t("2023-08-30"),
                                         _t("2023-09-02")],
                           "evidence": ["imagery"] * 4, "n_obs": [1] * 4, "n_imagery": [1] * 4,
                           "split": [False] * 4, "containers": [290, 300, None, None]})
    legs = pd.DataFrame({
        "leg_id": ["l1", "l2", "l3"], "vessel": ["ANGARA"] * 3, "origin": ["Rajin", "Dunai", "Rajin"],
        "destination": ["Dunai", "Rajin", "Dunai"],
        "depart_earliest": [_t("2023-08-14 03:15"), _t("2023-08-18 03:08"), _t("2023-08-30")],
        "depart_latest": [_t("2023-08-16 19:00"), _t("2023-08-18 20:00"), _t("2023-08-31")],
        "arrive_earliest": [_t("2023-08-14 10:00"), _t("2023-08-18 09:46"), _t("2023-08-30 08:00")],
        "arrive_latest": [_t("2023-08-17 01:38"), _t("2023-08-21 03:15"), _t("2023-09-01")],
        "evidence": ["imagery", "imagery", "inferred"], "feasible": [True, True, False]})
    rts = pd.DataFrame({"trip_id": ["ANGARA-RT1-20230814"], "vessel": ["ANGARA"], "trip_no": [1],
                        "legs": ["l1;l2"], "start": [_t("2023-08-14 03:15")], "end": [_t("2023-08-21 03:15")],
                        "evidence": ["imagery"]})
    cont = pd.DataFrame({"vessel": ["ANGARA", "ANGARA"], "port": ["Rajin", "Dunai"], "visit_id": ["v1", "v2"],
                         "datetime": [_t("2023-08-14 03:15"), _t("2023-08-18 03:08")],
                         "activity": ["loaded", "delivered"], "counted": [290, 300], "low": [290, 300],
                         "high": [363, 375], "cumulative_low": [290, 300], "cumulative_high": [363, 375]})
    possible = pd.DataFrame({"trip_id": ["ANGARA-PT1-20230824"], "vessel": ["ANGARA"], "trip_no": [1],
                             "start": [_t("2023-08-21 03:15")], "end": [_t("2023-08-30")],
                             "stay_earliest": [_t("2023-08-22")], "stay_latest": [_t("2023-08-28")],
                             "sightings": ["s3"], "origin_sightings": [""], "evidence": ["possible"],
                             "basis": ["1 low-confidence detection at Dunai of 124 m"]})
    bounds = pd.DataFrame({"vessel": ["ANGARA", "all"], "at_least": [1, 1], "possible": [1, 1],
                           "at_most": [5, 5], "at_most_without_absences": [5, 5], "absences": [3, 3],
                           "split_visits": [2, 2], "route_nm": [106.0, 106.0], "max_speed_kn": [16.0, 16.0],
                           "min_dwell_hours": [12.0, 12.0], "round_trip_hours": [25.25, 25.25]})
    t = dict(claims=claims, qa_ais=qa, port_calls=calls, dark_periods=dark, acquisitions=acq,
             sightings=sightings, visits=visits, legs=legs, round_trips=rts, containers=cont,
             possible_trips=possible, trip_bounds=bounds)
    if truth:
        t["sensitivity"] = sensitivity_table()
        t["validation"] = pd.DataFrame({
            "item": ["port_calls", "legs", "round_trips", "round_trips_revealable", "round_trips_with_possible"],
            "vessel": ["all"] * 5, "n_truth": [4, 4, 2, 1, 2], "n_reconstructed": [4, 2, 1, 1, 2],
            "n_correct": [4, 2, 1, 1, 2], "n_found": [4, 2, 1, 1, 2], "precision": [1.0] * 5,
            "recall": [1.0, 0.5, 0.5, 1.0, 1.0]})
        t["validation_dark_start"] = pd.DataFrame({"vessel": ["ANGARA"], "true_off": [_t("2023-08-13 04:00")],
                                                   "detected_start": [_t("2023-08-13 03:36")], "error_hours": [-0.4],
                                                   "detected_class": ["likely-disabled"]})
        t["truth_trips"] = pd.DataFrame({
            "trip_id": ["ANGARA-T1", "ANGARA-T2"], "vessel": ["ANGARA"] * 2, "trip_no": [1, 2],
            "depart_rajin": [_t("2023-08-15 09:20"), _t("2023-08-22 10:00")],
            "arrive_dunai": [_t("2023-08-15 18:21"), _t("2023-08-22 20:00")],
            "depart_dunai": [_t("2023-08-18 11:37"), _t("2023-08-25 10:00")],
            "return_rajin": [_t("2023-08-18 20:25"), _t("2023-08-25 20:00")], "containers": [303, 271]})
    return t


def sensitivity_table() -> pd.DataFrame:
    rows = []
    for revisit, cloud, recon, prec, rec in [(1, 0.0, 2, 1.0, 1.0), (1, 0.5, 1, 1.0, 0.5), (1, 0.75, 2, 0.5, 0.5),
                                             (2, 0.0, 1, 1.0, 0.5), (5, 0.0, 0, None, 0.0)]:
        rows.append(dict(revisit_days=revisit, cloud_prob=cloud, gap_hours=12.0, n_truth=2, n_reconstructed=recon,
                         precision=prec, recall=rec))
    return pd.DataFrame(rows)


def _params(out, simulated=True):
    over = {"outputs": {"processed": str(out / "processed"), "figures": str(out / "figures"),
                        "build": str(out / "build")}}
    if not simulated:
        over |= {"simulated": False, "source_line": "Data: test observations"}
    return params.load(overrides=over)


def _draw(P, narrow: str | None = None):
    d = synthetic_inputs()
    for name, maker in zip(FIGS, (make_timeline, make_ais, make_cards)):
        F.save(maker(d), name, P.output("figures"), alt_text=f"Alt text of {name}.")
    if narrow:      # a narrower render, as the figures may provide one
        with Image.open(P.output("figures") / f"{narrow}.png") as im:
            im.resize((900, round(im.height * 900 / im.width))).save(P.output("figures") / f"{narrow}.narrow.png")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    P = _params(out)
    _draw(P, narrow="fig03_ais_activity")
    path = report.write(P, small_tables(), P.output("figures"))
    return P, path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built_real(tmp_path_factory):
    out = tmp_path_factory.mktemp("report_real")
    P = _params(out, simulated=False)
    _draw(P)
    path = report.write(P, small_tables(truth=False), P.output("figures"))
    return P, path, path.read_text(encoding="utf-8")


class Page(HTMLParser):
    """The tables of a page: caption, header cells (scope, text), body rows (cell texts)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tables, self._t, self._cell, self._in_head, self.imgs, self.figcaptions = [], None, None, False, [], []
        self._fig = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._t = {"id": a.get("id"), "caption": None, "head": [], "rows": []}
            self.tables.append(self._t)
        elif tag == "caption":
            self._cell = ["caption", ""]
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr" and self._t is not None and not self._in_head:
            self._t["rows"].append([])
        elif tag in ("th", "td") and self._t is not None:
            self._cell = [tag, "", a.get("scope")]
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "figcaption":
            self._fig = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        if self._fig is not None:
            self._fig += data

    def handle_endtag(self, tag):
        if tag == "caption" and self._cell:
            self._t["caption"] = self._cell[1].strip()
            self._cell = None
        elif tag in ("th", "td") and self._cell:
            kind, text, scope = self._cell
            if self._in_head:
                self._t["head"].append((scope, text.strip()))
            else:
                self._t["rows"][-1].append((kind, scope, text.strip()))
            self._cell = None
        elif tag == "table":
            self._t = None
        elif tag == "figcaption":
            self.figcaptions.append(self._fig)
            self._fig = None

    def table(self, id):
        return next(t for t in self.tables if t["id"] == id)


def test_report_content_counts_and_figures(built):
    P, path, html = built
    assert "simulated reference scenario" in html
    # figures in number order, linked from the report's folder, each with caption and alt text
    assert re.findall(r'<figure id="([^"]+)"', html) == list(FIGS)
    page = Page(html)
    assert [i["src"] for i in page.imgs] == [f"report_files/{n}.png" for n in FIGS]
    for name in FIGS:
        assert (path.parent / "report_files" / f"{name}.png").is_file()
        cap = F.caption(name, ships=P.vessel_names, origin="Rajin", destination="Dunai",
                        period="Jul 2023 to Oct 2023")
        assert "{" not in cap and str(escape(cap)) in html
    assert "Where ANGARA and MARIA were observed, Jul 2023 to Oct 2023: at Rajin, at Dunai" in html
    # the method's counts at each step
    steps = report.method_steps(P, small_tables())
    assert steps[0].startswith("AIS read from 2 inputs: 1,200 rows, 1,000 of them position reports; "
                               "900 kept, 40 rows rejected")
    assert "60 duplicates" in steps[0]
    assert "3 calls by 2 vessels" in steps[1]
    assert steps[2].endswith("by class: likely-disabled 2, reception 1.")
    assert "2 matched to ANGARA or MARIA" in steps[3] and "1 low-confidence and 1 unidentified" in steps[3]
    assert "by evidence: imagery 2, inferred 1" in steps[4] and "1 infeasible at 16 kn" in steps[4]
    assert "at least 1 confirmed (lower bound; ANGARA 1)" in steps[5]
    assert "at most 5: a ceiling" in steps[5]
    assert "at least 300, up to 375" in steps[6]
    # limitations and provenance: the run id, the parameters, the software; no table of hashes
    assert "Limitations" in html and "Real data would change" in html
    assert P.record()["run_id"] in html and "dark_min_hours: 12" in html and "matplotlib" in html
    assert not re.search(r"[0-9a-f]{64}</td>", html)


def test_alt_text_once_and_only_in_the_img(built):
    _, _, html = built
    page = Page(html)
    for name in FIGS:
        assert html.count(f"Alt text of {name}.") == 1
        assert any(i["alt"] == f"Alt text of {name}." for i in page.imgs)
    assert not any("Alt text" in c for c in page.figcaptions)


def test_narrow_render_is_offered_with_srcset(built):
    _, path, html = built
    img = next(i for i in Page(html).imgs if i["src"].endswith("fig03_ais_activity.png"))
    assert img["srcset"] == ("report_files/fig03_ais_activity.narrow.png 900w, "
                             "report_files/fig03_ais_activity.png 1800w")
    assert (path.parent / "report_files" / "fig03_ais_activity.narrow.png").is_file()
    assert all(int(i["width"]) > 0 and int(i["height"]) > 0 for i in Page(html).imgs)


def test_contents_list_and_links_resolve(built):
    _, path, html = built
    ids, fragments = R.fragment_ids(html)
    nav = re.search(r"<nav.*?</nav>", html, flags=re.S).group(0)
    listed = re.findall(r'href="#([^"]+)"', nav)
    assert listed[:3] == ["truth", "sensitivity", "findings"] and listed[-1] == "data"
    assert "possible-trips" in listed
    assert set(fragments) <= ids
    for ref in R.local_refs(html):
        assert (path.parent / ref).is_file(), ref


def test_every_table_has_a_caption_scoped_headers_and_human_column_names(built):
    _, _, html = built
    page = Page(html)
    assert {t["id"] for t in page.tables} >= {"truth-table", "dark-start-table", "sensitivity-table", "claims-table",
                                              "trips-table", "possible-table", "versions-table"}
    for t in page.tables:
        assert t["caption"], t["id"]
        assert t["head"] and all(scope == "col" for scope, _ in t["head"]), t["id"]
        for _, text in t["head"]:
            assert not re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", text), (t["id"], text)
        for row in t["rows"]:
            assert all(scope == "row" for kind, scope, _ in row if kind == "th")
    assert [h for _, h in page.table("claims-table")["head"]] == ["Claim", "Verdict", "Evidence", "Source"]
    assert "claim_id" not in html
    # every table sits in a frame that scrolls on its own
    assert html.count('<div class="table-wrap"') == len(page.tables)


def test_the_per_trip_table_has_one_row_per_confirmed_trip_with_its_dates(built):
    _, path, html = built
    trips = Page(html).table("trips-table")
    assert len(trips["rows"]) == len(small_tables()["round_trips"]) == 1
    row = [text for _, _, text in trips["rows"][0]]
    assert row[:5] == ["ANGARA-RT1-20230814", "ANGARA", "14 Aug 03:15 \u2013 16 Aug 19:00",
                       "17 Aug 01:38 \u2013 18 Aug 03:08", "18 Aug 09:46 \u2013 21 Aug 03:15"]
    assert row[5:7] == ["290", "300"]
    assert "s1 (Rajin 14 Aug, scene SCENE-A1)" in row[7] and "s2 (Dunai 17 Aug, scene SCENE-A2)" in row[7]
    csv = pd.read_csv(path.parent / "report_files" / "round_trips.csv")
    assert csv["trip_id"].tolist() == ["ANGARA-RT1-20230814"] and csv["scene_ids"].iloc[0] == "SCENE-A1;SCENE-A2"
    possible = Page(html).table("possible-table")
    assert len(possible["rows"]) == 1 and "s3 (124 m, low confidence" in possible["rows"][0][6][2]


def test_at_most_is_never_shown_without_its_meaning(built):
    _, _, html = built
    text = re.sub(r"<[^>]+>", " ", html)
    for m in re.finditer(r"[Aa]t most (\d+)", text):
        around = text[max(0, m.start() - 400): m.end() + 400]
        assert "ceiling" in around, around


def test_simulated_wording_and_truth_section(built, built_real):
    _, _, sim = built
    _, _, real = built_real
    assert "<title>Simulation: the Rajin\u2013Dunai shuttle" in sim and "Simulated data" in sim
    for heading in ("Findings in the simulation", "Round trips in the simulation",
                    "The reporting&#39;s claims, checked in the simulation"):
        assert heading in sim
    findings = re.search(r'<ul class="findings">.*?</ul>', sim, flags=re.S).group(0)
    assert all("in the simulation" in li.lower() for li in re.findall(r"<li.*?</li>", findings, flags=re.S))
    assert "in the simulation" not in real.lower() and "Simulated data" not in real
    # the truth section only when the run has a truth, and it opens with the comparison
    assert '<section id="truth"' in sim and '<section id="truth"' not in real
    assert sim.index('id="truth"') < sim.index('id="findings"')
    truth = Page(sim).table("truth-table")
    assert [r[0][2] for r in truth["rows"]][0] == "Round trips Rajin \u2192 Dunai \u2192 Rajin"
    assert "574 on the 2 trips found" not in sim and "303 on the 1 trip found; 574 on all 2" in sim
    # the sensitivity at realistic cloud, not the best case
    assert "probability of 50%, daily scenes confirm 1 of 2 true round trips" in sim


def test_manifest_written_linked_and_complete(built):
    P, path, html = built
    manifest = path.parent / "report_files" / "inputs_manifest.csv"
    df = pd.read_csv(manifest)
    assert len(df) == len(P.record()["inputs"]) > 100
    assert df["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert 'href="report_files/inputs_manifest.csv"' in html
    assert f"The run read {len(df)} input files." in html
    assert "data/reference/ports.geojson" in set(df["file"])


def test_sources_are_links(built):
    _, _, html = built
    assert f'<a href="{report.SOURCE_LINKS["RUSI"]}">RUSI</a> / Washington Post, 16 Oct 2023' in html
    assert f'<a href="{report.SOURCE_LINKS["CSIS Beyond Parallel"]}">CSIS Beyond Parallel (at least 6)</a>' in html


def test_everything_inserted_is_escaped(tmp_path):
    P = _params(tmp_path)
    t = small_tables()
    t["claims"].loc[0, "claim"] = '<script>alert("x")</script> & <b>bold</b>'
    t["claims"].loc[0, "evidence"] = '"><img src=x onerror=alert(1)>'
    html = report.write(P, t, P.output("figures")).read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    env = R.environment()
    assert env.autoescape is True
    with pytest.raises(Exception, match="undefined|has no attribute"):
        R.render({"simulated": True, "trips": {"possible": None}})


def test_report_is_self_contained(built):
    _, _, html = built
    assert R.external_refs(html) == []
    assert not re.search(r"""(?:src|srcset)\s*=\s*["']?\s*(?:https?:)?//""", html, flags=re.I)
    assert "<script" not in html.lower() and "@import" not in html and "<link" not in html.lower()
    assert "```" not in html and "import " not in html.split("<pre>")[0]   # no code shown
    assert "url(" not in R.css()


def test_external_refs_allows_source_links_but_no_remote_resources():
    assert R.external_refs('<a href="https://rusi.org/x">RUSI</a><a href="#top">top</a>') == []
    assert R.external_refs('<img src="https://x.org/a.png"><a href="#top">') == ["https://x.org/a.png"]
    assert R.external_refs('<img src="a.png" srcset="a.png 1x, //x.org/b.png 2x">') == ["//x.org/b.png"]
    assert R.external_refs('<link rel="stylesheet" href="https://x.org/s.css">') == ["https://x.org/s.css"]
    assert R.external_refs("<style>b{background:url('http://x/y.png')}</style>") == ["http://x/y.png"]
    assert R.external_refs('<style>@import "https://x/s.css";</style>') == ["https://x/s.css"]
    assert R.external_refs('<a href="javascript:alert(1)">x</a>') == ["javascript:alert(1)"]
    assert R.local_refs('<a href="report_files/a.csv">a</a><img src="report_files/b.png"><a href="#x">') == [
        "report_files/a.csv", "report_files/b.png"]


def test_numbers_and_times_are_written_for_people():
    assert tables.num(61.5) == "61.5" and tables.num(25.25) == "25.25" and tables.num(1336) == "1,336"
    assert tables.num(1336.0) == "1,336" and tables.num(None) == "n/a"
    assert tables.share(0.857) == "0.86" and tables.share(1.0) == "1.0"
    assert tables.window(_t("2023-08-14 03:15"), _t("2023-08-14 20:36")) == "14 Aug 03:15\u201320:36"
    assert tables.hours(-0.4) == "0.4 h earlier"
    with pytest.raises(ValueError, match="raw field names"):
        tables.table("t", "c", ["claim_id"], [])


def test_sensitivity_is_told_at_realistic_cloud():
    s = content.sensitivity_section(sensitivity_table(), 12.0)
    assert s["realistic_cloud"] == 0.5 and s["found"] == 1
    assert "probability of 50%, daily scenes confirm 1 of 2" in s["text"]
    assert "at 75% the method reconstructs 2 trips, of which 1 is exactly one true trip (precision 0.50)" in s["text"]
    assert "Only with no scene lost does it find 2 of 2" in s["text"]


def test_public_record_link_when_that_report_exists(tmp_path):
    P = _params(tmp_path)
    assert report.public_record_href(P) is None
    other = tmp_path / "public_record" / "report.html"
    other.parent.mkdir()
    other.write_text("<html></html>")
    assert report.public_record_href(P) == "../public_record/report.html"
    html = report.write(P, small_tables(), P.output("figures")).read_text(encoding="utf-8")
    assert '<a href="../public_record/report.html">the report on the public record</a>' in html


@pytest.mark.parametrize("which", ["built", "built_real"])
def test_report_in_headless_chromium_at_three_widths(which, request, tmp_path):
    if browser.chromium() is None:
        pytest.skip("Chromium not installed: the browser test needs Debian's `chromium` "
                    "(.ci/run installs it; locally: apt-get install chromium)")
    _, path, html = request.getfixturevalue(which)
    shots = tmp_path / "screenshots"
    states = browser.measure(path, (375, 600, 1400), screenshots=shots)
    for s in states:
        w = s["width"]
        assert s["viewport_width"] == w and s["scroll_width"] <= w, (w, s["scroll_width"], s["too_wide"])
        assert len(s["images"]) == len(FIGS)
        assert all(i["complete"] and i["natural_width"] > 0 for i in s["images"]), s["images"]
        assert all(i["shown_width"] <= w for i in s["images"])
        assert s["errors"] == [], s["errors"]
        assert s["min_font_px"] >= 12, (s["min_font_px"], s["min_font_text"])
        assert (shots / f"report-{w}.png").stat().st_size > 10_000
    phone = states[0]
    assert phone["height"] < 30_000
    # the narrow render is what a phone loads
    if which == "built":
        assert any(i["src"] == "fig03_ais_activity.narrow.png" for i in phone["images"])
        assert any(i["src"] == "fig03_ais_activity.png" for i in states[-1]["images"])


def test_findings_say_what_the_trips_rest_on():
    t = small_tables()
    ais = t["round_trips"].assign(evidence="ais")
    both = pd.concat([ais, ais.assign(trip_id="x", evidence="inferred")])
    first = content.findings(t["claims"], ais, None, None, origin="Rajin", destination="Vostochny", sim=False)[0]
    assert first["text"] == ("At least 1 round trip Rajin \u2192 Vostochny \u2192 Rajin is confirmed (ANGARA 1): "
                             "each with the ship seen on AIS in port at each end.")
    assert content.evidence_phrase(both) == ("1 with the ship seen on AIS in port at each end, "
                                             "1 inferred across a gap in the observations")
    none = content.findings(t["claims"], ais.iloc[:0], None, None, origin="Rajin", destination="Dunai", sim=True)[0]
    assert none["text"].startswith("In the simulation, no round trip Rajin \u2192 Dunai \u2192 Rajin is confirmed")
    rows = content.trip_rows(ais.iloc[:0], t["legs"], None, t["sightings"], "Rajin", "Dunai")
    assert list(content.trips_csv(rows).columns)[:2] == ["trip_id", "vessel"] and rows.empty
