"""Figure 7, sighting cards: berth-scale maps of the key satellite sightings (the stand-in for
annotated satellite images)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patches import Polygon as MplPolygon
from shapely.geometry import box as sbox

from .charts import legend_below, legend_height
from .maps import berth_marker, fence_outline, km_to_dlon, map_frame, ports_in_order, scale_bar, set_extent
from .palette import COAST, INK, LAND, MUTED, OKABE_ITO, Palette
from .style import HOUSE, Layout, axes_in, frame, halo, use_style, wrap

FOOTPRINT_COLOR, FOOTPRINT_EDGE = OKABE_ITO["yellow"], "#A08900"
TEXT_H = 0.78       # inches of text under each card
GAP_X = 0.22        # inches between cards


def key_sightings(sightings: pd.DataFrame, ports: list[str], *, palette: Palette,
                  vessels: list[str] | None = None, per_group: int = 2) -> pd.DataFrame:
    """The sightings a card grid shows: identified ships of the palette with containers counted
    at `ports`, the `per_group` with most containers per ship and port, in time order.
    vessels: by default the palette's ships."""
    vessels = list(vessels or palette.ships)
    s = sightings[palette.identified(sightings) & sightings["vessel"].isin(vessels)
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


class _View(NamedTuple):
    """A card's map view: extent (lon_min, lon_max, lat_min, lat_max), centre latitude,
    half-width in km and in degrees."""
    ext: tuple[float, float, float, float]
    cy: float
    hk: float
    dlon: float
    dlat: float


def _card_view(r, port, half_km: float) -> _View:
    """The view around the ship and its berth: at least `half_km` from the centre, wide enough
    to show both."""
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
    dlat, dlon = hk / 111.32, km_to_dlon(hk, cy)
    return _View((cx - dlon, cx + dlon, cy - dlat, cy + dlat), cy, hk, dlon, dlat)


def _card_land(ax, land, view) -> None:
    """The land inside the view, clipped to it."""
    if land is None or not len(land):
        return
    clip = land[land.intersects(view)]
    if len(clip):
        clip.clip(view).plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.6, zorder=1)
        ax.set_xlabel("")
        ax.set_ylabel("")


def _card_footprint(ax, acq, acq_id, view) -> tuple[bool, str]:
    """Tint the part of the view inside the scene's footprint (when it cuts the view) and dash
    its edge; returns whether the scene covers the whole view, and its sensor."""
    if acq_id not in acq.index:
        return False, "scene not in the catalogue"
    a = acq.loc[acq_id]
    covers = False
    fp = a.geometry if hasattr(a, "geometry") else a.get("footprint")
    if fp is not None and not fp.is_empty:
        covers = fp.contains(view)
        part = fp.intersection(view)
        for poly in ([] if covers else getattr(part, "geoms", [part])):
            if poly.is_empty or poly.geom_type != "Polygon":
                continue
            xy = np.asarray(poly.exterior.coords)
            ax.add_patch(MplPolygon(xy, closed=True, facecolor=FOOTPRINT_COLOR, alpha=0.35,
                                    edgecolor="none", zorder=2, gid="footprint"))
        bd = fp.boundary.intersection(view)
        for ln in getattr(bd, "geoms", [bd]):
            if not ln.is_empty and ln.geom_type == "LineString":
                x, y = ln.xy
                ax.plot(x, y, color=FOOTPRINT_EDGE, lw=1.2, ls=(0, (3, 2)), zorder=3)
    return covers, str(a.get("sensor", a.get("platform", "")))


def _card_port(ax, r, port, cy: float, palette: Palette) -> None:
    """The port's fence and berth, "berth" written on the side away from the ship."""
    fence_outline(ax, port.geometry, palette.port_color(r.port), lw=1.2)
    berth_marker(ax, port.berth_lon, port.berth_lat, ms=7)
    ux = (float(port.berth_lon) - float(r.lon)) * math.cos(math.radians(cy))
    uy = float(port.berth_lat) - float(r.lat)
    norm = math.hypot(ux, uy) or 1.0
    ux, uy = (ux / norm, uy / norm) if math.hypot(ux, uy) > 0 else (1.0, 0.0)
    ax.annotate("berth", (port.berth_lon, port.berth_lat),
                xytext=(9 * ux, 9 * uy), textcoords="offset points",
                ha="left" if ux >= 0 else "right", va="bottom" if uy >= 0 else "top",
                fontsize=7.5, color=INK, path_effects=halo(), zorder=7)


def _card_marks(ax, r, v: _View, covers: bool, palette: Palette) -> None:
    """Port name, whether the view is inside the scene, and a scale bar."""
    ax.text(0.04, 0.96, f"{r.port}", transform=ax.transAxes, ha="left", va="top",
            fontsize=9, fontweight="bold", color=palette.port_color(r.port), path_effects=halo(),
            zorder=10)
    ax.text(0.96, 0.96, "whole view inside\nthe scene" if covers else "scene edge\n(dashed)",
            transform=ax.transAxes, ha="right", va="top", fontsize=6.8, color="#7A6A00",
            linespacing=1.05, path_effects=halo(), zorder=10)
    bar_km = 0.2 if v.hk < 0.6 else 0.5
    nm = 0.1 if bar_km == 0.2 else 0.25
    scale_bar(ax, v.ext[0] + v.dlon * 0.1, v.ext[2] + v.dlat * 0.16, km=bar_km, nm=nm,
              fontsize=6.5, km_step=bar_km, nm_step=nm)


def _card_text(fig: Figure, r, sensor: str, x_in: float, y_in: float, cw: float,
               palette: Palette) -> None:
    """Under the card: ship and time, containers, length, heading and confidence, sensor."""
    v = str(r.vessel)
    when = pd.Timestamp(r.datetime)
    cont = "n/a" if pd.isna(r.containers) else f"{int(r.containers):,}"
    sensor_short = sensor.replace("simulated ", "sim. ")
    lines = [(f"{v}  {when:%-d %b %Y %H:%M}", palette.ship_color(v), "bold", 8.6),
             (f"{cont} containers on the quay", INK, "normal", 8.2),
             (f"{r.length_m:.0f} m, heading {r.heading_deg:.0f}°; id {r.id_confidence}",
              MUTED, "normal", 7.6),
             (wrap(sensor_short, 7.4, cw).split("\n")[0], MUTED, "normal", 7.4)]
    w_in, h_in = fig.get_size_inches()
    y = y_in
    for text, color, weight, size in lines:
        fig.text(x_in / w_in, 1 - y / h_in, text, ha="left", va="top", fontsize=size,
                 color=color, fontweight=weight)
        y += size * 1.3 / 72


def _draw_card(ax, r, port, acq, land, beams, half_km: float, palette: Palette) -> str:
    """One card's map; returns the scene's sensor."""
    v = _card_view(r, port, half_km)
    map_frame(ax, v.ext, v.cy)
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    view = sbox(v.ext[0], v.ext[2], v.ext[1], v.ext[3])
    _card_land(ax, land, view)
    set_extent(ax, v.ext)
    covers, sensor = _card_footprint(ax, acq, r.acq_id, view)
    if port is not None:
        _card_port(ax, r, port, v.cy, palette)
    ship = str(r.vessel)
    hull = ship_outline(float(r.lon), float(r.lat), float(r.length_m), r.heading_deg,
                        (beams or {}).get(ship))
    ax.add_patch(MplPolygon(hull, closed=True, facecolor=palette.ship_color(ship),
                            edgecolor="white", lw=0.8, zorder=8, gid=f"ship-{ship}"))
    _card_marks(ax, r, v, covers, palette)
    return sensor


@use_style()
def sighting_cards(cards: pd.DataFrame, acquisitions, ports, land=None, *, palette: Palette,
                   title: str, subtitle: str | None = None, source_line: str,
                   beams: dict[str, float] | None = None, ncols: int = 4,
                   half_km: float = 0.25, layout: Layout = HOUSE) -> Figure:
    """A grid of berth-scale maps, one per sighting in `cards` (see key_sightings): the scene
    footprint clipped to the view (tinted), the port fence and berth, the ship drawn to its
    estimated length and heading, and below it date, ship, containers, sensor and confidence.

    cards: sightings (sighting_id, acq_id, datetime, port, lat, lon, length_m, heading_deg,
    vessel, id_confidence, containers). acquisitions: GeoDataFrame with acq_id, sensor,
    gsd_m, geometry. ports: GeoDataFrame as for route_map. palette: the run's colours
    (helpers.figures.Palette).
    """
    nrows = max(1, math.ceil(len(cards) / ncols))
    cw = (layout.width_in - layout.left_in - layout.right_in - GAP_X * (ncols - 1)) / ncols
    row_h = cw + TEXT_H + 0.12
    n_leg = 4
    body = nrows * row_h + 0.1 + legend_height(n_leg, 4)
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    acq = acquisitions.set_index("acq_id") if "acq_id" in acquisitions.columns else acquisitions
    pr = {r.port: r for r in ports_in_order(ports)}
    for i, r in enumerate(cards.itertuples(index=False)):
        row, col = divmod(i, ncols)
        x_in = layout.left_in + col * (cw + GAP_X)
        ax = axes_in(fig, x_in, top + row * row_h, cw, cw)
        sensor = _draw_card(ax, r, pr.get(r.port), acq, land, beams, half_km, palette)
        _card_text(fig, r, sensor, x_in, top + row * row_h + cw + 0.08, cw, palette)
    hs = [(tuple(Patch(facecolor=c, edgecolor="white") for c in palette.ship_colors.values()),
           "Ship, drawn to its estimated length and heading"),
          (Patch(facecolor=FOOTPRINT_COLOR, alpha=0.35), "Inside the scene (when partly)"),
          (Line2D([], [], marker="P", ms=7, mfc=INK, mec="white", linestyle="none"), "Berth"),
          (Patch(facecolor="none", edgecolor=MUTED, ls=(0, (4, 2)), lw=1.2), "Port geofence")]
    legend_below(fig, hs, top + nrows * row_h + 0.1, ncols=4, layout=layout)
    return fig
