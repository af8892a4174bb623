"""The public record through the whole pipeline (notebooks/params/public_record.yaml): the
ledger's dated observations as sightings, no AIS, its own figure and report; what it supports."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.factories import run_into

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def record_run(tmp_path_factory):
    return run_into(tmp_path_factory.mktemp("public_record"), "notebooks/params/public_record.yaml")


def test_the_ledger_becomes_dated_sightings_at_the_ports(record_run):
    s = record_run.read("sightings")
    by = s.groupby(["port", "match"]).size().to_dict()
    assert by == {("Dunai", "unidentified"): 1, ("Rajin", "identified"): 9, ("Rajin", "unidentified"): 18,
                  ("Vladivostok", "identified"): 7, ("Vostochny", "identified"): 4}
    rajin = s[(s["port"] == "Rajin") & (s["match"] == "identified")].groupby("vessel").size().to_dict()
    assert rajin == {"ANGARA": 2, "LADY R": 5, "MAIA-1": 1, "MARIA": 1}
    assert s["acq_id"].str.startswith("record:").all()
    assert record_run.read("positions").empty and record_run.read("acquisitions").empty


def test_no_round_trip_has_both_ends_dated_and_no_leg_is_ais(record_run):
    assert record_run.read("round_trips").empty
    legs = record_run.read("legs")
    assert len(legs) == 7 and set(legs["evidence"]) == {"imagery"}
    assert set(legs["vessel"]) == {"LADY R", "MAIA-1", "MARIA"}


def test_the_claims_are_undecided_by_the_record_and_name_the_claims_ships(record_run):
    claims = record_run.read("claims").set_index("claim_id")
    assert set(claims["verdict"]) == {"insufficient data"}
    assert claims.loc[1, "claim"].startswith("ANGARA and MARIA ran Rajin <-> Dunai")
    assert "no AIS record in this data" in claims.loc[3, "evidence"]


def test_each_sources_total_is_set_against_the_ledger(record_run):
    agg = pd.read_parquet(record_run.P.processed("aggregates_check.parquet"))
    assert len(agg) == 39
    assert agg["verdict"].value_counts().to_dict() == {"cannot check": 31, "consistent (lower)": 6, "reproduced": 2}


def test_its_figure_and_report_exist(record_run):
    figs = record_run.P.output("figures")
    assert (figs / "fig08_public_record.png").stat().st_size > 50_000
    sources = pd.read_csv(figs / "fig08_public_record.sources.csv")
    assert len(sources) == 38 and sources["source_url"].str.startswith("http").all()
    html = (record_run.P.output("build") / "report.html").read_text(encoding="utf-8")
    assert "in the simulation" not in html and "public record" in html.lower()
    assert "The public record of the Rajin\u2013Dunai shuttle, Aug 2023\u2013Jun 2024: what is known" in html
    assert "What the public record supports" in html
    assert "it dates 25 ship calls at Rajin and 1 at Dunai, none of them naming a ship" in html
    assert 'id="record-aggregates"' in html and (record_run.P.output("build") / "report_files" /
                                                   "aggregates_check.csv").is_file()
