"""Figure 7, sighting cards: the key satellite sightings, one card per ship's stay, one row per
port. A card shows the image itself when the scene has a raster asset (a chip read with
helpers.imagery.chips: north up, scale bar, the ship and the container stack annotated,
provider and date credited); otherwise a berth-scale schematic, and says so. Each port's row
opens, when one exists, with the last image of the berth without the ship before the first stay
shown: a before/after pair (empty quay, then containers)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patches import Polygon as MplPolygon
from shapely.geometry import Point
from shapely.geometry import box as sbox

from ..imagery.chips import read_chip
from .charts import legend_below, legend_height
from .maps import berth_marker, fence_outline, km_to_dlon, map_frame, ports_in_order, scale_bar, set_extent
from .palette import COAST, INK, LAND, MUTED, OKABE_ITO, Palette
from .style import HOUSE, Layout, axes_in, frame, use_style, wrap

FOOTPRINT_COLOR, FOOTPRINT_EDGE = OKABE_ITO["yellow"], "#A08900"
STACK_COLOR = OKABE_ITO["orange"]
SIM_RED = "#C0392B"
TEXT_H = 0.62       # inches of text under each card
GAP_X = 0.22        # inches between cards
STAY_GAP = pd.Timedelta(hours=36)   # sightings further apart than this are different stays
CHIP_HALF_M = 110.0
BERTH_M = 100.0     # a sighting this close to the berth point: the berth is taken


def _stays(s: pd.DataFrame) -> pd.Series:
    """A stay number per sighting: the same ship at the same port, no two consecutive
    sightings more than STAY_GAP apart."""
    s = s.sort_values(["vessel", "port", "datetime", "sighting_id"], kind="stable")
    new = (s["vessel"] != s["vessel"].shift()) | (s["port"] != s["port"].shift()) \
        | (s["datetime"].diff() > STAY_GAP)
    return new.cumsum().reindex(s.index)


def key_sightings(sightings: pd.DataFrame, ports: list[str], *, palette: Palette,
                  vessels: list[str] | None = None, per_group: int = 1,
                  with_image: set[str] | None = None) -> pd.DataFrame:
    """The sightings a card grid shows: identified ships of the palette with containers counted
    at `ports`; per ship and port, `per_group` distinct stays (those with most containers), one
    sighting each (the one with most containers), in time order. with_image: acquisition ids
    with a raster; a sighting in one of them is preferred, the stay first, then the sighting.
    vessels: by default the palette's ships."""
    vessels = list(vessels or palette.ships)
    s = sightings[palette.identified(sightings) & sightings["vessel"].isin(vessels)
                  & sightings["port"].isin(ports) & sightings["containers"].notna()].copy()
    s["stay_"] = _stays(s)
    s["image_"] = s["acq_id"].isin(with_image or set())
    order = dict(by=["image_", "containers", "datetime", "sighting_id"], ascending=[False, False, True, True])
    best = s.sort_values(kind="stable", **order).groupby("stay_", sort=False).head(1)
    best = best.sort_values(kind="stable", **order).groupby(["vessel", "port"], sort=True).head(per_group)
    return best.drop(columns=["stay_", "image_"]).sort_values(["datetime", "sighting_id"], kind="stable") \
        .reset_index(drop=True)


def before_scenes(cards: pd.DataFrame, acquisitions, sightings: pd.DataFrame, ports,
                  chips: dict[str, str]) -> pd.DataFrame:
    """Per port of `cards`, the last scene with a raster (in `chips`) covering the berth before
    the port's first card, in which the analyst saw no ship within BERTH_M of the berth point:
    the "before" image (empty quay).
    Columns acq_id, port, datetime, sensor, provider."""
    acq = acquisitions.reset_index() if "acq_id" not in acquisitions.columns else acquisitions
    pr = {r.port: r for r in ports_in_order(ports)}
    rows = []
    for port, g in cards.groupby("port", sort=True):
        p = pr.get(port)
        if p is None:
            continue
        berth = Point(float(p.berth_lon), float(p.berth_lat))
        at = sightings[sightings["port"] == port]
        kx = 111_320.0 * math.cos(math.radians(berth.y))
        taken = np.hypot((at["lon"] - berth.x) * kx, (at["lat"] - berth.y) * 111_320.0) < BERTH_M
        seen = set(at.loc[taken, "acq_id"])
        first = g["datetime"].min()
        geom = acq.geometry if hasattr(acq, "geometry") else acq["footprint"]
        ok = acq["acq_id"].isin(list(chips)) & (acq["datetime"] < first) \
            & geom.apply(lambda f, b=berth: f is not None and f.contains(b)) & ~acq["acq_id"].isin(seen)
        c = acq[ok].sort_values(["datetime", "acq_id"], kind="stable")
        if len(c):
            r = c.iloc[-1]
            rows.append(dict(acq_id=r["acq_id"], port=port, datetime=r["datetime"],
                             sensor=r.get("sensor"), provider=r.get("provider")))
    order = {p: i for i, p in enumerate(pr)}
    rows.sort(key=lambda b: (order.get(b["port"], len(order)), b["datetime"]))
    return pd.DataFrame(rows, columns=["acq_id", "port", "datetime", "sensor", "provider"])


def ship_outline(lon: float, lat: float, length_m: float, heading_deg: float,
                 beam_m: float | None = None) -> np.ndarray:
    """Hull outline (lon, lat) of a ship `length_m` long pointing at `heading_deg` (true)."""
    east, north = _hull_m(length_m, heading_deg, beam_m)
    return np.column_stack([lon + east / (111_320.0 * math.cos(math.radians(lat))),
                            lat + north / 111_320.0])


def _hull_m(length_m, heading_deg, beam_m=None) -> tuple[np.ndarray, np.ndarray]:
    """Hull outline in metres east and north of the ship's centre."""
    L = float(length_m)
    B = float(beam_m) if beam_m else L * 0.16
    along = np.array([-L / 2, L / 2 - B, L / 2, L / 2 - B, -L / 2])
    across = np.array([-B / 2, -B / 2, 0.0, B / 2, B / 2])
    h = math.radians(float(heading_deg) if pd.notna(heading_deg) else 0.0)
    return along * math.sin(h) + across * math.cos(h), along * math.cos(h) - across * math.sin(h)


def _land_side(lon: float, lat: float, heading_deg: float, land) -> float:
    """Bearing (true) of the ship's side that faces the nearest land: where the quay and its
    container stack are. 90 degrees right of the heading when no land is known."""
    right = (float(heading_deg if pd.notna(heading_deg) else 0.0) + 90.0) % 360
    if land is None or not len(land):
        return right
    from shapely.ops import nearest_points
    p = Point(lon, lat)
    near = land[land.intersects(p.buffer(0.05))]
    if not len(near):
        return right
    q = nearest_points(near.union_all(), p)[0]
    b = math.degrees(math.atan2((q.x - lon) * math.cos(math.radians(lat)), q.y - lat)) % 360
    return right if abs((b - right + 180) % 360 - 180) <= 90 else (right + 180) % 360


class _View(NamedTuple):
    """A schematic card's map view: extent (lon_min, lon_max, lat_min, lat_max), centre latitude,
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


def _corner(ax, x, y, text, *, ha="left", va="top", color="white", bg="#000000", size=6.8,
            weight="normal", alpha=0.6) -> None:
    """A small label on a dark (or coloured) box, in axes fraction."""
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=size, color=color,
            fontweight=weight, zorder=30, linespacing=1.05,
            bbox=dict(boxstyle="square,pad=0.25", facecolor=bg, edgecolor="none", alpha=alpha))


# --------------------------------------------------------------------------------------------
# A card with the image
# --------------------------------------------------------------------------------------------

def _dark_halo() -> list:
    """A thin dark outline, so white marks read on any pixels."""
    from matplotlib import patheffects
    return [patheffects.withStroke(linewidth=1.6, foreground=INK)]


def _chip_scale(ax, chip, half: float, color="white") -> None:
    """A 50 m scale bar (100 m on wide chips) at the bottom left, and N with an arrow."""
    m = 50.0 if half <= 160 else 100.0
    (xl, _), (yl, _) = ax.get_xlim(), ax.get_ylim()
    x0, y0 = xl + half * 0.12, yl + half * 0.20
    ax.plot([x0, x0 + m], [y0, y0], color=color, lw=2.2, solid_capstyle="butt", zorder=25,
            path_effects=_dark_halo())
    ax.text(x0 + m / 2, y0 + half * 0.04, f"{m:g} m", ha="center", va="bottom", fontsize=6.8,
            color=color, zorder=25, path_effects=_dark_halo())
    ax.annotate("N", xy=(0.93, 0.86), xytext=(0.93, 0.72), xycoords="axes fraction",
                ha="center", va="top", fontsize=7.5, color=color, fontweight="bold", zorder=25,
                arrowprops=dict(arrowstyle="-|>,head_width=0.25,head_length=0.5", color=color, lw=1.2),
                path_effects=_dark_halo())


def _chip_annotations(ax, chip, r, beams, land, palette: Palette) -> None:
    """The ship outlined at the analyst's length and heading, named; the stack marked on the
    quay side with its count."""
    ship = str(r.vessel)
    x, y = chip.xy(float(r.lon), float(r.lat))
    east, north = _hull_m(r.length_m, r.heading_deg, (beams or {}).get(ship))
    color = palette.ship_color(ship)
    ax.add_patch(MplPolygon(np.column_stack([x + east * 1.25, y + north * 1.25]), closed=True,
                            facecolor="none", edgecolor=color, lw=1.4, ls=(0, (3, 1.5)), zorder=20,
                            gid=f"ship-{ship}"))
    side = math.radians(_land_side(float(r.lon), float(r.lat), r.heading_deg, land))
    beam = (beams or {}).get(ship) or float(r.length_m) * 0.16
    sx, sy = x + math.sin(side) * (beam / 2 + 30), y + math.cos(side) * (beam / 2 + 30)
    half = (chip.extent[1] - chip.extent[0]) / 2
    ax.annotate(f"{ship}, {r.length_m:.0f} m", xy=(x, y), xytext=(0.04, 0.74), textcoords="axes fraction",
                fontsize=7.2, fontweight="bold", color="white", zorder=28, ha="left", va="bottom",
                bbox=dict(boxstyle="square,pad=0.25", facecolor=color, edgecolor="none"),
                arrowprops=dict(arrowstyle="-", color=color, lw=1.0))
    if pd.notna(r.containers) and int(r.containers) > 0:
        ax.add_patch(Rectangle((sx - half * 0.02, sy - half * 0.02), half * 0.04, half * 0.04,
                               facecolor=STACK_COLOR, edgecolor=INK, lw=0.6, zorder=22))
        ax.annotate(f"{int(r.containers):,} containers", xy=(sx, sy), xytext=(0.96, 0.30),
                    textcoords="axes fraction", fontsize=7.2, color=INK, zorder=28, ha="right",
                    va="top", bbox=dict(boxstyle="square,pad=0.25", facecolor=STACK_COLOR, edgecolor="none"),
                    arrowprops=dict(arrowstyle="-", color=STACK_COLOR, lw=1.0))


def _draw_chip(ax, chip, centre_xy, half: float) -> None:
    """The image, north up, in metres of its CRS, `half` around `centre_xy`."""
    cx, cy = centre_xy
    ax.imshow(chip.rgb, extent=chip.extent, origin="upper", interpolation="nearest", zorder=1)
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(True)
        s.set_color("#9A9A9A")
        s.set_linewidth(0.6)


def _credit(ax, chip, when, provider) -> None:
    """Provider and date, bottom right: on red, starting SIMULATED, when the raster says it is."""
    who = str(provider) if provider is not None and pd.notna(provider) else "provider unknown"
    text = f"{who}\n{pd.Timestamp(when):%-d %b %Y %H:%M} UTC"
    if chip.simulated:
        who = who.replace("simulated (", "").rstrip(")")
        text = f"SIMULATED image ({who})\n{pd.Timestamp(when):%-d %b %Y %H:%M} UTC"
    _corner(ax, 0.97, 0.03, text, ha="right", va="bottom", size=6.0,
            bg=SIM_RED if chip.simulated else "#000000", alpha=1.0 if chip.simulated else 0.6)


def _view_centre(chip, x: float, y: float, reach: float, half: float) -> tuple[float, float]:
    """Where a card centres its view: on the chip's own point (the berth) when the ship, `reach`
    metres around (x, y), fits in the view there; else on the ship; kept inside the chip."""
    cx, cy = chip.centre
    if abs(x - cx) + reach > half or abs(y - cy) + reach > half:
        cx, cy = x, y
    rb = chip.meta.get("raster_bounds")            # keep to the raster's pixels, not the padding
    left, right, bottom, top = (rb[0], rb[2], rb[1], rb[3]) if rb is not None else chip.extent
    cx = min(max(cx, left + half), right - half) if right - left > 2 * half else (left + right) / 2
    cy = min(max(cy, bottom + half), top - half) if top - bottom > 2 * half else (bottom + top) / 2
    return cx, cy


def _chip_point(r, port) -> tuple[float, float]:
    """Where to read a card's chip: at the berth when the ship lies near it (a before/after pair
    then frames the quay alike), else at the ship."""
    if port is None:
        return float(r.lon), float(r.lat)
    kx = 111_320.0 * math.cos(math.radians(float(r.lat)))
    d = math.hypot((float(r.lon) - float(port.berth_lon)) * kx, (float(r.lat) - float(port.berth_lat)) * 111_320.0)
    near = d <= CHIP_HALF_M
    return (float(port.berth_lon), float(port.berth_lat)) if near else (float(r.lon), float(r.lat))


def _card_image(ax, r, chip, beams, land, palette, provider) -> None:
    x, y = chip.xy(float(r.lon), float(r.lat))
    _draw_chip(ax, chip, _view_centre(chip, float(x), float(y), float(r.length_m) / 2 + 10, CHIP_HALF_M),
               CHIP_HALF_M)
    _chip_scale(ax, chip, CHIP_HALF_M)
    _chip_annotations(ax, chip, r, beams, land, palette)
    _credit(ax, chip, r.datetime, provider)


# --------------------------------------------------------------------------------------------
# A card without an image: the schematic
# --------------------------------------------------------------------------------------------

def _card_land(ax, land, view) -> None:
    if land is None or not len(land):
        return
    clip = land[land.intersects(view)]
    if len(clip):
        clip.clip(view).plot(ax=ax, facecolor=LAND, edgecolor=COAST, linewidth=0.6, zorder=1)
        ax.set_xlabel("")
        ax.set_ylabel("")


def _card_footprint(ax, acq, acq_id, view) -> bool:
    """Tint the part of the view inside the scene's footprint and dash its edge when the scene
    cuts the view; returns whether it does."""
    if acq_id not in acq.index:
        return False
    a = acq.loc[acq_id]
    fp = a.geometry if hasattr(a, "geometry") else a.get("footprint")
    if fp is None or fp.is_empty or fp.contains(view):
        return False
    part = fp.intersection(view)
    for poly in getattr(part, "geoms", [part]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        ax.add_patch(MplPolygon(np.asarray(poly.exterior.coords), closed=True, facecolor=FOOTPRINT_COLOR,
                                alpha=0.35, edgecolor="none", zorder=2, gid="footprint"))
    bd = fp.boundary.intersection(view)
    for ln in getattr(bd, "geoms", [bd]):
        if not ln.is_empty and ln.geom_type == "LineString":
            x, y = ln.xy
            ax.plot(x, y, color=FOOTPRINT_EDGE, lw=1.2, ls=(0, (3, 2)), zorder=3)
    return True


def _card_schematic(ax, r, port, acq, land, beams, half_km: float, palette: Palette) -> bool:
    """The berth-scale map: land, the port fence and berth, the ship drawn to its length and
    heading, the quay face on its land side and the stack as a block; returns whether the scene
    edge cuts the view."""
    v = _card_view(r, port, half_km)
    map_frame(ax, v.ext, v.cy)
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    view = sbox(v.ext[0], v.ext[2], v.ext[1], v.ext[3])
    _card_land(ax, land, view)
    set_extent(ax, v.ext)
    cut = _card_footprint(ax, acq, r.acq_id, view)
    if port is not None:
        fence_outline(ax, port.geometry, palette.port_color(r.port), lw=1.2)
        berth_marker(ax, port.berth_lon, port.berth_lat, ms=7)
    ship = str(r.vessel)
    beam = (beams or {}).get(ship) or float(r.length_m) * 0.16
    side = math.radians(_land_side(float(r.lon), float(r.lat), r.heading_deg, land))
    kx = 111_320.0 * math.cos(math.radians(float(r.lat)))
    # the quay face along the ship's land side, and the stack behind it (sizes in metres)
    h = math.radians(float(r.heading_deg) if pd.notna(r.heading_deg) else 0.0)
    ux, uy = math.sin(h), math.cos(h)
    sxu, syu = math.sin(side), math.cos(side)

    def pt(a, c):
        return (float(r.lon) + (ux * a + sxu * c) / kx, float(r.lat) + (uy * a + syu * c) / 111_320.0)
    L = float(r.length_m)
    ax.plot(*zip(pt(-L * 0.8, beam / 2 + 1), pt(L * 0.8, beam / 2 + 1)), color=INK, lw=2.0, zorder=6,
            solid_capstyle="butt")
    if pd.notna(r.containers) and int(r.containers) > 0:
        ax.add_patch(MplPolygon([pt(-L * 0.45, beam / 2 + 10), pt(L * 0.45, beam / 2 + 10),
                                 pt(L * 0.45, beam / 2 + 45), pt(-L * 0.45, beam / 2 + 45)],
                                closed=True, facecolor=STACK_COLOR, edgecolor=INK, lw=0.5, zorder=6,
                                hatch="////", gid="stack"))
    ax.add_patch(MplPolygon(ship_outline(float(r.lon), float(r.lat), L, r.heading_deg, beam),
                            closed=True, facecolor=palette.ship_color(ship), edgecolor="white", lw=0.8,
                            zorder=8, gid=f"ship-{ship}"))
    _corner(ax, 0.03, 0.97, "no image:\nschematic", color=INK, bg="white", alpha=0.85)
    if cut:
        _corner(ax, 0.97, 0.97, "scene edge\n(dashed)", ha="right", color="#7A6A00", bg="white", alpha=0.85)
    bar_km = 0.2 if v.hk < 0.6 else 0.5
    nm = 0.1 if bar_km == 0.2 else 0.25
    scale_bar(ax, v.ext[0] + v.dlon * 0.1, v.ext[2] + v.dlat * 0.16, km=bar_km, nm=nm,
              fontsize=6.5, km_step=bar_km, nm_step=nm)
    return cut


# --------------------------------------------------------------------------------------------
# The grid
# --------------------------------------------------------------------------------------------

def _text_under(fig: Figure, lines, x_in: float, y_in: float) -> None:
    w_in, h_in = fig.get_size_inches()
    y = y_in
    for text, color, weight, size in lines:
        fig.text(x_in / w_in, 1 - y / h_in, text, ha="left", va="top", fontsize=size, color=color,
                 fontweight=weight)
        y += size * 1.3 / 72


def _card_lines(r, sensor: str, cw: float, palette: Palette, image: bool) -> list:
    v = str(r.vessel)
    when = pd.Timestamp(r.datetime)
    cont = "no" if pd.isna(r.containers) else f"{int(r.containers):,}"
    return [(f"{v}, {when:%-d %b %Y}", palette.ship_color(v), "bold", 8.6),
            (f"{cont} containers on the quay; id {r.id_confidence}", INK, "normal", 7.8),
            (wrap(("" if image else "no image; ") + sensor.replace("simulated ", "sim. "), 7.2, cw)
             .split("\n")[0], MUTED, "normal", 7.2)]


def _rows(cards: pd.DataFrame, befores: pd.DataFrame, order: list[str]) -> list[list[tuple[str, object]]]:
    """One row per port (in `order`, then any other in card order): its before scene, then its
    cards."""
    rows = []
    seen = list(dict.fromkeys(cards.sort_values("datetime", kind="stable")["port"]))
    for port in [p for p in order if p in seen] + [p for p in seen if p not in order]:
        row = [("before", b) for b in befores[befores["port"] == port].itertuples(index=False)]
        row += [("card", c) for c in cards[cards["port"] == port].itertuples(index=False)]
        rows.append(row)
    return rows


@use_style()
def sighting_cards(cards: pd.DataFrame, acquisitions, ports, land=None, *, palette: Palette,
                   title: str, subtitle: str | None = None, source_line: str,
                   beams: dict[str, float] | None = None, chips: dict[str, str] | None = None,
                   befores: pd.DataFrame | None = None, ncols: int | None = None,
                   half_km: float = 0.25, layout: Layout = HOUSE) -> Figure:
    """A grid of cards, one row per port: the before image (`befores`, see before_scenes) and
    one card per sighting in `cards` (see key_sightings). A card whose scene has a raster in
    `chips` (acq_id -> path or href) shows the image read around the ship (helpers.imagery
    .chips); otherwise the schematic: land, fence, berth, the ship to its length and heading,
    the quay face and the stack. Under each card: ship, date, containers, confidence, sensor.

    cards: sightings (sighting_id, acq_id, datetime, port, lat, lon, length_m, heading_deg,
    vessel, id_confidence, containers). acquisitions: GeoDataFrame with acq_id, sensor,
    provider, geometry. ports: GeoDataFrame as for route_map.
    """
    chips = chips or {}
    befores = befores if befores is not None else pd.DataFrame(columns=["acq_id", "port", "datetime"])
    rows = _rows(cards, befores, [p.port for p in ports_in_order(ports)])
    ncols = ncols or max([len(r) for r in rows] + [3])
    cw = (layout.width_in - layout.left_in - layout.right_in - GAP_X * (ncols - 1)) / ncols
    row_h = cw + TEXT_H + 0.12
    acq = acquisitions.set_index("acq_id") if "acq_id" in acquisitions.columns else acquisitions
    pr = {r.port: r for r in ports_in_order(ports)}
    used = set()
    n_leg = 6
    body = len(rows) * row_h + 0.1 + legend_height(n_leg, 3)
    fig, top = frame(title, subtitle, source_line, body, layout=layout)

    def field(acq_id, name):
        return acq.at[acq_id, name] if acq_id in acq.index and name in acq.columns else None
    for i, row in enumerate(rows):
        for j, (kind, r) in enumerate(row[:ncols]):
            x_in, y_in = layout.left_in + j * (cw + GAP_X), top + i * row_h
            ax = axes_in(fig, x_in, y_in, cw, cw)
            sensor = str(field(r.acq_id, "sensor") or "")
            provider = field(r.acq_id, "provider")
            if kind == "before":
                port = pr[r.port]
                chip = read_chip(chips[r.acq_id], float(port.berth_lon), float(port.berth_lat), CHIP_HALF_M + 20)
                _draw_chip(ax, chip, chip.centre, CHIP_HALF_M)
                _chip_scale(ax, chip, CHIP_HALF_M)
                _credit(ax, chip, r.datetime, provider)
                used.add("image")
                lines = [(f"Before, {pd.Timestamp(r.datetime):%-d %b %Y}", INK, "bold", 8.6),
                         ("the quay empty, no ship at the berth", INK, "normal", 7.8),
                         (wrap(sensor.replace("simulated ", "sim. "), 7.2, cw).split("\n")[0], MUTED,
                          "normal", 7.2)]
            elif r.acq_id in chips:
                chip = read_chip(chips[r.acq_id], *_chip_point(r, pr.get(r.port)), CHIP_HALF_M + 80)
                _card_image(ax, r, chip, beams, land, palette, provider)
                used |= {"image", "stack"}
                lines = _card_lines(r, sensor, cw, palette, True)
            else:
                if _card_schematic(ax, r, pr.get(r.port), acq, land, beams, half_km, palette):
                    used.add("edge")
                used |= {"schematic", "stack"}
                lines = _card_lines(r, sensor, cw, palette, False)
            if j == 0 or kind == "before":
                ax.set_title(r.port, loc="left", fontsize=9, fontweight="bold", color=palette.port_color(r.port),
                             pad=3)
            _text_under(fig, lines, x_in, y_in + cw + 0.08)
    ships = tuple(Patch(facecolor="none", edgecolor=c, ls=(0, (3, 1.5)), lw=1.4) for c in palette.ship_colors.values())
    hs = []
    if "image" in used:
        hs.append((ships, "Ship as the analyst measured it"))
    if "stack" in used:
        hs.append((Patch(facecolor=STACK_COLOR, edgecolor=INK, lw=0.5), "Containers counted on the quay"))
    if "schematic" in used:
        hs += [(tuple(Patch(facecolor=c, edgecolor="white") for c in palette.ship_colors.values()),
                "No image: ship to its length, heading"),
               (Line2D([], [], color=INK, lw=2.0), "Quay face (too small for the coastline data)"),
               (Line2D([], [], marker="P", ms=7, mfc=INK, mec="white", linestyle="none"), "Berth"),
               (Patch(facecolor="none", edgecolor=MUTED, ls=(0, (4, 2)), lw=1.2), "Port geofence")]
    if "edge" in used:
        hs.append((Patch(facecolor=FOOTPRINT_COLOR, alpha=0.35), "Inside the scene (edge dashed)"))
    if hs:
        legend_below(fig, hs, top + len(rows) * row_h + 0.1, ncols=3, layout=layout)
    return fig
