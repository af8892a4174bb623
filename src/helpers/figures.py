"""Report figures: one house style, one save helper, one function per figure.

Every figure function takes canonical tables (helpers.schema), returns a matplotlib Figure
(never shows it) and is drawn in the house style (house.mplstyle). Notebooks call
`save(fig, "fig01_route_map", FIGURES, alt_text=...)` and never touch rcParams.

Colours come from the Okabe-Ito colour-blind-safe palette; one colour means one ship (or one
port) in every figure. Layout is placed in inches, not by tight_layout, so the PNG is always
9 in x 200 dpi = 1800 px wide and the files are byte-identical from run to run.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.patheffects as pe
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.textpath import TextToPath
from matplotlib.transforms import ScaledTranslation

STYLE_PATH = Path(__file__).with_name("house.mplstyle")

# ---------------------------------------------------------------------------------------------
# Colours (Okabe & Ito 2008, "Color Universal Design")
# ---------------------------------------------------------------------------------------------
OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
}
SHIP_COLORS: dict[str, str] = {"ANGARA": OKABE_ITO["vermillion"], "MARIA": OKABE_ITO["blue"]}
UNIDENTIFIED_COLOR = "#9A9A9A"
PORT_COLORS: dict[str, str] = {
    "Rajin": OKABE_ITO["bluish green"], "Dunai": OKABE_ITO["reddish purple"], "other": "#5A5A5A",
}
STATE_COLORS: dict[str, str] = {
    "at Rajin": PORT_COLORS["Rajin"],
    "at Dunai": PORT_COLORS["Dunai"],
    # The timeline draws "in transit" in the ship's own colour (SHIP_COLORS); this grey is the
    # fallback for a vessel that has no house colour.
    "in transit": "#7A7A7A",
    "at another port": "#B8B8B8",
    "unknown": "#E9E9E9",
    "AIS dark": "#4D4D4D",
}
WATER = "#E4EEF5"
LAND = "#E6E5E1"
COAST = "#B4B3AE"
INK = "#222222"
MUTED = "#666666"
PORT_MARKERS = {"Rajin": "o", "Dunai": "s"}     # sighting markers per port; others "D"
ROUTE = ["Rajin", "Dunai"]                     # origin, destination: the legends' port names
SHIPS = ["ANGARA", "MARIA"]                    # the ships of interest the legends list
_SPARE_SHIP_COLORS = [OKABE_ITO[k] for k in ("vermillion", "blue", "orange", "sky blue", "black")]


@contextlib.contextmanager
def cast(vessels: list[str], origin: str, destination: str):
    """Draw for another cast: ships without a house colour get the next colour-blind-safe one in
    the order given (the same ship keeps its colour in every figure of a run), and the route's
    origin and destination take the origin / destination colours, markers and legend names."""
    saved = (dict(SHIP_COLORS), dict(PORT_COLORS), dict(STATE_COLORS), dict(PORT_MARKERS),
             list(ROUTE), list(SHIPS))
    try:
        free = [c for c in _SPARE_SHIP_COLORS if c not in SHIP_COLORS.values()]
        for v in vessels:
            if v not in SHIP_COLORS and free:
                SHIP_COLORS[v] = free.pop(0)
        for port, role in ((origin, "Rajin"), (destination, "Dunai")):
            PORT_COLORS[port] = saved[1][role]
            STATE_COLORS[f"at {port}"] = saved[2][f"at {role}"]
            PORT_MARKERS[port] = saved[3][role]
        if origin != "Rajin" and destination != "Rajin":
            for d in (PORT_COLORS, PORT_MARKERS):
                d.pop("Rajin", None)
            STATE_COLORS.pop("at Rajin", None)
        if origin != "Dunai" and destination != "Dunai":
            for d in (PORT_COLORS, PORT_MARKERS):
                d.pop("Dunai", None)
            STATE_COLORS.pop("at Dunai", None)
        ROUTE[:] = [origin, destination]
        SHIPS[:] = list(vessels)
        yield
    finally:
        for d, old in zip((SHIP_COLORS, PORT_COLORS, STATE_COLORS, PORT_MARKERS), saved[:4]):
            d.clear()
            d.update(old)
        ROUTE[:] = saved[4]
        SHIPS[:] = saved[5]

WIDTH_IN = 9.0      # figure width; x savefig.dpi 200 = 1800 px
DPI = 200
LEFT_IN, RIGHT_IN = 0.45, 0.35
_HALO = [pe.withStroke(linewidth=2.6, foreground="white")]


# ---------------------------------------------------------------------------------------------
# Style and saving
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def use_style():
    """Context manager (and decorator) that draws in the house style, then restores rcParams."""
    with mpl.rc_context():
        mpl.style.use(STYLE_PATH)
        yield


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save(fig: Figure, name: str, directory: str | os.PathLike, *, alt_text: str,
         caption: str | None = None, run_id: str | None = None) -> dict[str, Path]:
    """Write `name`.png (1800 px wide), `name`.svg and `name`.alt.txt (+ `name`.caption.txt).

    Files are written atomically and are byte-identical across runs (no dates, no software
    version, fixed SVG ids). `run_id` (helpers.provenance) is written into the PNG and SVG
    metadata as their source, linking each file to the provenance.json beside it. The figure stays
    open; closing it is the caller's business.
    """
    import io

    if not alt_text or not alt_text.strip():
        raise ValueError("alt_text is required: describe what the figure shows for screen readers")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    with use_style():
        buf = io.BytesIO()
        png_meta = {"Software": None}
        if run_id:   # links the file to provenance.json (inputs' sha256, parameters, versions)
            png_meta["Source"] = f"rajin-dunai run {run_id}"
        fig.savefig(buf, format="png", dpi=DPI, metadata=png_meta)
        paths["png"] = out / f"{name}.png"
        _atomic_write(paths["png"], buf.getvalue())
        buf = io.BytesIO()
        svg_meta = {"Date": None, "Creator": None, "Title": name, "Description": alt_text.strip()}
        if run_id:
            svg_meta["Source"] = f"rajin-dunai run {run_id}"
        fig.savefig(buf, format="svg", metadata=svg_meta)
        paths["svg"] = out / f"{name}.svg"
        _atomic_write(paths["svg"], buf.getvalue())
    paths["alt"] = out / f"{name}.alt.txt"
    _atomic_write(paths["alt"], (alt_text.strip() + "\n").encode("utf-8"))
    if caption:
        paths["caption"] = out / f"{name}.caption.txt"
        _atomic_write(paths["caption"], (caption.strip() + "\n").encode("utf-8"))
    return paths


# ---------------------------------------------------------------------------------------------
# Titles and source line
# ---------------------------------------------------------------------------------------------
TITLE_PT, SUBTITLE_PT, SOURCE_PT = 16.0, 11.0, 8.5
_LINE = 1.28   # line spacing


def _wrap(text: str, size: float, width_in: float, weight: str = "normal") -> str:
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


def _header_height(title: str, subtitle: str | None, width_in: float) -> float:
    n_t = _wrap(title, TITLE_PT, width_in, "bold").count("\n") + 1
    h = n_t * TITLE_PT * _LINE / 72
    if subtitle:
        n_s = _wrap(subtitle, SUBTITLE_PT, width_in).count("\n") + 1
        h += 0.08 + n_s * SUBTITLE_PT * _LINE / 72
    return h


def add_title(fig: Figure, title: str, subtitle: str | None = None, *,
              top_in: float = 0.22) -> float:
    """Left-aligned title (the finding) and optional subtitle; returns the inches they take.

    The title is the figure's suptitle, so `fig.get_suptitle()` returns it (with line breaks
    where it had to wrap).
    """
    w_in, h_in = fig.get_size_inches()
    width = w_in - LEFT_IN - RIGHT_IN
    x = LEFT_IN / w_in
    fig.suptitle(_wrap(title, TITLE_PT, width, "bold"), x=x, y=1 - top_in / h_in, ha="left",
                 va="top", fontsize=TITLE_PT, fontweight="bold", color=INK, linespacing=_LINE)
    used = _header_height(title, None, width)
    if subtitle:
        fig.text(x, 1 - (top_in + used + 0.08) / h_in, _wrap(subtitle, SUBTITLE_PT, width),
                 ha="left", va="top", fontsize=SUBTITLE_PT, color="#4A4A4A", linespacing=_LINE,
                 gid="subtitle")
    return _header_height(title, subtitle, width)


def add_source_line(fig: Figure, text: str, *, bottom_in: float = 0.16):
    """Small grey source line at the bottom left (name the data; say if it is simulated)."""
    w_in, h_in = fig.get_size_inches()
    return fig.text(LEFT_IN / w_in, bottom_in / h_in,
                    _wrap(text, SOURCE_PT, w_in - LEFT_IN - RIGHT_IN), ha="left", va="bottom",
                    fontsize=SOURCE_PT, color="#767676", linespacing=1.2, gid="source")


def _source_height(text: str) -> float:
    n = _wrap(text, SOURCE_PT, WIDTH_IN - LEFT_IN - RIGHT_IN).count("\n") + 1
    return n * SOURCE_PT * 1.2 / 72


def _axes_in(fig: Figure, left: float, top: float, width: float, height: float, **kw):
    """Add axes placed in inches from the figure's top-left corner."""
    w_in, h_in = fig.get_size_inches()
    return fig.add_axes((left / w_in, 1 - (top + height) / h_in, width / w_in, height / h_in),
                        **kw)


# ---------------------------------------------------------------------------------------------
# Map helpers
# ---------------------------------------------------------------------------------------------
def _ship_color(vessel) -> str:
    return SHIP_COLORS.get(str(vessel), UNIDENTIFIED_COLOR) if pd.notna(vessel) else \
        UNIDENTIFIED_COLOR


def _port_color(port) -> str:
    return PORT_COLORS.get(str(port), PORT_COLORS["other"])


def _identified(sightings: pd.DataFrame) -> pd.Series:
    """True where a sighting is identified as one of the house ships."""
    ok = sightings["vessel"].notna() & sightings["vessel"].astype(str).isin(list(SHIP_COLORS))
    if "match" in sightings.columns:
        ok &= sightings["match"].isna() | (sightings["match"] == "identified")
    return ok


def _draw_land(ax, land) -> None:
    if land is None or len(land) == 0:
        return
    land.plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.45, zorder=1)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _map_frame(ax, extent, lat0: float) -> None:
    ax.set_facecolor(WATER)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / math.cos(math.radians(lat0)), adjustable="box")
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#9A9A9A")
        s.set_linewidth(0.6)


def _deg_fmt(v: float, pos, hemi: str) -> str:
    return f"{v:g}°{hemi}"


def _km_to_dlon(km: float, lat: float) -> float:
    return km / (111.32 * math.cos(math.radians(lat)))


def _scale_bar(ax, lon0: float, lat0: float, km: float, nm: float, *, fontsize=8.0,
               km_step=None, nm_step=None, box=True) -> None:
    """Bar with km ticks above and nautical-mile ticks below, drawn in data coordinates.

    The bar is `km` long; nm ticks run every `nm_step` up to `nm` (<= the bar)."""
    km_step = km_step or km / 2
    nm_step = nm_step or nm / 2
    length = _km_to_dlon(km, lat0)
    h = (ax.get_ylim()[1] - ax.get_ylim()[0])
    tick = h * 0.018
    kw = dict(color=INK, lw=1.0, solid_capstyle="butt", zorder=20)
    if box:
        ax.add_patch(Rectangle((lon0 - length * 0.1, lat0 - tick * 4.2), length * 1.3,
                               tick * 8.6, facecolor="white", edgecolor="none", alpha=0.75,
                               zorder=19))
    ax.plot([lon0, lon0 + length], [lat0, lat0], **kw)
    for k in np.arange(0, km + 1e-9, km_step):
        x = lon0 + _km_to_dlon(k, lat0)
        ax.plot([x, x], [lat0, lat0 + tick], **kw)
        ax.text(x, lat0 + tick * 1.4, f"{k:g}" + (" km" if k == km else ""), ha="center",
                va="bottom", fontsize=fontsize, color=INK, zorder=20)
    for n in np.arange(0, nm + 1e-9, nm_step):
        x = lon0 + _km_to_dlon(n * 1.852, lat0)
        ax.plot([x, x], [lat0, lat0 - tick], **kw)
        ax.text(x, lat0 - tick * 1.4, f"{n:g}" + (" nm" if n == nm else ""), ha="center",
                va="top", fontsize=fontsize, color=INK, zorder=20)


def _north_arrow(ax, x: float, y: float) -> None:
    ax.annotate("", xy=(x, y), xytext=(x, y - 0.085), xycoords="axes fraction",
                arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.7", color=INK,
                                lw=1.3), zorder=25)
    ax.text(x, y + 0.01, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=10,
            fontweight="bold", color=INK, path_effects=_HALO, zorder=25)


# Context labels for the Rajin-Dunai area (lon, lat); drawn only when inside the extent.
COUNTRY_LABELS = [("RUSSIA", 131.05, 43.17), ("CHINA", 130.12, 43.05),
                  ("NORTH KOREA", 129.88, 42.45)]
SEA_LABELS = [("Sea of Japan\n(East Sea)", 131.45, 42.1), ("Peter the Great Gulf", 131.62, 42.96)]
LOCATOR_EXTENT = (120.0, 142.0, 33.0, 48.0)
LOCATOR_LABELS = [("RUSSIA", 134.0, 46.4, False), ("CHINA", 124.2, 44.2, False),
                  ("NORTH\nKOREA", 126.9, 40.2, False), ("SOUTH\nKOREA", 127.9, 36.4, False),
                  ("JAPAN", 139.2, 36.2, False), ("Sea of Japan\n(East Sea)", 134.6, 40.3, True)]


def _inside(extent, lon, lat) -> bool:
    return extent[0] < lon < extent[1] and extent[2] < lat < extent[3]


def _context_labels(ax, extent) -> None:
    for text, lon, lat in COUNTRY_LABELS:
        if _inside(extent, lon, lat):
            ax.text(lon, lat, text, ha="left" if lon - extent[0] < 0.3 else "center",
                    va="center", fontsize=9.5, color="#8C8C8C",
                    fontweight="bold", path_effects=_HALO, zorder=4)
    for text, lon, lat in SEA_LABELS:
        if _inside(extent, lon, lat):
            ax.text(lon, lat, text, ha="center", va="center", fontsize=9, color="#5F86A6",
                    style="italic", linespacing=1.15, zorder=4)


def _locator(ax, extent, land=None, borders=None) -> None:
    """The wider region with a box for the map area. `land` (polygons) and `borders` (lines)
    are optional GeoDataFrames in EPSG:4326 (helpers.geo.load_region_land); without land the
    inset is a plain grid with labels."""
    lo = LOCATOR_EXTENT
    has_land = land is not None and len(land) > 0
    ax.set_facecolor(WATER if has_land else "#F5F5F2")
    if has_land:
        land.plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.35, zorder=1)
        if borders is not None and len(borders):
            borders.plot(ax=ax, color="#8F8E89", linewidth=0.45, linestyle=(0, (3, 1.5)),
                         zorder=2)
        ax.set_xlabel("")
        ax.set_ylabel("")
    ax.set_xlim(lo[0], lo[1])
    ax.set_ylim(lo[2], lo[3])
    ax.set_aspect(1 / math.cos(math.radians((lo[2] + lo[3]) / 2)), adjustable="box")
    ax.set_xticks(np.arange(125, lo[1], 5))
    ax.set_yticks(np.arange(35, lo[3], 5))
    ax.tick_params(length=0, labelbottom=False, labelleft=False)
    ax.grid(True, color="white" if has_land else "#DDDDDD", lw=0.5)
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#6A6A6A" if has_land else "#8A8A8A")
        s.set_linewidth(0.8 if has_land else 0.6)
        if has_land:    # a white rim keeps the inset apart from the main map's land and sea
            s.set_path_effects([pe.Stroke(linewidth=3.2, foreground="white"), pe.Normal()])
    halo = [pe.withStroke(linewidth=1.6, foreground="white")] if has_land else None
    for text, lon, lat, sea in LOCATOR_LABELS:
        ax.text(lon, lat, text, ha="center", va="center", fontsize=6.2, linespacing=1.05,
                color="#5F86A6" if sea else "#6E6E6E", style="italic" if sea else "normal",
                fontweight="normal" if sea else "bold",
                path_effects=None if sea else halo, zorder=4)
    ax.add_patch(Rectangle((extent[0], extent[2]), extent[1] - extent[0],
                           extent[3] - extent[2], facecolor="none", edgecolor=INK, lw=1.2,
                           zorder=5))
    ax.text(extent[1] + 0.5, extent[3] + 0.4, "Map area", ha="left", va="bottom",
            fontsize=6.2, color=INK, path_effects=halo, zorder=5)


def _route_nm(route) -> float | None:
    try:
        from pyproj import Geod
        return Geod(ellps="WGS84").geometry_length(route) / 1852.0
    except Exception:  # pragma: no cover - pyproj is a dependency
        return None


def _sighting_dots(ax, lon: float, lat: float, colors: list[str], *, dy_pt: float = -11,
                   per_row: int = 13, step_pt: float = 5.2) -> None:
    """One dot per sighting, in a block under the berth (a count, not positions)."""
    trans0 = ax.transData
    n = len(colors)
    ncol = min(per_row, n)
    for i, c in enumerate(colors):
        r, k = divmod(i, per_row)
        dx = (k - (ncol - 1) / 2) * step_pt
        dy = dy_pt - r * step_pt
        t = trans0 + ScaledTranslation(dx / 72, dy / 72, ax.figure.dpi_scale_trans)
        ax.plot([lon], [lat], marker="o", ms=4.4, mfc=c, mec="white", mew=0.5, transform=t,
                zorder=12, linestyle="none")


def _ports_iter(ports):
    role_order = {"origin": 0, "destination": 1}
    rows = list(ports.itertuples(index=False))
    return sorted(rows, key=lambda r: (role_order.get(getattr(r, "role", "other"), 2),
                                       str(r.port)))


def _berth_inset(ax, land, port_row, sightings, half_km: float = 2.0) -> None:
    lon0, lat0 = float(port_row.berth_lon), float(port_row.berth_lat)
    dlat = half_km / 111.32
    dlon = _km_to_dlon(half_km, lat0)
    ext = (lon0 - dlon, lon0 + dlon, lat0 - dlat, lat0 + dlat)
    _map_frame(ax, ext, lat0)
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    _draw_land(ax, land)
    ax.set_xlim(ext[0], ext[1])
    ax.set_ylim(ext[2], ext[3])
    color = _port_color(port_row.port)
    geom = port_row.geometry
    if geom is not None and not geom.is_empty:
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            xy = np.asarray(poly.exterior.coords)
            ax.add_patch(MplPolygon(xy, closed=True, facecolor=color, alpha=0.10,
                                    edgecolor="none", zorder=3))
            ax.add_patch(MplPolygon(xy, closed=True, facecolor="none", edgecolor=color,
                                    lw=1.4, ls=(0, (4, 2)), zorder=4))
    ax.plot([lon0], [lat0], marker="P", ms=8, mfc=INK, mec="white", mew=0.8, zorder=6,
            linestyle="none")
    ax.annotate("berth", (lon0, lat0), xytext=(7, 6), textcoords="offset points", fontsize=8,
                color=INK, path_effects=_HALO, zorder=7)
    counts = []
    if sightings is not None and len(sightings):
        s = sightings[sightings["port"] == port_row.port]
        if len(s):
            ident = _identified(s)
            cols = [(_ship_color(v) if ok else UNIDENTIFIED_COLOR)
                    for v, ok in zip(s["vessel"], ident)]
            ax.scatter(s["lon"], s["lat"], s=34, c=cols, edgecolors="white", linewidths=0.7,
                       zorder=8)
            for ship in SHIP_COLORS:
                n = int((ident & (s["vessel"] == ship)).sum())
                if n:
                    counts.append((f"{ship} {n}", SHIP_COLORS[ship]))
            n_other = int((~ident).sum())
            if n_other:
                counts.append((f"other/unidentified {n_other}", MUTED))
    ax.set_title(f"{port_row.port}: berth and geofence", fontsize=10, color=color, pad=4)
    # sighting counts, one line each, top-left in a white box
    y = 0.965
    for text, c in counts:
        ax.text(0.035, y, text, transform=ax.transAxes, ha="left", va="top", fontsize=7.8,
                color=c, fontweight="bold", path_effects=_HALO, zorder=10)
        y -= 0.085
    _scale_bar(ax, ext[0] + dlon * 0.12, ext[2] + dlat * 0.14, km=1, nm=0.5, fontsize=7,
               km_step=0.5, nm_step=0.5)


# ---------------------------------------------------------------------------------------------
# Figure 1: route map
# ---------------------------------------------------------------------------------------------
@use_style()
def route_map(land, ports, *, route=None, last_positions=None, sightings=None, tracks=None,
              region_land=None, region_borders=None, title: str, subtitle: str | None = None, source_line: str,
              extent: tuple[float, float, float, float] = (129.8, 133.2, 41.7, 43.3)) -> Figure:
    """Map of the shuttle: ports, sea route, last AIS fixes, imagery sightings, berth insets.

    land: GeoDataFrame of land polygons (EPSG:4326). ports: GeoDataFrame with port, role
    ("origin"/"destination"/"other"), berth_lon, berth_lat and the geofence polygon as geometry.
    route: shapely LineString (lon, lat). last_positions: vessel, ts, lat, lon. sightings:
    canonical sightings (with vessel, match). tracks: AIS positions (mmsi or vessel, lat, lon,
    optional ts). extent: (lon_min, lon_max, lat_min, lat_max). region_land, region_borders:
    coarse land polygons and border lines of the wider region for the locator inset
    (helpers.geo.load_region_land); None draws the locator without land.
    """
    lat0 = (extent[2] + extent[3]) / 2
    k = 1 / math.cos(math.radians(lat0))
    map_w = WIDTH_IN - LEFT_IN - RIGHT_IN
    map_h = map_w * (extent[3] - extent[2]) * k / (extent[1] - extent[0])
    head = _header_height(title, subtitle, map_w)
    inset_h = 2.35
    src_h = _source_height(source_line)
    top_map = 0.22 + head + 0.25
    top_insets = top_map + map_h + 0.62
    height = top_insets + inset_h + 0.35 + src_h + 0.2
    fig = Figure(figsize=(WIDTH_IN, height), dpi=100)
    add_title(fig, title, subtitle)
    add_source_line(fig, source_line)

    ax = _axes_in(fig, LEFT_IN, top_map, map_w, map_h)
    _map_frame(ax, extent, lat0)
    _draw_land(ax, land)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.grid(True, color="white", lw=0.7, alpha=0.9)
    ax.set_xticks(np.arange(math.ceil(extent[0] * 2) / 2, extent[1] + 1e-9, 0.5))
    ax.set_yticks(np.arange(math.ceil(extent[2] * 2) / 2, extent[3] + 1e-9, 0.5))
    ax.xaxis.set_major_formatter(lambda v, p: _deg_fmt(v, p, "E"))
    ax.yaxis.set_major_formatter(lambda v, p: _deg_fmt(v, p, "N"))
    ax.tick_params(labelsize=8, colors="#8A8A8A", length=0, pad=3)
    _context_labels(ax, extent)
    handles: list = []

    if tracks is not None and len(tracks):
        key = "vessel" if "vessel" in tracks.columns else "mmsi"
        for name, g in tracks.groupby(key, sort=True):
            if "ts" in g.columns:
                g = g.sort_values("ts")
                # break the line where AIS was silent for > 6 h: never draw a fake path
                brk = (pd.to_datetime(g["ts"]).diff() > pd.Timedelta(hours=6)).cumsum()
            else:
                brk = pd.Series(0, index=g.index)
            c = _ship_color(name) if key == "vessel" else UNIDENTIFIED_COLOR
            for _, seg in g.groupby(brk):
                ax.plot(seg["lon"], seg["lat"], color=c, lw=0.6, alpha=0.45, zorder=5,
                        solid_capstyle="round")
        handles.append((Line2D([], [], color=MUTED, lw=0.8, alpha=0.6),
                        "AIS track while transmitting"))

    if route is not None:
        xs, ys = route.xy
        ax.plot(xs, ys, color="white", lw=3.2, zorder=6, solid_capstyle="round")
        ax.plot(xs, ys, color=INK, lw=1.3, ls=(0, (5, 2.5)), zorder=7)
        nm = _route_nm(route)
        lab = (f"Sea route {ROUTE[0]}–{ROUTE[1]}" if nm is None
               else f"Sea route, about {nm:,.0f} nautical miles")
        handles.append((Line2D([], [], color=INK, lw=1.3, ls=(0, (5, 2.5))), lab))

    # ports: berth marker + label; origin/destination bold in their port colour
    port_rows = _ports_iter(ports)
    for r in port_rows:
        main = r.port in ROUTE
        c = _port_color(r.port) if main else PORT_COLORS["other"]
        ax.plot([r.berth_lon], [r.berth_lat], marker="o", ms=7.5 if main else 5,
                mfc="white", mec=c, mew=2.0 if main else 1.2, zorder=13, linestyle="none")
        # label above the berth, unless a port close by sits further north: then below
        crowded = any(o.port != r.port and abs(o.berth_lon - r.berth_lon) < 0.3
                      and 0 < o.berth_lat - r.berth_lat < 0.15 for o in port_rows)
        dy = (-7 if crowded else (8 if main else 6))
        ax.annotate(str(r.port), (r.berth_lon, r.berth_lat), xytext=(0, dy),
                    textcoords="offset points", ha="center",
                    va="top" if crowded else "bottom",
                    fontsize=11 if main else 9, fontweight="bold" if main else "normal",
                    color=c, path_effects=_HALO, zorder=14)
    handles.append((Line2D([], [], marker="o", ms=7, mfc="white", mec=INK, mew=1.6,
                           linestyle="none"), "Port (berth)"))

    if sightings is not None and len(sightings):
        ident = _identified(sightings)
        pr = {r.port: r for r in _ports_iter(ports)}
        for port, s in sightings.groupby("port", sort=True):
            if port not in pr:
                continue
            order = []
            for ship in SHIP_COLORS:
                n = int((ident.loc[s.index] & (s["vessel"] == ship)).sum())
                order += [SHIP_COLORS[ship]] * n
            order += [UNIDENTIFIED_COLOR] * int((~ident.loc[s.index]).sum())
            _sighting_dots(ax, float(pr[port].berth_lon), float(pr[port].berth_lat), order)
        handles.append((tuple(Line2D([], [], marker="o", ms=6, mfc=c, mec="white",
                                     linestyle="none")
                              for c in [*SHIP_COLORS.values(), UNIDENTIFIED_COLOR]),
                        "Satellite-image sighting at a port, one dot\n"
                        "each (grey: other or unidentified ship)"))

    if last_positions is not None and len(last_positions):
        lp = last_positions.sort_values(["vessel", "ts"]).groupby("vessel").tail(1)
        for i, r in enumerate(lp.itertuples(index=False)):
            c = _ship_color(r.vessel)
            ax.plot([r.lon], [r.lat], marker="D", ms=7.5, mfc=c, mec="white", mew=1.0,
                    zorder=15, linestyle="none")
            when = pd.Timestamp(r.ts).tz_convert("UTC") if pd.Timestamp(r.ts).tzinfo else \
                pd.Timestamp(r.ts)
            label = f"{r.vessel}: last AIS signal\n{when:%-d %b %Y, %H:%M} UTC"
            dy = 26 if i % 2 == 0 else -34
            ax.annotate(label, (r.lon, r.lat), xytext=(14, dy), textcoords="offset points",
                        ha="left", va="center", fontsize=8.5, color=c, fontweight="bold",
                        linespacing=1.15, path_effects=_HALO, zorder=16,
                        arrowprops=dict(arrowstyle="-", color=c, lw=0.8,
                                        shrinkA=0, shrinkB=4))
        handles.append((tuple(Line2D([], [], marker="D", ms=6, mfc=c, mec="white",
                                     linestyle="none") for c in SHIP_COLORS.values()),
                        "Last AIS position before the\ntransponder went dark"))

    _scale_bar(ax, extent[0] + (extent[1] - extent[0]) * 0.25, extent[2] + 0.14, km=50, nm=20,
               km_step=25, nm_step=10)
    _north_arrow(ax, 0.03, 0.93)

    # locator, lower right over the sea
    loc_w = 1.8 if region_land is not None else 1.55
    lo = LOCATOR_EXTENT
    loc_h = loc_w * (lo[3] - lo[2]) / math.cos(math.radians((lo[2] + lo[3]) / 2)) / (lo[1] - lo[0])
    axl = _axes_in(fig, LEFT_IN + map_w - loc_w - 0.08, top_map + map_h - loc_h - 0.08, loc_w,
                   loc_h)
    axl.set_gid("locator")
    _locator(axl, extent, region_land, region_borders)

    # berth insets + legend
    by_name = {r.port: r for r in _ports_iter(ports)}
    inset_ports = [by_name[p] for p in ROUTE if p in by_name]
    x = LEFT_IN
    for r in inset_ports:
        axi = _axes_in(fig, x, top_insets, inset_h, inset_h)
        _berth_inset(axi, land, r, sightings)
        x += inset_h + 0.3
    ship_handles = [(Patch(facecolor=SHIP_COLORS.get(name, UNIDENTIFIED_COLOR), edgecolor="none"), name)
                    for name in SHIPS]
    w_in, h_in = fig.get_size_inches()
    hs, ls = zip(*(ship_handles + handles + [
        (Patch(facecolor="none", edgecolor=MUTED, ls=(0, (4, 2)), lw=1.2),
         "Port geofence (insets)")]))
    leg = fig.legend(hs, ls, loc="upper left", bbox_to_anchor=(x / w_in + 0.005,
                                                               1 - (top_insets - 0.12) / h_in),
                     fontsize=8.6, handler_map={tuple: HandlerTuple(ndivide=None, pad=0.3)},
                     labelspacing=0.75, handlelength=2.2, borderaxespad=0, alignment="left",
                     title="Key", title_fontproperties={"weight": "bold", "size": 9.5})
    leg.set_gid("legend")
    return fig


# ---------------------------------------------------------------------------------------------
# Figure 2: timeline
# ---------------------------------------------------------------------------------------------
def _num(ts) -> np.ndarray | float:
    """Matplotlib date numbers from tz-aware (or naive UTC) timestamps."""
    t = pd.to_datetime(ts, utc=True)
    if isinstance(t, pd.Timestamp):
        return mdates.date2num(t.tz_convert(None).to_pydatetime())
    return mdates.date2num(pd.DatetimeIndex(t).tz_convert(None).to_pydatetime())


DARK_STYLE = {
    "likely-disabled": dict(hatch="////", facecolor="#EDEDED",
                            label="AIS dark: transponder likely switched off"),
    "reception": dict(hatch="....", facecolor="#F6F6F6", label="AIS gap: poor reception likely"),
    "short": dict(hatch="....", facecolor="#F6F6F6", label="AIS gap: poor reception likely"),
    "unassessed": dict(hatch="", facecolor="#F6F6F6",
                       label="AIS gap: not assessed (outside the rule's scope)"),
}
_DARK_UNKNOWN = DARK_STYLE["unassessed"]  # a class without a style is never drawn as "switched off"


@use_style()
def timeline(states, *, sightings=None, dark_periods=None, round_trips=None, window,
             title: str, subtitle: str | None = None, source_line: str,
             vessels: list[str] | None = None) -> Figure:
    """One lane per ship: where it was (bars), AIS-dark periods (hatched band behind the lane),
    imagery sightings (white markers, shape by port) and numbered round-trip brackets.

    states: vessel, state ("at Rajin" / "at Dunai" / "in transit" / "unknown"), start, end (UTC).
    sightings: canonical sightings with vessel and match; those not identified as a house ship
    go to an extra "other / unidentified" lane. dark_periods: vessel, start_ts, end_ts, class.
    round_trips: vessel, trip_no, start, end. window: (start, end) UTC Timestamps.
    """
    vessels = list(vessels or SHIP_COLORS)
    ident = _identified(sightings) if sightings is not None and len(sightings) else None
    extra = ident is not None and bool((~ident).any())
    lane_h = 0.95
    plot_w = WIDTH_IN - 1.55 - RIGHT_IN
    head = _header_height(title, subtitle, WIDTH_IN - LEFT_IN - RIGHT_IN)
    src_h = _source_height(source_line)
    top_ax = 0.22 + head + 0.3
    ax_h = lane_h * len(vessels) + (0.55 if extra else 0) + 0.1
    legend_h = 1.05
    height = top_ax + ax_h + 0.45 + legend_h + src_h + 0.25
    fig = Figure(figsize=(WIDTH_IN, height), dpi=100)
    add_title(fig, title, subtitle)
    add_source_line(fig, source_line)
    ax = _axes_in(fig, 1.55, top_ax, plot_w, ax_h)

    w0, w1 = (_num(t) for t in window)
    ys = {v: -i for i, v in enumerate(vessels)}
    if extra:
        ys["other"] = -len(vessels) + 0.2
    bar_h = 0.30
    band_h = 0.52

    ax.set_xlim(w0, w1)
    ax.set_ylim(min(ys.values()) - 0.4, 0.62)
    ax.spines["left"].set_visible(False)
    ax.set_yticks([])
    ax.grid(False)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))

    def month_fmt(v, pos):
        d = mdates.num2date(v)
        lab = f"{d:%b}\n{d:%Y}" if pos == 0 or d.month == 1 else f"{d:%b}"
        return lab
    ax.xaxis.set_major_formatter(month_fmt)
    ax.tick_params(axis="x", which="major", length=6, labelsize=10, colors="#444444")
    for t in ax.xaxis.get_major_locator().tick_values(mdates.num2date(w0), mdates.num2date(w1)):
        ax.axvline(t, color="#CFCFCF", lw=0.8, zorder=0)
    for t in ax.xaxis.get_minor_locator().tick_values(mdates.num2date(w0), mdates.num2date(w1)):
        ax.axvline(t, color="#EFEFEF", lw=0.6, zorder=0)

    used_dark: dict[str, dict] = {}
    if dark_periods is not None and len(dark_periods):
        cls = dark_periods["class"] if "class" in dark_periods.columns else \
            pd.Series("likely-disabled", index=dark_periods.index)
        for v, s0, s1, c in zip(dark_periods["vessel"], dark_periods["start_ts"],
                                dark_periods["end_ts"], cls):
            if v not in ys:
                continue
            st = DARK_STYLE.get(c, _DARK_UNKNOWN)
            a, b = _num(s0), _num(s1)
            ax.add_patch(Rectangle((a, ys[v] - band_h / 2), b - a, band_h,
                                   facecolor=st["facecolor"], hatch=st["hatch"],
                                   edgecolor=STATE_COLORS["AIS dark"], lw=0, zorder=1))
            used_dark[st["label"]] = st

    for r in states.itertuples(index=False):
        if r.vessel not in ys:
            continue
        a, b = _num(r.start), _num(r.end)
        if r.state == "in transit":
            c = SHIP_COLORS.get(r.vessel, STATE_COLORS["in transit"])
        elif r.state.startswith("at ") and r.state not in STATE_COLORS:
            c = STATE_COLORS["at another port"]
        else:
            c = STATE_COLORS.get(r.state, STATE_COLORS["unknown"])
        ax.add_patch(Rectangle((a, ys[r.vessel] - bar_h / 2), b - a, bar_h, facecolor=c,
                               edgecolor="white", lw=0.5, zorder=3, gid=f"state-{r.vessel}",
                               label=f"{r.vessel}|{r.state}"))

    if round_trips is not None and len(round_trips):
        gap = 0.25
        for r in round_trips.itertuples(index=False):
            if r.vessel not in ys:
                continue
            a, b = _num(r.start) + gap, _num(r.end) - gap
            y0, y1 = ys[r.vessel] + band_h / 2 + 0.02, ys[r.vessel] + band_h / 2 + 0.12
            ax.plot([a, a, b, b], [y0, y1, y1, y0], color="#3C3C3C", lw=0.9, zorder=4,
                    solid_joinstyle="miter")
            ax.text((a + b) / 2, y1 + 0.02, f"{int(r.trip_no)}", ha="center", va="bottom",
                    fontsize=8.5, color="#3C3C3C", fontweight="bold", zorder=4)

    markers_used: dict[str, str] = {}
    if ident is not None:
        for (_i, r), ok in zip(sightings.iterrows(), ident):
            lane = r["vessel"] if ok and r["vessel"] in ys else ("other" if extra else None)
            if lane is None:
                continue
            m = PORT_MARKERS.get(str(r["port"]), "D")
            markers_used[str(r["port"]) if r["port"] in PORT_MARKERS else "other ports"] = m
            y = ys[lane]
            ax.plot([_num(r["datetime"])], [y], marker=m, ms=5.2, mfc="white",
                    mec=INK if lane != "other" else MUTED, mew=1.0, zorder=6, linestyle="none")

    # lane labels: ship name in its colour + round-trip count (a lower bound)
    w_in, h_in = fig.get_size_inches()
    for v in vessels:
        n = 0
        if round_trips is not None and len(round_trips):
            n = int((round_trips["vessel"] == v).sum())
        ax.annotate(v, (0, ys[v]), xycoords=("axes fraction", "data"), xytext=(-12, 5),
                    textcoords="offset points", ha="right", va="bottom", fontsize=12,
                    fontweight="bold", color=SHIP_COLORS.get(v, INK))
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

    # legend
    transit = tuple(Patch(facecolor=SHIP_COLORS.get(v, STATE_COLORS["in transit"]), edgecolor="none")
                    for v in vessels)
    o, d = ROUTE
    hs = [(Patch(facecolor=STATE_COLORS[f"at {o}"]), f"At {o}"),
          (Patch(facecolor=STATE_COLORS[f"at {d}"]), f"At {d}"),
          (Patch(facecolor=STATE_COLORS["at another port"]), "At another port"),
          (transit, "Between ports (voyage in window)"),
          (Patch(facecolor=STATE_COLORS["unknown"], edgecolor="#BBBBBB", lw=0.6),
           "Position unknown")]
    for lab, st in used_dark.items():
        hs.append((Patch(facecolor=st["facecolor"], hatch=st["hatch"],
                         edgecolor=STATE_COLORS["AIS dark"], lw=0), lab))
    for port, m in markers_used.items():
        hs.append((Line2D([], [], marker=m, ms=5.5, mfc="white", mec=INK, linestyle="none"),
                   f"Seen on satellite image at {port}"))
    if round_trips is not None and len(round_trips):
        hs.append((Line2D([], [], color="#3C3C3C", lw=0.9),
                   f"Round trip {o}–{d}–{o} (numbered)"))
    handles, labels = zip(*hs)
    leg = fig.legend(handles, labels, loc="upper left", ncols=3,
                     bbox_to_anchor=(LEFT_IN / w_in, 1 - (top_ax + ax_h + 0.5) / h_in),
                     borderaxespad=0, fontsize=8.6, columnspacing=1.6, labelspacing=0.6,
                     handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)})
    leg.set_gid("legend")
    return fig


# ---------------------------------------------------------------------------------------------
# Shared layout for the figures below
# ---------------------------------------------------------------------------------------------
def _frame(title: str, subtitle: str | None, source_line: str, body_h: float, *,
           gap: float = 0.3, foot: float = 0.12) -> tuple[Figure, float]:
    """A figure sized for a header, a body `body_h` inches tall and the source line."""
    head = _header_height(title, subtitle, WIDTH_IN - LEFT_IN - RIGHT_IN)
    top = 0.22 + head + gap
    height = top + body_h + foot + _source_height(source_line) + 0.2
    fig = Figure(figsize=(WIDTH_IN, height), dpi=100)
    add_title(fig, title, subtitle)
    add_source_line(fig, source_line)
    return fig, top


def _date_axis(ax, window, *, labels: bool = True) -> None:
    w0, w1 = (_num(t) for t in window)
    ax.set_xlim(w0, w1)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))

    def month_fmt(v, pos):
        d = mdates.num2date(v)
        return f"{d:%b}\n{d:%Y}" if pos == 0 or d.month == 1 else f"{d:%b}"
    ax.xaxis.set_major_formatter(month_fmt)
    ax.tick_params(axis="x", which="major", length=5, labelbottom=labels)
    ax.tick_params(axis="x", which="minor", labelbottom=False)
    ax.grid(False, axis="x")


def _legend_below(fig: Figure, hs: list, top_in: float, ncols: int = 3, **kw):
    w_in, h_in = fig.get_size_inches()
    handles, labels = zip(*hs)
    leg = fig.legend(handles, labels, loc="upper left", ncols=ncols,
                     bbox_to_anchor=(LEFT_IN / w_in, 1 - top_in / h_in), borderaxespad=0,
                     fontsize=8.6, columnspacing=1.6, labelspacing=0.55,
                     handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)}, **kw)
    leg.set_gid("legend")
    return leg


def _legend_height(n: int, ncols: int = 3) -> float:
    return math.ceil(n / ncols) * 0.235 + 0.05


def _utc(s) -> pd.Series:
    return pd.to_datetime(s, utc=True)


# ---------------------------------------------------------------------------------------------
# Figure 3: AIS activity
# ---------------------------------------------------------------------------------------------
@use_style()
def ais_activity(positions: pd.DataFrame, dark_periods: pd.DataFrame | None = None, *, window,
                 title: str, subtitle: str | None = None, source_line: str,
                 vessels: list[str] | None = None, min_label_days: float = 3.0) -> Figure:
    """AIS positions per day per ship (bars in the ship's colour) over the dark periods,
    shaded by class; dark periods longer than `min_label_days` are labelled with their length.

    positions: vessel, ts (UTC). dark_periods: vessel, start_ts, end_ts, class.
    """
    vessels = list(vessels or SHIP_COLORS)
    lane_h, lane_gap = 1.45, 0.42
    n_leg = 2 + 2
    lanes = len(vessels) * lane_h + (len(vessels) - 1) * lane_gap
    body = lanes + 0.62 + _legend_height(math.ceil(n_leg / 2), 1)
    fig, top = _frame(title, subtitle, source_line, body)
    t = _utc(positions["ts"])
    day = t.dt.floor("D")
    counts = pd.DataFrame({"vessel": positions["vessel"].to_numpy(), "day": day}).groupby(
        ["vessel", "day"], sort=True).size()
    ymax = max(1, int(counts.max()) if len(counts) else 1)
    used: dict[str, dict] = {}
    axes = []
    for i, v in enumerate(vessels):
        ax = _axes_in(fig, 1.0, top + i * (lane_h + lane_gap), WIDTH_IN - 1.0 - RIGHT_IN, lane_h)
        axes.append(ax)
        _date_axis(ax, window, labels=(i == len(vessels) - 1))
        ax.set_ylim(0, ymax * 1.18)
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))
        ax.tick_params(axis="y", length=0)
        c = counts.loc[v] if v in counts.index.get_level_values(0) else pd.Series(dtype=int)
        if len(c):
            x = _num(c.index)
            ax.bar(x, c.to_numpy(), width=0.85, align="edge", color=_ship_color(v), lw=0,
                   zorder=3, gid=f"bars-{v}")
        n_days = int((c > 0).sum()) if len(c) else 0
        ax.set_title(f"{v}", loc="left", color=SHIP_COLORS.get(v, INK), fontsize=12, pad=3)
        ax.text(1.0, 1.02, f"AIS heard on {n_days} days", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=8.5, color=MUTED)
        ax.set_ylabel("positions\nper day", fontsize=8.5, color=MUTED)
        if dark_periods is not None and len(dark_periods):
            d = dark_periods[dark_periods["vessel"] == v]
            cls = d["class"] if "class" in d.columns else pd.Series("unassessed", index=d.index)
            for s0, s1, k in zip(d["start_ts"], d["end_ts"], cls):
                st = DARK_STYLE.get(k, _DARK_UNKNOWN)
                a, b = _num(s0), _num(s1)
                ax.add_patch(Rectangle((a, 0), b - a, ymax * 1.18, facecolor=st["facecolor"],
                                       hatch=st["hatch"], edgecolor="#8A8A8A", lw=0, zorder=1,
                                       gid=f"dark-{v}-{k}"))
                used[st["label"]] = st
                days = (pd.Timestamp(s1) - pd.Timestamp(s0)) / pd.Timedelta(days=1)
                if days >= min_label_days:
                    ax.text((a + b) / 2, ymax * 1.1, f"no AIS for {days:.0f} days",
                            ha="center", va="top", fontsize=8.5, color=INK, fontweight="bold",
                            path_effects=_HALO, zorder=5)
    hs = [(tuple(Patch(facecolor=_ship_color(v)) for v in vessels),
           "AIS positions received per day (UTC)")]
    for lab, st in used.items():
        hs.append((Patch(facecolor=st["facecolor"], hatch=st["hatch"], edgecolor="#8A8A8A",
                         lw=0), lab))
    _legend_below(fig, hs, top + lanes + 0.62, ncols=2)
    return fig


# ---------------------------------------------------------------------------------------------
# Figure 4: imagery coverage calendar
# ---------------------------------------------------------------------------------------------
CLEAR_COLOR, CLOUDY_COLOR = "#4D4D4D", "#C9C9C9"


@use_style()
def coverage_calendar(coverage: pd.DataFrame, sightings: pd.DataFrame | None = None, *,
                      ports: list[str], window, title: str, subtitle: str | None = None,
                      source_line: str, vessels: list[str] | None = None) -> Figure:
    """Per port and day: scenes cloud-clear (dark) or cloudy (light), stacked, with a dot in the
    ship's colour above each day a scene showed that ship (identified sightings).

    coverage: port, date (or datetime), acq_id, clear. sightings: port, datetime, vessel, match.
    """
    vessels = list(vessels or SHIP_COLORS)
    lane_h, lane_gap = 1.25, 0.42
    n_leg = 2 + len(vessels)
    lanes = len(ports) * lane_h + (len(ports) - 1) * lane_gap
    body = lanes + 0.62 + _legend_height(n_leg, 2)
    fig, top = _frame(title, subtitle, source_line, body)
    cov = coverage.copy()
    when = cov["date"] if "date" in cov.columns else cov["datetime"]
    cov["day"] = _utc(pd.to_datetime(when).astype("datetime64[ns]") if not hasattr(
        pd.to_datetime(when).dtype, "tz") else pd.to_datetime(when)).dt.floor("D")
    cov = cov.drop_duplicates(["port", "day", "acq_id"])
    per = cov.groupby(["port", "day", "clear"], sort=True).size().unstack("clear", fill_value=0)
    for k in (True, False):
        if k not in per.columns:
            per[k] = 0
    ymax = max(1, int((per[True] + per[False]).max()) if len(per) else 1)
    seen = None
    if sightings is not None and len(sightings):
        s = sightings[_identified(sightings)]
        seen = pd.DataFrame({"port": s["port"].to_numpy(), "vessel": s["vessel"].to_numpy(),
                             "day": _utc(s["datetime"]).dt.floor("D").to_numpy()}
                            ).drop_duplicates().sort_values(["port", "day", "vessel"])
    for i, port in enumerate(ports):
        ax = _axes_in(fig, 1.0, top + i * (lane_h + lane_gap), WIDTH_IN - 1.0 - RIGHT_IN, lane_h)
        _date_axis(ax, window, labels=(i == len(ports) - 1))
        top_y = ymax + 1.3
        ax.set_ylim(0, top_y)
        ax.set_yticks(range(0, ymax + 1))
        ax.tick_params(axis="y", length=0)
        ax.set_ylabel("scenes\nper day", fontsize=8.5, color=MUTED)
        p = per.loc[port] if port in per.index.get_level_values(0) else None
        n_days = n_clear = 0
        if p is not None and len(p):
            x = _num(p.index)
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
                    ax.plot(_num(d["day"]) + 0.42, np.full(len(d), ymax + 0.45 + 0.45 * j),
                            marker="o", ms=4.2, mfc=_ship_color(v), mec="white", mew=0.5,
                            linestyle="none", zorder=5, gid=f"seen-{port}-{v}")
        ax.set_title(port, loc="left", color=_port_color(port), fontsize=12, pad=3)
        ax.text(1.0, 1.02, f"scenes on {n_days} days, cloud-clear on {n_clear}",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=8.5, color=MUTED)
    hs = [(Patch(facecolor=CLEAR_COLOR), "Scene cloud-clear at the port"),
          (Patch(facecolor=CLOUDY_COLOR), "Scene too cloudy to see the berth")]
    for v in vessels:
        hs.append((Line2D([], [], marker="o", ms=5, mfc=_ship_color(v), mec="white",
                          linestyle="none"), f"A scene showed {v} there (identified)"))
    _legend_below(fig, hs, top + lanes + 0.62, ncols=2)
    return fig


# ---------------------------------------------------------------------------------------------
# Figure 5: containers
# ---------------------------------------------------------------------------------------------
@use_style()
def containers_chart(containers: pd.DataFrame, depot: pd.DataFrame | None = None, *, window,
                     claimed: float = 1000, claim_date=None, origin: str = "Rajin",
                     destination: str = "Dunai",
                     depot_value: str | None = None, depot_label: str | None = None,
                     title: str, subtitle: str | None = None, source_line: str,
                     vessels: list[str] | None = None) -> Figure:
    """Containers counted at each port visit (point, with its low-high range) and the running
    total moved (band from cumulative_low to cumulative_high) against the claimed number;
    depot activity over time in a third panel when `depot` is given.

    containers: vessel, port, visit_id, datetime, counted, low, high, cumulative_low,
    cumulative_high. The running total is drawn from the rows at `destination` (deliveries);
    if none carry it, from all rows. depot: a `date` column and a numeric column
    (`depot_value`, default the first numeric one).
    """
    vessels = list(vessels or SHIP_COLORS)
    panel_h, gap = 1.7, 0.55
    n_panels = 3 if depot is not None and len(depot) else 2
    n_leg = len(vessels) + 4
    panels = n_panels * panel_h + (n_panels - 1) * gap
    body = panels + 0.62 + _legend_height(n_leg)
    fig, top = _frame(title, subtitle, source_line, body)
    w = WIDTH_IN - 1.0 - RIGHT_IN
    c = containers.copy()
    c["datetime"] = _utc(c["datetime"])
    c = c.sort_values(["datetime", "vessel", "port"], kind="stable")

    ax = _axes_in(fig, 1.0, top, w, panel_h)
    _date_axis(ax, window, labels=False)
    ax.set_ylabel("containers\nper visit", fontsize=8.5, color=MUTED)
    ax.set_title("Counted on the quay at each visit", loc="left", fontsize=10.5)
    for (v, port), g in c.groupby(["vessel", "port"], sort=True):
        m = PORT_MARKERS.get(str(port), "D")
        x = _num(g["datetime"])
        y = g["counted"].astype(float).to_numpy()
        lo = y - g["low"].astype(float).to_numpy()
        hi = g["high"].astype(float).to_numpy() - y
        ax.errorbar(x, y, yerr=np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)]),
                    fmt=m, ms=5.5, color=_ship_color(v), mfc=_ship_color(v) if port ==
                    destination else "white", mec=_ship_color(v), mew=1.2, elinewidth=1.0,
                    capsize=0, zorder=4, gid=f"counted-{v}-{port}")
    ax.set_ylim(0, max(1.0, float(c["high"].max()) * 1.12) if len(c) else 1)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))

    ax2 = _axes_in(fig, 1.0, top + panel_h + gap, w, panel_h)
    _date_axis(ax2, window, labels=n_panels == 2)
    ax2.set_ylabel("containers\nmoved, running\ntotal", fontsize=8.5, color=MUTED)
    ax2.set_title(f"Delivered at {destination}, running total with its range",
                  loc="left", fontsize=10.5)
    cum = c[c["port"] == destination].dropna(subset=["cumulative_low", "cumulative_high"])
    if not len(cum):
        cum = c.dropna(subset=["cumulative_low", "cumulative_high"])
    top_val = float(claimed) * 1.25
    if len(cum):
        w1 = _num(window[1])
        x = np.append(_num(cum["datetime"]), w1)
        lo = np.append(cum["cumulative_low"].astype(float).to_numpy(),
                       float(cum["cumulative_low"].iloc[-1]))
        hi = np.append(cum["cumulative_high"].astype(float).to_numpy(),
                       float(cum["cumulative_high"].iloc[-1]))
        ax2.fill_between(x, lo, hi, step="post", color="#9A9A9A", alpha=0.35, lw=0, zorder=2,
                         gid="cumulative-range")
        ax2.step(x, lo, where="post", color=INK, lw=1.6, zorder=3, gid="cumulative-low")
        ax2.annotate(f"at least {lo[-1]:,.0f}\n(up to {hi[-1]:,.0f})", (x[-2], lo[-2]),
                     xytext=(6, -4), textcoords="offset points", ha="left", va="top",
                     fontsize=8.5, fontweight="bold", color=INK, path_effects=_HALO, zorder=6)
        top_val = max(top_val, float(hi.max()) * 1.12)
    ax2.axhline(claimed, color=OKABE_ITO["orange"], lw=1.4, ls=(0, (4, 2)), zorder=4,
                gid="claim")
    ax2.text(_num(window[0]) + 1, claimed, f"claim: more than {claimed:,.0f}", ha="left",
             va="bottom", fontsize=8.5, color="#8A5F00", fontweight="bold", path_effects=_HALO,
             zorder=6)
    if claim_date is not None:
        xd = _num(claim_date)
        ax2.axvline(xd, color="#8A5F00", lw=0.9, ls=":", zorder=4)
        ax2.text(xd, top_val * 0.97, f" claim made\n {pd.Timestamp(claim_date):%-d %b}",
                 ha="left", va="top", fontsize=7.8, color="#8A5F00", zorder=6)
    ax2.set_ylim(0, top_val)
    ax2.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))

    if n_panels == 3:
        ax3 = _axes_in(fig, 1.0, top + 2 * (panel_h + gap), w, panel_h)
        _date_axis(ax3, window)
        dep = depot.copy()
        dcol = "date" if "date" in dep.columns else "datetime"
        dep["_t"] = _utc(dep[dcol])
        val = depot_value or next(k for k in dep.columns if k not in (dcol, "_t")
                                  and pd.api.types.is_numeric_dtype(dep[k]))
        dep = dep.sort_values("_t", kind="stable")
        ax3.plot(_num(dep["_t"]), dep[val].astype(float), color=MUTED, lw=1.4, marker="o",
                 ms=3.5, zorder=3, gid="depot")
        ax3.set_ylabel((depot_label or val.replace("_", " ")).replace(" ", "\n", 1),
                       fontsize=8.5, color=MUTED)
        ax3.set_title("Depot near Tikhoretsk: activity in its own imagery annotations",
                      loc="left", fontsize=10.5)
        ax3.set_ylim(0, max(1.0, float(dep[val].max()) * 1.15))
        ax3.yaxis.set_major_locator(mpl.ticker.MaxNLocator(4, integer=True))

    hs = [(Patch(facecolor=_ship_color(v)), v) for v in vessels]
    hs += [(Line2D([], [], marker="o", ms=5.5, mfc="white", mec=INK, linestyle="none"),
            f"Counted at loading ({origin}); bar: range"),
           (Line2D([], [], marker="s", ms=5.5, mfc=INK, mec=INK, linestyle="none"),
            f"Counted at unloading ({destination}); bar: range"),
           (Patch(facecolor="#9A9A9A", alpha=0.35), "Running total: range (line: lower bound)"),
           (Line2D([], [], color=OKABE_ITO["orange"], lw=1.4, ls=(0, (4, 2))),
            "White House claim, 13 Oct 2023")]
    _legend_below(fig, hs, top + panels + 0.62, ncols=3)
    return fig


# ---------------------------------------------------------------------------------------------
# Figure 6: validation against the imagery revisit interval
# ---------------------------------------------------------------------------------------------
@use_style()
def sensitivity_chart(sensitivity: pd.DataFrame, *, default_revisit: float | None = None,
                      gap_hours: float | None = None, target: float = 0.95, title: str,
                      subtitle: str | None = None, source_line: str) -> Figure:
    """Round-trip recall (left) and precision (right) against the imagery revisit interval,
    one line per cloud probability, at one gap threshold (`gap_hours`, default the smallest).

    sensitivity: revisit_days, cloud_prob, gap_hours, n_truth, n_reconstructed, precision,
    recall.
    """
    s = sensitivity.copy()
    gh = sorted(s["gap_hours"].unique())
    g = gap_hours if gap_hours is not None else gh[0]
    s = s[s["gap_hours"] == g].sort_values(["cloud_prob", "revisit_days"], kind="stable")
    probs = sorted(s["cloud_prob"].unique())
    cmap = mpl.colormaps["cividis"]
    cols = {p: mpl.colors.to_hex(cmap(0.85 - 0.85 * i / max(1, len(probs) - 1)))
            for i, p in enumerate(probs)}
    marks = ["o", "s", "^", "D", "v", "P"]
    n_leg = len(probs) + 1 + (default_revisit is not None)
    panel_h = 2.6
    body = panel_h + 0.6 + _legend_height(n_leg, 3)
    fig, top = _frame(title, subtitle, source_line, body)
    pw = (WIDTH_IN - 0.85 - RIGHT_IN - 0.55) / 2
    xs = sorted(s["revisit_days"].unique())
    for k, (col, lab) in enumerate((("recall", "Recall: true round trips found"),
                                    ("precision", "Precision: found trips that are true"))):
        ax = _axes_in(fig, 0.85 + k * (pw + 0.55), top, pw, panel_h)
        ax.set_title(lab, loc="left", fontsize=10.5)
        ax.set_ylim(-0.03, 1.05)
        ax.set_xlim(0, max(xs) * 1.06 + 0.2 if xs else 1)
        ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("imagery revisit interval (days)", fontsize=8.5,
                      color=MUTED)
        ax.axhline(target, color=OKABE_ITO["orange"], lw=1.2, ls=(0, (4, 2)), zorder=2)
        if default_revisit is not None:
            ax.axvline(default_revisit, color=MUTED, lw=0.9, ls=":", zorder=2)
        for i, p in enumerate(probs):
            d = s[s["cloud_prob"] == p]
            ax.plot(d["revisit_days"], d[col].astype(float), color=cols[p], marker=marks[i % 6],
                    ms=5, lw=1.6, zorder=3 + i, gid=f"{col}-{p:g}")
    hs = [(Line2D([], [], color=cols[p], marker=marks[i % 6], ms=5, lw=1.6),
           f"cloud probability {p:.0%}") for i, p in enumerate(probs)]
    hs.append((Line2D([], [], color=OKABE_ITO["orange"], lw=1.2, ls=(0, (4, 2))),
               f"target {target:.0%}"))
    if default_revisit is not None:
        hs.append((Line2D([], [], color=MUTED, lw=0.9, ls=":"),
                   f"this scenario: {default_revisit:g}-day revisit"))
    leg = _legend_below(fig, hs, top + panel_h + 0.62, ncols=3)
    leg.set_title(f"dark-period threshold {g:g} h", prop={"size": 8.6, "weight": "bold"})
    leg._legend_box.align = "left"
    return fig


# ---------------------------------------------------------------------------------------------
# Figure 7: sighting cards
# ---------------------------------------------------------------------------------------------
_CONF_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


def key_sightings(sightings: pd.DataFrame, ports: list[str], *, vessels: list[str] | None = None,
                  per_group: int = 2) -> pd.DataFrame:
    """The sightings a card grid shows: identified house ships with containers counted at
    `ports`, the `per_group` with most containers per ship and port, in time order."""
    vessels = list(vessels or SHIP_COLORS)
    s = sightings[_identified(sightings) & sightings["vessel"].isin(vessels)
                  & sightings["port"].isin(ports) & sightings["containers"].notna()]
    s = s.sort_values(["vessel", "port", "containers", "datetime", "sighting_id"],
                      ascending=[True, True, False, True, True], kind="stable")
    s = s.groupby(["vessel", "port"], sort=True).head(per_group)
    return s.sort_values(["datetime", "sighting_id"], kind="stable").reset_index(drop=True)


def ship_outline(lon: float, lat: float, length_m: float, heading_deg: float,
                 beam_m: float | None = None) -> np.ndarray:
    """Hull outline (lon, lat) of a ship `length_m` long pointing at `heading_deg` (true)."""
    L = float(length_m)
    B = float(beam_m) if beam_m else L * 0.16
    along = np.array([-L / 2, L / 2 - B, L / 2, L / 2 - B, -L / 2])
    across = np.array([-B / 2, -B / 2, 0.0, B / 2, B / 2])
    h = math.radians(float(heading_deg) if pd.notna(heading_deg) else 0.0)
    east = along * math.sin(h) + across * math.cos(h)
    north = along * math.cos(h) - across * math.sin(h)
    return np.column_stack([lon + east / (111_320.0 * math.cos(math.radians(lat))),
                            lat + north / 111_320.0])


@use_style()
def sighting_cards(cards: pd.DataFrame, acquisitions, ports, land=None, *, title: str,
                   subtitle: str | None = None, source_line: str,
                   beams: dict[str, float] | None = None, ncols: int = 4,
                   half_km: float = 0.25) -> Figure:
    """A grid of berth-scale maps, one per sighting in `cards` (see key_sightings): the scene
    footprint clipped to the view (tinted), the port fence and berth, the ship drawn to its
    estimated length and heading, and below it date, ship, containers, sensor and confidence.

    cards: sightings (sighting_id, acq_id, datetime, port, lat, lon, length_m, heading_deg,
    vessel, id_confidence, containers). acquisitions: GeoDataFrame with acq_id, sensor,
    gsd_m, geometry. ports: GeoDataFrame as for route_map.
    """
    from shapely.geometry import box as sbox

    n = len(cards)
    nrows = max(1, math.ceil(n / ncols))
    gap_x = 0.22
    cw = (WIDTH_IN - LEFT_IN - RIGHT_IN - gap_x * (ncols - 1)) / ncols
    text_h = 0.78
    row_h = cw + text_h + 0.12
    n_leg = 4
    body = nrows * row_h + 0.1 + _legend_height(n_leg, 4)
    fig, top = _frame(title, subtitle, source_line, body)
    acq = acquisitions.set_index("acq_id") if "acq_id" in acquisitions.columns else acquisitions
    pr = {r.port: r for r in _ports_iter(ports)}
    for i, r in enumerate(cards.itertuples(index=False)):
        row, col = divmod(i, ncols)
        ax = _axes_in(fig, LEFT_IN + col * (cw + gap_x), top + row * row_h, cw, cw)
        port = pr.get(r.port)
        lat0 = float(r.lat)
        if port is not None:
            cx = (float(r.lon) + float(port.berth_lon)) / 2
            cy = (float(r.lat) + float(port.berth_lat)) / 2
            dist_km = math.hypot((float(r.lon) - float(port.berth_lon)) * 111.32 *
                                 math.cos(math.radians(lat0)),
                                 (float(r.lat) - float(port.berth_lat)) * 111.32)
        else:
            cx, cy, dist_km = float(r.lon), float(r.lat), 0.0
        hk = max(half_km, dist_km * 0.75 + 0.15)
        dlat, dlon = hk / 111.32, _km_to_dlon(hk, cy)
        ext = (cx - dlon, cx + dlon, cy - dlat, cy + dlat)
        _map_frame(ax, ext, cy)
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
        view = sbox(ext[0], ext[2], ext[1], ext[3])
        if land is not None and len(land):
            clip = land[land.intersects(view)]
            if len(clip):
                clip.clip(view).plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.6,
                                     zorder=1)
                ax.set_xlabel("")
                ax.set_ylabel("")
        ax.set_xlim(ext[0], ext[1])
        ax.set_ylim(ext[2], ext[3])
        covers = False
        if r.acq_id in acq.index:
            a = acq.loc[r.acq_id]
            fp = a.geometry if hasattr(a, "geometry") else a.get("footprint")
            if fp is not None and not fp.is_empty:
                covers = fp.contains(view)
                part = fp.intersection(view)
                for poly in ([] if covers else getattr(part, "geoms", [part])):
                    if poly.is_empty or poly.geom_type != "Polygon":
                        continue
                    xy = np.asarray(poly.exterior.coords)
                    ax.add_patch(MplPolygon(xy, closed=True, facecolor=OKABE_ITO["yellow"],
                                            alpha=0.35, edgecolor="none", zorder=2,
                                            gid="footprint"))
                bd = fp.boundary.intersection(view)
                for ln in getattr(bd, "geoms", [bd]):
                    if not ln.is_empty and ln.geom_type == "LineString":
                        x, y = ln.xy
                        ax.plot(x, y, color="#A08900", lw=1.2, ls=(0, (3, 2)), zorder=3)
            sensor = str(a.get("sensor", a.get("platform", "")))
        else:
            sensor = "scene not in the catalogue"
        if port is not None:
            geom = port.geometry
            for poly in getattr(geom, "geoms", [geom]):
                if poly is not None and not poly.is_empty:
                    ax.add_patch(MplPolygon(np.asarray(poly.exterior.coords), closed=True,
                                            facecolor="none", edgecolor=_port_color(r.port),
                                            lw=1.2, ls=(0, (4, 2)), zorder=4))
            ax.plot([port.berth_lon], [port.berth_lat], marker="P", ms=7, mfc=INK,
                    mec="white", mew=0.8, zorder=6, linestyle="none")
            # label on the side of the berth away from the ship
            ux = (float(port.berth_lon) - float(r.lon)) * math.cos(math.radians(cy))
            uy = float(port.berth_lat) - float(r.lat)
            norm = math.hypot(ux, uy) or 1.0
            ux, uy = (ux / norm, uy / norm) if math.hypot(ux, uy) > 0 else (1.0, 0.0)
            ax.annotate("berth", (port.berth_lon, port.berth_lat),
                        xytext=(9 * ux, 9 * uy), textcoords="offset points",
                        ha="left" if ux >= 0 else "right", va="bottom" if uy >= 0 else "top",
                        fontsize=7.5,
                        color=INK, path_effects=_HALO, zorder=7)
        v = str(r.vessel)
        hull = ship_outline(float(r.lon), float(r.lat), float(r.length_m), r.heading_deg,
                            (beams or {}).get(v))
        ax.add_patch(MplPolygon(hull, closed=True, facecolor=_ship_color(v), edgecolor="white",
                                lw=0.8, zorder=8, gid=f"ship-{v}"))
        ax.text(0.04, 0.96, f"{r.port}", transform=ax.transAxes, ha="left", va="top",
                fontsize=9, fontweight="bold", color=_port_color(r.port), path_effects=_HALO,
                zorder=10)
        ax.text(0.96, 0.96, "whole view inside\nthe scene" if covers else "scene edge\n(dashed)",
                transform=ax.transAxes, ha="right", va="top", fontsize=6.8, color="#7A6A00",
                linespacing=1.05, path_effects=_HALO, zorder=10)
        bar_km = 0.2 if hk < 0.6 else 0.5
        _scale_bar(ax, ext[0] + dlon * 0.1, ext[2] + dlat * 0.16, km=bar_km, nm=0.1 if
                   bar_km == 0.2 else 0.25, fontsize=6.5, km_step=bar_km, nm_step=0.1 if
                   bar_km == 0.2 else 0.25)
        when = pd.Timestamp(r.datetime)
        cont = "n/a" if pd.isna(r.containers) else f"{int(r.containers):,}"
        sensor_short = sensor.replace("simulated ", "sim. ")
        lines = [(f"{v}  {when:%-d %b %Y %H:%M}", _ship_color(v), "bold", 8.6),
                 (f"{cont} containers on the quay", INK, "normal", 8.2),
                 (f"{r.length_m:.0f} m, heading {r.heading_deg:.0f}°; id {r.id_confidence}",
                  MUTED, "normal", 7.6),
                 (_wrap(sensor_short, 7.4, cw).split("\n")[0], MUTED, "normal", 7.4)]
        w_in, h_in = fig.get_size_inches()
        y = top + row * row_h + cw + 0.08
        for text, color, weight, size in lines:
            fig.text((LEFT_IN + col * (cw + gap_x)) / w_in, 1 - y / h_in, text, ha="left",
                     va="top", fontsize=size, color=color, fontweight=weight)
            y += size * 1.3 / 72
    hs = [(tuple(Patch(facecolor=c, edgecolor="white") for c in SHIP_COLORS.values()),
           "Ship, drawn to its estimated length and heading"),
          (Patch(facecolor=OKABE_ITO["yellow"], alpha=0.35), "Inside the scene (when partly)"),
          (Line2D([], [], marker="P", ms=7, mfc=INK, mec="white", linestyle="none"), "Berth"),
          (Patch(facecolor="none", edgecolor=MUTED, ls=(0, (4, 2)), lw=1.2), "Port geofence")]
    _legend_below(fig, hs, top + nrows * row_h + 0.1, ncols=4)
    return fig


__all__ = ["SHIP_COLORS", "PORT_COLORS", "STATE_COLORS", "OKABE_ITO", "use_style", "save",
           "add_title", "add_source_line", "route_map", "timeline", "ais_activity",
           "coverage_calendar", "containers_chart", "sensitivity_chart", "key_sightings",
           "ship_outline", "sighting_cards"]


# ------------------------------------------------------------------------------------------
# Captions and alt text (the report and figures/README.md use these)
# ------------------------------------------------------------------------------------------

CAPTIONS = {
    "fig01_route_map": "The sea route between {origin} and {destination}, each ship's last AIS position "
                       "before it went dark (where it did), and the imagery sightings at each berth. Geofences "
                       "and berths are our own approximations.",
    "fig02_timeline": "Where {ships} were observed, {period}: at {origin}, at {destination}, in transit "
                      "between observations, or unknown; AIS dark periods shaded; identified imagery "
                      "sightings marked; reconstructed round trips numbered (a lower bound).",
}


def alt_route_map(last_positions, sightings, route, origin: str, destination: str) -> str:
    """Alt text for the route map, stating what it shows in numbers."""
    from .geo import length_nm

    parts = [f"Map of the coast from North Korea to Russia's Primorsky Krai with the sea route from "
             f"{origin} to {destination} ({length_nm(route):.0f} nautical miles)."]
    for r in last_positions.itertuples():
        parts.append(f"{r.vessel}'s last AIS position before going dark: {r.lat:.2f} N, {r.lon:.2f} E "
                     f"on {r.ts:%d %b %Y}.")
    if sightings is not None and len(sightings):
        ident = sightings[sightings["match"] == "identified"]
        for port in (origin, destination):
            s = ident[ident["port"] == port]
            per = ", ".join(f"{v} {n}" for v, n in s.groupby("vessel").size().items()) or "none"
            parts.append(f"Identified imagery sightings at {port}: {per}.")
    return " ".join(parts)


def alt_timeline(states, round_trips) -> str:
    """Alt text for the timeline: per ship, time at each port and round trips."""
    parts = ["Timeline, one lane per ship, August to October 2023."]
    for vessel, s in states.groupby("vessel", sort=True):
        days = ((s["end"] - s["start"]) / pd.Timedelta(days=1)).groupby(s["state"]).sum()
        at = "; ".join(f"{k}: {v:.0f} days" for k, v in days.items())
        n = int((round_trips["vessel"] == vessel).sum())
        parts.append(f"{vessel}: at least {n} round trips; {at}.")
    return " ".join(parts)


CAPTIONS.update({
    "fig03_ais_activity": "AIS positions received per day from each ship, {period}, over the "
                          "periods with no AIS, shaded by class: likely switched off (other ships were heard "
                          "nearby at the time) or poor reception.",
    "fig04_coverage": "Satellite scenes of each port per day, cloud-clear (dark) or too cloudy to see the "
                      "berth (light), and the days a scene showed {ships} there (identified by the "
                      "analyst with at least medium confidence).",
    "fig05_containers": "Containers counted on the quay at each identified visit (with the range allowing for "
                        "containers the imagery cannot see) and the running total delivered at the destination, "
                        "against the claim of more than 1,000 containers; depot activity when its annotations "
                        "are available.",
    "fig06_validation": "How the reconstruction holds up when imagery is scarcer: share of the true round trips "
                        "found (recall) and of found trips that are true (precision) as the imagery revisit "
                        "interval grows, for several cloud probabilities (scenario reruns scored against the "
                        "simulated truth).",
    "fig07_sighting_cards": "Key sightings at berth scale, the stand-in for annotated satellite images: each "
                            "card shows the berth, the port fence, the scene's footprint where it cuts the view, "
                            "and the ship drawn to the analyst's estimated length and heading, with date, "
                            "containers counted, sensor and identification confidence.",
})


def caption(name: str, *, ships: list[str], origin: str, destination: str, period: str) -> str:
    """The caption of figure `name` for a run: its ships, route and period filled in."""
    text = CAPTIONS.get(name, name)
    return text.format(ships=" and ".join(ships), origin=origin, destination=destination,
                       period=period)


def alt_ais_activity(positions, dark_periods, vessels) -> str:
    """Alt text for the AIS activity chart: days heard and the longest silence per ship."""
    parts = ["Bar chart of AIS positions received per day for each ship, July to October 2023."]
    days = _utc(positions["ts"]).dt.floor("D")
    for v in vessels:
        n = int(days[positions["vessel"].to_numpy() == v].nunique())
        d = dark_periods[(dark_periods["vessel"] == v)]
        txt = f"{v}: positions on {n} days"
        if len(d):
            r = d.loc[d["hours"].idxmax()]
            txt += (f"; longest silence {r['hours'] / 24:.0f} days, {pd.Timestamp(r['start_ts']):%d %b} "
                    f"to {pd.Timestamp(r['end_ts']):%d %b %Y}, classed {r['class']}")
        parts.append(txt + ".")
    return " ".join(parts)


def alt_coverage(coverage, sightings, ports) -> str:
    """Alt text for the coverage calendar: per port, days with scenes, clear days, ship days."""
    parts = ["Calendar of satellite scenes per port and day."]
    ident = sightings[_identified(sightings)]
    for port in ports:
        c = coverage[coverage["port"] == port]
        days = c["date"].nunique()
        clear = c.loc[c["clear"], "date"].nunique()
        s = ident[ident["port"] == port]
        per = ", ".join(f"{v} on {g['datetime'].dt.floor('D').nunique()} days"
                        for v, g in s.groupby("vessel")) or "no identified ship"
        parts.append(f"{port}: scenes on {days} days, cloud-clear on {clear}; {per}.")
    return " ".join(parts)


def alt_containers(containers, claimed: float, destination: str) -> str:
    """Alt text for the containers chart: visits counted and the running total against the claim."""
    c = containers.dropna(subset=["cumulative_low"])
    c = c[c["port"] == destination] if (c["port"] == destination).any() else c
    parts = [f"Containers counted at {len(containers)} visits."]
    if len(c):
        last = c.sort_values("datetime").iloc[-1]
        parts.append(f"Running total delivered at {destination} by {pd.Timestamp(last['datetime']):%d %b %Y}: "
                     f"at least {last['cumulative_low']:,.0f}, up to {last['cumulative_high']:,.0f}, "
                     f"against the claim of more than {claimed:,.0f}.")
    return " ".join(parts)


def alt_sensitivity(sensitivity, gap_hours: float, target: float = 0.95) -> str:
    """Alt text for the validation chart: recall at each end of the revisit range per cloud level."""
    s = sensitivity[sensitivity["gap_hours"] == gap_hours].sort_values("revisit_days")
    parts = [f"Line charts of round-trip recall and precision against imagery revisit interval "
             f"(dark-period threshold {gap_hours:g} h)."]
    for p, g in s.groupby("cloud_prob"):
        ok = g[g["recall"] >= target]
        parts.append(f"Cloud probability {p:.0%}: recall {g['recall'].iloc[0]:.0%} at {g['revisit_days'].iloc[0]:g} "
                     f"days, {g['recall'].iloc[-1]:.0%} at {g['revisit_days'].iloc[-1]:g} days; at or above "
                     f"{target:.0%} up to {ok['revisit_days'].max():g} days." if len(ok) else
                     f"Cloud probability {p:.0%}: recall never reaches {target:.0%}.")
    return " ".join(parts)


def alt_sighting_cards(cards) -> str:
    """Alt text for the sighting cards: one sentence per card."""
    parts = [f"{len(cards)} small berth-scale maps of key satellite sightings."]
    for r in cards.itertuples(index=False):
        parts.append(f"{r.vessel} at {r.port}, {pd.Timestamp(r.datetime):%d %b %Y}: "
                     f"{int(r.containers) if pd.notna(r.containers) else 'no'} containers on the quay, "
                     f"ship {r.length_m:.0f} m long, identification {r.id_confidence}.")
    return " ".join(parts)
