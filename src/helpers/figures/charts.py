"""Pieces the charts share: dates on the x axis, UTC times, the legend below the plot."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple

from .style import HOUSE, Layout


def utc(s) -> pd.Series:
    """Times as tz-aware UTC."""
    return pd.to_datetime(s, utc=True)


def date_num(ts) -> np.ndarray | float:
    """Matplotlib date numbers from tz-aware (or naive UTC) timestamps."""
    t = pd.to_datetime(ts, utc=True)
    if isinstance(t, pd.Timestamp):
        return mdates.date2num(t.tz_convert(None).to_pydatetime())
    return mdates.date2num(pd.DatetimeIndex(t).tz_convert(None).to_pydatetime())


def month_label(v, pos) -> str:
    """Month tick label; the year under the first tick and under January."""
    d = mdates.num2date(v)
    return f"{d:%b}\n{d:%Y}" if pos == 0 or d.month == 1 else f"{d:%b}"


def month_ticks(ax) -> None:
    """Major ticks on the first of each month (labelled), minor ticks on Mondays."""
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(month_label)


def date_axis(ax, window, *, labels: bool = True) -> None:
    """An x axis spanning `window` (start, end) with month ticks, labelled when `labels`."""
    w0, w1 = (date_num(t) for t in window)
    ax.set_xlim(w0, w1)
    month_ticks(ax)
    ax.tick_params(axis="x", which="major", length=5, labelbottom=labels)
    ax.tick_params(axis="x", which="minor", labelbottom=False)
    ax.grid(False, axis="x")


def legend_below(fig: Figure, hs: list, top_in: float, ncols: int = 3, *,
                 layout: Layout = HOUSE, **kw):
    """The figure's legend from (handle, label) pairs, its top `top_in` inches down, at the left
    margin; a tuple handle draws its pieces side by side."""
    w_in, h_in = fig.get_size_inches()
    handles, labels = zip(*hs)
    leg = fig.legend(handles, labels, loc="upper left", ncols=layout.cols(ncols),
                     bbox_to_anchor=(layout.left_in / w_in, 1 - top_in / h_in), borderaxespad=0,
                     fontsize=8.6, columnspacing=1.6, labelspacing=0.55,
                     handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)}, **kw)
    leg.set_gid("legend")
    return leg


def legend_height(n: int, ncols: int = 3) -> float:
    """Inches a legend of `n` entries in `ncols` columns takes."""
    return math.ceil(n / ncols) * 0.235 + 0.05
