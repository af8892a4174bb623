"""Parameter files: the default loads; bad ones stop with a message naming file, field and fix."""

import pytest

from helpers import params, reference
from helpers.errors import InputError, ParamsError


def write(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(text)
    return p


def test_default_parameters_load():
    P = params.load()
    assert P.file == "notebooks/params/default.yaml" and P["simulated"] is True
    assert P.start.isoformat() == "2023-07-01T00:00:00+00:00" and P.t["dark_min_hours"] == 12
    assert "simulated reference scenario" in P.source_line


def test_overrides_merge_into_nested_keys():
    P = params.load(overrides={"thresholds": {"dark_min_hours": 6}})
    assert P.t["dark_min_hours"] == 6 and P.t["max_speed_kn"] == 16


@pytest.mark.parametrize("override, field", [
    ({"thresholds": {"dark_min_hour": 6}}, "thresholds.dark_min_hour"),      # typo: unknown key
    ({"thresholds": {"dark_min_hours": "12"}}, "thresholds.dark_min_hours"),  # wrong type
    ({"thresholds": {"max_speed_kn": True}}, "thresholds.max_speed_kn"),     # bool is not a number
    ({"colour": "red"}, "colour"),
    ({"window": {"start": "2023-07-01T00:00:00", "end": "2023-11-01T00:00:00Z"}}, "window.start"),
])
def test_bad_parameters_name_the_field(override, field):
    with pytest.raises(ParamsError) as e:
        params.load(overrides=override)
    assert e.value.field == field and "notebooks/params/default.yaml" in str(e.value)
    assert "Fix:" in str(e.value)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ParamsError, match="parameter file not found"):
        params.load(tmp_path / "nope.yaml")
    with pytest.raises(ParamsError, match="not valid YAML"):
        params.load(write(tmp_path, "a: [1, 2"))
    with pytest.raises(ParamsError, match="missing"):
        params.load(write(tmp_path, "name: x\n"))


def test_yaml_is_safe_loaded(tmp_path):
    with pytest.raises(ParamsError, match="not valid YAML"):
        params.load(write(tmp_path, "name: !!python/object/apply:os.system ['true']\n"))


def test_vessels_of_interest_reference():
    ref = reference.vessels_of_interest(names=["ANGARA", "MARIA"])
    assert reference.names(ref) == {273210440: "ANGARA", 273000002: "MARIA"}
    assert ref.loc[ref["name"] == "ANGARA", "imo"].iloc[0] == 9179842
    with pytest.raises(InputError, match="not in the reference"):
        reference.vessels_of_interest(names=["LADY R"])


def test_ais_input_options_are_checked():
    P = params.load(overrides={"inputs": {"ais": [{"path": "x.csv", "format": "marinetraffic",
                                                   "options": {"speed_unit": "tenths", "chunksize": 1000}}]}})
    assert P["inputs"]["ais"][0]["options"]["speed_unit"] == "tenths"
    with pytest.raises(ParamsError) as e:
        params.load(overrides={"inputs": {"ais": [{"path": "x.csv", "options": {"speed": "kn"}}]}})
    assert e.value.field == "inputs.ais[0].options.speed"
    with pytest.raises(ParamsError) as e:
        params.load(overrides={"inputs": {"ais": [{"path": "x.csv", "fmt": "nmea"}]}})
    assert e.value.field == "inputs.ais[0].fmt"
