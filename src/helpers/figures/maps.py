"""Map pieces the figures share: land, frame, graticule, scale bar, north arrow, context labels,
the locator inset and the berth insets; and the Rajin-Dunai region's labels (data, passed in).

Maps are drawn in lon/lat (EPSG:4326) with the aspect set for the map's mid latitude.
"""

from __future__ import annotations

import math

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.patches import Rectangle

from .framing import mark_corner
from .palette import COAST, INK, LAND, MUTED, UNIDENTIFIED_COLOR, WATER, Palette
from .style import halo

# ---------------------------------------------------------------------------------------------
# The Rajin-Dunai region: the route map's default extent and context labels (lon, lat). Another
# region passes its own to helpers.figures.route_map.
# ---------------------------------------------------------------------------------------------
EXTENT = (129.8, 133.2, 41.7, 43.3)                # lon_min, lon_max, lat_min, lat_max
COUNTRY_LABELS = (("RUSSIA", 131.05, 43.17), ("CHINA", 130.12, 43.05),
                  ("NORTH KOREA", 129.88, 42.45))
SEA_LABELS = (("Sea of Japan\n(East Sea)", 131.45, 42.1), ("Peter the Great Gulf", 131.62, 42.96))
LOCATOR_EXTENT = (120.0, 142.0, 33.0, 48.0)
LOCATOR_LABELS = (("RUSSIA", 134.0, 46.4, False), ("CHINA", 124.2, 44.2, False),  # (text, lon, lat, sea)
                  ("NORTH\nKOREA", 126.9, 40.2, False), ("SOUTH\nKOREA", 127.9, 36.4, False),
                  ("JAPAN", 139.2, 36.2, False), ("Sea of Japan\n(East Sea)", 134.6, 40.3, True))


# ---------------------------------------------------------------------------------------------
# Another region: the framing computed from the route, its ports and the run's land files
# ---------------------------------------------------------------------------------------------

def _contains(outer, inner) -> bool:
    """True when extent `inner` lies inside extent `outer` (lon_min, lon_max, lat_min, lat_max)."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and inner[3] <= outer[3]


def route_extent(lon, lat, clip=None, *, default=EXTENT, margin: float = 0.2,
                 min_km: float = 20.0, aspect=(0.45, 1.0)) -> tuple[float, float, float, float]:
    """The route map's extent (lon_min, lon_max, lat_min, lat_max) for the points (lon, lat) it
    must show (the route and its ports' berths). `default` (the Rajin-Dunai framing) when it
    holds them all; else their bounds plus `margin` of the span on each side (at least
    `min_km` across), widened to a height/width ratio (in km) within `aspect`, and cut to
    `clip` (lon_min, lat_min, lon_max, lat_max: the coastline clip's bounds, beyond which the
    map knows no land)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if all(inside(default, x, y) for x, y in zip(lon, lat)):
        return default
    x0, x1, y0, y1 = lon.min(), lon.max(), lat.min(), lat.max()
    lat0 = (y0 + y1) / 2
    kx = 111.32 * math.cos(math.radians(lat0))           # km per degree of longitude
    w_km = max((x1 - x0) * kx * (1 + 2 * margin), min_km)
    h_km = max((y1 - y0) * 111.32 * (1 + 2 * margin), min_km)
    h_km = min(max(h_km, aspect[0] * w_km), max(h_km, aspect[1] * w_km))
    w_km = max(w_km, h_km / aspect[1])
    cx, cy = (x0 + x1) / 2, lat0
    ext = [cx - w_km / kx / 2, cx + w_km / kx / 2, cy - h_km / 111.32 / 2, cy + h_km / 111.32 / 2]
    if clip is not None:
        ext = [max(ext[0], clip[0]), min(ext[1], clip[2]), max(ext[2], clip[1]), min(ext[3], clip[3])]
    return tuple(round(float(v), 3) for v in ext)


def locator_extent_for(extent, region_bounds=None, *, default=LOCATOR_EXTENT,
                       min_deg: float = 8.0) -> tuple[float, float, float, float]:
    """The locator inset's extent around the map `extent`: `default` (the Rajin-Dunai region)
    when it holds the map; else the bounds of the run's locator land (`region_bounds`, lon_min,
    lat_min, lon_max, lat_max) when they hold it; else `min_deg` degrees (or four map spans)
    around it."""
    if _contains(default, extent):
        return default
    if region_bounds is not None:
        rb = (region_bounds[0], region_bounds[2], region_bounds[1], region_bounds[3])
        if _contains(rb, extent):
            return tuple(float(v) for v in rb)
    cx, cy = (extent[0] + extent[1]) / 2, (extent[2] + extent[3]) / 2
    half = max(min_deg, 4 * (extent[1] - extent[0]), 4 * (extent[3] - extent[2])) / 2
    return (max(-180.0, cx - half), min(180.0, cx + half), max(-85.0, cy - half * 0.7),
            min(85.0, cy + half * 0.7))


def _nice_floor(x: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above x."""
    k = 10 ** math.floor(math.log10(x))
    return max(m * k for m in (1, 2, 5) if m * k <= x)


def scale_lengths(extent) -> tuple[float, float, float, float]:
    """(km, nm, km_step, nm_step) of a map's scale bar: about a quarter of its width in km and a
    sixth in nautical miles, rounded down to 1-2-5 (the Rajin-Dunai map: 50 km, 20 nm)."""
    width_km = (extent[1] - extent[0]) * 111.32 * math.cos(math.radians((extent[2] + extent[3]) / 2))
    km, nm = _nice_floor(width_km / 4), _nice_floor(width_km / 1.852 / 6)
    return km, nm, km / 2, nm / 2


def graticule_step(extent) -> float:
    """Degrees between grid lines: 0.5 on a map a few degrees across, finer on smaller ones."""
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    return 0.5 if span >= 2 else 0.2 if span >= 0.8 else 0.1


def km_to_dlon(km: float, lat: float) -> float:
    """Degrees of longitude that `km` kilometres span at latitude `lat`."""
    return km / (111.32 * math.cos(math.radians(lat)))


def inside(extent, lon, lat) -> bool:
    """True when (lon, lat) lies strictly inside `extent`."""
    return extent[0] < lon < extent[1] and extent[2] < lat < extent[3]


def draw_land(ax, land) -> None:
    """Land polygons (a GeoDataFrame in EPSG:4326), if any."""
    if land is None or len(land) == 0:
        return
    land.plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.45, zorder=1)
    ax.set_xlabel("")
    ax.set_ylabel("")


def map_frame(ax, extent, lat0: float) -> None:
    """Sea background, limits `extent`, equal-distance aspect at latitude `lat0`, grey frame."""
    ax.set_facecolor(WATER)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / math.cos(math.radians(lat0)), adjustable="box")
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#9A9A9A")
        s.set_linewidth(0.6)


def set_extent(ax, extent) -> None:
    """Limits back to `extent` (lon_min, lon_max, lat_min, lat_max), e.g. after drawing land."""
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])


def graticule(ax, extent, step: float = 0.5) -> None:
    """White grid lines and degree labels (E, N) every `step` degrees."""
    ax.grid(True, color="white", lw=0.7, alpha=0.9)
    ax.set_xticks(np.arange(math.ceil(extent[0] / step) * step, extent[1] + 1e-9, step))
    ax.set_yticks(np.arange(math.ceil(extent[2] / step) * step, extent[3] + 1e-9, step))
    ax.xaxis.set_major_formatter(lambda v, p: f"{v:g}°E")
    ax.yaxis.set_major_formatter(lambda v, p: f"{v:g}°N")
    ax.tick_params(labelsize=8, colors="#8A8A8A", length=0, pad=3)


def scale_bar(ax, lon0: float, lat0: float, km: float, nm: float, *, fontsize=8.0,
              km_step=None, nm_step=None, box=True) -> None:
    """Bar with km ticks above and nautical-mile ticks below, drawn in data coordinates.

    The bar is `km` long; nm ticks run every `nm_step` up to `nm` (<= the bar)."""
    km_step = km_step or km / 2
    nm_step = nm_step or nm / 2
    length = km_to_dlon(km, lat0)
    h = (ax.get_ylim()[1] - ax.get_ylim()[0])
    tick = h * 0.018
    kw = dict(color=INK, lw=1.0, solid_capstyle="butt", zorder=20)
    if box:
        ax.add_patch(Rectangle((lon0 - length * 0.1, lat0 - tick * 4.2), length * 1.3,
                               tick * 8.6, facecolor="white", edgecolor="none", alpha=0.75,
                               zorder=19))
    ax.plot([lon0, lon0 + length], [lat0, lat0], **kw)
    for k in np.arange(0, km + 1e-9, km_step):
        x = lon0 + km_to_dlon(k, lat0)
        ax.plot([x, x], [lat0, lat0 + tick], **kw)
        ax.text(x, lat0 + tick * 1.4, f"{k:g}" + (" km" if k == km else ""), ha="center",
                va="bottom", fontsize=fontsize, color=INK, zorder=20)
    for n in np.arange(0, nm + 1e-9, nm_step):
        x = lon0 + km_to_dlon(n * 1.852, lat0)
        ax.plot([x, x], [lat0, lat0 - tick], **kw)
        ax.text(x, lat0 - tick * 1.4, f"{n:g}" + (" nm" if n == nm else ""), ha="center",
                va="top", fontsize=fontsize, color=INK, zorder=20)


def north_arrow(ax, x: float, y: float) -> None:
    """An arrow pointing up with an N above it, at (x, y) in axes fraction."""
    ax.annotate("", xy=(x, y), xytext=(x, y - 0.085), xycoords="axes fraction",
                arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.7", color=INK,
                                lw=1.3), zorder=25)
    ax.text(x, y + 0.01, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=10,
            fontweight="bold", color=INK, path_effects=halo(), zorder=25)


def context_labels(ax, extent, country_labels, sea_labels) -> None:
    """Country names (text, lon, lat) and sea names, each drawn only when inside `extent`."""
    for text, lon, lat in country_labels:
        if inside(extent, lon, lat):
            ax.text(lon, lat, text, ha="left" if lon - extent[0] < 0.3 else "center",
                    va="center", fontsize=9.5, color="#8C8C8C",
                    fontweight="bold", path_effects=halo(), zorder=4)
    for text, lon, lat in sea_labels:
        if inside(extent, lon, lat):
            ax.text(lon, lat, text, ha="center", va="center", fontsize=9, color="#5F86A6",
                    style="italic", linespacing=1.15, zorder=4)


def locator_size(width_in: float, locator_extent) -> float:
    """Height in inches of a locator `width_in` wide showing `locator_extent`."""
    lo = locator_extent
    return width_in * (lo[3] - lo[2]) / math.cos(math.radians((lo[2] + lo[3]) / 2)) / (lo[1] - lo[0])


def _locator_frame(ax, lo, has_land: bool) -> None:
    """The locator's limits, aspect, a grid every 5 degrees and its frame."""
    ax.set_xlim(lo[0], lo[1])
    ax.set_ylim(lo[2], lo[3])
    ax.set_aspect(1 / math.cos(math.radians((lo[2] + lo[3]) / 2)), adjustable="box")
    ax.set_xticks(np.arange(math.floor(lo[0] / 5) * 5 + 5, lo[1], 5))
    ax.set_yticks(np.arange(math.floor(lo[2] / 5) * 5 + 5, lo[3], 5))
    ax.tick_params(length=0, labelbottom=False, labelleft=False)
    ax.grid(True, color="white" if has_land else "#DDDDDD", lw=0.5)
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#6A6A6A" if has_land else "#8A8A8A")
        s.set_linewidth(0.8 if has_land else 0.6)
        if has_land:    # a white rim keeps the inset apart from the main map's land and sea
            s.set_path_effects([pe.Stroke(linewidth=3.2, foreground="white"), pe.Normal()])


def locator(ax, extent, land=None, borders=None, *, locator_extent=LOCATOR_EXTENT,
            labels=LOCATOR_LABELS) -> None:
    """The wider region (`locator_extent`) with a box for the map area `extent`. `land`
    (polygons) and `borders` (lines) are optional GeoDataFrames in EPSG:4326
    (helpers.geo.load_region_land); without land the inset is a plain grid with labels.
    `labels`: (text, lon, lat, sea) with sea True for a sea's name."""
    lo = locator_extent
    has_land = land is not None and len(land) > 0
    ax.set_facecolor(WATER if has_land else "#F5F5F2")
    if has_land:
        land.plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.35, zorder=1)
        if borders is not None and len(borders):
            borders.plot(ax=ax, color="#8F8E89", linewidth=0.45, linestyle=(0, (3, 1.5)),
                         zorder=2)
        ax.set_xlabel("")
        ax.set_ylabel("")
    _locator_frame(ax, lo, has_land)
    small_halo = [pe.withStroke(linewidth=1.6, foreground="white")] if has_land else None
    for text, lon, lat, sea in labels:
        if not inside(lo, lon, lat):        # another region's locator: only its own labels
            continue
        ax.text(lon, lat, text, ha="center", va="center", fontsize=6.2, linespacing=1.05,
                color="#5F86A6" if sea else "#6E6E6E", style="italic" if sea else "normal",
                fontweight="normal" if sea else "bold",
                path_effects=None if sea else small_halo, zorder=4)
    ax.add_patch(Rectangle((extent[0], extent[2]), extent[1] - extent[0],
                           extent[3] - extent[2], facecolor="none", edgecolor=INK, lw=1.2,
                           zorder=5))
    ax.text(extent[1] + 0.5, extent[3] + 0.4, "Map area", ha="left", va="bottom",
            fontsize=6.2, color=INK, path_effects=small_halo, zorder=5)


def ports_in_order(ports) -> list:
    """Rows of the ports table: origin, destination, then the others by name."""
    role_order = {"origin": 0, "destination": 1}
    rows = list(ports.itertuples(index=False))
    return sorted(rows, key=lambda r: (role_order.get(getattr(r, "role", "other"), 2),
                                       str(r.port)))


def fence_outline(ax, geom, color, *, fill_alpha: float | None = None, lw: float = 1.4,
                  zorder: int = 4) -> None:
    """A port's geofence (polygon or multipolygon): dashed outline, optionally tinted inside."""
    for poly in getattr(geom, "geoms", [geom]):
        if poly is None or poly.is_empty:
            continue
        xy = np.asarray(poly.exterior.coords)
        if fill_alpha is not None:
            ax.add_patch(MplPolygon(xy, closed=True, facecolor=color, alpha=fill_alpha,
                                    edgecolor="none", zorder=zorder - 1))
        ax.add_patch(MplPolygon(xy, closed=True, facecolor="none", edgecolor=color,
                                lw=lw, ls=(0, (4, 2)), zorder=zorder))


def berth_marker(ax, lon: float, lat: float, ms: float) -> None:
    """The berth: a dark plus sign with a white rim."""
    ax.plot([lon], [lat], marker="P", ms=ms, mfc=INK, mec="white", mew=0.8, zorder=6,
            linestyle="none")


def _inset_counts(s, palette: Palette) -> list[tuple[str, str]]:
    """(text, colour) per ship of the palette sighted in `s`, then other/unidentified."""
    ident = palette.identified(s)
    counts = []
    for ship in palette.ship_colors:
        n = int((ident & (s["vessel"] == ship)).sum())
        if n:
            counts.append((f"{ship} {n}", palette.ship_colors[ship]))
    n_other = int((~ident).sum())
    if n_other:
        counts.append((f"other/unidentified {n_other}", MUTED))
    return counts


def berth_inset(ax, land, port_row, sightings, palette: Palette, half_km: float = 2.0,
                short: bool = False) -> None:
    """A map `2 * half_km` across around a port's berth: land, geofence, berth, the sightings
    there in their ship's colour and their count per ship. `short`: a short title (a phone)."""
    lon0, lat0 = float(port_row.berth_lon), float(port_row.berth_lat)
    dlat = half_km / 111.32
    dlon = km_to_dlon(half_km, lat0)
    ext = (lon0 - dlon, lon0 + dlon, lat0 - dlat, lat0 + dlat)
    map_frame(ax, ext, lat0)
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    draw_land(ax, land)
    set_extent(ax, ext)
    color = palette.port_color(port_row.port)
    geom = port_row.geometry
    if geom is not None and not geom.is_empty:
        fence_outline(ax, geom, color, fill_alpha=0.10)
    berth_marker(ax, lon0, lat0, ms=8)
    ax.annotate("berth", (lon0, lat0), xytext=(7, 6), textcoords="offset points", fontsize=8,
                color=INK, path_effects=halo(), zorder=7)
    counts = []
    if sightings is not None and len(sightings):
        s = sightings[sightings["port"] == port_row.port]
        if len(s):
            ident = palette.identified(s)
            cols = [(palette.ship_color(v) if ok else UNIDENTIFIED_COLOR)
                    for v, ok in zip(s["vessel"], ident)]
            ax.scatter(s["lon"], s["lat"], s=34, c=cols, edgecolors="white", linewidths=0.7,
                       zorder=8)
            counts = _inset_counts(s, palette)
    ax.set_title(f"{port_row.port} berth" if short else f"{port_row.port}: berth and geofence",
                 fontsize=10, color=color, pad=4)
    # sighting counts, one line each, top-left in a white box
    y = 0.965
    for text, c in counts:
        ax.text(0.035, y, text, transform=ax.transAxes, ha="left", va="top", fontsize=7.8,
                color=c, fontweight="bold", path_effects=halo(), zorder=10)
        y -= 0.085
    scale_bar(ax, ext[0] + dlon * 0.12, ext[2] + dlat * 0.14, km=1, nm=0.5, fontsize=7,
              km_step=1 if short else 0.5, nm_step=0.5)
    mark_corner(ax, "lower right")      # the counts sit upper left
