"""Figure 1, the route map: ports, sea route, AIS tracks, last AIS fixes before the ships went
dark, imagery sightings at the berths, a locator of the wider region and two berth insets."""

from __future__ import annotations

import math
from typing import NamedTuple

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import geo
from .maps import (
    COUNTRY_LABELS,
    EXTENT,
    LOCATOR_EXTENT,
    LOCATOR_LABELS,
    SEA_LABELS,
    berth_inset,
    context_labels,
    draw_land,
    graticule,
    graticule_step,
    locator,
    locator_size,
    map_frame,
    north_arrow,
    ports_in_order,
    scale_bar,
    scale_lengths,
    set_extent,
)
from .palette import INK, MUTED, UNIDENTIFIED_COLOR, Palette
from .style import (
    HOUSE,
    Layout,
    add_source_line,
    add_title,
    axes_in,
    halo,
    header_height,
    page,
    source_height,
    use_style,
)

INSET_GAP = 0.25        # inches between the berth insets on a narrow page
NARROW_KEY_H = 2.4      # inches the key takes under the insets on a narrow page


class _Box(NamedTuple):
    """Where the parts of the route map sit, in inches from the top-left corner."""
    lat0: float         # the map's mid latitude
    map_w: float
    map_h: float
    top_map: float
    top_insets: float
    inset_h: float
    top_key: float      # below the insets on a narrow page; beside them otherwise


def _page(title: str, subtitle: str | None, source_line: str, extent,
          layout: Layout) -> tuple[Figure, _Box]:
    """The figure, sized for header, map (its height from the extent), insets and source line."""
    lat0 = (extent[2] + extent[3]) / 2
    k = 1 / math.cos(math.radians(lat0))
    map_w = layout.text_width_in
    map_h = map_w * (extent[3] - extent[2]) * k / (extent[1] - extent[0])
    head = header_height(title, subtitle, map_w, layout)
    inset_h = (map_w - INSET_GAP) / 2 if layout.narrow else 2.35
    src_h = source_height(source_line, layout)
    top_map = 0.22 + head + 0.25
    top_insets = top_map + map_h + 0.62
    top_key = top_insets + inset_h + 0.45 if layout.narrow else top_insets
    height = (top_key + NARROW_KEY_H if layout.narrow else top_insets + inset_h) + 0.35 + src_h + 0.2
    fig = page(height, layout)
    add_title(fig, title, subtitle, layout=layout)
    add_source_line(fig, source_line, layout=layout)
    return fig, _Box(lat0, map_w, map_h, top_map, top_insets, inset_h, top_key)


def _main_map(fig: Figure, land, extent, box: _Box, country_labels, sea_labels, layout: Layout):
    """The map axes: sea, land, graticule and the countries' and seas' names."""
    ax = axes_in(fig, layout.left_in, box.top_map, box.map_w, box.map_h)
    map_frame(ax, extent, box.lat0)
    draw_land(ax, land)
    set_extent(ax, extent)
    graticule(ax, extent, graticule_step(extent))
    context_labels(ax, extent, country_labels, sea_labels)
    return ax


def _draw_tracks(ax, tracks, palette: Palette) -> list:
    """AIS tracks in the ship's colour, broken where AIS was silent; the legend entry."""
    if tracks is None or not len(tracks):
        return []
    key = "vessel" if "vessel" in tracks.columns else "mmsi"
    for name, g in tracks.groupby(key, sort=True):
        if "ts" in g.columns:
            g = g.sort_values("ts")
            # break the line where AIS was silent for > 6 h: never draw a fake path
            brk = (pd.to_datetime(g["ts"]).diff() > pd.Timedelta(hours=6)).cumsum()
        else:
            brk = pd.Series(0, index=g.index)
        c = palette.ship_color(name) if key == "vessel" else UNIDENTIFIED_COLOR
        for _, seg in g.groupby(brk):
            ax.plot(seg["lon"], seg["lat"], color=c, lw=0.6, alpha=0.45, zorder=5,
                    solid_capstyle="round")
    return [(Line2D([], [], color=MUTED, lw=0.8, alpha=0.6), "AIS track while transmitting")]


def _draw_route(ax, route) -> list:
    """The sea route, dashed on a white casing; the legend entry with its length."""
    if route is None:
        return []
    xs, ys = route.xy
    ax.plot(xs, ys, color="white", lw=3.2, zorder=6, solid_capstyle="round")
    ax.plot(xs, ys, color=INK, lw=1.3, ls=(0, (5, 2.5)), zorder=7)
    label = f"Sea route, about {geo.length_nm(route):,.0f} nautical miles"
    return [(Line2D([], [], color=INK, lw=1.3, ls=(0, (5, 2.5))), label)]


def _draw_ports(ax, ports, palette: Palette, names_of_others: bool = True) -> list:
    """Berth markers and names; the route's ports bold in their colour (other ports' names only
    when `names_of_others`). The legend entry."""
    port_rows = ports_in_order(ports)
    for r in port_rows:
        main = r.port in palette.route
        c = palette.port_color(r.port) if main else palette.port_colors["other"]
        ax.plot([r.berth_lon], [r.berth_lat], marker="o", ms=7.5 if main else 5,
                mfc="white", mec=c, mew=2.0 if main else 1.2, zorder=13, linestyle="none")
        # label above the berth, unless a port close by sits further north: then below
        crowded = any(o.port != r.port and abs(o.berth_lon - r.berth_lon) < 0.3
                      and 0 < o.berth_lat - r.berth_lat < 0.15 for o in port_rows)
        if not (main or names_of_others):
            continue
        dy = (-7 if crowded else (8 if main else 6))
        ax.annotate(str(r.port), (r.berth_lon, r.berth_lat), xytext=(0, dy),
                    textcoords="offset points", ha="center",
                    va="top" if crowded else "bottom",
                    fontsize=11 if main else 9, fontweight="bold" if main else "normal",
                    color=c, path_effects=halo(), zorder=14)
    return [(Line2D([], [], marker="o", ms=7, mfc="white", mec=INK, mew=1.6, linestyle="none"),
             "Port (berth)")]


def sighting_counts(sightings, palette: Palette) -> dict[str, list[tuple[str, int]]]:
    """Per port: (ship, count) of the sightings there, the palette's ships first, then
    "other" for any ship outside the cast or unidentified."""
    out: dict[str, list[tuple[str, int]]] = {}
    if sightings is None or not len(sightings):
        return out
    ident = palette.identified(sightings)
    for port, s in sightings.groupby("port", sort=True):
        rows = [(ship, int((ident.loc[s.index] & (s["vessel"] == ship)).sum())) for ship in palette.ship_colors]
        rows = [r for r in rows if r[1]]
        other = int((~ident.loc[s.index]).sum())
        out[port] = rows + ([("other", other)] if other else [])
    return out


def badge_text(counts: list[tuple[str, int]]) -> str:
    """The count badge: "52 satellite sightings" over "ANGARA 29 · MARIA 23"."""
    total = sum(n for _, n in counts)
    per = " · ".join(f"{ship} {n}" for ship, n in counts)
    return f"{total} satellite sighting{'s' if total != 1 else ''}\n{per}"


def _draw_sightings(ax, sightings, ports, palette: Palette, extent, short: bool = False) -> list:
    """A count badge beside each berth with sightings, tied to it by a leader line: how many
    times imagery saw which ship there (a count, never drawn as positions)."""
    counts = sighting_counts(sightings, palette)
    if not counts:
        return []
    pr = {r.port: r for r in ports_in_order(ports)}
    for port, rows in counts.items():
        if port not in pr:
            continue
        lon, lat = float(pr[port].berth_lon), float(pr[port].berth_lat)
        east = (lon - extent[0]) / (extent[1] - extent[0]) > 0.5      # badge toward the map's middle
        c = palette.port_color(port)
        text = f"{sum(n for _, n in rows)} sightings" if short else badge_text(rows)
        ax.annotate(text, (lon, lat), xytext=(-10 if east else 16, -26 if east else -30),
                    textcoords="offset points", ha="right" if east else "left", va="top",
                    fontsize=8.5, color=INK, linespacing=1.25, zorder=17, gid=f"badge-{port}",
                    bbox=dict(boxstyle="round,pad=0.35", facecolor="white", edgecolor=c, lw=1.2),
                    arrowprops=dict(arrowstyle="-", color=c, lw=1.0, shrinkA=0, shrinkB=5))
    return [(Patch(facecolor="white", edgecolor=MUTED, lw=1.0),
             "Satellite-image sightings at the berth\n(a count, not positions)")]


def _draw_last_positions(ax, last_positions, palette: Palette, extent, narrow: bool = False) -> list:
    """Each ship's last AIS position before it went dark, labelled with the time (UTC); on a
    narrow page the label is shorter and sits toward the map's middle."""
    if last_positions is None or not len(last_positions):
        return []
    lp = last_positions.sort_values(["vessel", "ts"]).groupby("vessel").tail(1)
    for i, r in enumerate(lp.itertuples(index=False)):
        c = palette.ship_color(r.vessel)
        ax.plot([r.lon], [r.lat], marker="D", ms=7.5, mfc=c, mec="white", mew=1.0,
                zorder=15, linestyle="none")
        when = pd.Timestamp(r.ts).tz_convert("UTC") if pd.Timestamp(r.ts).tzinfo else \
            pd.Timestamp(r.ts)
        label = (f"{r.vessel}: last AIS\n{when:%-d %b, %H:%M} UTC" if narrow else
                 f"{r.vessel}: last AIS signal\n{when:%-d %b %Y, %H:%M} UTC")
        dy = (14 if narrow else 26) if i % 2 == 0 else -34
        west = not narrow
        ax.annotate(label, (r.lon, r.lat), xytext=(14 if west else -14, dy), textcoords="offset points",
                    ha="left" if west else "right", va="center", fontsize=8.5, color=c, fontweight="bold",
                    linespacing=1.15, path_effects=halo(), zorder=16,
                    arrowprops=dict(arrowstyle="-", color=c, lw=0.8, shrinkA=0, shrinkB=4))
    return [(tuple(Line2D([], [], marker="D", ms=6, mfc=c, mec="white", linestyle="none")
                   for c in palette.ship_colors.values()),
             "Last AIS position before the\ntransponder went dark")]


def _add_locator(fig: Figure, extent, box: _Box, region_land, region_borders, locator_extent,
                 locator_labels, layout: Layout) -> None:
    """The locator inset, lower right over the sea."""
    loc_w = (1.8 if region_land is not None else 1.55) * (0.62 if layout.narrow else 1)
    loc_h = locator_size(loc_w, locator_extent)
    axl = axes_in(fig, layout.left_in + box.map_w - loc_w - 0.08,
                  box.top_map + box.map_h - loc_h - 0.08, loc_w, loc_h)
    axl.set_gid("locator")
    locator(axl, extent, region_land, region_borders, locator_extent=locator_extent,
            labels=locator_labels)


def _add_berth_insets(fig: Figure, land, ports, sightings, palette: Palette, box: _Box,
                      layout: Layout) -> float:
    """An inset of the origin's and the destination's berth; returns the inches they take
    from the left edge (where the key starts)."""
    by_name = {r.port: r for r in ports_in_order(ports)}
    x = layout.left_in
    for r in (by_name[p] for p in palette.route if p in by_name):
        axi = axes_in(fig, x, box.top_insets, box.inset_h, box.inset_h)
        berth_inset(axi, land, r, sightings, palette, short=layout.narrow)
        x += box.inset_h + (INSET_GAP if layout.narrow else 0.3)
    return x


def _add_key(fig: Figure, handles: list, palette: Palette, x: float, top_insets: float) -> None:
    """The key beside the insets: the ships, then what the map draws."""
    ship_handles = [(Patch(facecolor=palette.ship_color(name), edgecolor="none"), name)
                    for name in palette.ships]
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


@use_style()
def route_map(land, ports, *, palette: Palette, route=None, last_positions=None,
              sightings=None, tracks=None, region_land=None, region_borders=None, title: str,
              subtitle: str | None = None, source_line: str,
              extent: tuple[float, float, float, float] = EXTENT,
              country_labels=COUNTRY_LABELS, sea_labels=SEA_LABELS,
              locator_extent: tuple[float, float, float, float] = LOCATOR_EXTENT,
              locator_labels=LOCATOR_LABELS, layout: Layout = HOUSE) -> Figure:
    """Map of the shuttle: ports, sea route, last AIS fixes, imagery sightings, berth insets.

    land: GeoDataFrame of land polygons (EPSG:4326). ports: GeoDataFrame with port, role
    ("origin"/"destination"/"other"), berth_lon, berth_lat and the geofence polygon as geometry.
    palette: the run's colours (helpers.figures.Palette); its route's ports get the insets.
    route: shapely LineString (lon, lat). last_positions: vessel, ts, lat, lon. sightings:
    canonical sightings (with vessel, match). tracks: AIS positions (mmsi or vessel, lat, lon,
    optional ts). extent: (lon_min, lon_max, lat_min, lat_max) (another region:
    helpers.figures.maps.route_extent); its scale bar and grid follow it. region_land, region_borders:
    coarse land polygons and border lines of the wider region for the locator inset
    (helpers.geo.load_region_land); None draws the locator without land.
    The region's labels are data, the Rajin-Dunai region's by default: country_labels and
    sea_labels (text, lon, lat) on the map where inside the extent; locator_extent (another
    region: maps.locator_extent_for) and locator_labels (text, lon, lat, sea; drawn where inside
    it) of the locator inset.
    """
    fig, box = _page(title, subtitle, source_line, extent, layout)
    ax = _main_map(fig, land, extent, box, country_labels, () if layout.narrow else sea_labels, layout)
    narrow = layout.narrow      # a phone: fewer names, short labels, no locator inset
    handles = [*_draw_tracks(ax, tracks, palette), *_draw_route(ax, route),
               *_draw_ports(ax, ports, palette, not narrow),
               *_draw_sightings(ax, sightings, ports, palette, extent, narrow),
               *_draw_last_positions(ax, last_positions, palette, extent, layout.narrow)]
    km, nm, km_step, nm_step = scale_lengths(extent)
    height = extent[3] - extent[2]
    scale_bar(ax, extent[0] + (extent[1] - extent[0]) * (0.62 if narrow else 0.25),
              extent[2] + (0.14 if height >= 1.5 else 0.0875 * height), km=km, nm=nm,
              km_step=km if narrow else km_step, nm_step=nm if narrow else nm_step)
    north_arrow(ax, 0.03, 0.93)
    if narrow:                  # latitudes would fall off the page's narrow margin
        ax.tick_params(axis="y", labelleft=False)
    else:
        _add_locator(fig, extent, box, region_land, region_borders, locator_extent, locator_labels,
                     layout)
    x = _add_berth_insets(fig, land, ports, sightings, palette, box, layout)
    _add_key(fig, handles, palette, layout.left_in - 0.02 if layout.narrow else x, box.top_key)
    return fig
