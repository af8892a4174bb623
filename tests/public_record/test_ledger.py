"""The ledger (data/public_record/) passes its checks, every row has a link and a date, the
README's counts are the CSVs' counts, and a bad row stops the reader with an error naming the
row and the fix."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from helpers import public_record as PR
from helpers.errors import InputError
from tests.public_record.readme_tables import LEDGER, counts, sentence_numbers, table_after

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+")


def raw(name: str) -> list[dict]:
    """The CSV's rows as the csv module reads them (independent of helpers)."""
    with open(LEDGER / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the ledger passes its checks -------------------------------------------------------------

def test_the_ledger_passes_its_checks(obs, agg):
    assert (len(obs), len(agg)) == (87, 39)
    assert obs["obs_id"].is_unique and agg["agg_id"].is_unique
    assert obs["observed"].notna().all() and agg["as_of"].notna().all()
    assert set(obs["place"]) <= set(PR.PLACES) and set(obs["what"]) <= set(PR.WHAT)
    assert set(agg["unit"]) <= set(PR.UNITS)
    assert ((obs["observed_end"] >= obs["observed"]) | obs["observed_end"].isna()).all()
    assert obs["line"].tolist() == list(range(2, 89))


@pytest.mark.parametrize("name,date", [("observations.csv", "observed"), ("aggregates.csv", "as_of")])
def test_every_row_has_an_http_url_and_an_iso_date(name, date):
    rows = raw(name)
    assert rows
    for r in rows:
        ident = r.get("obs_id") or r["agg_id"]
        assert URL.match(r["source_url"]), ident
        assert ISO.match(r[date]) and pd.Timestamp(r[date]), ident
        assert ISO.match(r["published"]), ident
        if r.get("observed_end"):
            assert ISO.match(r["observed_end"]) and r["observed_end"] >= r["observed"], ident


def test_the_files_are_crlf_utf8_with_one_header():
    for name in ("observations.csv", "aggregates.csv"):
        data = (LEDGER / name).read_bytes()
        data.decode("utf-8")
        assert data.count(b"\r\n") == data.count(b"\n") == len(raw(name)) + 1


# --- the README's counts are the CSVs' counts --------------------------------------------------

def _obs() -> pd.DataFrame:
    return pd.DataFrame(raw("observations.csv"))


def _agg() -> pd.DataFrame:
    return pd.DataFrame(raw("aggregates.csv"))


@pytest.mark.parametrize("marker,frame,column", [
    ("Rows by place:", _obs, "place"),
    ("Rows by `what`:", _obs, "what"),
    ("Rows by confidence:", _obs, "confidence"),
    ("Rows by unit:", _agg, "unit"),
    ("Rows by source outlet:", _agg, "source_outlet"),
    ("Observation rows per source outlet:", _obs, "source_outlet"),
])
def test_readme_count_tables_match_the_csvs(marker, frame, column):
    assert counts(marker) == frame()[column].value_counts().to_dict()


def test_readme_rows_per_month_match():
    o = _obs()
    assert counts("Observation rows per month of") == o["observed"].str[:7].value_counts().to_dict()


def test_readme_distinct_urls_per_outlet_match():
    o = _obs()
    assert counts("Observation rows per source outlet:", 2) == \
        o.groupby("source_outlet")["source_url"].nunique().to_dict()


def test_readme_file_table_and_page_counts_match():
    o, a = _obs(), _agg()
    files = {r[0].strip("`"): r[1] for r in table_after("| file | rows | what |")[1:]}
    assert (int(files["observations.csv"]), int(files["aggregates.csv"])) == (len(o), len(a))
    said = sentence_numbers(r"(\d+) observations come from (\d+) distinct web pages \((\d+) "
                            r"distinct `source_outlet`\s+strings\); the (\d+) aggregates from "
                            r"(\d+) pages; (\d+) distinct pages in all")
    assert said == (len(o), o["source_url"].nunique(), o["source_outlet"].nunique(), len(a),
                    a["source_url"].nunique(), pd.concat([o["source_url"], a["source_url"]]).nunique())
    assert said == (87, 50, 41, 39, 27, 65)


def test_readme_rows_per_port_and_presence_table_match():
    o = _obs()
    per = o["place"].value_counts()
    assert sentence_numbers(r"\*\*Rows per port:\*\* Rajin (\d+), Vostochny (\d+), Dunai (\d+)") == \
        (per["Rajin"], per["Vostochny"], per["Dunai"])
    header, *body = table_after("| vessel \\ place |")
    readme = {(r[0], place): int(n) for r in body for place, n in zip(header[1:], r[1:])}
    p = o[o["what"].isin(PR.SHIP_CALL)]
    got = pd.crosstab(p["vessel"], p["place"], margins=True, margins_name="all")
    assert readme == {(v, place): int(got.at[v, place]) for v, place in readme}


def test_readme_rajin_days_are_the_dated_calls(obs):
    """The README's de-duplicated Rajin table (26 Aug 2023 - 12 Feb 2024) is `calls`'s."""
    _, *body = table_after("**Rajin, 26 Aug 2023 - 12 Feb 2024, de-duplicated by day.**")
    readme = {r[0]: set(r[1].split(", ")) for r in body}
    c = PR.calls(obs)
    c = c[(c["place"] == "Rajin") & (c["day"] >= "2023-08-26") & (c["day"] <= "2024-02-12")]
    got: dict[str, set] = {}
    for d, ids in zip(c["day"], c["obs_ids"]):
        got.setdefault(f"{d:%Y-%m-%d}", set()).update(ids.split(";"))
    assert got == readme
    assert len(readme) == 20
    assert sentence_numbers(r"That gives (\d+) dated ship sightings at Rajin") == (19,)


# --- bad rows ---------------------------------------------------------------------------------

def bad_copy(tmp_path, name: str, ident: str, **changes) -> tuple:
    """The real CSV with row `ident` changed (`None` drops the column from the whole file, a
    `duplicate_of` copies another row's id); returns the path and the row's CSV line."""
    rows = raw(name)
    key = "obs_id" if name.startswith("obs") else "agg_id"
    fields = list(rows[0])
    line = None
    for i, r in enumerate(rows):
        if r[key] == ident:
            line = i + 2
            for k, v in changes.items():
                if v is None:
                    fields.remove(k)
                else:
                    r[k] = v
    assert line, ident
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, extrasaction="ignore", lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    return path, line


ROW = "2023-10-19-rajin-unidentified-115m-voa"
OBS_CASES = [
    ("no URL", dict(source_url=""), "source_url", "no URL", "http(s) address"),
    ("not http", dict(source_url="voakorea.com/a/7318195.html"), "source_url", "not an http(s) URL", "http://"),
    ("no date", dict(observed=""), "observed", "no observation date", "YYYY-MM-DD"),
    ("not ISO", dict(observed="19/10/2023"), "observed", "no observation date", "YYYY-MM-DD"),
    ("unknown place", dict(place="Najin"), "place", "unknown place ['Najin']", "use one of"),
    ("end before start", dict(observed_end="2023-10-18"), "observed_end", "before observed", "swap"),
    ("duplicate id", dict(obs_id="2023-10-19-rajin-unidentified-115m-news1"), "obs_id", "duplicate id", "unique"),
    ("unknown what", dict(what="docked"), "what", "unknown what ['docked']", "use one of"),
    ("unknown vessel", dict(vessel="Angara"), "vessel", "unknown vessel ['Angara']", "'unidentified'"),
    ("length not a number", dict(vessel_length_m="about 115"), "vessel_length_m", "not a positive number", "metres"),
    ("containers in words", dict(containers="several hundred"), "containers", "not a whole number", "containers_note"),
    ("unknown confidence", dict(confidence="certain"), "confidence", "unknown confidence", "high"),
    ("published before observed", dict(published="2023-10-01"), "published", "published before", "check both"),
    ("ship call without ship", dict(vessel=""), "vessel", "a ship call without a ship", "unidentified"),
    ("no outlet", dict(source_outlet=""), "source_outlet", "no outlet", "name the outlet"),
]


@pytest.mark.parametrize("what,change,field,problem,fix", OBS_CASES, ids=[c[0] for c in OBS_CASES])
def test_a_bad_observation_row_names_the_row_and_the_fix(tmp_path, what, change, field, problem, fix):
    path, line = bad_copy(tmp_path, "observations.csv", ROW, **change)
    with pytest.raises(InputError) as err:
        PR.read_observations(path)
    e = err.value
    assert e.file.endswith("observations.csv") and e.field == field
    assert problem in e.problem and fix in e.fix
    ident = change.get("obs_id", ROW)
    assert f"line {line}" in str(e) and f"'{ident}'" in str(e)


def test_a_duplicate_id_names_both_rows(tmp_path):
    path, line = bad_copy(tmp_path, "observations.csv", ROW, obs_id="2023-10-19-rajin-unidentified-115m-news1")
    with pytest.raises(InputError, match=rf"line {line - 1}.*line {line}"):
        PR.read_observations(path)


def test_a_missing_column_and_a_missing_file(tmp_path):
    path, _ = bad_copy(tmp_path, "observations.csv", ROW, source_url=None)
    with pytest.raises(InputError, match="missing column") as err:
        PR.read_observations(path)
    assert err.value.field == "source_url"
    with pytest.raises(InputError, match="does not exist"):
        PR.read_observations(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        PR.read_observations(tmp_path / "empty.csv")


def test_a_row_with_too_many_fields(tmp_path):
    text = (LEDGER / "observations.csv").read_text(encoding="utf-8").replace(
        f"{ROW},2023-10-19,,", f"{ROW},2023-10-19,,extra,", 1)
    path = tmp_path / "observations.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(InputError, match=rf"line 24, obs_id '{ROW}'.*fields") as err:
        PR.read_observations(path)
    assert "double-quote" in err.value.fix


AGG = "ship-visits-ge25-2024-02-12-csis"
AGG_CASES = [
    ("no URL", dict(source_url=""), "source_url", "no URL"),
    ("no as_of", dict(as_of=""), "as_of", "no date the total applies to"),
    ("unknown unit", dict(unit="visits"), "unit", "unknown unit ['visits']"),
    ("value in words", dict(value="at least 25"), "value", "not a number"),
    ("duplicate id", dict(agg_id="trips-ge6-2023-10-16-csis"), "agg_id", "duplicate id"),
]


@pytest.mark.parametrize("what,change,field,problem", AGG_CASES, ids=[c[0] for c in AGG_CASES])
def test_a_bad_aggregate_row_names_the_row_and_the_fix(tmp_path, what, change, field, problem):
    path, line = bad_copy(tmp_path, "aggregates.csv", AGG, **change)
    with pytest.raises(InputError) as err:
        PR.read_aggregates(path)
    e = err.value
    assert e.file.endswith("aggregates.csv") and e.field == field and problem in e.problem
    assert f"line {line}" in str(e) and e.fix


def test_the_vocabularies_are_the_readmes():
    places = {r[0].strip("`") for r in table_after("### Place vocabulary")[1:]}
    assert places == set(PR.PLACES)
    whats = {w.strip().strip("`") for r in table_after("### What vocabulary")[1:] for w in r[0].split(",")}
    assert whats == set(PR.WHAT)
    unit_row = next(r for r in table_after("## Column dictionary: `aggregates.csv`") if r[0] == "`unit`")
    assert set(re.findall(r"`([^`]+)`", unit_row[2])) == set(PR.UNITS)
    conf_row = next(r for r in table_after("## Column dictionary: `observations.csv`") if r[0] == "`confidence`")
    assert set(re.findall(r"`(high|medium|low)`", conf_row[2])) == set(PR.CONFIDENCE)
