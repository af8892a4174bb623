"""Figure 4, the imagery coverage calendar: scenes per port and day, cloud-clear or not, and the
days a scene showed each ship there."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .charts import date_axis, date_num, legend_below, legend_height, utc
from .framing import mark_corner
from .palette import MUTED, Palette
from .style import HOUSE, Layout, axes_in, frame, use_style

CLEAR_COLOR, CLOUDY_COLOR = "#4D4D4D", "#C9C9C9"
LANE_H, LANE_GAP = 1.25, 0.42     # inches per port's panel, and between panels
PLOT_LEFT = 1.0


def _scenes_per_day(coverage: pd.DataFrame) -> pd.DataFrame:
    """Scenes per port and day, one column per clear (True) / cloudy (False)."""
    cov = coverage.copy()
    when = cov["date"] if "date" in cov.columns else cov["datetime"]
    cov["day"] = utc(pd.to_datetime(when).astype("datetime64[ns]") if not hasattr(
        pd.to_datetime(when).dtype, "tz") else pd.to_datetime(when)).dt.floor("D")
    cov = cov.drop_duplicates(["port", "day", "acq_id"])
    per = cov.groupby(["port", "day", "clear"], sort=True).size().unstack("clear", fill_value=0)
    for k in (True, False):
        if k not in per.columns:
            per[k] = 0
    return per


def _ship_days(sightings, palette: Palette) -> pd.DataFrame | None:
    """Port, ship and day of each identified sighting (one row per day)."""
    if sightings is None or not len(sightings):
        return None
    s = sightings[palette.identified(sightings)]
    return pd.DataFrame({"port": s["port"].to_numpy(), "vessel": s["vessel"].to_numpy(),
                         "day": utc(s["datetime"]).dt.floor("D").to_numpy()}
                        ).drop_duplicates().sort_values(["port", "day", "vessel"])


def _lane(ax, port: str, per: pd.DataFrame, seen, ymax: int, vessels: list[str], window, narrow: bool,
          last: bool, palette: Palette) -> None:
    """One port's panel: stacked clear and cloudy scenes per day, a dot per ship seen."""
    date_axis(ax, window, labels=last)
    top_y = ymax + 1.3
    ax.set_ylim(0, top_y)
    ax.set_yticks(range(0, ymax + 1))
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("scenes\nper day", fontsize=8.5, color=MUTED)
    p = per.loc[port] if port in per.index.get_level_values(0) else None
    n_days = n_clear = 0
    if p is not None and len(p):
        x = date_num(p.index)
        ax.bar(x, p[True].to_numpy(), width=0.85, align="edge", color=CLEAR_COLOR, lw=0,
               zorder=3, gid=f"clear-{port}")
        ax.bar(x, p[False].to_numpy(), bottom=p[True].to_numpy(), width=0.85, align="edge",
               color=CLOUDY_COLOR, lw=0, zorder=3, gid=f"cloudy-{port}")
        n_days, n_clear = len(p), int((p[True] > 0).sum())
    if seen is not None:
        sp = seen[seen["port"] == port]
        for j, v in enumerate(vessels):
            d = sp[sp["vessel"] == v]
            if len(d):
                ax.plot(date_num(d["day"]) + 0.42, np.full(len(d), ymax + 0.45 + 0.45 * j),
                        marker="o", ms=4.2, mfc=palette.ship_color(v), mec="white", mew=0.5,
                        linestyle="none", zorder=5, gid=f"seen-{port}-{v}")
    ax.set_title(port, loc="left", color=palette.port_color(port), fontsize=12, pad=3)
    note = f"{n_days} days, {n_clear} clear" if narrow else f"scenes on {n_days} days, cloud-clear on {n_clear}"
    ax.text(1.0, 1.02, note,
            transform=ax.transAxes, ha="right", va="bottom", fontsize=8.5, color=MUTED)


@use_style()
def coverage_calendar(coverage: pd.DataFrame, sightings: pd.DataFrame | None = None, *,
                      palette: Palette, ports: list[str], window, title: str,
                      subtitle: str | None = None, source_line: str,
                      vessels: list[str] | None = None, layout: Layout = HOUSE) -> Figure:
    """Per port and day: scenes cloud-clear (dark) or cloudy (light), stacked, with a dot in the
    ship's colour above each day a scene showed that ship (identified sightings).

    coverage: port, date (or datetime), acq_id, clear. sightings: port, datetime, vessel, match.
    palette: the run's colours (helpers.figures.Palette). vessels: by default the palette's ships.
    """
    vessels = list(vessels or palette.ships)
    n_leg = 2 + len(vessels)
    lanes = len(ports) * LANE_H + (len(ports) - 1) * LANE_GAP
    body = lanes + 0.62 + legend_height(n_leg, layout.cols(2))
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    per = _scenes_per_day(coverage)
    ymax = max(1, int((per[True] + per[False]).max()) if len(per) else 1)
    seen = _ship_days(sightings, palette)
    for i, port in enumerate(ports):
        ax = axes_in(fig, PLOT_LEFT, top + i * (LANE_H + LANE_GAP),
                     layout.width_in - PLOT_LEFT - layout.right_in, LANE_H)
        _lane(ax, port, per, seen, ymax, vessels, window, layout.narrow, i == len(ports) - 1, palette)
        mark_corner(ax, "upper left")       # the ships' dots sit over the busy months
    hs = [(Patch(facecolor=CLEAR_COLOR), "Scene cloud-clear at the port"),
          (Patch(facecolor=CLOUDY_COLOR), "Scene too cloudy to see the berth")]
    for v in vessels:
        hs.append((Line2D([], [], marker="o", ms=5, mfc=palette.ship_color(v), mec="white",
                          linestyle="none"),
                   f"A scene showed {v} there" + ("" if layout.narrow else " (identified)")))
    legend_below(fig, hs, top + lanes + 0.62, ncols=2, layout=layout)
    return fig
