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


def test_vessels_of_interest_by_mmsi_imo_or_name():
    import pandas as pd
    ref = reference.vessels_of_interest(names=[{"mmsi": 273000002}, {"imo": 9179842}])
    assert ref["name"].tolist() == ["ANGARA", "MARIA"]
    assert ref["selected_by"].tolist() == ["imo 9179842 (reference)", "mmsi 273000002 (reference)"]
    # not in the reference: an MMSI is named by the entry; an IMO follows every MMSI that broadcast it
    ais_vessels = pd.DataFrame({
        "mmsi": [412000001, 412000009, 412000009], "imo": [9999991, 9999991, pd.NA],
        "name": ["SIM OLD", "SIM NEW", "SIM NEW"], "ship_type": [70, 70, 70],
        "length_m": [90.0, 90.0, 90.0],
        "last_seen": pd.to_datetime(["2023-08-01", "2023-09-01", "2023-09-02"], utc=True)})
    sel = reference.vessels_of_interest(names=[{"imo": 9999991, "name": "SIM X"}, {"mmsi": 412000005}],
                                        ais_vessels=ais_vessels)
    assert sel[["name", "mmsi"]].values.tolist() == [["MMSI 412000005", 412000005],
                                                      ["SIM X", 412000001], ["SIM X", 412000009]]
    assert reference.names(sel) == {412000005: "MMSI 412000005", 412000001: "SIM X", 412000009: "SIM X"}
    assert sel.loc[2, "length_m"] == 90.0 and sel.loc[2, "selected_by"] == "imo 9999991 (AIS static data)"
    assert sel.loc[0, "selected_by"] == "mmsi 412000005" and pd.isna(sel.loc[0, "length_m"])
    unknown = reference.vessels_of_interest(names=[{"imo": 1234567}])
    assert unknown["name"].tolist() == ["IMO 1234567"] and unknown["mmsi"].isna().all()
    # display names without AIS, in entry order
    assert reference.vessel_names([{"mmsi": 273210440}, "maria", {"imo": 1234567}]) == \
        ["ANGARA", "MARIA", "IMO 1234567"]


@pytest.mark.parametrize("entry, problem", [
    (273210440, "neither a name nor a mapping"),
    ({"mmsi": 27321044}, "9-digit MMSI"),
    ({"imo": "9179842"}, "7-digit IMO"),
    ({"callsign": "UBCF9"}, "neither a name nor a mapping"),
])
def test_bad_vessel_selectors_name_the_entry(entry, problem):
    with pytest.raises(ParamsError) as e:
        params.load(overrides={"vessels_of_interest": ["ANGARA", entry]})
    assert e.value.field == "vessels_of_interest[1]" and problem in str(e.value)


def test_choice_parameters_are_checked():
    assert params.load().t["jump_policy"] == "reject"
    with pytest.raises(ParamsError) as e:
        params.load(overrides={"thresholds": {"jump_policy": "drop"}})
    assert e.value.field == "thresholds.jump_policy" and "'keep'" in str(e.value)


def test_papermill_parameters_cannot_inject_code():
    """The pipeline hands each notebook only the parameter file name and an overrides mapping;
    papermill writes them as Python literals, so text that looks like code stays text."""
    import ast

    from papermill.translators import PythonTranslator
    evil = {"params_file": 'x.yaml"\nimport os; os.system("touch /tmp/pwned")\n"',
            "overrides": {"name": "'); __import__('os').system('true') #"}}
    code = PythonTranslator.codify(evil)
    tree = ast.parse(code)
    assert all(isinstance(node, ast.Assign) for node in tree.body)       # assignments only ...
    values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body}   # ... of literals
    assert values == evil


def test_relative_paths_are_relative_to_the_parameter_files_folder(tmp_path, monkeypatch):
    study = tmp_path / "study"
    (study / "inputs").mkdir(parents=True)
    text = (params.paths.PARAMS / "default.yaml").read_text(encoding="utf-8")
    f = study / "params.yaml"
    f.write_text(text.replace("ports: ../../data/reference/ports.geojson", "ports: inputs/ports.geojson")
                 .replace("truth: ../../data/truth", f"truth: {params.paths.TRUTH}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    P = params.load("study/params.yaml")                 # found from the current folder
    assert P.path == f.resolve() and P.file == "params.yaml"      # outside the project: its name only
    assert P.input("ports") == study / "inputs" / "ports.geojson"
    assert P.input("truth") == params.paths.TRUTH        # an absolute path as it is
    assert P.input("coastline") == tmp_path.parent / "data/reference/coastline.gpkg"   # ../../ from study/
    assert P.output("processed") == (study / "../../data/processed").resolve()


def test_the_parameter_file_is_looked_for_in_the_current_folder_then_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert params.load("notebooks/params/default.yaml").path == params.paths.PARAMS / "default.yaml"
    with pytest.raises(ParamsError, match="current folder and the project root"):
        params.load("nowhere.yaml")


def test_without_outputs_a_run_writes_beside_its_parameter_file(tmp_path):
    text = (params.paths.PARAMS / "default.yaml").read_text(encoding="utf-8")
    body = text[:text.index("outputs:")]
    f = tmp_path / "my_study.yaml"
    f.write_text(body.replace("../../", f"{params.paths.PROJECT_ROOT}/"), encoding="utf-8")
    P = params.load(f)
    assert P["outputs"] == {"processed": "my_study/processed", "figures": "my_study/figures", "build": "my_study"}
    assert P.processed("x.parquet") == tmp_path / "my_study" / "processed" / "x.parquet"
    assert P.output("build") == tmp_path / "my_study"
    assert "outputs" not in P.record()["parameters"]          # where a run writes is not part of it
