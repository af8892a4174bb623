"""Figure 6, validation: round-trip recall and precision against the imagery revisit interval."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .charts import legend_below, legend_height
from .framing import mark_corner
from .palette import MUTED, OKABE_ITO
from .style import HOUSE, Layout, axes_in, frame, use_style

MARKS = ("o", "s", "^", "D", "v", "P")   # one per cloud probability, in turn
TARGET_COLOR = OKABE_ITO["orange"]
PANEL_H = 2.6
PLOT_LEFT, PANEL_GAP = 0.85, 0.55


def _cloud_colors(probs: list[float]) -> dict[float, str]:
    """A cividis colour per cloud probability, light (clear) to dark (cloudy)."""
    cmap = mpl.colormaps["cividis"]
    return {p: mpl.colors.to_hex(cmap(0.85 - 0.85 * i / max(1, len(probs) - 1)))
            for i, p in enumerate(probs)}


def _panel(ax, s: pd.DataFrame, col: str, label: str, probs, cols, xs, target: float,
           default_revisit: float | None) -> None:
    """One score (`col`) against the revisit interval, a line per cloud probability."""
    ax.set_title(label, loc="left", fontsize=10.5)
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlim(0, max(xs) * 1.06 + 0.2 if xs else 1)
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("imagery revisit interval (days)", fontsize=8.5, color=MUTED)
    ax.axhline(target, color=TARGET_COLOR, lw=1.2, ls=(0, (4, 2)), zorder=2)
    if default_revisit is not None:
        ax.axvline(default_revisit, color=MUTED, lw=0.9, ls=":", zorder=2)
    for i, p in enumerate(probs):
        d = s[s["cloud_prob"] == p]
        ax.plot(d["revisit_days"], d[col].astype(float), color=cols[p], marker=MARKS[i % 6],
                ms=5, lw=1.6, zorder=3 + i, gid=f"{col}-{p:g}")


@use_style()
def sensitivity_chart(sensitivity: pd.DataFrame, *, default_revisit: float | None = None,
                      gap_hours: float | None = None, target: float = 0.95, title: str,
                      subtitle: str | None = None, source_line: str,
                      layout: Layout = HOUSE) -> Figure:
    """Round-trip recall (left) and precision (right) against the imagery revisit interval,
    one line per cloud probability, at one gap threshold (`gap_hours`, default the smallest).

    sensitivity: revisit_days, cloud_prob, gap_hours, n_truth, n_reconstructed, precision,
    recall. No ship colours: this figure takes no palette.
    """
    s = sensitivity.copy()
    gh = sorted(s["gap_hours"].unique())
    g = gap_hours if gap_hours is not None else gh[0]
    s = s[s["gap_hours"] == g].sort_values(["cloud_prob", "revisit_days"], kind="stable")
    probs = sorted(s["cloud_prob"].unique())
    cols = _cloud_colors(probs)
    n_leg = len(probs) + 1 + (default_revisit is not None)
    stacked = layout.narrow          # a phone: recall above precision, each full width
    panels_h = 2 * PANEL_H + PANEL_GAP + 0.1 if stacked else PANEL_H
    body = panels_h + 0.6 + legend_height(n_leg + 1, layout.cols(3))
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    pw = layout.width_in - PLOT_LEFT - layout.right_in
    pw = pw if stacked else (pw - PANEL_GAP) / 2
    xs = sorted(s["revisit_days"].unique())
    for k, (col, lab) in enumerate((("recall", "Recall: true round trips found"),
                                    ("precision", "Precision: found trips that are true"))):
        x, y = (PLOT_LEFT, top + k * (PANEL_H + PANEL_GAP + 0.1)) if stacked else \
            (PLOT_LEFT + k * (pw + PANEL_GAP), top)
        ax = axes_in(fig, x, y, pw, PANEL_H)
        _panel(ax, s, col, lab, probs, cols, xs, target, default_revisit)
        mark_corner(ax, "center right")
    hs = [(Line2D([], [], color=cols[p], marker=MARKS[i % 6], ms=5, lw=1.6),
           f"cloud probability {p:.0%}") for i, p in enumerate(probs)]
    hs.append((Line2D([], [], color=TARGET_COLOR, lw=1.2, ls=(0, (4, 2))), f"target {target:.0%}"))
    if default_revisit is not None:
        hs.append((Line2D([], [], color=MUTED, lw=0.9, ls=":"),
                   f"this scenario: {default_revisit:g}-day revisit"))
    leg = legend_below(fig, hs, top + panels_h + 0.62, ncols=3, layout=layout)
    leg.set_title(f"dark-period threshold {g:g} h", prop={"size": 8.6, "weight": "bold"})
    leg._legend_box.align = "left"
    return fig
