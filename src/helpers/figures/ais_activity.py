"""Figure 3, AIS activity: positions received per day per ship over the periods with no AIS."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .charts import date_axis, date_num, legend_below, legend_height, utc
from .framing import mark_corner
from .palette import INK, MUTED, Palette, dark_style
from .style import HOUSE, Layout, axes_in, frame, halo, use_style

LANE_H, LANE_GAP = 1.45, 0.42     # inches per ship's panel, and between panels
PLOT_LEFT = 1.0                   # inches left of the panels for the y label


def _draw_dark(ax, d: pd.DataFrame, v: str, ymax: int, min_label_days: float) -> dict[str, dict]:
    """The ship's dark periods shaded by class, the long ones labelled with their length;
    returns the styles used by label."""
    used: dict[str, dict] = {}
    cls = d["class"] if "class" in d.columns else pd.Series("unassessed", index=d.index)
    for s0, s1, k in zip(d["start_ts"], d["end_ts"], cls):
        st = dark_style(k)
        a, b = date_num(s0), date_num(s1)
        ax.add_patch(Rectangle((a, 0), b - a, ymax * 1.18, facecolor=st["facecolor"],
                               hatch=st["hatch"], edgecolor="#8A8A8A", lw=0, zorder=1,
                               gid=f"dark-{v}-{k}"))
        used[st["label"]] = st
        days = (pd.Timestamp(s1) - pd.Timestamp(s0)) / pd.Timedelta(days=1)
        if days >= min_label_days:
            ax.text((a + b) / 2, ymax * 1.1, f"no AIS for {days:.0f} days",
                    ha="center", va="top", fontsize=8.5, color=INK, fontweight="bold",
                    path_effects=halo(), zorder=5)
    return used


def _lane(ax, v: str, counts: pd.Series, ymax: int, window, last: bool,
          palette: Palette) -> None:
    """One ship's panel: positions per day as bars in its colour, title and days heard."""
    date_axis(ax, window, labels=last)
    ax.set_ylim(0, ymax * 1.18)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))
    ax.tick_params(axis="y", length=0)
    c = counts.loc[v] if v in counts.index.get_level_values(0) else pd.Series(dtype=int)
    if len(c):
        x = date_num(c.index)
        ax.bar(x, c.to_numpy(), width=0.85, align="edge", color=palette.ship_color(v), lw=0,
               zorder=3, gid=f"bars-{v}")
    n_days = int((c > 0).sum()) if len(c) else 0
    ax.set_title(f"{v}", loc="left", color=palette.ship_colors.get(v, INK), fontsize=12, pad=3)
    ax.text(1.0, 1.02, f"AIS heard on {n_days} days", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=8.5, color=MUTED)
    ax.set_ylabel("positions\nper day", fontsize=8.5, color=MUTED)


@use_style()
def ais_activity(positions: pd.DataFrame, dark_periods: pd.DataFrame | None = None, *,
                 palette: Palette, window, title: str, subtitle: str | None = None,
                 source_line: str, vessels: list[str] | None = None,
                 min_label_days: float = 3.0, layout: Layout = HOUSE) -> Figure:
    """AIS positions per day per ship (bars in the ship's colour) over the dark periods,
    shaded by class; dark periods longer than `min_label_days` are labelled with their length.

    positions: vessel, ts (UTC). dark_periods: vessel, start_ts, end_ts, class. palette: the
    run's colours (helpers.figures.Palette). vessels: the panels, by default the palette's ships.
    """
    vessels = list(vessels or palette.ships)
    n_leg = 2 + 2
    lanes = len(vessels) * LANE_H + (len(vessels) - 1) * LANE_GAP
    body = lanes + 0.62 + legend_height(n_leg, layout.cols(2))
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    day = utc(positions["ts"]).dt.floor("D")
    counts = pd.DataFrame({"vessel": positions["vessel"].to_numpy(), "day": day}).groupby(
        ["vessel", "day"], sort=True).size()
    ymax = max(1, int(counts.max()) if len(counts) else 1)
    used: dict[str, dict] = {}
    for i, v in enumerate(vessels):
        ax = axes_in(fig, PLOT_LEFT, top + i * (LANE_H + LANE_GAP),
                     layout.width_in - PLOT_LEFT - layout.right_in, LANE_H)
        _lane(ax, v, counts, ymax, window, i == len(vessels) - 1, palette)
        mark_corner(ax, "upper left")
        if dark_periods is not None and len(dark_periods):
            used.update(_draw_dark(ax, dark_periods[dark_periods["vessel"] == v], v, ymax,
                                   min_label_days))
    hs = [(tuple(Patch(facecolor=palette.ship_color(v)) for v in vessels),
           "AIS positions received per day (UTC)")]
    for lab, st in used.items():
        hs.append((Patch(facecolor=st["facecolor"], hatch=st["hatch"], edgecolor="#8A8A8A",
                         lw=0), lab))
    legend_below(fig, hs, top + lanes + 0.62, ncols=2, layout=layout)
    return fig
