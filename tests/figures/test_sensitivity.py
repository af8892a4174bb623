"""Figure 6, validation against the imagery revisit interval: the title at realistic cloud (not
the clear-sky best case), alt text from the same numbers, baseline image."""

from __future__ import annotations

import pandas as pd

from helpers import figures as F
from tests.figures.factories import assert_matches_baseline, make_validation

# the shape of the scenario's result: daily scenes find 6 of 7 with clear skies, 3 at 50% cloud,
# and at 75% cloud half of what they find is false
ROWS = [(1, 0.0, 6, 1.0), (1, 0.25, 5, 1.0), (1, 0.5, 3, 1.0), (1, 0.75, 3, 0.5),
        (2, 0.0, 2, 1.0), (2, 0.25, 2, 1.0), (2, 0.5, 1, 1.0), (2, 0.75, 2, 0.0),
        (5, 0.0, 0, None), (5, 0.25, 0, None), (5, 0.5, 0, None), (5, 0.75, 0, None)]


def table() -> pd.DataFrame:
    return pd.DataFrame([dict(revisit_days=r, cloud_prob=c, gap_hours=12.0, n_truth=7, n_reconstructed=0,
                              precision=p, recall=f / 7) for r, c, f, p in ROWS])


def test_title_states_the_realistic_cloud_result_not_the_best_case():
    n = F.sensitivity_numbers(table(), 12.0)
    assert n["cloud"] == 0.5 and n["found"] == [(1.0, 3), (2.0, 1), (5.0, 0)]
    assert n["best"][0] == (1.0, 6) and n["false_from"] == (0.75, 0.5)
    title = F.sensitivity_title(n)
    assert title == ("At 50% cloud, daily scenes find 3 of 7 true round trips (6 with clear skies); "
                     "a scene every 2 days, 1")
    assert not title.startswith("Daily scenes find 6")


def test_alt_text_says_the_titles_numbers():
    n = F.sensitivity_numbers(table(), 12.0)
    alt = F.alt_sensitivity(table(), 12.0, numbers=n)
    assert "At 50% cloud, daily scenes find 3 of 7 true round trips, a scene every 2 days 1; with 0% cloud, 6 of 7." \
        in alt
    assert "From 75% cloud, daily scenes also find false trips (precision 50%)." in alt
    assert "1 days" not in alt


def test_realistic_cloud_is_the_nearest_level_run():
    t = table()
    t = t[t["cloud_prob"] != 0.5]
    assert F.sensitivity_numbers(t, 12.0)["cloud"] == 0.25      # 0.25 and 0.75 tie: the lower


def test_figure_matches_baseline(tmp_path, data):
    assert_matches_baseline("fig06_validation", make_validation(data), tmp_path)
