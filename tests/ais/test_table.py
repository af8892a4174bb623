"""Tests of caller-mapped tables (helpers.ais.table): CSV, Parquet, GeoParquet and GeoPackage with a
column mapping."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import ais
from helpers.errors import InputError
from tests.factories import ANGARA, MARIA, T0_UNIX, assert_qa_identity, write_text_lines


def test_table_csv_with_column_mapping(tmp_path):
    p = write_text_lines(tmp_path, "t.csv", [
        "ship,when,y,x,kn,name",
        f"{ANGARA},2023-08-01T00:00:00Z,42.5,130.5,10.0,ANGARA",
        f"{MARIA},{T0_UNIX + 60},42.6,130.6,102.3,",
        f"{MARIA},yesterday,42.6,130.6,1.0,",
        f"{MARIA},2023-08-01T00:02:00,91,181,1.0,"])
    cols = {"mmsi": "ship", "ts": "when", "lat": "y", "lon": "x", "sog_kn": "kn", "name": "name"}
    with pytest.raises(InputError):
        ais.read(p)  # no known header: needs fmt="table"
    d = ais.read(p, fmt="table", columns=cols)
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA]
    assert d.positions["ts"].tolist() == [pd.Timestamp(T0_UNIX, unit="s", tz="UTC"),
                                          pd.Timestamp(T0_UNIX + 60, unit="s", tz="UTC")]
    assert d.positions["sog_kn"].tolist()[0] == 10.0 and pd.isna(d.positions["sog_kn"][1])
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "t.csv:row 3": "unparseable time", "t.csv:row 4": "position not available"}
    assert d.vessels["name"].tolist() == ["ANGARA"]
    assert_qa_identity(d)
    assert ais.read(p, columns=cols).positions.equals(d.positions)  # columns= implies table
    with pytest.raises(InputError, match="lacks"):
        ais.read(p, fmt="table", columns={"mmsi": "ship", "ts": "when"})
    with pytest.raises(InputError, match="not in the file"):
        ais.read(p, fmt="table", columns={**cols, "lat": "nope"})
    with pytest.raises(InputError, match="unknown canonical"):
        ais.read(p, fmt="table", columns={**cols, "speed": "kn"})


def test_table_parquet_and_geoparquet(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, Point
    df = pd.DataFrame({"id": [ANGARA, MARIA, ANGARA],
                       "t": pd.to_datetime([T0_UNIX, T0_UNIX + 60, T0_UNIX + 120], unit="s"),
                       "la": [42.5, 42.6, 42.7], "lo": [130.5, 130.6, 130.7]})
    df.to_parquet(tmp_path / "p.parquet")
    d = ais.read(tmp_path / "p.parquet", fmt="table",
                 columns={"mmsi": "id", "ts": "t", "lat": "la", "lon": "lo"})
    assert d.positions["lat"].tolist() == [42.5, 42.6, 42.7]
    assert d.positions["ts"].iloc[2] == pd.Timestamp(T0_UNIX + 120, unit="s", tz="UTC")
    geo = gpd.GeoDataFrame(df.drop(columns=["la", "lo"]), crs="EPSG:4326",
                           geometry=[Point(130.5, 42.5), LineString([(0, 0), (1, 1)]),
                                     Point(130.7, 42.7)])
    geo.to_parquet(tmp_path / "g.parquet")
    d = ais.read(tmp_path / "g.parquet", fmt="table", columns={"mmsi": "id", "ts": "t"},
                 chunksize=2)
    assert d.positions["lat"].tolist() == [42.5, 42.7]
    assert d.positions["lon"].tolist() == [130.5, 130.7]
    assert d.rejects["locator"].tolist() == ["g.parquet:row 2"]
    assert d.rejects["reason"].tolist() == ["geometry is not a point"]
    assert_qa_identity(d)
    with pytest.raises(InputError, match="lacks mmsi, ts:"):
        ais.read(tmp_path / "p.parquet")                 # auto: no column has a known name
    df.rename(columns={"id": "MMSI", "t": "BaseDateTime", "la": "Latitude", "lo": "long"}) \
        .to_parquet(tmp_path / "s.parquet")
    s = ais.read(tmp_path / "s.parquet")                 # auto: columns found by synonyms
    assert s.qa["layout"] == "table" and s.qa["dialect"] == {"container": "parquet"}
    assert s.qa["columns"] == {"mmsi": "MMSI", "ts": "BaseDateTime", "lat": "Latitude",
                               "lon": "long"}
    plain = ais.read(tmp_path / "p.parquet", fmt="table", source="s.parquet",
                     columns={"mmsi": "id", "ts": "t", "lat": "la", "lon": "lo"})
    assert s.positions.equals(plain.positions)
    with pytest.raises(InputError, match="geometry"):
        ais.read(tmp_path / "p.parquet", fmt="table", columns={"mmsi": "id", "ts": "t"})


def test_table_geopackage_with_column_mapping(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, Point
    df = pd.DataFrame({"id": [ANGARA, MARIA, ANGARA, MARIA],
                       "t": ["2023-08-01T00:00:00Z", "2023-08-01T00:01:00Z", "2023-08-01T00:02:00Z",
                             "2023-08-01T00:03:00Z"],
                       "speed": [11.5, 0.2, 102.3, 5.0]})
    g = gpd.GeoDataFrame(df, crs="EPSG:4326",
                         geometry=[Point(130.5, 42.5), Point(130.6, 42.6),
                                   LineString([(0, 0), (1, 1)]), Point(181.0, 91.0)])
    g.to_file(tmp_path / "tracks.gpkg", layer="ais", driver="GPKG")
    cols = {"mmsi": "id", "ts": "t", "sog_kn": "speed"}
    d = ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols, chunksize=3)
    assert d.positions["mmsi"].tolist() == [ANGARA, MARIA]
    assert d.positions[["lat", "lon"]].values.tolist() == [[42.5, 130.5], [42.6, 130.6]]
    assert d.positions["sog_kn"].tolist() == [11.5, 0.2]
    assert d.positions["ts"].iloc[1] == pd.Timestamp("2023-08-01T00:01:00Z")
    assert dict(zip(d.rejects["locator"], d.rejects["reason"])) == {
        "tracks.gpkg:row 3": "geometry is not a point", "tracks.gpkg:row 4": "position not available"}
    assert_qa_identity(d)
    assert d.qa["columns"] == {"mmsi": "id", "ts": "t", "lat": "geometry (point)",
                               "lon": "geometry (point)", "sog_kn": "speed"}
    with pytest.raises(InputError, match="lacks mmsi, ts"):
        ais.read(tmp_path / "tracks.gpkg")               # auto: "id" and "t" are no synonyms
    g.iloc[:1].to_file(tmp_path / "tracks.gpkg", layer="other", driver="GPKG")
    with pytest.raises(InputError, match="layers") as e:
        ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols)
    assert e.value.field == "layer"
    assert len(ais.read(tmp_path / "tracks.gpkg", fmt="table", columns=cols, layer="other").positions) == 1
    g.to_crs(3857).to_file(tmp_path / "m.gpkg", driver="GPKG")
    with pytest.raises(InputError, match="WGS 84"):
        ais.read(tmp_path / "m.gpkg", fmt="table", columns=cols)


def test_join_raw_is_the_row_by_row_join():
    """A reject's `raw` text: each value as str(), empty when missing, comma-joined. The
    column-wise join gives exactly what joining row by row gives, on every kind of column."""
    import numpy as np

    from helpers.ais import tabular
    df = pd.DataFrame({"mmsi": [273_000_001, 273_000_002, 273_000_003],
                       "sog": [12.5, np.nan, 0.1 + 0.2],
                       "name": ["ANGARA", None, "a,b"],
                       "n": pd.array([1, pd.NA, 3], dtype="Int64"),
                       "ts": pd.to_datetime(["2023-08-01T00:00:00Z", None, "2023-08-01T00:02:03.5Z"],
                                            format="ISO8601")})
    rowwise = [",".join("" if pd.isna(v) else str(v) for v in row)
               for row in df.astype(object).itertuples(index=False)]
    assert tabular.join_raw(df, df.columns) == rowwise
    assert rowwise[1] == "273000002,,,,"
    assert rowwise[2] == "273000003,0.30000000000000004,a,b,3,2023-08-01 00:02:03.500000+00:00"
    assert tabular.join_raw(df, ["sog"]) == ["12.5", "", "0.30000000000000004"]
    assert tabular.join_raw(df, ["name", "mmsi"])[0] == "ANGARA,273000001"
    assert tabular.join_raw(df.iloc[:0], df.columns) == []
