"""Figure 5, containers: counts on the day counted, the running total against the claim, the
loaded/delivered difference explained, all of claim 6 at the depot, no line across a gap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import figures as F
from helpers.figures.charts import date_num
from helpers.figures.containers import broken
from tests.figures.factories import PALETTE, WINDOW, assert_matches_baseline, make_containers


def test_cumulative_band_and_claim_line(data):
    fig = make_containers(data)
    ax = fig.axes[1]
    low = [ln for ln in ax.lines if ln.get_gid() == "cumulative-low"][0]
    assert low.get_ydata()[-1] == 190 + 140 + 255 + 300 + 280
    claim = [ln for ln in ax.lines if ln.get_gid() == "claim"][0]
    assert list(claim.get_ydata()) == [1000, 1000]
    assert len(fig.axes) == 3                      # depot panel drawn


def test_counts_are_plotted_on_the_day_counted(data):
    c = data["containers"]
    s = pd.DataFrame({"vessel": ["ANGARA", "ANGARA", "ANGARA"], "port": ["Rajin", "Rajin", "Dunai"],
                      "containers": [120, 200, 190],
                      "datetime": pd.to_datetime(["2023-08-12 00:00", "2023-08-13 09:00", "2023-08-17 02:00"],
                                                 utc=True)})
    at = F.counted_at(c, s)
    assert at.iloc[0] == pd.Timestamp("2023-08-13 09:00", tz="UTC")     # the sighting that saw 200
    assert at.iloc[1] == pd.Timestamp("2023-08-17 02:00", tz="UTC")
    assert at.iloc[2:].isna().all()                                    # no sighting: end of stay
    fig = F.containers_chart(c.assign(counted_at=at), None, palette=PALETTE, window=WINDOW, title="t",
                             source_line="s")
    marks = [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith("counted-")]
    xs = sorted(x for ln in marks for x in ln.get_xdata())
    assert date_num(pd.Timestamp("2023-08-13 09:00", tz="UTC")) in xs
    assert date_num(pd.Timestamp("2023-08-15", tz="UTC")) not in xs          # not at the end of the stay


def test_more_delivered_than_loaded_is_explained_on_the_figure(data):
    c = data["containers"].copy()
    assert F.loaded_delivered_note(c, "Rajin", "Dunai") is None            # every trip delivered fewer
    c.loc[c["visit_id"] == "MARIA-Dunai-2023-08-27", "counted"] = 170
    note = F.loaded_delivered_note(c, "Rajin", "Dunai")
    assert note.startswith("More unloaded than loaded? These are containers seen on the quay in one image")
    assert note.endswith("(MARIA: 150 counted at Rajin 24 Aug, 170 at Dunai 27 Aug)")
    fig = F.containers_chart(c, None, palette=PALETTE, window=WINDOW, title="t", source_line="s")
    (t,) = [t for t in fig.texts if t.get_gid() == "loaded-delivered-note"]
    assert t.get_text().replace("\n", " ") == note


def test_depot_panel_shows_pits_filled_pits_and_railcars(data):
    ax = make_containers(data).axes[2]
    gids = {ln.get_gid() for ln in ax.lines} | {c.get_gid() for c in ax.collections}
    assert {"depot-pits_count", "depot-pits_filled", "depot-railcars_with_containers"} <= gids
    labels = {t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("depot-label")}
    assert labels == {"pits", "filled pits", "railcars with containers: 45"}
    assert "cloud" not in " ".join(labels)


def test_no_line_across_a_gap_between_scenes(data):
    ax = make_containers(data).axes[2]
    (ln,) = [ln for ln in ax.lines if ln.get_gid() == "depot-pits_filled"]
    y = np.asarray(ln.get_ydata(), dtype=float)
    assert np.isnan(y).sum() == 1 and np.isnan(y[3])                  # the 14-day gap, after 12 Aug
    x, y = broken(pd.Series(pd.to_datetime(["2023-08-01", "2023-08-08"], utc=True)), pd.Series([1, 2]))
    assert not np.isnan(y).any()                                       # 7 days apart: joined


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig05_containers", make_containers(data), tmp_path)
