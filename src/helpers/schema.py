"""The canonical tables (data/README.md describes each column), as pandera schemas.

Every table is validated when a stage writes it and when a later stage reads it. Columns are
coerced to their declared dtype; extra columns are dropped (`strict="filter"`) and the column
order is the order declared here, so written files are stable. All times are tz-aware UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .errors import InputError

UTC = pd.DatetimeTZDtype("ns", "UTC")
C = pa.Column
in_range = pa.Check.in_range

EVIDENCE = ["ais", "imagery", "inferred"]
GAP_CLASSES = ["likely-disabled", "reception", "unassessed", "short"]  # see helpers.gaps
# an analyst's identification confidence, weakest first (sightings.id_confidence)
CONFIDENCE_ORDER = ["none", "low", "medium", "high"]


def _schema(name: str, columns: dict, unique: list[str] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, coerce=True, strict="filter", ordered=False,
                              unique=unique)


TABLES: dict[str, pa.DataFrameSchema] = {
    "positions": _schema("positions", {
        "mmsi": C("int64", in_range(100_000_000, 999_999_999)),
        "ts": C(UTC),
        "lat": C("float64", in_range(-90, 90)),
        "lon": C("float64", in_range(-180, 180)),
        "sog_kn": C("float64", in_range(0, 102.2), nullable=True),
        "cog_deg": C("float64", in_range(0, 359.9), nullable=True),
        "heading_deg": C("float64", in_range(0, 359), nullable=True),
        "nav_status": C("Int64", nullable=True),
        "source": C("str"),
        "msg_type": C("Int64", nullable=True),
        # why cleaning flagged the position (null: not flagged); optional on input
        "flag": C("str", nullable=True, required=False),
    }),
    "vessels": _schema("vessels", {
        "mmsi": C("int64"),
        "imo": C("Int64", nullable=True),
        "name": C("str", nullable=True),
        "callsign": C("str", nullable=True),
        "flag": C("str", nullable=True),
        "ship_type": C("Int64", nullable=True),
        "length_m": C("float64", nullable=True),
        "beam_m": C("float64", nullable=True),
        "first_seen": C(UTC, nullable=True),
        "last_seen": C(UTC, nullable=True),
        "source": C("str"),
    }),
    "rejects": _schema("rejects", {
        "source": C("str"),
        "locator": C("str"),
        "reason": C("str"),
        "raw": C("str", nullable=True),
    }),
    "port_calls": _schema("port_calls", {
        "call_id": C("str", unique=True),
        "mmsi": C("int64"),
        "vessel": C("str", nullable=True),
        "port": C("str"),
        "arrival": C(UTC),
        "departure": C(UTC),
        "n_positions": C("int64", in_range(1, 10**9)),
        "evidence": C("str"),
    }),
    "dark_periods": _schema("dark_periods", {
        "gap_id": C("str", unique=True),
        "mmsi": C("int64"),
        "vessel": C("str", nullable=True),
        "start_ts": C(UTC),
        "end_ts": C(UTC),
        "hours": C("float64", in_range(0, 10**6)),
        "start_lat": C("float64"),
        "start_lon": C("float64"),
        "end_lat": C("float64"),
        "end_lon": C("float64"),
        "distance_nm": C("float64"),
        "implied_speed_kn": C("float64"),
        "others_start": C("float64"),           # other vessels' positions/day around the start
        "others_end": C("float64"),             # ... around the end, while the gap lasted
        "usual_start": C("float64"),            # ... and their usual rate there (whole record)
        "usual_end": C("float64"),
        "reception_start": C("float64"),        # positions per vessel-day in the start cell (GFW)
        "n_before": C("Int64", nullable=True),  # own positions in the hours before the gap
        "shore_nm": C("float64"),               # start's distance from shore
        "start_port": C("str", nullable=True),
        "end_port": C("str", nullable=True),
        "rule": C("str"),
        "class": C("str", pa.Check.isin(GAP_CLASSES)),
        "reason": C("str"),
    }),
    "acquisitions": _schema("acquisitions", {
        "acq_id": C("str", unique=True),
        "platform": C("str"),
        "sensor": C("str", nullable=True),   # null: the item names no instrument (helpers.imagery.fields)
        "datetime": C(UTC),
        "cloud_cover": C("float64", in_range(0, 100), nullable=True),
        "gsd_m": C("float64", nullable=True),
        "provider": C("str", nullable=True),
        "footprint": C(nullable=False),
    }),
    # helpers.imagery.stac.read_catalog: per source file of the imagery metadata, and a total
    # row; items_read = kept + duplicates + rejected
    "qa_imagery": _schema("qa_imagery", {
        "source": C("str"),                  # the file (catalog, collection, page) the items count in
        "kind": C("str"),                    # catalog, collection, item, api-page, item-array, maxar-tsv ...
        "stac_versions": C("str"),           # STAC versions found ("none": no stac_version), or "not STAC"
        "migrated": C("int64"),              # items pystac upgraded from before STAC 1.0.0
        "items_read": C("int64"),
        "kept": C("int64"),
        "duplicates": C("int64"),            # the same scene as a kept item (helpers.imagery.duplicates)
        "rejected": C("int64"),              # no usable time or footprint ... (reasons in the note)
        "links_not_followed": C("int64"),    # URLs (nothing is fetched) and missing files
        "first_datetime": C(UTC, nullable=True),
        "last_datetime": C(UTC, nullable=True),
        "note": C("str", nullable=True),
    }),
    "sightings": _schema("sightings", {
        "sighting_id": C("str", unique=True),
        "acq_id": C("str"),
        "datetime": C(UTC),
        "port": C("str"),
        "lat": C("float64", in_range(-90, 90)),
        "lon": C("float64", in_range(-180, 180)),
        "length_m": C("float64", nullable=True),
        "heading_deg": C("float64", nullable=True),
        "vessel": C("str", nullable=True),
        "id_confidence": C("str", pa.Check.isin(["high", "medium", "low", "none"])),
        "containers": C("Int64", nullable=True),
        "analyst_note": C("str", nullable=True),
        "match": C("str", nullable=True),
    }),
    "visits": _schema("visits", {
        "visit_id": C("str", unique=True),
        "vessel": C("str"),
        "port": C("str"),
        "first_seen": C(UTC),
        "last_seen": C(UTC),
        "evidence": C("str", pa.Check.isin(EVIDENCE)),
        "n_obs": C("int64"),
        "n_imagery": C("int64"),      # identified sightings among the observations
        "split": C("bool"),           # split from the previous visit at this port: a trip may fit between
        "first_evidence": C("str", pa.Check.isin(EVIDENCE)),   # of the first observation (bounds arrival)
        "last_evidence": C("str", pa.Check.isin(EVIDENCE)),    # of the last one (bounds departure)
        "containers": C("Int64", nullable=True),
    }),
    "legs": _schema("legs", {
        "leg_id": C("str", unique=True),
        "vessel": C("str"),
        "origin": C("str"),
        "destination": C("str"),
        "depart_earliest": C(UTC),
        "depart_latest": C(UTC),
        "arrive_earliest": C(UTC),
        "arrive_latest": C(UTC),
        "evidence": C("str", pa.Check.isin(EVIDENCE)),
        "dark": C("bool"),
        "route_nm": C("float64"),
        "required_speed_kn": C("float64"),
        "feasible": C("bool"),
    }),
    "round_trips": _schema("round_trips", {
        "trip_id": C("str", unique=True),
        "vessel": C("str"),
        "trip_no": C("int64"),
        "legs": C("str"),
        "start": C(UTC),
        "end": C(UTC),
        "evidence": C("str", pa.Check.isin(EVIDENCE)),
    }),
    "claims": _schema("claims", {
        "claim_id": C("int64"),
        "claim": C("str"),
        "verdict": C("str", pa.Check.isin(["supported", "not supported", "insufficient data"])),
        "evidence": C("str"),
        "source": C("str"),
    }),
    # helpers.trips.bounds: round trips per vessel (and 'all'), observed and largest allowed
    "trip_bounds": _schema("trip_bounds", {
        "vessel": C("str"),
        "at_least": C("int64"),              # round trips observed (lower bound)
        "possible": C("int64"),              # more possible trips (helpers.trips.possible_trips), not in at_least
        "at_most": C("int64"),               # the most the observations allow (upper bound)
        "at_most_without_absences": C("int64"),  # the upper bound without negative observations
        "absences": C("int64"),              # negative observations (clear scenes without the ship) used
        "split_visits": C("int64"),          # visits split because a trip could fit between
        "route_nm": C("float64"),
        "max_speed_kn": C("float64"),
        "min_dwell_hours": C("float64"),
        "round_trip_hours": C("float64"),    # quickest unobserved round trip
    }),
    # helpers.trips.possible_trips: round trips the imagery makes possible but does not confirm;
    # never counted in round_trips, "at least N" or the claims' lower bounds
    "possible_trips": _schema("possible_trips", {
        "trip_id": C("str", unique=True),
        "vessel": C("str"),
        "trip_no": C("int64"),
        "start": C(UTC),                     # earliest departure from the origin
        "end": C(UTC),                       # latest return to the origin
        "stay_earliest": C(UTC),             # the stay at the destination: earliest start ...
        "stay_latest": C(UTC),               # ... and latest end
        "sightings": C("str"),               # the fitting, unidentified detections at the destination (ids, ;)
        "origin_sightings": C("str"),        # fitting detections at the origin in the unobserved stays (weak)
        "evidence": C("str", pa.Check.isin(["possible"])),
        "basis": C("str"),
    }),
    # helpers.trips.containers: counted on the quay per stay, with a range, and cumulative
    "containers": _schema("containers", {
        "vessel": C("str"),
        "port": C("str"),
        "visit_id": C("str"),
        "datetime": C(UTC),                  # end of the stay
        "activity": C("str", pa.Check.isin(["loaded", "delivered"])),
        "counted": C("int64"),
        "low": C("int64"),
        "high": C("int64"),
        "cumulative_low": C("int64"),
        "cumulative_high": C("int64"),
    }),
    # helpers.claims.read_depot: the analyst's counts at the depot (claim 6)
    "depot": _schema("depot", {
        "date": C(UTC),
        "acq_id": C("str"),
        "sensor": C("str", nullable=True),
        "pits_count": C("int64", in_range(0, 10**6)),
        "pits_filled": C("int64", in_range(0, 10**6)),
        "railcars_with_containers": C("int64", in_range(0, 10**6)),
        "cloud_cover": C("float64", in_range(0, 100), nullable=True),
        "analyst_note": C("str", nullable=True),
    }),
    # helpers.validation.sensitivity: reconstruction rerun on thinned imagery (scenario only)
    "sensitivity": _schema("sensitivity", {
        "revisit_days": C("int64"),
        "cloud_prob": C("float64"),
        "gap_hours": C("float64"),
        "n_truth": C("int64"),
        "n_reconstructed": C("int64"),
        "precision": C("float64", nullable=True),
        "recall": C("float64"),
        "n_revealable": C("int64"),
        "recall_revealable": C("float64", nullable=True),
        "n_sightings": C("int64"),
        "n_dark_legs": C("int64"),
        # the possible tier (helpers.trips.possible_trips): how many, and scores of confirmed + possible
        "n_possible": C("Int64", nullable=True, required=False),
        "precision_with_possible": C("float64", nullable=True, required=False),
        "recall_with_possible": C("float64", nullable=True, required=False),
    }),
}


def utc_ns(ts) -> "np.ndarray":
    """Times as numpy datetime64[ns] in UTC (tz-aware or naive-UTC in), never an object array
    of Timestamps: what every vectorised pass over the `ts` columns works on."""
    idx = pd.DatetimeIndex(ts)
    if idx.tz is not None:
        idx = idx.tz_convert(None)
    return idx.as_unit("ns").to_numpy()


def in_vessel_time_order(mmsi, ts) -> bool:
    """True when rows are already ordered by (mmsi, ts) (one vectorised pass, no sort)."""
    if len(mmsi) < 2:
        return True
    dm = np.diff(np.asarray(mmsi, dtype=np.int64))
    dt = np.diff(np.asarray(ts).view("int64"))
    return bool((dm >= 0).all() and ((dm > 0) | (dt >= 0)).all())


def confidence_at_least(confidence: pd.Series, minimum: str) -> pd.Series:
    """True where an identification confidence is `minimum` or stronger (CONFIDENCE_ORDER); an
    unknown or missing confidence never is."""
    rank = {c: i for i, c in enumerate(CONFIDENCE_ORDER)}
    return confidence.map(rank).fillna(-1) >= rank[minimum]


def columns(name: str) -> list[str]:
    return list(TABLES[name].columns)


_EMPTY: dict[str, pd.DataFrame] = {}


def empty(name: str) -> pd.DataFrame:
    """An empty table with the schema's columns and dtypes (a fresh copy of one made once)."""
    if name not in _EMPTY:
        _EMPTY[name] = validate(pd.DataFrame({c: [] for c in columns(name)}), name)
    return _EMPTY[name].copy()


def validate(df: pd.DataFrame, name: str, file: str = "<memory>") -> pd.DataFrame:
    """Coerce and check `df` against table `name`; columns in declared order.

    A frame that breaks the schema raises InputError naming the file, the column and the fix.
    """
    schema = TABLES[name]
    missing = [c for c, col in schema.columns.items() if c not in df.columns and col.required]
    if missing:
        raise InputError(file, ", ".join(missing), f"missing column(s) of the '{name}' table",
                         f"add the column(s); the table needs {columns(name)}")
    optional = [c for c in schema.columns if c not in df.columns]
    if optional:  # optional columns absent on input are added as nulls: a stable column set
        df = df.assign(**{c: pd.Series(pd.NA, index=df.index, dtype="object") for c in optional})
    try:
        out = schema.validate(df, lazy=False)
    except (SchemaError, SchemaErrors) as exc:  # pragma: no cover - message formatting
        col = getattr(getattr(exc, "schema", None), "name", None) or "?"
        raise InputError(file, str(col), f"does not fit the '{name}' table ({exc})",
                         "correct the values or the column mapping") from None
    return out[columns(name)].reset_index(drop=True)


def validate_fast(df: pd.DataFrame, name: str, file: str = "<memory>") -> pd.DataFrame:
    """`validate`, without pandera's per-column machinery when `df` has every column of table
    `name` already in its declared dtype and its values pass the table's checks (range checks
    and nulls, in numpy): then nothing would be coerced and the result is the same frame. Any
    other frame, and any value that breaks a check, goes through `validate` (same error)."""
    schema = TABLES[name]
    if schema.unique:
        return validate(df, name, file)
    for c, col in schema.columns.items():
        if c not in df.columns or col.unique:
            return validate(df, name, file)
        s = df[c]
        if s.dtype != col.dtype.type:
            return validate(df, name, file)
        na = s.isna().to_numpy()
        if na.any() and not col.nullable:
            return validate(df, name, file)
        for check in col.checks:
            if check.name != "in_range" or not check.ignore_na:
                return validate(df, name, file)
            st = check.statistics
            v = s.to_numpy()[~na] if na.any() else s.to_numpy()
            try:
                low = v >= st["min_value"] if st["include_min"] else v > st["min_value"]
                high = v <= st["max_value"] if st["include_max"] else v < st["max_value"]
                passed = bool((low & high).all())
            except TypeError:  # values numpy does not compare with the bounds
                passed = False
            if not passed:
                return validate(df, name, file)
    cols = columns(name)
    return (df if list(df.columns) == cols else df[cols]).reset_index(drop=True)
