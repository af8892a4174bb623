"""Honest framing: simulated runs say "Simulated:" in every title, carry a SIMULATED mark inside
the plot area and say so in the alt text; real runs (the public record) say none of it."""

from __future__ import annotations

import pytest

from helpers import figures as F
from helpers import params
from helpers.steps import figures as step
from tests.figures.factories import MAKERS, make_map, make_timeline


def _params(tmp_path, simulated: bool):
    over = {"outputs": {k: str(tmp_path / k) for k in ("processed", "figures", "build")}}
    if not simulated:
        over |= {"simulated": False, "source_line": "Data: test observations (real)"}
    return params.load(overrides=over)


def test_titles_open_with_simulated_only_for_simulated_data():
    assert F.framed_title("At least 6 round trips", True) == "Simulated: At least 6 round trips"
    assert F.framed_title("Simulated: At least 6", True) == "Simulated: At least 6"     # once
    assert F.framed_title("At least 6 round trips", False) == "At least 6 round trips"
    assert F.framed_alt("Timeline.", True) == "Simulated data, not real observations. Timeline."
    assert F.framed_alt("Timeline.", False) == "Timeline."


def test_step_titles_follow_the_parameter_set(tmp_path):
    assert step._title(_params(tmp_path, True), "At least 6") == "Simulated: At least 6"
    assert step._title(_params(tmp_path, False), "At least 6") == "At least 6"


@pytest.mark.parametrize("name", list(MAKERS))
def test_every_figure_gets_a_mark_inside_its_plot_area(name, data):
    fig = MAKERS[name](data)
    assert not F.is_marked(fig)
    marks = F.mark_simulated(fig)
    assert marks and F.is_marked(fig)
    w_in, h_in = fig.get_size_inches()
    for m in marks:
        assert m.get_text() == "SIMULATED" and 0 < m.get_alpha() < 1
        x, y = m.get_position()
        assert 0 <= x <= 1 and 0 <= y <= 1                   # inside its axes, in axes units
        box = m.axes.get_position()
        assert box.width * w_in >= F.framing.MIN_AXES_IN[0]


def test_locator_inset_carries_no_mark(data):
    fig = make_map(data)
    F.mark_simulated(fig)
    (loc,) = [a for a in fig.axes if a.get_gid() == "locator"]
    assert not [t for t in loc.texts if t.get_gid() == F.framing.MARK_GID]
    assert [t for t in fig.axes[0].texts if t.get_gid() == F.framing.MARK_GID]


@pytest.mark.parametrize("simulated", [True, False])
def test_draw_frames_simulated_runs_and_leaves_real_runs_alone(simulated, tmp_path, data, monkeypatch):
    P = _params(tmp_path, simulated)
    monkeypatch.setitem(step.DRAW, "fig02_timeline",
                        lambda P, palette, layout=F.HOUSE: (
                            make_timeline(data, title=step._title(P, "At least 5 round trips"), layout=layout),
                            "Timeline, one lane per ship: at least 5 round trips."))
    row = step.draw(["fig02_timeline"], P).iloc[0]
    out = P.output("figures")
    svg = (out / "fig02_timeline.svg").read_text(encoding="utf-8")
    alt = (out / "fig02_timeline.alt.txt").read_text(encoding="utf-8")
    assert row["alt_text"] == alt.strip()
    assert row["files"] == "png, svg, alt.txt, narrow.png"
    narrow = (out / "fig02_timeline.narrow.png").read_bytes()
    assert narrow[:8] == b"\x89PNG\r\n\x1a\n" and len(narrow) > 10_000
    if simulated:
        assert alt.startswith("Simulated data, not real observations. Timeline")
        assert "SIMULATED" in svg and "Simulated: At least 5 round trips" in svg
    else:
        assert "imulated" not in alt and "SIMULATED" not in svg and "Simulated:" not in svg   # (source line aside)


def test_ais_activity_is_not_drawn_without_ais_and_says_why(tmp_path, monkeypatch):
    P = _params(tmp_path, False)           # nothing in processed/: a run whose data holds no AIS
    monkeypatch.setattr(step, "mmsi_names", lambda P: {})
    out = P.output("figures")
    out.mkdir(parents=True, exist_ok=True)
    (out / "fig03_ais_activity.png").write_bytes(b"stale")       # from an earlier run
    row = step.draw(["fig03_ais_activity"], P).iloc[0]
    assert row["alt_text"].startswith("not drawn: this run has no AIS positions of ANGARA and MARIA")
    assert sorted(p.name for p in out.iterdir()) == ["fig03_ais_activity.not-drawn.txt"]
    assert (out / "fig03_ais_activity.not-drawn.txt").read_text(encoding="utf-8").strip() == row["alt_text"]
    # the report says which figure is missing and why (once the figure is drawn again, nothing)
    from helpers.steps import report
    [n] = report.not_drawn(out, [])
    assert (n["id"], n["number"]) == ("fig03_ais_activity", 3)
    assert n["reason"].startswith("This run has no AIS positions of ANGARA and MARIA")
    assert report.not_drawn(out, [{"id": "fig03_ais_activity"}]) == []


def test_draw_refuses_alt_text_that_leaves_out_the_titles_numbers(tmp_path, data, monkeypatch):
    P = _params(tmp_path, True)
    monkeypatch.setitem(step.DRAW, "fig02_timeline",
                        lambda P, palette, layout=F.HOUSE: (make_timeline(data, title="At least 5 round trips"),
                                                            "Timeline, one lane per ship: at least 4 round trips."))
    with pytest.raises(ValueError, match="lacks the title's number"):
        step.draw(["fig02_timeline"], P)
