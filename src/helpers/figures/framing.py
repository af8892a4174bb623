"""Honest framing: a figure drawn from simulated data says so in its title, inside its plot area
and in its alt text, so a cropped or quoted figure cannot be read as real observations.

The parameter set says whether its data is simulated (`simulated: true`); helpers.steps.figures
passes that flag here. Real data (the public record) gets none of these marks.
"""

from __future__ import annotations

from matplotlib.figure import Figure

TITLE_PREFIX = "Simulated: "
ALT_PREFIX = "Simulated data, not real observations. "
MARK_TEXT = "SIMULATED"
MARK_GID = "simulated-mark"
MARK_COLOR = "#B3261E"          # a red that reads on white and on the map's water
MIN_AXES_IN = (1.4, 0.45)        # axes smaller than this (locators, keys) carry no mark
SKIP_GIDS = frozenset({"locator", "key", "legend"})


def framed_title(title: str, simulated: bool) -> str:
    """`title` with "Simulated: " in front when the data is simulated (once)."""
    if not simulated or title.startswith(TITLE_PREFIX):
        return title
    return TITLE_PREFIX + title


def framed_alt(alt: str, simulated: bool) -> str:
    """Alt text that opens by saying the data is simulated, when it is."""
    if not simulated or alt.startswith(ALT_PREFIX):
        return alt
    return ALT_PREFIX + alt


def _corner(ax) -> tuple[float, float, str, str]:
    corner = getattr(ax, "_simulated_corner", None) or "upper right"
    v, h = corner.split()
    y, va = {"upper": (0.97, "top"), "center": (0.5, "center"), "lower": (0.03, "bottom")}[v]
    x, ha = {"left": (0.015, "left"), "center": (0.5, "center"), "right": (0.985, "right")}[h]
    return x, y, ha, va


def mark_corner(ax, corner: str) -> None:
    """Ask for the SIMULATED mark of `ax` in another place ("upper left", "center right",
    "lower center", ...), where the default upper right would cover something (a locator
    inset, a label, a target line)."""
    ax._simulated_corner = corner


def mark_simulated(fig: Figure, *, fontsize: float = 10.0) -> list:
    """Write a semi-transparent SIMULATED label inside every plot area of `fig` (axes at least
    MIN_AXES_IN inches, not a locator or key); returns the labels drawn."""
    w_in, h_in = fig.get_size_inches()
    marks = []
    for ax in fig.axes:
        if not ax.get_visible() or (ax.get_gid() or "") in SKIP_GIDS:
            continue
        box = ax.get_position()
        if box.width * w_in < MIN_AXES_IN[0] or box.height * h_in < MIN_AXES_IN[1]:
            continue
        x, y, ha, va = _corner(ax)
        marks.append(ax.text(x, y, MARK_TEXT, transform=ax.transAxes, ha=ha, va=va, fontsize=fontsize,
                             fontweight="bold", color=MARK_COLOR, alpha=0.6, zorder=20, gid=MARK_GID,
                             bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.6,
                                   "edgecolor": MARK_COLOR, "linewidth": 0.8}, clip_on=False))
    return marks


def is_marked(fig: Figure) -> bool:
    """True when `fig` carries at least one SIMULATED mark."""
    return any(t.get_gid() == MARK_GID for ax in fig.axes for t in ax.texts)
