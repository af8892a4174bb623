"""The house style: rcParams (house.mplstyle), page geometry, titles, source line, wrapping.

Layout is placed in inches, not by tight_layout, so the PNG of a figure `Layout.width_in` wide
is always width_in x dpi pixels (9 in x 200 dpi = 1800 px) and the files are byte-identical from
run to run. Every piece that places things on the page takes a `Layout` (default `HOUSE`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import matplotlib.patheffects as pe
import matplotlib.style
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from .palette import INK

STYLE_PATH = Path(__file__).with_name("house.mplstyle")


@dataclass(frozen=True)
class Layout:
    """Page geometry: figure width and side margins in inches, PNG resolution in dots per inch,
    the type sizes of title, subtitle and source line, the most legend columns that fit, and the
    smallest type any text may have (0: as drawn)."""

    width_in: float = 9.0      # figure width; x dpi 200 = 1800 px
    dpi: int = 200
    left_in: float = 0.45
    right_in: float = 0.35
    title_pt: float = 16.0
    subtitle_pt: float = 11.0
    source_pt: float = 8.5
    legend_cols: int = 4
    min_pt: float = 0.0

    @property
    def text_width_in(self) -> float:
        """Width of the title, subtitle and source line."""
        return self.width_in - self.left_in - self.right_in

    @property
    def narrow(self) -> bool:
        """True for a phone-width layout (figures stack what sits side by side on the page)."""
        return self.width_in < 5.0

    def cols(self, n: int) -> int:
        """Legend columns: `n`, or fewer where the page is narrow."""
        return max(1, min(n, self.legend_cols))

    def px_at(self, pt: float, display_px: float) -> float:
        """CSS pixels a `pt`-point text measures when the PNG is shown `display_px` wide."""
        return pt / 72 * display_px / self.width_in


HOUSE = Layout()
# The phone render (`name.narrow.png`): 3.45 in at 200 dpi = 690 px, twice the 343 px a 375 px
# phone leaves a figure inside the report's 16 px margins, so 8.7 pt reads 12 px there; one
# legend column; every text at least 8.7 pt.
PHONE_COLUMN_PX = 343
NARROW = Layout(width_in=3.45, left_in=0.16, right_in=0.14, title_pt=12.5, subtitle_pt=9.5,
                source_pt=8.7, legend_cols=1, min_pt=8.7)

TITLE_PT, SUBTITLE_PT, SOURCE_PT = 16.0, 11.0, 8.5
LINE = 1.28   # line spacing of title and subtitle
HALO = (pe.withStroke(linewidth=2.6, foreground="white"),)   # white outline behind text on maps


@contextlib.contextmanager
def use_style():
    """Context manager (and decorator) that draws in the house style, then restores rcParams."""
    with mpl.rc_context():
        mpl.style.use(STYLE_PATH)
        yield


def halo() -> list:
    """Path effects of text drawn over a map (a fresh list for each artist)."""
    return list(HALO)


def wrap(text: str, size: float, width_in: float, weight: str = "normal") -> str:
    """Greedy word wrap measured with the real font, so the layout knows the line count."""
    prop = FontProperties(family=mpl.rcParams["font.sans-serif"][:1] or ["DejaVu Sans"],
                          size=size, weight=weight)
    ttp = TextToPath()
    width_pt = width_in * 72.0
    lines: list[str] = []
    for para in str(text).split("\n"):
        cur = ""
        for word in para.split(" "):
            trial = f"{cur} {word}" if cur else word
            w = ttp.get_text_width_height_descent(trial, prop, ismath=False)[0]
            if cur and w > width_pt:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        lines.append(cur)
    return "\n".join(lines)


def header_height(title: str, subtitle: str | None, width_in: float, layout: Layout = HOUSE) -> float:
    """Inches the title (and subtitle) take when wrapped to `width_in`."""
    n_t = wrap(title, layout.title_pt, width_in, "bold").count("\n") + 1
    h = n_t * layout.title_pt * LINE / 72
    if subtitle:
        n_s = wrap(subtitle, layout.subtitle_pt, width_in).count("\n") + 1
        h += 0.08 + n_s * layout.subtitle_pt * LINE / 72
    return h


def add_title(fig: Figure, title: str, subtitle: str | None = None, *,
              top_in: float = 0.22, layout: Layout = HOUSE) -> float:
    """Left-aligned title (the finding) and optional subtitle; returns the inches they take.

    The title is the figure's suptitle, so `fig.get_suptitle()` returns it (with line breaks
    where it had to wrap).
    """
    w_in, h_in = fig.get_size_inches()
    width = w_in - layout.left_in - layout.right_in
    x = layout.left_in / w_in
    fig.suptitle(wrap(title, layout.title_pt, width, "bold"), x=x, y=1 - top_in / h_in, ha="left",
                 va="top", fontsize=layout.title_pt, fontweight="bold", color=INK, linespacing=LINE)
    used = header_height(title, None, width, layout)
    if subtitle:
        fig.text(x, 1 - (top_in + used + 0.08) / h_in, wrap(subtitle, layout.subtitle_pt, width),
                 ha="left", va="top", fontsize=layout.subtitle_pt, color="#4A4A4A", linespacing=LINE,
                 gid="subtitle")
    return header_height(title, subtitle, width, layout)


def add_source_line(fig: Figure, text: str, *, bottom_in: float = 0.16, layout: Layout = HOUSE):
    """Small grey source line at the bottom left (name the data; say if it is simulated)."""
    w_in, h_in = fig.get_size_inches()
    return fig.text(layout.left_in / w_in, bottom_in / h_in,
                    wrap(text, layout.source_pt, w_in - layout.left_in - layout.right_in), ha="left",
                    va="bottom", fontsize=layout.source_pt, color="#767676", linespacing=1.2, gid="source")


def source_height(text: str, layout: Layout = HOUSE) -> float:
    """Inches the source line takes."""
    n = wrap(text, layout.source_pt, layout.text_width_in).count("\n") + 1
    return n * layout.source_pt * 1.2 / 72


def page(height_in: float, layout: Layout = HOUSE) -> Figure:
    """An empty figure `layout.width_in` wide and `height_in` tall (not registered with pyplot)."""
    return Figure(figsize=(layout.width_in, height_in), dpi=100)


def frame(title: str, subtitle: str | None, source_line: str, body_h: float, *,
          gap: float = 0.3, foot: float = 0.12, layout: Layout = HOUSE) -> tuple[Figure, float]:
    """A figure sized for a header, a body `body_h` inches tall and the source line, with its
    title and source line drawn; returns it and the body's top in inches."""
    head = header_height(title, subtitle, layout.text_width_in, layout)
    top = 0.22 + head + gap
    height = top + body_h + foot + source_height(source_line, layout) + 0.2
    fig = page(height, layout)
    add_title(fig, title, subtitle, layout=layout)
    add_source_line(fig, source_line, layout=layout)
    return fig, top


def axes_in(fig: Figure, left: float, top: float, width: float, height: float, **kw):
    """Add axes placed in inches from the figure's top-left corner."""
    w_in, h_in = fig.get_size_inches()
    return fig.add_axes((left / w_in, 1 - (top + height) / h_in, width / w_in, height / h_in),
                        **kw)


def enforce_min_font(fig: Figure, min_pt: float) -> int:
    """Raise every text of `fig` smaller than `min_pt` points to `min_pt` (tick labels, legends,
    annotations); returns how many were raised. Used on narrow renders, drawn for a phone."""
    from matplotlib.text import Text

    n = 0
    for t in fig.findobj(Text):
        if t.get_text() and t.get_fontsize() < min_pt:
            t.set_fontsize(min_pt)
            n += 1
    return n


def smallest_text_px(fig: Figure, display_px: float) -> tuple[float, str]:
    """The smallest visible text of `fig` in CSS pixels when its PNG is shown `display_px` wide,
    and that text."""
    from matplotlib.text import Text

    w_in = fig.get_size_inches()[0]
    texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    t = min(texts, key=lambda t: t.get_fontsize())
    return t.get_fontsize() / 72 * display_px / w_in, t.get_text()


def panel_title(ax, text: str, *, left_in: float, width_in: float, layout: Layout = HOUSE,
                fontsize: float = 10.5) -> None:
    """A panel's title, left-aligned over the plot; on a narrow page it starts at the page's
    margin (left of the y labels) and wraps to the text width, so it never runs off the page."""
    if not layout.narrow:
        ax.set_title(text, loc="left", fontsize=fontsize)
        return
    ax.set_title(wrap(text, fontsize, layout.text_width_in, "bold"), loc="left", fontsize=fontsize,
                 x=(layout.left_in - left_in) / width_in)
