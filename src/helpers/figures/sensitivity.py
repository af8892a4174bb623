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


REALISTIC_CLOUD = 0.5      # scenes lost to cloud in a realistic season (the title's case)


def sensitivity_numbers(sensitivity: pd.DataFrame, gap_hours: float,
                        realistic: float = REALISTIC_CLOUD) -> dict:
    """The numbers figure 6's title and alt text state, from one table: at the cloud probability
    nearest `realistic`, true trips found per revisit interval; the same with clear skies (the
    best case); the highest cloud at which daily scenes still find only true trips."""
    s = sensitivity[sensitivity["gap_hours"] == gap_hours].sort_values(["cloud_prob", "revisit_days"])
    probs = sorted(s["cloud_prob"].unique())
    cloud = min(probs, key=lambda p: (abs(p - realistic), p))
    at = s[s["cloud_prob"] == cloud]
    best = s[s["cloud_prob"] == probs[0]]

    def found(g):
        return [(float(r.revisit_days), int(round(r.recall * r.n_truth))) for r in g.itertuples()]
    first = s[s["revisit_days"] == s["revisit_days"].min()]
    false = first[first["precision"].notna() & (first["precision"] < 1)]
    return {"cloud": float(cloud), "n_truth": int(s["n_truth"].iloc[0]), "found": found(at),
            "best_cloud": float(probs[0]), "best": found(best),
            "false_from": (float(false["cloud_prob"].min()), float(false.loc[false["cloud_prob"].idxmin(),
                                                                           "precision"]))
            if len(false) else None}


def _every(k: float) -> str:
    return "daily scenes" if k == 1 else f"a scene every {k:g} days"


def sensitivity_title(numbers: dict) -> str:
    """Figure 6's title: what daily (and the next scarcer) imagery finds at realistic cloud, then
    the clear-sky best case."""
    n, f, best = numbers["n_truth"], numbers["found"], numbers["best"]
    title = f"At {numbers['cloud']:.0%} cloud, {_every(f[0][0])} find {f[0][1]} of {n} true round trips"
    if numbers["best_cloud"] != numbers["cloud"]:
        title += f" ({best[0][1]} with {'clear skies' if numbers['best_cloud'] == 0 else 'least cloud'})"
    if len(f) > 1:
        title += f"; {_every(f[1][0])}, {f[1][1]}"
    return title


def _panel(ax, s: pd.DataFrame, col: str, label: str, probs, cols, xs, target: float,
           default_revisit: float | None, title_x: float = 0.0) -> None:
    """One score (`col`) against the revisit interval, a line per cloud probability."""
    ax.set_title(label, loc="left", fontsize=10.5, x=title_x)
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
        # on a phone the panel's title starts at the page margin, left of the y labels
        _panel(ax, s, col, lab, probs, cols, xs, target, default_revisit,
               (layout.left_in - x) / pw if stacked else 0.0)
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
