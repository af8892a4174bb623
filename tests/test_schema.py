"""helpers.schema.validate_fast: the same frame as validate when nothing needs coercing, and
validate itself (its coercion, its error) otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from helpers.errors import InputError
from helpers.schema import validate, validate_fast


def positions(n=4, **over):
    df = pd.DataFrame({
        "mmsi": np.array([273210440, 211000001, 999999999, 100000000][:n], dtype=np.int64),
        "ts": pd.to_datetime(np.arange(n) * 10**9, unit="ns", utc=True),
        "lat": [0.0, -90.0, 90.0, 45.5][:n], "lon": [0.0, 180.0, -180.0, 12.25][:n],
        "sog_kn": [np.nan, 0.0, 102.2, 5.0][:n], "cog_deg": [359.9, np.nan, 0.0, 1.0][:n],
        "heading_deg": [np.nan, 359.0, 0.0, 10.0][:n],
        "nav_status": pd.array([0, None, 15, 1][:n], dtype="Int64"), "source": "src",
        "msg_type": pd.array([1, 18, None, 27][:n], dtype="Int64"),
        "flag": pd.Series(np.nan, index=range(n), dtype="str")})
    for k, v in over.items():
        df[k] = v
    return df


def test_same_frame_as_validate_when_nothing_to_coerce():
    df = positions()
    got = validate_fast(df.copy(), "positions")
    pdt.assert_frame_equal(got, validate(df.copy(), "positions"))
    assert list(got.columns)[-1] == "flag" and got["lat"].tolist() == [0.0, -90.0, 90.0, 45.5]


def test_extra_columns_dropped_and_order_of_the_table():
    df = positions()[["lon", "lat", "mmsi", "ts", "sog_kn", "cog_deg", "heading_deg", "nav_status",
                      "source", "msg_type", "flag"]].assign(extra=1)
    pdt.assert_frame_equal(validate_fast(df.copy(), "positions"), validate(df.copy(), "positions"))


@pytest.mark.parametrize("over", [{"lat": [0.0, 0.0, 90.5, 0.0]}, {"mmsi": np.array([1, 2, 3, 4])},
                                  {"sog_kn": [0.0, 102.3, np.nan, 0.0]}, {"lon": [np.nan, 0.0, 0.0, 0.0]}])
def test_a_value_that_breaks_a_check_raises_validates_error(over):
    df = positions(**over)
    with pytest.raises(InputError) as fast:
        validate_fast(df.copy(), "positions")
    with pytest.raises(InputError) as slow:
        validate(df.copy(), "positions")
    assert str(fast.value) == str(slow.value)


def test_columns_to_coerce_go_through_validate():
    df = positions(mmsi=np.array([273210440, 211000001, 999999999, 100000000], dtype=np.int32),
                   source=np.array(["a", "b", "c", "d"], dtype=object)).drop(columns="flag")
    got = validate_fast(df.copy(), "positions")
    pdt.assert_frame_equal(got, validate(df.copy(), "positions"))
    assert got["mmsi"].dtype == np.int64 and "flag" in got.columns
