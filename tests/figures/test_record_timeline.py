"""The public-record timeline on the real ledger: drawn, saved, its title's numbers are the
data's, one label per mark, every source numbered, listed, in the CSV and in the alt text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from helpers import figures as F
from helpers import public_record as PR
from tests.figures.factories import assert_matches_baseline
from tests.public_record.readme_tables import LEDGER

WINDOW = (pd.Timestamp("2023-08-01", tz="UTC"), pd.Timestamp("2024-07-01", tz="UTC"))
PALETTE = F.Palette.for_cast(["ANGARA", "MARIA", "LADY R", "MAIA-1"], "Rajin", "Dunai")


@pytest.fixture(scope="module")
def obs():
    return PR.read_observations(LEDGER / "observations.csv")


@pytest.fixture(scope="module")
def fig(obs):
    return F.record_timeline(obs, palette=PALETTE, window=WINDOW, source_line=F.RECORD_SOURCE_LINE,
                             sources_csv="fig08_public_record.sources.csv")


def test_title_numbers_are_the_data(obs, fig):
    title = fig.get_suptitle().replace("\n", " ")
    assert title == F.record_title(obs, WINDOW, "Rajin", "Dunai")
    said = re.match(r"(\d+) dated ship calls at Rajin, (\d+) observations at Dunai", title)
    n_rajin, n_dunai = map(int, said.groups())
    calls = PR.calls(obs)
    assert n_rajin == PR.count_calls(calls, place="Rajin", since=WINDOW[0], until="2024-06-30")["calls"] == 25
    in_window = obs[(obs["observed"] >= WINDOW[0]) & (obs["observed"] < WINDOW[1])]
    assert n_dunai == int((in_window["place"] == "Dunai").sum()) == 3
    assert title.endswith("the public record dates the loading, not the delivery")


def test_lanes_marks_labels_and_gaps(obs, fig):
    lanes = F.record_lanes(obs, WINDOW, "Rajin", "Dunai")
    assert lanes == ["Rajin", "Dunai", "Vostochny", "Vladivostok", "Elsewhere"]
    marks = F.record_marks(obs, WINDOW, lanes)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label-")]
    assert len(labels) == len(marks) == 59
    assert all(re.search(r"\[\d+(,\d+)*\]$", t.get_text()) for t in labels)
    # unnamed ships carry their length: 26 Aug 2023, two ships
    assert {"105 m [1]", "120 m [1]"} <= {t.get_text() for t in labels}
    # rows behind the marks: every drawn row once (72 in the window, 4 at rail crossings not drawn)
    assert sum(len(ids) for ids in marks["obs_ids"]) == 68
    gaps = {lane: sum(p.get_gid() == f"gap-{lane}" for p in ax.patches) for lane in lanes}
    assert gaps == {"Rajin": 1, "Dunai": 9, "Vostochny": 8, "Vladivostok": 9, "Elsewhere": 0}
    assert sum(p.get_gid() == "cloud-Rajin" for p in ax.patches) == 1


def test_sources_numbered_listed_in_csv_and_alt(obs, fig, tmp_path):
    lanes = F.record_lanes(obs, WINDOW, "Rajin", "Dunai")
    marks = F.record_marks(obs, WINDOW, lanes)
    sources = F.record_sources(obs, marks)
    assert sources["n"].tolist() == list(range(1, len(sources) + 1)) and len(sources) == 38
    assert set(sources["source_url"]) == {u for us in marks["urls"] for u in us}
    listed = next(t for t in fig.texts if t.get_gid() == "sources").get_text().replace("\n", " ")
    for r in sources.itertuples():
        assert f"[{r.n}] " in listed
    path = F.save_sources(sources, "fig08_public_record", tmp_path)
    back = pd.read_csv(path)
    assert back["source_url"].tolist() == sources["source_url"].tolist()
    alt = F.alt_record_timeline(obs, WINDOW, lanes, sources)
    assert all(u in alt for u in sources["source_url"])
    assert "Rajin: 51 observations, 25 dated ship calls" in alt
    assert "Dunai: 3 observations, 1 dated ship call; no ship named" in alt
    assert "Not drawn: 4 observations" in alt and "14 Feb 2024 as cloudy at Rajin" in alt


def test_saved_png_is_house_width_and_nothing_spills(fig, obs, tmp_path):
    lanes = F.record_lanes(obs, WINDOW, "Rajin", "Dunai")
    paths = F.save(fig, "fig08_public_record", tmp_path, alt_text=F.alt_record_timeline(obs, WINDOW, lanes),
                   caption=F.caption("fig08_public_record", ships=list(PALETTE.ships), origin="Rajin",
                                     destination="Dunai", period="Aug 2023-Jun 2024"))
    with Image.open(paths["png"]) as im:
        assert im.size[0] == 1800
    with F.use_style():
        fig.set_dpi(200)                   # as saved (small type measures wider at low dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        r = canvas.get_renderer()
        width = fig.bbox.width
        for t in fig.axes[0].texts + fig.texts:
            box = t.get_window_extent(r)
            assert box.x0 >= 0 and box.x1 <= width, t.get_text()[:40]


def test_another_window_and_the_baseline(obs, tmp_path):
    short = (pd.Timestamp("2023-09-01", tz="UTC"), pd.Timestamp("2023-11-01", tz="UTC"))
    f2 = F.record_timeline(obs, palette=PALETTE, window=short, source_line=F.RECORD_SOURCE_LINE)
    assert f2.get_suptitle().replace("\n", " ").startswith("7 dated ship calls at Rajin, 2 observations at Dunai")
    assert_matches_baseline("fig08_public_record", f2, tmp_path)
