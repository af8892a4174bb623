"""Pre-flight: every input is opened before the first notebook; a bad one stops the run in
seconds with one line naming the file, the field and the fix, and exit code 2."""

from __future__ import annotations

import shutil

import pytest

from helpers import __main__ as cli
from helpers import params, paths, steps
from helpers.errors import InputError, NotebookInputError
from tests.factories import output_overrides, params_elsewhere


def test_default_inputs_pass_and_say_what_they_are():
    lines = steps.preflight.check(params.load())
    assert lines[0] == "ports: 7 geofences, route Rajin -> Dunai"
    assert "vessels of interest: ANGARA, MARIA" in lines
    assert "AIS data/raw/ais/coastal_receivers_2023.nmea: nmea" in lines
    assert "AIS data/raw/ais/SIMULATED_provider_export_2023.csv: marinecadastre" in lines
    assert "imagery catalog: 599 JSON files" in lines and "depot counts: 39 scenes" in lines


@pytest.mark.parametrize("override, file, field, problem", [
    ({"route": {"origin": "Najin"}}, "ports.geojson", "port", "route.origin 'Najin' is not a port"),
    ({"inputs": {"ais": [{"path": "no_such.nmea"}]}}, "no_such.nmea", "inputs.ais[0].path", "not found"),
])
def test_a_bad_input_is_named_before_any_notebook_runs(override, file, field, problem):
    P = params.load(overrides=override)
    with pytest.raises(InputError) as e:
        steps.preflight.check(P)
    assert e.value.file.endswith(file) and e.value.field == field and problem in e.value.problem
    assert "Fix:" in str(e.value)


def test_an_ais_file_of_no_known_format_is_refused_up_front(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("hello\nworld\n")
    P = params.load(overrides={"inputs": {"ais": [{"path": str(odd)}]}})
    with pytest.raises(InputError) as e:
        steps.preflight.check(P)
    assert e.value.file == "odd.txt"


def test_a_catalog_folder_without_json_is_refused_up_front(tmp_path):
    P = params.load(overrides={"inputs": {"acquisitions": str(tmp_path)}})
    with pytest.raises(InputError, match="without any .json file"):
        steps.preflight.check(P)


def test_the_command_line_prints_one_line_and_exits_2(tmp_path, capsys):
    f = params_elsewhere("notebooks/params/default.yaml", tmp_path / "bad.yaml",
                         route={"origin": "Najin", "destination": "Dunai"},
                         outputs={k: str(tmp_path / k) for k in ("processed", "figures", "build")})
    assert cli.main(["run", "--params", str(f)]) == 2
    out, err = capsys.readouterr()
    assert err.strip().splitlines() == [
        "error: data/reference/ports.geojson: field 'port': route.origin 'Najin' is not a port of this file. "
        "Fix: use one of ['Dunai', 'Nakhodka', 'Posyet', 'Rajin', 'Vladivostok', 'Vostochny', 'Zarubino'] "
        "or add its geofence"]
    assert "[1/9]" not in out                      # no notebook started


def test_an_input_error_inside_a_notebook_names_the_notebook(tmp_path):
    """Step 30 alone, before anything wrote positions: one line, not a papermill traceback."""
    from helpers import pipeline
    shutil.rmtree(tmp_path, ignore_errors=True)
    with pytest.raises(NotebookInputError) as e:
        pipeline.run(overrides=output_overrides(tmp_path), only=["30"])
    assert str(e.value).startswith("30_port_calls_and_gaps: positions.parquet: field '(file)': "
                                   "processed table not found")
    assert paths.display(tmp_path) not in str(e.value)
