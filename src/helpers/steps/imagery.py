"""Step 20 (notebook 20_imagery): acquisitions from STAC (with the imagery QA: items read, kept,
duplicates, rejected per file), the analyst's sightings checked against their scene and matched
to the vessels of interest, coverage of each port."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import imagery, paths, public_record, schema
from ..errors import InputError
from .common import lengths, load_ports, route, save

LEDGER = ("observations.csv", "aggregates.csv")     # the public record's files (inputs.public_record)


@dataclass
class Imagery:
    acquisitions: pd.DataFrame
    sightings: pd.DataFrame
    rejects: pd.DataFrame
    coverage: pd.DataFrame
    qa: pd.DataFrame | None = None      # helpers.imagery.read_catalog's QA (table qa_imagery)


def observations(P) -> pd.DataFrame:
    """The public record's observations (inputs.public_record), checked."""
    return public_record.read_observations(P.input("public_record") / LEDGER[0])


def read_record(P, fences) -> Imagery:
    """The public record as dated sightings of ships at the ports (helpers.public_record): no
    acquisitions behind them (each sighting's acq_id names its ledger row), no coverage."""
    if P.input("acquisitions") is not None or P.input("sightings") is not None:
        raise InputError(paths.display(P.input("public_record")), "inputs.public_record",
                         "given together with imagery inputs", "run the public record in a parameter set of "
                         "its own (notebooks/params/public_record.yaml): set acquisitions and sightings to null")
    sightings = public_record.as_sightings(observations(P), fences, window=(P.start, P.end),
                                           min_confidence=P.t["min_id_confidence"], vessels=P.vessel_names)
    return Imagery(imagery.no_acquisitions(), sightings, schema.empty("rejects"),
                   pd.DataFrame(columns=imagery.COVERAGE_COLUMNS), imagery.no_qa())


def read(P, fences) -> Imagery:
    """Everything step 20 makes, from optional inputs. Without imagery (both inputs null) the
    tables are empty and the analysis runs on AIS alone; sightings without acquisitions cannot
    be checked, so that is an error. With `inputs.public_record`, the sightings are the
    ledger's dated observations (`read_record`)."""
    if P.input("public_record") is not None:
        return read_record(P, fences)
    acq_path, sightings_path = P.input("acquisitions"), P.input("sightings")
    if acq_path is None and sightings_path is not None:
        raise InputError(paths.display(sightings_path), "inputs.acquisitions",
                         "sightings given without the acquisitions they were made on",
                         "give inputs.acquisitions (a STAC catalog) or set inputs.sightings to null")
    catalog = None if acq_path is None else imagery.read_catalog(acq_path)
    acq = imagery.no_acquisitions() if catalog is None else catalog.acquisitions
    qa = imagery.no_qa() if catalog is None else catalog.qa
    if sightings_path is None:
        sightings, rejects = schema.empty("sightings"), schema.empty("rejects")
    else:
        raw, rejects = imagery.read_sightings_checked(sightings_path)
        sightings, more = imagery.check_sightings(raw, acq)
        rejects = pd.concat([rejects, more], ignore_index=True) if len(more) else rejects
    sightings = imagery.match_sightings(sightings, vessels_of_interest=P.vessel_names,
                                        min_confidence=P.t["min_id_confidence"], lengths=lengths(P),
                                        length_tolerance_m=P.t["sighting_length_tolerance_m"], ports=fences)
    radar = P.t.get("radar_max_gsd_m", imagery.RADAR_MAX_GSD_M)     # optional threshold
    cover = (imagery.coverage(acq, fences, max_cloud=P.t["imagery_max_cloud"], radar_max_gsd_m=radar)
             if len(acq) else pd.DataFrame(columns=imagery.COVERAGE_COLUMNS))
    return Imagery(acq, sightings, rejects, cover, qa)


def run(P) -> Imagery:
    """Read and match the imagery, write acquisitions, qa_imagery, sightings, sightings_rejects,
    coverage."""
    r = read(P, load_ports(P))
    save(P, r.acquisitions, "acquisitions")
    save(P, r.qa, "qa_imagery")
    save(P, r.sightings, "sightings")
    save(P, r.rejects, "sightings_rejects", table="rejects")
    save(P, r.coverage, "coverage", table="coverage")
    return r


def summary(r: Imagery) -> str:
    n = len(r.sightings) + len(r.rejects)
    acq = f"{len(r.acquisitions)} acquisitions"
    total = r.qa.set_index("source").loc["total"] if r.qa is not None and len(r.qa) else None
    if total is not None and total["items_read"] != total["kept"]:     # said only when it happened
        acq += (f" ({total['items_read']} items read: {total['duplicates']} duplicates, "
                f"{total['rejected']} rejected; see qa_imagery)")
    return (f"{acq}; {n} sightings read = {len(r.sightings)} kept "
            f"+ {len(r.rejects)} rejected")


def by_platform(r: Imagery) -> pd.DataFrame:
    return r.acquisitions.groupby("platform").agg(acquisitions=("acq_id", "size"), median_gsd_m=("gsd_m", "median"),
                                                  median_cloud=("cloud_cover", "median"))


def route_coverage(P, r: Imagery) -> pd.DataFrame:
    """Per route port: scenes, days, clear scenes and scenes holding the whole geofence."""
    cover = r.coverage
    return cover[cover["port"].isin(list(route(P)))].groupby("port").agg(
        acquisitions=("acq_id", "size"), days=("date", "nunique"), clear=("clear", "sum"),
        whole_fence=("whole_fence", "sum"))


def matches(r: Imagery) -> pd.DataFrame:
    """Sightings by port and match."""
    return r.sightings.pivot_table(index="port", columns="match", values="sighting_id", aggfunc="count", fill_value=0)
