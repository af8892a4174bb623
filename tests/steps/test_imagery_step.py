"""helpers.steps.imagery: the step's summary line says what the imagery QA counted, and only
when an item was left out (the default run's line is unchanged)."""

from __future__ import annotations

import pandas as pd

from helpers import imagery, schema
from helpers.steps.imagery import Imagery, summary
from tests.imagery.factories import REAL


def _step(qa) -> Imagery:
    cat = imagery.read_catalog(REAL / "stac_api" / "earth_search_v1_s1_s2_page.json")
    return Imagery(cat.acquisitions, schema.empty("sightings"), schema.empty("rejects"),
                   pd.DataFrame(columns=imagery.COVERAGE_COLUMNS), cat.qa if qa is None else qa)


def test_summary_counts_duplicates_and_rejects_when_there_are_some():
    r = _step(None)
    assert summary(r) == ("2 acquisitions (3 items read: 1 duplicates, 0 rejected; see qa_imagery); "
                          "0 sightings read = 0 kept + 0 rejected")
    whole = r.qa.copy()
    whole.loc[:, "items_read"] = whole["kept"]
    assert summary(_step(whole)) == "2 acquisitions; 0 sightings read = 0 kept + 0 rejected"
    assert summary(_step(imagery.no_qa())) == "2 acquisitions; 0 sightings read = 0 kept + 0 rejected"
