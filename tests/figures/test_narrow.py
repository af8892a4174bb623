"""Phone renders: each figure drawn with the NARROW layout is 690 px wide, every text reads at
least 12 px when the PNG is shown 343 px wide (a 375 px phone inside the report's margins), and
no text runs off the page."""

from __future__ import annotations

import matplotlib.image as mpimg
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from helpers import figures as F
from tests.figures.factories import MAKERS

NARROW_MAKERS = {k: v for k, v in MAKERS.items() if k != "fig07_sighting_cards"}   # not ours to lay out


def _narrow(maker, data):
    fig = maker(data, layout=F.NARROW)
    F.mark_simulated(fig, fontsize=F.NARROW.min_pt)
    F.enforce_min_font(fig, F.NARROW.min_pt)
    return fig


def _drawn_texts(fig):
    """The texts of `fig` that are drawn: visible, not empty, not the label of a tick outside
    its axis' view (matplotlib keeps those, undrawn)."""
    hidden = set()
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def test_narrow_layout_reads_12_px_on_a_375_px_phone():
    assert F.NARROW.width_in * F.NARROW.dpi == 690
    # a 375 px phone shows the figure 343 px wide (the report's 16 px margins)
    assert F.NARROW.px_at(F.NARROW.min_pt, 343) >= 12.0
    assert F.HOUSE.px_at(8.5, 375) < 6          # why the page render cannot serve a phone
    assert F.NARROW.cols(3) == 1 and F.HOUSE.cols(3) == 3


def test_enforce_min_font_raises_only_small_text(data):
    fig = MAKERS["fig03_ais_activity"](data, layout=F.NARROW)
    sizes = {id(t): t.get_fontsize() for t in fig.findobj(Text) if t.get_text()}
    n = F.enforce_min_font(fig, 9.0)
    assert n == sum(1 for s in sizes.values() if s < 9.0) > 0
    after = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text()]
    assert min(after) == 9.0 and max(after) == max(sizes.values())


@pytest.mark.parametrize("name", list(NARROW_MAKERS))
def test_narrow_render_is_readable_and_fits(name, data, tmp_path):
    fig = _narrow(NARROW_MAKERS[name], data)
    px, text = F.smallest_text_px(fig, 343)
    assert px >= 12.0, f"{text!r} reads {px:.1f} px in a 375 px phone's 343 px column"
    path = F.save_narrow(fig, name, tmp_path)
    assert path.name == f"{name}.narrow.png" and mpimg.imread(path).shape[1] == 690
    r = FigureCanvasAgg(fig).get_renderer()
    width = fig.bbox.width
    for t in _drawn_texts(fig):
        box = t.get_window_extent(r)
        assert box.x0 >= -1 and box.x1 <= width + 1, f"{t.get_text()!r} runs off the page ({box.x0:.0f}-{box.x1:.0f})"


def test_full_and_narrow_titles_say_the_same(data):
    wide, narrow = MAKERS["fig02_timeline"](data), MAKERS["fig02_timeline"](data, layout=F.NARROW)
    assert wide.get_suptitle().replace("\n", " ") == narrow.get_suptitle().replace("\n", " ")
    assert narrow.get_suptitle().count("\n") > wide.get_suptitle().count("\n")     # wrapped to the phone
