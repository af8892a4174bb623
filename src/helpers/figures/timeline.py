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
MIN_STAY_IN = 0.05  # inches: the narrowest a stay at the route's ports is drawn
BAND_H = 0.52       # dark-period bands behind the bars, in lane units


def _lanes(vessels: list[str], extra: bool, step: float = 1.0) -> dict[str, float]:
    """The y of each ship's lane (and of the "other" lane for unidentified sightings)."""
    ys = {v: -i * step for i, v in enumerate(vessels)}
    if extra:
        ys["other"] = -(len(vessels) - 1) * step - 0.8
    return ys


def _page(title: str, subtitle: str | None, source_line: str, n_lanes: int, extra: bool,
          layout: Layout, n_legend: int = 11):
    """The figure and the plot's axes; returns them with the plot's top and height (inches).
    On a narrow page the ships' names go above their lanes and the plot takes the full width."""
    label_w = layout.left_in + 0.2 if layout.narrow else LABEL_W     # room for "Jul" at the left end
    plot_w = layout.width_in - label_w - layout.right_in - (0.15 if layout.narrow else 0)
    head = header_height(title, subtitle, layout.text_width_in, layout)
    src_h = source_height(source_line, layout)
    top_ax = 0.22 + head + 0.3
    ax_h = (LANE_H + (0.75 if layout.narrow else 0)) * n_lanes + (0.55 if extra else 0) + 0.25
    legend_h = legend_height(n_legend, layout.cols(3)) * (0.85 if layout.narrow else 1.0)
    height = top_ax + ax_h + 0.45 + legend_h + src_h + 0.25
    fig = page(height, layout)
    add_title(fig, title, subtitle, layout=layout)
    add_source_line(fig, source_line, layout=layout)
    ax = axes_in(fig, label_w, top_ax, plot_w, ax_h)
    return fig, ax, top_ax, ax_h


def _time_axis(ax, window, ys: dict[str, float], top: float = 0.62) -> None:
    """Months along x with a line on each first of the month and a faint one each Monday."""
    w0, w1 = (date_num(t) for t in window)
    ax.set_xlim(w0, w1)
    ax.set_ylim(min(ys.values()) - 0.55, top)
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


def state_shape(state: str, palette: Palette) -> tuple[float, str | None]:
    """Height (lane units) and hatch of a state's bar, so the states differ without colour:
    at the destination taller and cross-hatched, at the origin full height and plain, at
    another port half height."""
    o, d = palette.route
    if state == f"at {d}":
        return BAR_H * 1.55, "xxx"
    if state.startswith("at ") and state != f"at {o}":
        return BAR_H * 0.45, None
    return BAR_H, None


def _draw_states(ax, states, ys: dict[str, float], palette: Palette, min_days: float = 0.0) -> None:
    """A bar per state: at the origin or destination in its port colour, in transit in the
    ship's colour, elsewhere or unknown in greys; shape and hatch tell the ports apart too
    (`state_shape`). A stay at the route's ports shorter than `min_days` is drawn `min_days`
    wide around its middle, so a short call at the destination stays visible."""
    route = {f"at {p}" for p in palette.route}
    rows = sorted(states.itertuples(index=False), key=lambda r: r.state in route)   # route stays on top
    for r in rows:
        if r.vessel not in ys:
            continue
        a, b = date_num(r.start), date_num(r.end)
        if r.state in route and b - a < min_days:
            m = (a + b) / 2
            a, b = m - min_days / 2, m + min_days / 2
        h, hatch = state_shape(r.state, palette)
        ax.add_patch(Rectangle((a, ys[r.vessel] - h / 2), b - a, h,
                               facecolor=palette.state_color(r.vessel, r.state), hatch=hatch,
                               edgecolor="white", lw=0.5, zorder=3.5 if r.state in route else 3,
                               gid=f"state-{r.vessel}", label=f"{r.vessel}|{r.state}"))


def _draw_round_trips(ax, round_trips, ys: dict[str, float], possible: bool = False,
                      possible_label: str = "possible") -> None:
    """A numbered bracket above the lane over each round trip; a dashed one labelled
    "possible" over each possible trip (`possible`)."""
    if round_trips is None or not len(round_trips):
        return
    gap = 0.25
    for r in round_trips.itertuples(index=False):
        if r.vessel not in ys:
            continue
        a, b = date_num(r.start) + gap, date_num(r.end) - gap
        y0, y1 = ys[r.vessel] + BAND_H / 2 + 0.02, ys[r.vessel] + BAND_H / 2 + 0.12
        ax.plot([a, a, b, b], [y0, y1, y1, y0], color="#3C3C3C", lw=0.9, zorder=4,
                solid_joinstyle="miter", ls=(0, (2, 1.5)) if possible else "-",
                gid="possible-trip" if possible else "round-trip")
        ax.text((a + b) / 2, y1 + 0.02, possible_label if possible else f"{int(r.trip_no)}", ha="center",
                va="bottom", fontsize=8.5, color="#3C3C3C", fontweight="bold", zorder=4,
                fontstyle="italic" if possible else "normal")


def _draw_sightings(ax, sightings, ident, ys: dict[str, float], extra: bool,
                    palette: Palette) -> dict[str, str]:
    """White markers, shaped by port, on the ship's lane (unidentified: the "other" lane);
    returns the markers used by port name."""
    markers_used: dict[str, str] = {}
    if ident is None:
        return markers_used
    lanes = [r_v if ok and r_v in ys else ("other" if extra else None)
             for r_v, ok in zip(sightings["vessel"], ident)]
    s = sightings.assign(lane=lanes).dropna(subset=["lane"])
    for (lane, port), g in s.groupby(["lane", "port"], sort=True):
        m = palette.port_marker(port)
        markers_used[str(port) if port in palette.port_markers else "other ports"] = m
        ec = INK if lane != "other" else MUTED
        elsewhere = s.loc[(s["lane"] == lane) & (s["port"] != port), "datetime"]
        for a, b in sighting_runs(g["datetime"], breaks=elsewhere):
            x = [date_num(a), date_num(b)] if b > a else [date_num(a)]
            if len(x) == 2:         # seen on consecutive days: one line, a marker at each end
                ax.plot(x, [ys[lane]] * 2, color=ec, lw=1.3, zorder=5.5, solid_capstyle="butt",
                        gid="sighting-run")
            ax.plot(x, [ys[lane]] * len(x), marker=m, ms=5.2, mfc="white", mec=ec, mew=1.0, zorder=6,
                    linestyle="none", gid="sighting")
    return markers_used


def sighting_runs(times, max_gap_days: float = 2.5, breaks=()) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Sightings grouped into runs of days (at most `max_gap_days` apart, and no time of `breaks`
    -- the ship seen elsewhere -- between them): (first, last) each. Daily sightings drawn one
    marker each merge into a chain; a run is one line."""
    t = sorted(pd.to_datetime(pd.Series(times), utc=True).dt.floor("D").unique())
    b = sorted(pd.to_datetime(pd.Series(list(breaks)), utc=True).dt.floor("D").unique())
    runs: list[list] = []
    for x in t:
        between = any(runs[-1][1] < y < x for y in b) if runs else False
        if runs and not between and (x - runs[-1][1]) <= pd.Timedelta(days=max_gap_days):
            runs[-1][1] = x
        else:
            runs.append([x, x])
    return [(pd.Timestamp(a) + pd.Timedelta(hours=12), pd.Timestamp(b) + pd.Timedelta(hours=12)) for a, b in runs]


def _lane_labels(ax, vessels: list[str], ys: dict[str, float], round_trips, extra: bool,
                 palette: Palette, possible=None, above: bool = False) -> None:
    """Each ship's name in its colour and its round-trip count (a lower bound, plus the
    possible trips); left of the lane, or above it (`above`, a narrow page)."""
    for v in vessels:
        n = 0
        if round_trips is not None and len(round_trips):
            n = int((round_trips["vessel"] == v).sum())
        k = int((possible["vessel"] == v).sum()) if possible is not None and len(possible) else 0
        sub = f"at least {n} round trip{'s' if n != 1 else ''}" if round_trips is not None \
            else ""
        sub += f", {k} more possible" if k else ""
        color = palette.ship_colors.get(v, INK)
        if above:
            ax.text(0, ys[v] + 1.0, v, transform=ax.get_yaxis_transform(), ha="left", va="bottom",
                    fontsize=12, fontweight="bold", color=color)
            ax.annotate(sub, (0, ys[v] + 1.0), xycoords=("axes fraction", "data"), xytext=(0, -2),
                        textcoords="offset points", ha="left", va="top", fontsize=8.7, color="#555555")
            continue
        ax.annotate(v, (0, ys[v]), xycoords=("axes fraction", "data"), xytext=(-12, 5),
                    textcoords="offset points", ha="right", va="bottom", fontsize=12,
                    fontweight="bold", color=color)
        ax.annotate(sub.replace(", ", ",\n"), (0, ys[v]), xycoords=("axes fraction", "data"), xytext=(-12, -3),
                    textcoords="offset points", ha="right", va="top", fontsize=8.5,
                    color="#555555")
    if extra and above:
        ax.text(0, ys["other"] + 0.3, "Other or unidentified ships", transform=ax.get_yaxis_transform(),
                ha="left", va="bottom", fontsize=8.7, color=MUTED)
        ax.axhline(ys["other"], color="#DDDDDD", lw=0.8, zorder=0)
    elif extra:
        ax.annotate("Other or\nunidentified ships", (0, ys["other"]),
                    xycoords=("axes fraction", "data"), xytext=(-12, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=8.5,
                    color=MUTED, linespacing=1.1)
        ax.axhline(ys["other"], color="#DDDDDD", lw=0.8, zorder=0)
    ax.text(1.0, 1.0, "Dates in UTC; minor ticks on Mondays", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7.5, color="#8A8A8A")


def _legend(fig: Figure, vessels: list[str], palette: Palette, used_dark: dict[str, dict],
            markers_used: dict[str, str], trips: bool, top_in: float, layout: Layout,
            possible: bool = False) -> None:
    """The legend under the plot: states, dark periods, sighting markers, round trips."""
    states = palette.state_colors
    transit = tuple(Patch(facecolor=palette.ship_colors.get(v, states["in transit"]),
                          edgecolor="none") for v in vessels)
    o, d = palette.route
    hs = [(Patch(facecolor=states[f"at {o}"]), f"At {o}"),
          (Patch(facecolor=states[f"at {d}"], hatch=state_shape(f"at {d}", palette)[1], edgecolor="white"),
           f"At {d} (taller, cross-hatched)"),
          (Patch(facecolor=states["at another port"]), "At another port (thin bar)"),
          (transit, "Between ports (voyage in window)"),
          (Patch(facecolor=states["unknown"], edgecolor="#BBBBBB", lw=0.6), "Position unknown")]
    for lab, st in used_dark.items():
        hs.append((Patch(facecolor=st["facecolor"], hatch=st["hatch"],
                         edgecolor=states["AIS dark"], lw=0), lab))
    for port, m in markers_used.items():
        hs.append((Line2D([], [], marker=m, ms=5.5, mfc="white", mec=INK, linestyle="none"),
                   f"Seen on satellite image at {port}"))
    if markers_used:
        hs.append((Line2D([], [], color=INK, lw=1.3, marker="o", ms=3, mfc="white", mec=INK, markevery=[0, 1]),
                   "Line: seen every day or two"))
    if trips:
        hs.append((Line2D([], [], color="#3C3C3C", lw=0.9),
                   "Round trip (numbered)" if layout.narrow else f"Round trip {o}–{d}–{o} (numbered)"))
    if possible:
        hs.append((Line2D([], [], color="#3C3C3C", lw=0.9, ls=(0, (2, 1.5))),
                   "Possible round trip" + (" (?)" if layout.narrow else "")))
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
             vessels: list[str] | None = None, possible_trips=None, layout: Layout = HOUSE) -> Figure:
    """One lane per ship: where it was (bars), AIS-dark periods (hatched band behind the lane),
    imagery sightings (white markers, shape by port) and numbered round-trip brackets.

    states: vessel, state ("at <origin>" / "at <destination>" / "in transit" / "unknown"),
    start, end (UTC). palette: the run's colours and route (helpers.figures.Palette).
    sightings: canonical sightings with vessel and match; those not identified as one of the
    palette's ships go to an extra "other / unidentified" lane. dark_periods: vessel, start_ts,
    end_ts, class. round_trips: vessel, trip_no, start, end. window: (start, end) UTC
    Timestamps. vessels: the lanes, by default the palette's ships. possible_trips: vessel,
    start, end of trips that fit but are not confirmed (a dashed bracket, "possible").
    """
    vessels = list(vessels or palette.ships)
    ident = palette.identified(sightings) if sightings is not None and len(sightings) else None
    extra = ident is not None and bool((~ident).any())
    trips = round_trips is not None and len(round_trips) > 0
    possible = possible_trips is not None and len(possible_trips) > 0
    n_dark = len({dark_style(c)["label"] for c in dark_periods["class"]}) \
        if dark_periods is not None and len(dark_periods) and "class" in dark_periods.columns else 1
    n_ports = sightings["port"].nunique() if ident is not None else 0
    n_leg = 5 + n_dark + n_ports + (n_ports > 0) + trips + possible
    fig, ax, top_ax, ax_h = _page(title, subtitle, source_line, len(vessels), extra, layout, n_leg)
    narrow = layout.narrow
    ys = _lanes(vessels, extra, 1.75 if narrow else 1.0)
    _time_axis(ax, window, ys, top=1.4 if narrow else 0.62)
    mark_corner(ax, "lower center")
    used_dark = _draw_dark(ax, dark_periods, ys, palette)
    w_in = ax.get_position().width * fig.get_figwidth()
    days_per_in = (date_num(window[1]) - date_num(window[0])) / w_in
    _draw_states(ax, states, ys, palette, min_days=MIN_STAY_IN * days_per_in)
    _draw_round_trips(ax, round_trips, ys)
    if possible:
        _draw_round_trips(ax, possible_trips.assign(trip_no=0), ys, possible=True,
                          possible_label="?" if narrow else "possible")
    markers_used = _draw_sightings(ax, sightings, ident, ys, extra, palette)
    _lane_labels(ax, vessels, ys, round_trips, extra, palette, possible_trips, above=narrow)
    _legend(fig, vessels, palette, used_dark, markers_used, trips, top_ax + ax_h + 0.5, layout, possible)
    return fig
