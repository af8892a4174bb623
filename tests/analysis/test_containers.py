"""Containers per stay, with their range and running totals."""

from helpers.analysis import containers
from tests.analysis.factories import h, reconstruct, shuttle_sightings


def test_containers_per_stay_with_range_and_cumulative():
    r = reconstruct(shuttle_sightings())
    c = containers.containers(r.visits, origin="Rajin", destination="Dunai", visibility=0.8)
    assert list(c["activity"]) == ["loaded", "delivered", "loaded", "delivered"]
    assert list(c["counted"]) == [300, 250, 280, 270] and list(c["low"]) == [300, 250, 280, 270]
    assert list(c["high"]) == [375, 313, 350, 338]                 # ceil(counted / 0.8)
    d = c[c["port"] == "Dunai"]
    assert list(d["cumulative_low"]) == [250, 520] and list(d["cumulative_high"]) == [313, 651]
    assert list(c.columns) == ["vessel", "port", "visit_id", "datetime", "activity", "counted", "low", "high",
                               "cumulative_low", "cumulative_high"]
    # the last Rajin stay (10 containers) starts no loaded leg: not counted
    assert c["datetime"].max() == h(150)
