"""Notebook 20's inputs in one call: acquisitions, checked and matched sightings, rejects and
coverage, from optional inputs (an analysis may run on AIS alone).

Exported as `helpers.imagery.load` for now; it belongs to the notebook's step (a later layer).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from ..errors import InputError
from ..paths import display
from ..schema import columns, empty
from .coverage import COVERAGE_COLUMNS, coverage
from .matching import match_sightings
from .sightings import check_sightings, read_sightings_checked
from .stac import read_acquisitions


def no_acquisitions() -> gpd.GeoDataFrame:
    """An empty acquisitions table (for an analysis without imagery)."""
    df = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns("acquisitions") if c != "footprint"},
                          geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    df = df.rename_geometry("footprint")
    df["datetime"] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in ("cloud_cover", "gsd_m"):
        df[c] = pd.Series(dtype="float64")
    return df


def load(acquisitions_path, sightings_path, ports, *, vessels_of_interest: list[str],
         min_confidence: str = "medium", max_cloud: float = 20.0,
         lengths: dict[str, float] | None = None, length_tolerance_m: float | None = None):
    """Everything notebook 20 needs, from optional inputs: (acquisitions, sightings, rejects,
    coverage). Without imagery (both paths None) the tables are empty and the analysis runs on
    AIS alone; sightings without acquisitions cannot be checked, so that is an error."""
    if acquisitions_path is None:
        if sightings_path is not None:
            raise InputError(display(sightings_path), "inputs.acquisitions",
                             "sightings given without the acquisitions they were made on",
                             "give inputs.acquisitions (a STAC catalog) or set inputs.sightings to null")
        acq = no_acquisitions()
    else:
        acq = read_acquisitions(acquisitions_path)
    if sightings_path is None:
        sightings, rejects = empty("sightings"), empty("rejects")
    else:
        raw, rejects = read_sightings_checked(sightings_path)
        sightings, more = check_sightings(raw, acq)
        rejects = pd.concat([rejects, more], ignore_index=True) if len(more) else rejects
    sightings = match_sightings(sightings, vessels_of_interest=vessels_of_interest,
                                min_confidence=min_confidence, lengths=lengths,
                                length_tolerance_m=length_tolerance_m,
                                ports=ports if isinstance(ports, gpd.GeoDataFrame) else None)
    cover = coverage(acq, ports, max_cloud=max_cloud) if len(acq) else \
        pd.DataFrame(columns=COVERAGE_COLUMNS)
    return acq, sightings, rejects, cover
