"""Figure 2, the timeline: one lane per ship, where it was, AIS-dark periods, imagery sightings
and numbered round trips."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .charts import date_num, legend_height, month_ticks
from .framing import mark_corner
from .palette import INK, MUTED, Palette, dark_style
from .style import HOUSE, Layout, add_source_line, add_title, axes_in, header_height, page, source_height, use_style

LANE_H = 0.95       # inches per ship
LABEL_W = 1.55      # inches left of the plot for the ships' names
BAR_H = 0.30        # state bars, in lane units
BAND_H = 0.52       # dark-period bands behind the bars, in lane units


def _lanes(vessels: list[str], extra: bool) -> dict[str, float]:
    """The y of each ship's lane (and of the "other" lane for unidentified sightings)."""
    ys = {v: -i for i, v in enumerate(vessels)}
    if extra:
        ys["other"] = -len(vessels) + 0.2
    return ys


def _page(title: str, subtitle: str | None, source_line: str, n_lanes: int, extra: bool,
          layout: Layout):
    """The figure and the plot's axes; returns them with the plot's top and height (inches)."""
    plot_w = layout.width_in - LABEL_W - layout.right_in
    head = header_height(title, subtitle, layout.text_width_in, layout)
    src_h = source_height(source_line, layout)
    top_ax = 0.22 + head + 0.3
    ax_h = LANE_H * n_lanes + (0.55 if extra else 0) + 0.1
    legend_h = 1.05 if not layout.narrow else legend_height(11, 1) + 0.2
    height = top_ax + ax_h + 0.45 + legend_h + src_h + 0.25
    fig = page(height, layout)
    add_title(fig, title, subtitle, layout=layout)
    add_source_line(fig, source_line, layout=layout)
    ax = axes_in(fig, LABEL_W, top_ax, plot_w, ax_h)
    return fig, ax, top_ax, ax_h


def _time_axis(ax, window, ys: dict[str, float]) -> None:
    """Months along x with a line on each first of the month and a faint one each Monday."""
    w0, w1 = (date_num(t) for t in window)
    ax.set_xlim(w0, w1)
    ax.set_ylim(min(ys.values()) - 0.4, 0.62)
    ax.spines["left"].set_visible(False)
    ax.set_yticks([])
    ax.grid(False)
    month_ticks(ax)
    ax.tick_params(axis="x", which="major", length=6, labelsize=10, colors="#444444")
    for t in ax.xaxis.get_major_locator().tick_values(mdates.num2date(w0), mdates.num2date(w1)):
        ax.axvline(t, color="#CFCFCF", lw=0.8, zorder=0)
    for t in ax.xaxis.get_minor_locator().tick_values(mdates.num2date(w0), mdates.num2date(w1)):
        ax.axvline(t, color="#EFEFEF", lw=0.6, zorder=0)


def _draw_dark(ax, dark_periods, ys: dict[str, float], palette: Palette) -> dict[str, dict]:
    """Hatched bands behind the lanes where AIS was dark; returns the styles used by label."""
    used: dict[str, dict] = {}
    if dark_periods is None or not len(dark_periods):
        return used
    cls = dark_periods["class"] if "class" in dark_periods.columns else \
        pd.Series("likely-disabled", index=dark_periods.index)
    for v, s0, s1, c in zip(dark_periods["vessel"], dark_periods["start_ts"],
                            dark_periods["end_ts"], cls):
        if v not in ys:
            continue
        st = dark_style(c)
        a, b = date_num(s0), date_num(s1)
        ax.add_patch(Rectangle((a, ys[v] - BAND_H / 2), b - a, BAND_H,
                               facecolor=st["facecolor"], hatch=st["hatch"],
                               edgecolor=palette.state_colors["AIS dark"], lw=0, zorder=1))
        used[st["label"]] = st
    return used


def _draw_states(ax, states, ys: dict[str, float], palette: Palette) -> None:
    """A bar per state: at the origin or destination in its port colour, in transit in the
    ship's colour, elsewhere or unknown in greys."""
    for r in states.itertuples(index=False):
        if r.vessel not in ys:
            continue
        a, b = date_num(r.start), date_num(r.end)
        ax.add_patch(Rectangle((a, ys[r.vessel] - BAR_H / 2), b - a, BAR_H,
                               facecolor=palette.state_color(r.vessel, r.state),
                               edgecolor="white", lw=0.5, zorder=3, gid=f"state-{r.vessel}",
                               label=f"{r.vessel}|{r.state}"))


def _draw_round_trips(ax, round_trips, ys: dict[str, float]) -> None:
    """A numbered bracket above the lane over each round trip."""
    if round_trips is None or not len(round_trips):
        return
    gap = 0.25
    for r in round_trips.itertuples(index=False):
        if r.vessel not in ys:
            continue
        a, b = date_num(r.start) + gap, date_num(r.end) - gap
        y0, y1 = ys[r.vessel] + BAND_H / 2 + 0.02, ys[r.vessel] + BAND_H / 2 + 0.12
        ax.plot([a, a, b, b], [y0, y1, y1, y0], color="#3C3C3C", lw=0.9, zorder=4,
                solid_joinstyle="miter")
        ax.text((a + b) / 2, y1 + 0.02, f"{int(r.trip_no)}", ha="center", va="bottom",
                fontsize=8.5, color="#3C3C3C", fontweight="bold", zorder=4)


def _draw_sightings(ax, sightings, ident, ys: dict[str, float], extra: bool,
                    palette: Palette) -> dict[str, str]:
    """White markers, shaped by port, on the ship's lane (unidentified: the "other" lane);
    returns the markers used by port name."""
    markers_used: dict[str, str] = {}
    if ident is None:
        return markers_used
    for (_i, r), ok in zip(sightings.iterrows(), ident):
        lane = r["vessel"] if ok and r["vessel"] in ys else ("other" if extra else None)
        if lane is None:
            continue
        m = palette.port_marker(r["port"])
        markers_used[str(r["port"]) if r["port"] in palette.port_markers else "other ports"] = m
        ax.plot([date_num(r["datetime"])], [ys[lane]], marker=m, ms=5.2, mfc="white",
                mec=INK if lane != "other" else MUTED, mew=1.0, zorder=6, linestyle="none")
    return markers_used


def _lane_labels(ax, vessels: list[str], ys: dict[str, float], round_trips, extra: bool,
                 palette: Palette) -> None:
    """Each ship's name in its colour and its round-trip count (a lower bound)."""
    for v in vessels:
        n = 0
        if round_trips is not None and len(round_trips):
            n = int((round_trips["vessel"] == v).sum())
        ax.annotate(v, (0, ys[v]), xycoords=("axes fraction", "data"), xytext=(-12, 5),
                    textcoords="offset points", ha="right", va="bottom", fontsize=12,
                    fontweight="bold", color=palette.ship_colors.get(v, INK))
        sub = f"at least {n} round trip{'s' if n != 1 else ''}" if round_trips is not None \
            else ""
        ax.annotate(sub, (0, ys[v]), xycoords=("axes fraction", "data"), xytext=(-12, -3),
                    textcoords="offset points", ha="right", va="top", fontsize=8.5,
                    color="#555555")
    if extra:
        ax.annotate("Other or\nunidentified ships", (0, ys["other"]),
                    xycoords=("axes fraction", "data"), xytext=(-12, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=8.5,
                    color=MUTED, linespacing=1.1)
        ax.axhline(ys["other"], color="#DDDDDD", lw=0.8, zorder=0)
    ax.text(1.0, 1.0, "Dates in UTC; minor ticks on Mondays", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7.5, color="#8A8A8A")


def _legend(fig: Figure, vessels: list[str], palette: Palette, used_dark: dict[str, dict],
            markers_used: dict[str, str], trips: bool, top_in: float, layout: Layout) -> None:
    """The legend under the plot: states, dark periods, sighting markers, round trips."""
    states = palette.state_colors
    transit = tuple(Patch(facecolor=palette.ship_colors.get(v, states["in transit"]),
                          edgecolor="none") for v in vessels)
    o, d = palette.route
    hs = [(Patch(facecolor=states[f"at {o}"]), f"At {o}"),
          (Patch(facecolor=states[f"at {d}"]), f"At {d}"),
          (Patch(facecolor=states["at another port"]), "At another port"),
          (transit, "Between ports (voyage in window)"),
          (Patch(facecolor=states["unknown"], edgecolor="#BBBBBB", lw=0.6), "Position unknown")]
    for lab, st in used_dark.items():
        hs.append((Patch(facecolor=st["facecolor"], hatch=st["hatch"],
                         edgecolor=states["AIS dark"], lw=0), lab))
    for port, m in markers_used.items():
        hs.append((Line2D([], [], marker=m, ms=5.5, mfc="white", mec=INK, linestyle="none"),
                   f"Seen on satellite image at {port}"))
    if trips:
        hs.append((Line2D([], [], color="#3C3C3C", lw=0.9), f"Round trip {o}–{d}–{o} (numbered)"))
    w_in, h_in = fig.get_size_inches()
    handles, labels = zip(*hs)
    leg = fig.legend(handles, labels, loc="upper left", ncols=layout.cols(3),
                     bbox_to_anchor=(layout.left_in / w_in, 1 - top_in / h_in),
                     borderaxespad=0, fontsize=8.6, columnspacing=1.6, labelspacing=0.6,
                     handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)})
    leg.set_gid("legend")


@use_style()
def timeline(states, *, palette: Palette, sightings=None, dark_periods=None, round_trips=None,
             window, title: str, subtitle: str | None = None, source_line: str,
             vessels: list[str] | None = None, layout: Layout = HOUSE) -> Figure:
    """One lane per ship: where it was (bars), AIS-dark periods (hatched band behind the lane),
    imagery sightings (white markers, shape by port) and numbered round-trip brackets.

    states: vessel, state ("at <origin>" / "at <destination>" / "in transit" / "unknown"),
    start, end (UTC). palette: the run's colours and route (helpers.figures.Palette).
    sightings: canonical sightings with vessel and match; those not identified as one of the
    palette's ships go to an extra "other / unidentified" lane. dark_periods: vessel, start_ts,
    end_ts, class. round_trips: vessel, trip_no, start, end. window: (start, end) UTC
    Timestamps. vessels: the lanes, by default the palette's ships.
    """
    vessels = list(vessels or palette.ships)
    ident = palette.identified(sightings) if sightings is not None and len(sightings) else None
    extra = ident is not None and bool((~ident).any())
    fig, ax, top_ax, ax_h = _page(title, subtitle, source_line, len(vessels), extra, layout)
    ys = _lanes(vessels, extra)
    _time_axis(ax, window, ys)
    mark_corner(ax, "upper left")
    used_dark = _draw_dark(ax, dark_periods, ys, palette)
    _draw_states(ax, states, ys, palette)
    _draw_round_trips(ax, round_trips, ys)
    markers_used = _draw_sightings(ax, sightings, ident, ys, extra, palette)
    _lane_labels(ax, vessels, ys, round_trips, extra, palette)
    trips = round_trips is not None and len(round_trips) > 0
    _legend(fig, vessels, palette, used_dark, markers_used, trips, top_ax + ax_h + 0.5, layout)
    return fig
