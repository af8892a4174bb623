"""The scenario config (helpers.sim.config) and the datasets `python -m helpers scenario --out` writes."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from helpers import params
from helpers.errors import InputError
from helpers.sim import config, scenario
from helpers.sim.world import World


def test_default_config_is_the_reference_scenario():
    cfg = config.load(None)
    assert [s["name"] for s in cfg["ships"]] == ["ANGARA", "MARIA"]
    assert [s["trips"] for s in cfg["ships"]] == [4, 3]
    assert cfg["stays"]["load_days"] == [2.0, 3.5]
    assert config.is_default(config.load("default"))
    assert not config.is_default(config.load("cloudy"))


def test_presets_change_only_what_they_name():
    short = config.load("short-stay")
    assert short["stays"]["unload_days"] == [0.1, 0.3]
    assert [s["trips"] for s in short["ships"]] == [8, 6]
    assert short["ships"][0]["name"] == "ANGARA" and short["ships"][1]["length_m"] == 100
    assert short["reception"] == config.DEFAULT["reception"]
    assert config.load("weekly-imagery")["imagery"]["revisit_days"] == 7


def test_a_yaml_file_with_a_third_ship(tmp_path):
    f = tmp_path / "three.yaml"
    f.write_text(yaml.safe_dump({"ships": [{}, {}, {"name": "OLGA", "mmsi": 273000003, "length_m": 90,
                                                   "trips": 2}]}))
    cfg = config.load(f)
    assert cfg["name"] == "three"
    assert [s["name"] for s in cfg["ships"]] == ["ANGARA", "MARIA", "OLGA"]
    assert cfg["ships"][2]["home"] == "Vladivostok" and cfg["ships"][2]["trips"] == 2


@pytest.mark.parametrize("changes, field, fix", [
    ({"ships": [{"trips": 11}]}, "ships[0].trips", "between 1 and 10"),
    ({"ships": [{}, {"mmsi": 273210440}]}, "ships[1].mmsi", "its own MMSI"),
    ({"stays": {"load_days": [3, 1]}}, "stays.load_days", "min <= max"),
    ({"stays": {"load_hours": [3, 1]}}, "stays.load_hours", "load_days"),
    ({"imagery": {"revisit_days": 0}}, "imagery.revisit_days", "between 1 and 30"),
    ({"ships": [{"dark_from": "2023-08-13"}]}, "ships[0].dark_from", "with a zone"),
    ({"ships": [{"home": "Busan"}]}, "ships[0].home", "Vladivostok"),
    ({"colour": "red"}, "colour", "unknown field"),
])
def test_bad_config_names_field_and_fix(changes, field, fix):
    with pytest.raises(InputError) as e:
        config.load(changes)
    assert e.value.field == field
    assert fix in str(e.value)


def test_unknown_preset_or_missing_file():
    with pytest.raises(InputError, match="neither a preset nor a file"):
        config.load("no-such-preset")


@pytest.mark.slow
def test_too_many_trips_for_the_window_is_a_config_error():
    cfg = config.load({"ships": [{"trips": 10, "wait_days": [20, 25]}]})
    with pytest.raises(InputError) as e:
        World(1, cfg).build()
    assert e.value.field == "stays.last_return"
    assert "ANGARA's 10 round trips" in e.value.problem


def test_params_yaml_of_a_dataset_resolves_inside_it(tmp_path):
    cfg = config.load({"ships": [{}, {}, {"name": "OLGA", "mmsi": 273000003, "length_m": 90}]})
    (tmp_path / "params.yaml").write_text(scenario.params_yaml(cfg, 7))
    P = params.load(tmp_path / "params.yaml")
    assert P.raw["vessels_of_interest"] == ["ANGARA", "MARIA", "OLGA"]
    assert P.input("truth") == tmp_path / "truth"
    assert P.input("sightings") == tmp_path / "raw" / "imagery" / "sightings.csv"
    assert P.processed("x.parquet") == tmp_path / "processed" / "x.parquet"
    assert "seed 7" in P["source_line"] and P["simulated"] is True


@pytest.mark.slow
def test_config_changes_what_the_world_does():
    """Short stays: every true Dunai stay lasts 2.4-7.2 h; the trips per ship follow the config."""
    w = World(3, config.load("short-stay")).build()
    trips = pd.DataFrame(w.trips)
    assert trips.groupby("vessel").size().to_dict() == {"ANGARA": 8, "MARIA": 6}
    stay_h = (trips["depart_dunai"] - trips["arrive_dunai"]) / pd.Timedelta(hours=1)
    assert stay_h.between(2.4, 7.2).all()


def test_cli_another_seed_needs_out(capsys):
    from helpers.__main__ import main
    assert main(["scenario", "--seed", "3"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "give --out DIR" in err
    assert main(["scenario", "--out", "x", "--config", "no-such"]) == 2
    assert "neither a preset nor a file" in capsys.readouterr().err
