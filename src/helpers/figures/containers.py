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
from .style import HOUSE, Layout, axes_in, frame, halo, panel_title, use_style, wrap

PANEL_H, PANEL_GAP = 1.7, 0.55    # inches per panel, and between panels
PLOT_LEFT, PLOT_LEFT_NARROW = 1.0, 0.85
NOTE_PT = 8.7           # the note on loaded vs delivered counts
CLAIM_COLOR, CLAIM_TEXT = OKABE_ITO["orange"], "#8A5F00"
CLAIM_LABEL = "White House claim, 13 Oct 2023"
DEPOT_TITLE = "Depot near Tikhoretsk: pits, filled pits and railcars in its imagery annotations"


def _when(c: pd.DataFrame) -> pd.Series:
    """The day each count was made (`counted_at`, the sighting that counted it) where known,
    else the end of the stay (`datetime`)."""
    t = utc(c["datetime"])
    if "counted_at" in c.columns:
        t = utc(c["counted_at"]).fillna(t)
    return t


def counted_at(containers: pd.DataFrame, sightings: pd.DataFrame, max_days: float = 21.0) -> pd.Series:
    """The day each stay's count was made: the latest sighting of that ship at that port with
    that many containers, at most `max_days` before the end of the stay (`datetime`); NaT
    where none is found (the chart then uses the end of the stay)."""
    out = pd.Series(pd.NaT, index=containers.index, dtype="datetime64[ns, UTC]")
    if sightings is None or not len(sightings) or "containers" not in sightings.columns:
        return out
    s = sightings.dropna(subset=["containers", "vessel"])
    st = utc(s["datetime"])
    for i, r in containers.iterrows():
        end = pd.Timestamp(r["datetime"])
        m = ((s["vessel"] == r["vessel"]) & (s["port"] == r["port"]) & (s["containers"].astype(float) == r["counted"])
             & (st <= end) & (st >= end - pd.Timedelta(days=max_days)))
        if m.any():
            out[i] = st[m].max()
    return out


def loaded_delivered_note(c: pd.DataFrame, origin: str, destination: str) -> str | None:
    """Why a trip's count at unloading can exceed its count at loading, with the run's widest
    such trip as the example; None when no trip shows it."""
    rows = []
    for v, g in c.sort_values("datetime", kind="stable").groupby("vessel", sort=True):
        g = g.reset_index(drop=True)
        for k in range(len(g) - 1):
            a, b = g.iloc[k], g.iloc[k + 1]
            if a["port"] == origin and b["port"] == destination and b["counted"] > a["counted"]:
                rows.append((int(b["counted"]) - int(a["counted"]), v, a, b))
    if not rows:
        return None
    _, v, a, b = max(rows, key=lambda r: (r[0], r[1]))
    return (f"More unloaded than loaded? These are containers seen on the quay in one image, not cargo: "
            f"at {origin} the stack shrinks as a ship loads, at {destination} it grows as she unloads "
            f"({v}: {int(a['counted'])} counted at {origin} {pd.Timestamp(_when(a.to_frame().T).iloc[0]):%-d %b}, "
            f"{int(b['counted'])} at {destination} {pd.Timestamp(_when(b.to_frame().T).iloc[0]):%-d %b})")


def _counted_panel(ax, c: pd.DataFrame, window, destination: str, palette: Palette, layout: Layout,
                   box: tuple[float, float]) -> None:
    """Containers counted per visit on the day counted, a marker per port (filled at the
    destination) with its low-high range, in the ship's colour."""
    date_axis(ax, window, labels=True)
    ax.set_ylabel("containers\nper visit", fontsize=8.5, color=MUTED)
    panel_title(ax, "Counted on the quay, on the day counted", left_in=box[0], width_in=box[1], layout=layout)
    for (v, port), g in c.groupby(["vessel", "port"], sort=True):
        m = palette.port_marker(port)
        color = palette.ship_color(v)
        x = date_num(_when(g))
        y = g["counted"].astype(float).to_numpy()
        lo = y - g["low"].astype(float).to_numpy()
        hi = g["high"].astype(float).to_numpy() - y
        ax.errorbar(x, y, yerr=np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)]),
                    fmt=m, ms=5.5, color=color, mfc=color if port == destination else "white",
                    mec=color, mew=1.2, elinewidth=1.0, capsize=0, zorder=4,
                    gid=f"counted-{v}-{port}")
    ax.set_ylim(0, max(1.0, float(c["high"].max()) * 1.12) if len(c) else 1)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))


def _right_half(x: float, window) -> bool:
    """True when date number `x` lies in the right part of the window (a label there goes left)."""
    w0, w1 = date_num(window[0]), date_num(window[1])
    return (x - w0) / (w1 - w0) > 0.4


def _running_total(ax, c: pd.DataFrame, window, destination: str, claimed: float, narrow: bool = False) -> float:
    """The running total delivered, stepping up on the day each delivery was counted: its
    range as a band, its lower bound as a step line, labelled at the end; returns the panel's
    top value."""
    cum = c[c["port"] == destination].dropna(subset=["cumulative_low", "cumulative_high"])
    if not len(cum):
        cum = c.dropna(subset=["cumulative_low", "cumulative_high"])
    top_val = float(claimed) * 1.25
    if len(cum):
        w1 = date_num(window[1])
        x = np.append(date_num(_when(cum)), w1)
        lo = np.append(cum["cumulative_low"].astype(float).to_numpy(),
                       float(cum["cumulative_low"].iloc[-1]))
        hi = np.append(cum["cumulative_high"].astype(float).to_numpy(),
                       float(cum["cumulative_high"].iloc[-1]))
        ax.fill_between(x, lo, hi, step="post", color="#9A9A9A", alpha=0.35, lw=0, zorder=2,
                        gid="cumulative-range")
        ax.step(x, lo, where="post", color=INK, lw=1.6, zorder=3, gid="cumulative-low")
        left = narrow and _right_half(x[-2], window)        # on a phone: in the empty left of the panel
        ax.annotate(f"at least {lo[-1]:,.0f}\n(up to {hi[-1]:,.0f})", (0.03, 0.3) if left else (x[-2], lo[-2]),
                    xycoords="axes fraction" if left else "data",
                    xytext=(0, 0) if left else (6, -4), textcoords="offset points",
                    ha="left", va="center" if left else "top",
                    fontsize=8.5, fontweight="bold", color=INK, path_effects=halo(), zorder=6)
        top_val = max(top_val, float(hi.max()) * 1.12)
    return top_val


def _claim_lines(ax, window, claimed: float, claim_date, top_val: float, narrow: bool = False) -> None:
    """The claimed number (dashed) and the day the claim was made (dotted)."""
    ax.axhline(claimed, color=CLAIM_COLOR, lw=1.4, ls=(0, (4, 2)), zorder=4, gid="claim")
    ax.text(date_num(window[0]) + 1, claimed, f"claim: more than {claimed:,.0f}", ha="left",
            va="bottom", fontsize=8.5, color=CLAIM_TEXT, fontweight="bold", path_effects=halo(),
            zorder=6)
    if claim_date is not None:
        xd = date_num(claim_date)
        ax.axvline(xd, color=CLAIM_TEXT, lw=0.9, ls=":", zorder=4)
        left = narrow and _right_half(xd, window)
        ax.text(xd, top_val * 0.97, f"claim made \n{pd.Timestamp(claim_date):%-d %b} " if left else
                f" claim made\n {pd.Timestamp(claim_date):%-d %b}", ha="right" if left else "left", va="top",
                fontsize=7.8, color=CLAIM_TEXT, zorder=6, path_effects=halo())


def _total_panel(ax, c: pd.DataFrame, window, destination: str, claimed: float, claim_date,
                 labels: bool, layout: Layout, box: tuple[float, float]) -> None:
    """The running total delivered at the destination against the claim."""
    date_axis(ax, window, labels=labels)
    ax.set_ylabel("running\ntotal" if layout.narrow else "containers\nmoved, running\ntotal", fontsize=8.5,
                  color=MUTED)
    panel_title(ax, f"Delivered at {destination}, running total with its range", left_in=box[0],
                width_in=box[1], layout=layout)
    top_val = _running_total(ax, c, window, destination, claimed, layout.narrow)
    _claim_lines(ax, window, claimed, claim_date, top_val, layout.narrow)
    ax.set_ylim(0, top_val)
    ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))


# name, marker, line style, colour, where its label sits: pits above their line, filled pits
# below theirs, railcars (a count of an event, not a stock) as stems labelled at the tallest
DEPOT_SERIES = {"pits_count": ("pits", "o", "-", "#6E6E6E", "above"),
                "pits_filled": ("filled pits", "s", "-", INK, "below"),
                "railcars_with_containers": ("railcars with containers", "^", None, "#4D4D4D", "stems")}
MAX_GAP_DAYS = 7.0       # depot scenes further apart than this are not joined by a line


def broken(t: pd.Series, y: pd.Series, max_gap_days: float = MAX_GAP_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """x (date numbers) and y with a NaN between points more than `max_gap_days` apart, so a
    line is not drawn across a gap between scenes."""
    x = np.asarray(date_num(t), dtype=float)
    yv = np.asarray(y, dtype=float)
    if len(x) < 2:
        return x, yv
    cut = np.where(np.diff(x) > max_gap_days)[0] + 1
    return np.insert(x, cut, np.nan), np.insert(yv, cut, np.nan)


def _depot_panel(ax, depot: pd.DataFrame, window, value: str | None, label: str | None,
                 title: str, layout: Layout, box: tuple[float, float]) -> None:
    """Depot activity over time: every annotated count (pits, filled pits, railcars with
    containers; or `value` alone), each with its own marker and line style and labelled at its
    end, no line across a gap of more than MAX_GAP_DAYS between scenes."""
    date_axis(ax, window)
    dep = depot.copy()
    dcol = "date" if "date" in dep.columns else "datetime"
    dep["_t"] = utc(dep[dcol])
    dep = dep.sort_values("_t", kind="stable")
    if value:
        cols = [value]
    else:
        cols = [k for k in DEPOT_SERIES if k in dep.columns] or \
            [next(k for k in dep.columns if k not in (dcol, "_t", "cloud_cover")
                  and pd.api.types.is_numeric_dtype(dep[k]))]
    top = 1.0
    for k in cols:
        name, m, ls, color, where = DEPOT_SERIES.get(k, ((label or k.replace("_", " ")), "o", "-", MUTED, "above"))
        d = dep.dropna(subset=[k])
        if not len(d):
            continue
        top = max(top, float(d[k].max()))
        if where == "stems":        # one stem per scene that saw railcars; none drawn at zero
            on = d[d[k] > 0]
            xs = np.asarray(date_num(on["_t"]), dtype=float)
            ax.vlines(xs, 0, on[k].astype(float), color=color, lw=2.0, zorder=3, gid=f"depot-{k}")
            ax.plot(xs, on[k].astype(float), ls="none", marker=m, ms=4, color=color, zorder=4)
            if len(on):
                j = int(on[k].to_numpy().argmax())
                left = layout.narrow and _right_half(xs[j], window)
                ax.annotate(f"{name}: {int(on[k].iloc[j])}", (xs[j], float(on[k].iloc[j])),
                            xytext=(-5, -2) if left else (5, -2), textcoords="offset points",
                            ha="right" if left else "left", va="top", fontsize=8.5, color=color,
                            path_effects=halo(), zorder=6, gid=f"depot-label-{k}")
            continue
        x, y = broken(d["_t"], d[k])
        ax.plot(x, y, color=color, lw=1.3, ls=ls, marker=m, ms=3.5, zorder=3, gid=f"depot-{k}")
        ax.annotate(name, (x[0], y[0]), xytext=(2, 5 if where == "above" else -5), textcoords="offset points",
                    ha="left", va="bottom" if where == "above" else "top", fontsize=8.5, color=color,
                    path_effects=halo(), zorder=6, gid=f"depot-label-{k}")
    ax.set_ylabel("count" if len(cols) > 1 else (label or cols[0].replace("_", " ")).replace(" ", "\n", 1),
                  fontsize=8.5, color=MUTED)
    panel_title(ax, title, left_in=box[0], width_in=box[1], layout=layout)
    ax.set_ylim(0, top * 1.18)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))


def _legend_entries(vessels: list[str], origin: str, destination: str, claim_label: str,
                    palette: Palette, narrow: bool = False) -> list:
    """The ships, the markers at loading and unloading, the running total and the claim."""
    hs = [(Patch(facecolor=palette.ship_color(v)), v) for v in vessels]
    hs += [(Line2D([], [], marker="o", ms=5.5, mfc="white", mec=INK, linestyle="none"),
            f"Counted at loading ({origin})" + ("" if narrow else "; bar: range")),
           (Line2D([], [], marker="s", ms=5.5, mfc=INK, mec=INK, linestyle="none"),
            f"Counted at unloading ({destination})" + ("" if narrow else "; bar: range")),
           *([(Line2D([], [], marker="|", ms=9, mew=1.2, color=INK, linestyle="none"), "Bar above a count: its range")]
             if narrow else []),
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
    n_leg = len(vessels) + 4 + layout.narrow
    left = PLOT_LEFT_NARROW if layout.narrow else PLOT_LEFT
    gap = PANEL_GAP + (0.3 if layout.narrow else 0)            # room for a wrapped panel title
    w = layout.width_in - left - layout.right_in
    c = containers.copy()
    c["datetime"] = utc(c["datetime"])
    c = c.sort_values(["datetime", "vessel", "port"], kind="stable")
    note = loaded_delivered_note(c, origin, destination)
    note_w = layout.text_width_in
    note_txt = wrap(note, NOTE_PT, note_w - 0.15) if note else ""
    note_h = (note_txt.count("\n") + 1) * NOTE_PT * 1.25 / 72 + 0.5 if note else 0.0   # under the dates
    panels = n_panels * PANEL_H + (n_panels - 1) * gap + note_h
    head_pad = 0.3 if layout.narrow else 0.0         # the first panel's title wraps on a phone
    body = head_pad + panels + 0.62 + legend_height(n_leg, layout.cols(3))
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    top += head_pad
    _counted_panel(axes_in(fig, left, top, w, PANEL_H), c, window, destination, palette, layout, (left, w))
    y = top + PANEL_H
    if note:                        # under the counts it explains, the page's full width
        fig.text(layout.left_in / fig.get_figwidth(), 1 - (y + 0.45) / fig.get_figheight(), note_txt,
                 ha="left", va="top", fontsize=NOTE_PT, color=INK, linespacing=1.25, gid="loaded-delivered-note",
                 bbox={"boxstyle": "round,pad=0.35", "facecolor": "#F4F4F4", "edgecolor": "none"})
        y += note_h
    y += gap
    _total_panel(axes_in(fig, left, y, w, PANEL_H), c, window, destination, claimed, claim_date,
                 n_panels == 2, layout, (left, w))
    if n_panels == 3:
        _depot_panel(axes_in(fig, left, y + PANEL_H + gap, w, PANEL_H), depot, window, depot_value, depot_label,
                     depot_title, layout, (left, w))
    for ax in fig.axes:             # the claim's date label sits upper right
        mark_corner(ax, "upper left")
    legend_below(fig, _legend_entries(vessels, origin, destination, claim_label, palette, layout.narrow),
                 top + panels + 0.62, ncols=3, layout=layout)
    return fig
