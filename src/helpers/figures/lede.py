"""Figure 0, the lede: one simple strip per ship a story can open with: its confirmed round trips
(solid, numbered), its possible trips (dashed outline) and the days its AIS was off (grey band).
Drawn phone-first: it reads at 375 px in the NARROW layout and scales up to the page.

`lede_numbers` counts what the strip draws; the title (`lede_title`) and the alt text
(`alt_lede`) are written from those same numbers, so they cannot disagree with the picture.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .charts import date_num, legend_below, legend_height, utc
from .framing import mark_corner
from .palette import INK, MUTED, Palette
from .style import HOUSE, Layout, axes_in, frame, use_style

LANE_H, LANE_GAP, NAME_H = 0.8, 0.2, 0.36      # inches: a ship's strip, between strips, its name line
DARK_FACE = "#DADADA"
DARK_CLASS = "likely-disabled"
AXIS_PAD = 0.2                                # inches each side, for a date label at either end
PAD_DAYS = 4                                  # days shown before the first and after the last mark


def _span(s: pd.Series, e: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    return [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in zip(utc(s), utc(e))]


def _days(k: float) -> str:
    return f"{k:.0f} day" + ("" if round(k) == 1 else "s")


def lede_numbers(round_trips: pd.DataFrame, possible_trips: pd.DataFrame | None,
                 dark_periods: pd.DataFrame | None, vessels: list[str]) -> dict[str, dict]:
    """Per ship: confirmed and possible trips as (start, end) and its AIS-off periods (class
    likely-disabled) as (start, end, days), in time order."""
    out = {}
    for v in vessels:
        rt = round_trips[round_trips["vessel"] == v].sort_values("start")
        pt = (possible_trips[possible_trips["vessel"] == v].sort_values("start")
              if possible_trips is not None and len(possible_trips) else pd.DataFrame(columns=["start", "end"]))
        dk = pd.DataFrame(columns=["start_ts", "end_ts"])
        if dark_periods is not None and len(dark_periods):
            dk = dark_periods[(dark_periods["vessel"] == v) & (dark_periods["class"] == DARK_CLASS)]
            dk = dk.sort_values("start_ts")
        dark = [(a, b, (b - a) / pd.Timedelta(days=1)) for a, b in _span(dk["start_ts"], dk["end_ts"])]
        out[v] = {"confirmed": _span(rt["start"], rt["end"]), "possible": _span(pt["start"], pt["end"]),
                  "dark": dark}
    return out


def lede_title(numbers: dict[str, dict], origin: str, destination: str) -> str:
    """The lede's title from its numbers: trips confirmed (and possible) while AIS was off."""
    ships = list(numbers)
    n = sum(len(x["confirmed"]) for x in numbers.values())
    p = sum(len(x["possible"]) for x in numbers.values())
    names = " and ".join(ships) if len(ships) <= 2 else ", ".join(ships[:-1]) + " and " + ships[-1]
    dark = any(x["dark"] for x in numbers.values())
    title = f"{names} made at least {n} {origin}-{destination} round trip{'s' if n != 1 else ''}"
    if p:
        title += f", {p} more possible"
    return title + (", with AIS off" if dark else "")


def alt_lede(numbers: dict[str, dict], origin: str, destination: str, window) -> str:
    """Alt text of the lede from the same numbers as its title."""
    def d(t):
        return f"{t:%-d %b}"
    n = sum(len(x["confirmed"]) for x in numbers.values())
    p = sum(len(x["possible"]) for x in numbers.values())
    parts = [f"Strip chart, one row per ship, {d(window[0])} to {d(window[1])} {window[1]:%Y}: "
             f"{n} confirmed {origin}-{destination}-{origin} round trip{'s' if n != 1 else ''}"
             + (f" and {p} possible" if p else "") + "."]
    for v, x in numbers.items():
        c = "; ".join(f"{d(a)} to {d(b)}" for a, b in x["confirmed"]) or "none"
        txt = f"{v}: {len(x['confirmed'])} confirmed ({c})"
        if x["possible"]:
            txt += f", {len(x['possible'])} possible (" + "; ".join(f"{d(a)} to {d(b)}" for a, b in x["possible"]) + ")"
        for a, b, k in x["dark"]:
            txt += f"; AIS off {_days(k)}, {d(a)} to {d(b)}"
        parts.append(txt + ".")
    return " ".join(parts)


def lede_window(numbers: dict[str, dict], window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the strip shows: everything it draws, a few days either side, inside `window`."""
    ts = [t for x in numbers.values() for k in ("confirmed", "possible") for ab in x[k] for t in ab]
    ts += [t for x in numbers.values() for a, b, _ in x["dark"] for t in (a, b)]
    if not ts:
        return window
    pad = pd.Timedelta(days=PAD_DAYS)
    return max(window[0], min(ts).floor("D") - pad), min(window[1], max(ts).ceil("D") + pad)


def _strip(ax, x: dict, color: str, span, narrow: bool) -> None:
    w0, w1 = (date_num(t) for t in span)
    ax.set_xlim(w0, w1)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    for a, b, k in x["dark"]:
        a, b = max(date_num(a), w0), min(date_num(b), w1)
        ax.add_patch(Rectangle((a, 0), b - a, 1, facecolor=DARK_FACE, edgecolor="none", zorder=1, gid="dark"))
        ax.text(a + 0.4, 0.96, f"AIS off {_days(k)}", ha="left", va="top", fontsize=8.7, color=MUTED, zorder=5)
    for i, (a, b) in enumerate(x["confirmed"], 1):
        a, b = date_num(a), date_num(b)
        ax.add_patch(Rectangle((a, 0.08), b - a, 0.56, facecolor=color, edgecolor="white", lw=1.0, zorder=3,
                               gid="confirmed"))
        ax.text((a + b) / 2, 0.36, str(i), ha="center", va="center", fontsize=9.5, fontweight="bold",
                color="white", zorder=4)
    for a, b in x["possible"]:
        a, b = date_num(a), date_num(b)
        ax.add_patch(Rectangle((a, 0.08), b - a, 0.56, facecolor="white", edgecolor=color, lw=1.6,
                               ls=(0, (3, 2)), hatch="///", zorder=3, gid="possible"))
        ax.text((a + b) / 2, 0.36, "?", ha="center", va="center", fontsize=10, fontweight="bold", color=color,
                zorder=4, bbox={"boxstyle": "circle,pad=0.1", "facecolor": "white", "edgecolor": "none"})


@use_style()
def lede_strip(numbers: dict[str, dict], *, palette: Palette, window, title: str,
               subtitle: str | None = None, source_line: str, layout: Layout = HOUSE) -> Figure:
    """One strip per ship (`numbers`: lede_numbers), over the dates it needs inside `window`."""
    span = lede_window(numbers, window)
    ships = list(numbers)
    n_leg = 3
    body = len(ships) * (NAME_H + LANE_H) + (len(ships) - 1) * LANE_GAP + 0.45 + legend_height(n_leg, layout.cols(3))
    fig, top = frame(title, subtitle, source_line, body, gap=0.2, layout=layout)
    left, width = layout.left_in, layout.text_width_in
    y = top
    for i, v in enumerate(ships):
        x = numbers[v]
        color = palette.ship_color(v)
        fig.text(left / fig.get_figwidth(), 1 - (y + 0.04) / fig.get_figheight(), v, ha="left", va="top",
                 fontsize=12, fontweight="bold", color=color)
        k = len(x["confirmed"])
        count = f"{k} confirmed" + (f" + {len(x['possible'])} possible" if x["possible"] else "")
        fig.text((left + width) / fig.get_figwidth(), 1 - (y + 0.07) / fig.get_figheight(), count, ha="right",
                 va="top", fontsize=9.5, color=INK)
        ax = axes_in(fig, left + AXIS_PAD, y + NAME_H, width - 2 * AXIS_PAD, LANE_H)
        ax.set_gid(f"lede-{v}")
        _strip(ax, x, color, span, layout.narrow)
        mark_corner(ax, "upper right")      # above the blocks (they fill the lower 2/3)
        last = i == len(ships) - 1
        ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 15]))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        ax.xaxis.set_minor_locator(mdates.DayLocator())
        ax.tick_params(axis="x", which="major", length=4, labelsize=9.5, labelbottom=last)
        ax.tick_params(axis="x", which="minor", length=1.5)
        y += NAME_H + LANE_H + LANE_GAP
    hs = [(Patch(facecolor=MUTED), "Round trip confirmed (numbered)"),
          (Patch(facecolor="white", edgecolor=MUTED, ls=(0, (3, 2)), hatch="///"), "Possible round trip"),
          (Patch(facecolor=DARK_FACE), "AIS off (transponder likely switched off)")]
    legend_below(fig, hs, y + 0.25, ncols=3, layout=layout)
    return fig
