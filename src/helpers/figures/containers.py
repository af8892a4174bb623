"""Figure 5, containers: counted at each visit, the running total delivered against the claim,
and depot activity when annotated."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .charts import date_axis, date_num, legend_below, legend_height, utc
from .framing import mark_corner
from .palette import INK, MUTED, OKABE_ITO, Palette
from .style import HOUSE, Layout, axes_in, frame, halo, use_style

PANEL_H, PANEL_GAP = 1.7, 0.55    # inches per panel, and between panels
PLOT_LEFT = 1.0
CLAIM_COLOR, CLAIM_TEXT = OKABE_ITO["orange"], "#8A5F00"
CLAIM_LABEL = "White House claim, 13 Oct 2023"
DEPOT_TITLE = "Depot near Tikhoretsk: activity in its own imagery annotations"


def _counted_panel(ax, c: pd.DataFrame, window, destination: str, palette: Palette) -> None:
    """Containers counted per visit, a marker per port (filled at the destination) with its
    low-high range, in the ship's colour."""
    date_axis(ax, window, labels=False)
    ax.set_ylabel("containers\nper visit", fontsize=8.5, color=MUTED)
    ax.set_title("Counted on the quay at each visit", loc="left", fontsize=10.5)
    for (v, port), g in c.groupby(["vessel", "port"], sort=True):
        m = palette.port_marker(port)
        color = palette.ship_color(v)
        x = date_num(g["datetime"])
        y = g["counted"].astype(float).to_numpy()
        lo = y - g["low"].astype(float).to_numpy()
        hi = g["high"].astype(float).to_numpy() - y
        ax.errorbar(x, y, yerr=np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)]),
                    fmt=m, ms=5.5, color=color, mfc=color if port == destination else "white",
                    mec=color, mew=1.2, elinewidth=1.0, capsize=0, zorder=4,
                    gid=f"counted-{v}-{port}")
    ax.set_ylim(0, max(1.0, float(c["high"].max()) * 1.12) if len(c) else 1)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))


def _running_total(ax, c: pd.DataFrame, window, destination: str, claimed: float) -> float:
    """The running total delivered: its range as a band, its lower bound as a step line,
    labelled at the end; returns the panel's top value."""
    cum = c[c["port"] == destination].dropna(subset=["cumulative_low", "cumulative_high"])
    if not len(cum):
        cum = c.dropna(subset=["cumulative_low", "cumulative_high"])
    top_val = float(claimed) * 1.25
    if len(cum):
        w1 = date_num(window[1])
        x = np.append(date_num(cum["datetime"]), w1)
        lo = np.append(cum["cumulative_low"].astype(float).to_numpy(),
                       float(cum["cumulative_low"].iloc[-1]))
        hi = np.append(cum["cumulative_high"].astype(float).to_numpy(),
                       float(cum["cumulative_high"].iloc[-1]))
        ax.fill_between(x, lo, hi, step="post", color="#9A9A9A", alpha=0.35, lw=0, zorder=2,
                        gid="cumulative-range")
        ax.step(x, lo, where="post", color=INK, lw=1.6, zorder=3, gid="cumulative-low")
        ax.annotate(f"at least {lo[-1]:,.0f}\n(up to {hi[-1]:,.0f})", (x[-2], lo[-2]),
                    xytext=(6, -4), textcoords="offset points", ha="left", va="top",
                    fontsize=8.5, fontweight="bold", color=INK, path_effects=halo(), zorder=6)
        top_val = max(top_val, float(hi.max()) * 1.12)
    return top_val


def _claim_lines(ax, window, claimed: float, claim_date, top_val: float) -> None:
    """The claimed number (dashed) and the day the claim was made (dotted)."""
    ax.axhline(claimed, color=CLAIM_COLOR, lw=1.4, ls=(0, (4, 2)), zorder=4, gid="claim")
    ax.text(date_num(window[0]) + 1, claimed, f"claim: more than {claimed:,.0f}", ha="left",
            va="bottom", fontsize=8.5, color=CLAIM_TEXT, fontweight="bold", path_effects=halo(),
            zorder=6)
    if claim_date is not None:
        xd = date_num(claim_date)
        ax.axvline(xd, color=CLAIM_TEXT, lw=0.9, ls=":", zorder=4)
        ax.text(xd, top_val * 0.97, f" claim made\n {pd.Timestamp(claim_date):%-d %b}",
                ha="left", va="top", fontsize=7.8, color=CLAIM_TEXT, zorder=6)


def _total_panel(ax, c: pd.DataFrame, window, destination: str, claimed: float, claim_date,
                 labels: bool) -> None:
    """The running total delivered at the destination against the claim."""
    date_axis(ax, window, labels=labels)
    ax.set_ylabel("containers\nmoved, running\ntotal", fontsize=8.5, color=MUTED)
    ax.set_title(f"Delivered at {destination}, running total with its range",
                 loc="left", fontsize=10.5)
    top_val = _running_total(ax, c, window, destination, claimed)
    _claim_lines(ax, window, claimed, claim_date, top_val)
    ax.set_ylim(0, top_val)
    ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))


def _depot_panel(ax, depot: pd.DataFrame, window, value: str | None, label: str | None,
                 title: str) -> None:
    """Depot activity over time (one numeric column of the depot's annotations)."""
    date_axis(ax, window)
    dep = depot.copy()
    dcol = "date" if "date" in dep.columns else "datetime"
    dep["_t"] = utc(dep[dcol])
    val = value or next(k for k in dep.columns if k not in (dcol, "_t")
                        and pd.api.types.is_numeric_dtype(dep[k]))
    dep = dep.sort_values("_t", kind="stable")
    ax.plot(date_num(dep["_t"]), dep[val].astype(float), color=MUTED, lw=1.4, marker="o",
            ms=3.5, zorder=3, gid="depot")
    ax.set_ylabel((label or val.replace("_", " ")).replace(" ", "\n", 1), fontsize=8.5,
                  color=MUTED)
    ax.set_title(title, loc="left", fontsize=10.5)
    ax.set_ylim(0, max(1.0, float(dep[val].max()) * 1.15))
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))


def _legend_entries(vessels: list[str], origin: str, destination: str, claim_label: str,
                    palette: Palette) -> list:
    """The ships, the markers at loading and unloading, the running total and the claim."""
    hs = [(Patch(facecolor=palette.ship_color(v)), v) for v in vessels]
    hs += [(Line2D([], [], marker="o", ms=5.5, mfc="white", mec=INK, linestyle="none"),
            f"Counted at loading ({origin}); bar: range"),
           (Line2D([], [], marker="s", ms=5.5, mfc=INK, mec=INK, linestyle="none"),
            f"Counted at unloading ({destination}); bar: range"),
           (Patch(facecolor="#9A9A9A", alpha=0.35), "Running total: range (line: lower bound)"),
           (Line2D([], [], color=CLAIM_COLOR, lw=1.4, ls=(0, (4, 2))), claim_label)]
    return hs


@use_style()
def containers_chart(containers: pd.DataFrame, depot: pd.DataFrame | None = None, *,
                     palette: Palette, window, claimed: float = 1000, claim_date=None,
                     origin: str | None = None, destination: str | None = None,
                     depot_value: str | None = None, depot_label: str | None = None,
                     title: str, subtitle: str | None = None, source_line: str,
                     vessels: list[str] | None = None, claim_label: str = CLAIM_LABEL,
                     depot_title: str = DEPOT_TITLE, layout: Layout = HOUSE) -> Figure:
    """Containers counted at each port visit (point, with its low-high range) and the running
    total moved (band from cumulative_low to cumulative_high) against the claimed number;
    depot activity over time in a third panel when `depot` is given.

    containers: vessel, port, visit_id, datetime, counted, low, high, cumulative_low,
    cumulative_high. palette: the run's colours and route (helpers.figures.Palette); origin and
    destination default to its route. The running total is drawn from the rows at
    `destination` (deliveries); if none carry it, from all rows. depot: a `date` column and a
    numeric column (`depot_value`, default the first numeric one), in a panel titled
    `depot_title`. claim_label: the claim's legend entry. vessels: by default the palette's ships.
    """
    vessels = list(vessels or palette.ships)
    origin = origin or palette.origin
    destination = destination or palette.destination
    n_panels = 3 if depot is not None and len(depot) else 2
    n_leg = len(vessels) + 4
    panels = n_panels * PANEL_H + (n_panels - 1) * PANEL_GAP
    body = panels + 0.62 + legend_height(n_leg, layout.cols(3))
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    w = layout.width_in - PLOT_LEFT - layout.right_in
    c = containers.copy()
    c["datetime"] = utc(c["datetime"])
    c = c.sort_values(["datetime", "vessel", "port"], kind="stable")
    _counted_panel(axes_in(fig, PLOT_LEFT, top, w, PANEL_H), c, window, destination, palette)
    _total_panel(axes_in(fig, PLOT_LEFT, top + PANEL_H + PANEL_GAP, w, PANEL_H), c, window,
                 destination, claimed, claim_date, labels=n_panels == 2)
    if n_panels == 3:
        _depot_panel(axes_in(fig, PLOT_LEFT, top + 2 * (PANEL_H + PANEL_GAP), w, PANEL_H), depot,
                     window, depot_value, depot_label, depot_title)
    for ax in fig.axes:             # the claim's date label sits upper right
        mark_corner(ax, "upper left")
    legend_below(fig, _legend_entries(vessels, origin, destination, claim_label, palette),
                 top + panels + 0.62, ncols=3, layout=layout)
    return fig
