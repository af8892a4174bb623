"""The journalists' HTML report: content, self-containment, and a real browser opening it.

The report is built in a temporary folder from small hand-made tables and figures drawn from
the synthetic inputs of tests/figures/factories.py, so this test needs no pipeline run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import figures as F
from helpers import params, paths
from helpers.steps import report
from tests.figures.factories import make_ais, make_cards, make_timeline, synthetic_inputs

UTC = "UTC"


def _t(s):
    return pd.Timestamp(s, tz=UTC)


def small_tables() -> dict:
    claims = pd.DataFrame({
        "claim_id": [1, 2], "claim": ["ANGARA and MARIA ran Rajin <-> Dunai", "At least 5 round trips"],
        "verdict": ["supported", "insufficient data"],
        "evidence": ["no port call at Rajin or Dunai before August", "at least 3 round trips"],
        "source": ["RUSI, 16 Oct 2023", "RUSI, 16 Oct 2023"]})
    qa = pd.DataFrame({"source": ["a.nmea", "total"], "rows_read": [1200, 1200],
                       "positions_read": [1000, 1000], "kept": [900, 900], "rejected": [40, 40],
                       "rejected_positions": [40, 40], "duplicates": [60, 60], "static": [150, 150],
                       "skipped": [10, 10]})
    calls = pd.DataFrame({"call_id": ["c1", "c2", "c3"], "mmsi": [1, 1, 2]})
    dark = pd.DataFrame({"gap_id": ["g1", "g2", "g3"],
                         "class": ["likely-disabled", "likely-disabled", "reception"]})
    acq = pd.DataFrame({"acq_id": ["a1", "a2"]})
    sightings = pd.DataFrame({"sighting_id": ["s1", "s2", "s3", "s4"],
                              "match": ["identified", "identified", "low-confidence", "unidentified"]})
    visits = pd.DataFrame({"visit_id": ["v1", "v2", "v3", "v4"]})
    legs = pd.DataFrame({"leg_id": ["l1", "l2", "l3"], "origin": ["Rajin", "Dunai", "Rajin"],
                         "destination": ["Dunai", "Rajin", "Dunai"],
                         "evidence": ["imagery", "imagery", "inferred"], "feasible": [True, True, False]})
    rts = pd.DataFrame({"trip_id": ["ANGARA-RT1-20230814"], "vessel": ["ANGARA"], "trip_no": [1],
                        "start": [_t("2023-08-14")], "end": [_t("2023-08-21")], "evidence": ["imagery"]})
    cont = pd.DataFrame({"vessel": ["ANGARA"], "port": ["Dunai"], "visit_id": ["v2"],
                         "datetime": [_t("2023-08-18")], "counted": [300], "low": [300], "high": [375],
                         "cumulative_low": [300.0], "cumulative_high": [375.0]})
    return dict(claims=claims, qa_ais=qa, port_calls=calls, dark_periods=dark, acquisitions=acq,
                sightings=sightings, visits=visits, legs=legs, round_trips=rts, containers=cont)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    P = params.load(overrides={"outputs": {"processed": str(out / "processed"),
                                           "figures": str(out / "figures"),
                                           "build": str(out / "build")}})
    d = synthetic_inputs()
    for name, maker in (("fig02_timeline", make_timeline), ("fig03_ais_activity", make_ais),
                        ("fig07_sighting_cards", make_cards)):
        F.save(maker(d), name, P.output("figures"), alt_text=f"Alt text of {name}.")
    html = report.render(P, small_tables(), P.output("figures"))
    path = P.output("build") / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return P, path, html


def test_report_content_counts_and_figures(built):
    P, path, html = built
    assert "simulated reference scenario" in html
    # figures in number order, each with caption and alt text, embedded
    assert re.findall(r'<figure id="([^"]+)"', html) == ["fig02_timeline", "fig03_ais_activity",
                                                         "fig07_sighting_cards"]
    assert html.count('<img src="data:image/png;base64,') == 3
    for name in ("fig02_timeline", "fig03_ais_activity", "fig07_sighting_cards"):
        assert f'alt="Alt text of {name}."' in html
        cap = F.caption(name, ships=P.vessel_names, origin="Rajin", destination="Dunai",
                        period="Jul 2023 to Oct 2023")
        assert "{" not in cap and report._e(cap) in html
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
    assert "at least 300, up to 375" in steps[6]
    # limitations and provenance
    assert "Limitations" in html and "Real data would change" in html
    assert "data/raw/ais/coastal_receivers_2023.nmea" in html
    assert re.search(r"data/reference/ports.geojson</td><td>[0-9a-f]{64}", html)
    assert "matplotlib" in html and "dark_min_hours: 12" in html


def test_report_is_self_contained(built):
    _, _, html = built
    assert report.external_refs(html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, flags=re.I)
    assert "<script" not in html.lower() and "@import" not in html and "<link" not in html.lower()
    assert "```" not in html and "import " not in html.split("<pre>")[0]   # no code shown


def test_external_refs_finds_remote_resources():
    assert report.external_refs('<img src="https://x.org/a.png"><a href="#top">') == [
        "https://x.org/a.png"]
    assert report.external_refs("<style>b{background:url('http://x/y.png')}</style>") == [
        "http://x/y.png"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


PROBE_HEAD = ("<script>window.__errors=[];window.addEventListener('error',function(e){"
              "window.__errors.push(String(e.message||('failed to load '+(e.target&&e.target.src))))},"
              "true);var __ce=console.error;console.error=function(){window.__errors.push("
              "Array.prototype.join.call(arguments,' '));__ce.apply(console,arguments)};</script>")
PROBE_TAIL = ("<script>window.addEventListener('load',function(){var im=Array.from(document.images);"
              "var p=document.createElement('pre');p.id='browser-probe';p.textContent=JSON.stringify("
              "{n:im.length,widths:im.map(function(i){return i.complete?i.naturalWidth:0}),"
              "errors:window.__errors});document.body.appendChild(p)});</script>")


def _browser(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def test_report_opens_in_headless_chromium(built, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium not installed: the browser test needs Debian's `chromium` "
                    "(.ci/run installs it; locally: apt-get install chromium)")
    _, path, html = built
    # a probe copy: the same page plus a script recording image loads and console errors
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("<head>", "<head>" + PROBE_HEAD, 1)
                     .replace("</body>", PROBE_TAIL + "</body>", 1), encoding="utf-8")
    res = _browser(exe, tmp_path, "--enable-logging=stderr", "--v=0",
                   "--virtual-time-budget=10000", "--dump-dom", probe.resolve().as_uri())
    m = re.search(r'<pre id="browser-probe">(.*?)</pre>', res.stdout, flags=re.S)
    assert m, f"no probe result from chromium (rc {res.returncode}): {res.stderr[-2000:]}"
    state = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert state["n"] == 3
    assert all(w >= 1600 for w in state["widths"]), state["widths"]
    assert state["errors"] == []
    assert "Uncaught" not in res.stderr
    # a screenshot of the report itself (no probe) for people to look at
    shot = paths.BUILD / "report-test.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    res = _browser(exe, tmp_path, "--window-size=1100,4000", f"--screenshot={shot}",
                   path.resolve().as_uri())
    assert shot.is_file() and shot.stat().st_size > 10_000, res.stderr[-2000:]
