"""Simulated image chips: small GeoTIFFs of the quay for the scenario's key sightings.

The scenario has no real imagery, so that the sighting cards (figure 7) run the same code path
as on real scenes (a raster asset in the STAC item, read with rasterio), the simulator draws a
small chip of the berth for a few very-high-resolution sightings: water, the quay (a concrete
apron with rail tracks and a shed), the ship at the length and heading the analyst measured,
and the containers on the quay as counted, in stacked rows. Per port it also draws one chip of
the empty quay shortly before the first of those ships arrived: a before/after pair. Only the
ships of interest are drawn (other ships moor 200 m or more away, mostly outside the chip).

Every chip is marked SIMULATED twice: in the pixels (a red banner and the word tiled across the
image, so any crop shows it) and in the GeoTIFF tags (SIMULATED=yes, an image description). The
chips are written deterministically (fixed tags, JPEG at quality 80, no timestamps): same seed,
same bytes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

# Quays of the ships of interest: bearing of the quay face (degrees true) and bearing from the
# berth to the land behind it, from the bundled coastline's direction nearest each berth point.
QUAYS = {"Rajin": (163.0, 73.0), "Dunai": (12.0, 282.0)}
HALF_M = 120.0                       # chips are 240 m square
MAX_CLOUD = 20.0                     # as the analyst's sightings
BERTH_M = 100.0                      # a sighting this close to the berth point: the berth is taken
CHIP_DIR = "imagery/stac/chips"      # under data/raw: beside the items that name them
DESCRIPTION = ("SIMULATED image chip of the rajin-dunai reference scenario: drawn by "
               "helpers.sim.chips, not a real satellite image")
COLORS = dict(water="#2b4a57", quay="#b5b1a6", face="#6f6b63", rail="#5b554d", shed="#8c9196",
              hull="#30353b", deck="#6d737a", bridge="#e9e9e4", banner="#c0392b")
BOX_COLORS = ["#9c3b2e", "#2e5f8a", "#3f7d4e", "#c9c3b6", "#b0772f", "#6b4a7a", "#7f8a92"]
BOX_L, BOX_W, GAP = 6.1, 2.44, 0.3   # a 20 ft container seen from above, and the gap between


def moored_heading(world, vessel, berth: tuple[float, float], draw: int) -> float:
    """The heading of `vessel` at `berth`: along the quay (bow either way, by the parity of
    `draw`) for a ship of interest at a quay of QUAYS; otherwise `draw` degrees."""
    if getattr(vessel, "of_interest", False):
        for port, (axis, _land) in QUAYS.items():
            p = world.port.get(port)
            if p is not None and (p.berth_lon, p.berth_lat) == tuple(berth):
                return float((axis + 180.0 * (draw % 2)) % 360)
    return float(draw)


def _utm(lon: float) -> str:
    return f"EPSG:{32600 + int((lon + 180.0) // 6.0) % 60 + 1}"


def _unit(bearing: float) -> np.ndarray:
    b = math.radians(bearing)
    return np.array([math.sin(b), math.cos(b)])


def _rect(centre, along, across, length: float, width: float) -> np.ndarray:
    """Corners (east, north) of a rectangle `length` along `along` and `width` along `across`."""
    c = np.asarray(centre, dtype=float)
    a, b = along * length / 2, across * width / 2
    return np.array([c - a - b, c + a - b, c + a + b, c - a + b])


def _container_rows(n: int, origin, along, across, rng) -> list[tuple[np.ndarray, str]]:
    """`n` containers in blocks of 8 x 6, three blocks along the quay, behind the quay face (a
    lane between blocks): each box's corners and colour."""
    boxes = []
    per_row, rows = 8, 6
    block_len = per_row * (BOX_L + GAP)
    for k in range(n):
        block, i = divmod(k, per_row * rows)
        row, col = divmod(i, per_row)
        bx = (block % 3 - 1) * (block_len + 8.0) - block_len / 2 + (col + 0.5) * (BOX_L + GAP)
        by = (block // 3) * (rows * (BOX_W + GAP) + 6.0) + (row + 0.5) * (BOX_W + GAP)
        centre = np.asarray(origin) + along * bx + across * by
        boxes.append((_rect(centre, along, across, BOX_L, BOX_W),
                      BOX_COLORS[int(rng.integers(0, len(BOX_COLORS)))]))
    return boxes


def render(*, gsd: float, port: str, ship: dict | None, containers: int, seed: int) -> np.ndarray:
    """The chip's pixels, (rows, cols, 3) uint8, centred on the berth (metres east, north):
    `ship` (offset_e, offset_n, length_m, beam_m, heading_deg) or None for an empty quay. The
    date and scene are in the tags (and the card's credit), not in the pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon, Rectangle

    axis, land = QUAYS[port]
    along, across = _unit(axis), _unit(land)
    px = int(round(2 * HALF_M / gsd))
    fig = Figure(figsize=(px / 100, px / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-HALF_M, HALF_M)
    ax.set_ylim(-HALF_M, HALF_M)
    ax.add_patch(Rectangle((-HALF_M, -HALF_M), 2 * HALF_M, 2 * HALF_M, color=COLORS["water"], lw=0))
    beam = (ship or {}).get("beam_m", 16.0)
    face = (np.array([ship["offset_e"], ship["offset_n"]]) if ship else np.zeros(2)) + across * (beam / 2 + 1.0)
    face_along = float(face @ along)
    face = face - along * face_along          # the quay face passes by the ship, not along it
    ax.add_patch(Polygon(_rect(face + across * 300, along, across, 900, 600), color=COLORS["quay"], lw=0))
    ax.plot(*np.array([face - along * 400, face + along * 400]).T, color=COLORS["face"], lw=2.0)
    for d in (66.0, 67.5, 74.0, 75.5):        # two rail tracks behind the stacking area
        ax.plot(*np.array([face + across * d - along * 400, face + across * d + along * 400]).T,
                color=COLORS["rail"], lw=0.8)
    ax.add_patch(Polygon(_rect(face + across * 95 + along * 20, along, across, 110, 30),
                         color=COLORS["shed"], lw=0))
    rng = np.random.default_rng(seed)
    for corners, color in _container_rows(int(containers), face + across * 12.0, along, across, rng):
        ax.add_patch(Polygon(corners, facecolor=color, edgecolor="#2a2a2a", lw=0.3))
    if ship:
        c = np.array([ship["offset_e"], ship["offset_n"]])
        h = _unit(ship["heading_deg"])
        side = np.array([h[1], -h[0]])
        L, B = ship["length_m"], ship["beam_m"]
        hull = [c - h * L / 2 - side * B / 2, c + h * (L / 2 - B) - side * B / 2, c + h * L / 2,
                c + h * (L / 2 - B) + side * B / 2, c - h * L / 2 + side * B / 2]
        ax.add_patch(Polygon(np.array(hull), color=COLORS["hull"], lw=0))
        ax.add_patch(Polygon(_rect(c - h * L * 0.05, h, side, L * 0.62, B * 0.7), color=COLORS["deck"], lw=0))
        ax.add_patch(Polygon(_rect(c - h * L * 0.40, h, side, L * 0.12, B * 0.85), color=COLORS["bridge"], lw=0))
    for y in np.arange(-HALF_M + 30, HALF_M, 55.0):      # the word tiled across the image
        for x in np.arange(-HALF_M + 20 + (y % 110) / 2, HALF_M, 110.0):
            ax.text(x, y, "SIMULATED", color="white", alpha=0.35, fontsize=px / 42, rotation=30,
                    ha="center", va="center", fontweight="bold")
    ax.add_patch(Rectangle((-HALF_M, HALF_M - 32), 2 * HALF_M, 20, color=COLORS["banner"], lw=0, zorder=5))
    ax.text(0, HALF_M - 22, "SIMULATED IMAGE - NOT REAL", color="white", fontsize=px / 30,
            ha="center", va="center", fontweight="bold", zorder=6)
    canvas = fig.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def write_chip(path: Path, pixels: np.ndarray, *, lon: float, lat: float, gsd: float,
               tags: dict[str, str]) -> Path:
    """Write `pixels` as an RGB GeoTIFF centred on (`lon`, `lat`) in its UTM zone, JPEG (quality 80),
    with `tags` and the SIMULATED marks; deterministic bytes."""
    import rasterio
    from affine import Affine
    from pyproj import Transformer

    crs = _utm(lon)
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    h, w = pixels.shape[:2]
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = dict(driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=crs,
                   transform=Affine(gsd, 0.0, round(x - w * gsd / 2, 2), 0.0, -gsd, round(y + h * gsd / 2, 2)),
                   compress="jpeg", jpeg_quality=80, photometric="YCbCr", interleave="pixel")
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.moveaxis(pixels, -1, 0))
        dst.update_tags(SIMULATED="yes", TIFFTAG_IMAGEDESCRIPTION=DESCRIPTION,
                        TIFFTAG_SOFTWARE="rajin-dunai helpers.sim.chips", **tags)
    return path


def plan(world, acq: pd.DataFrame, sig: pd.DataFrame) -> pd.DataFrame:
    """The chips to draw: per ship of interest and port of QUAYS, its sighting with most
    containers (correctly named, at least medium confidence, length within 15 m, in a
    very-high-resolution scene); per port, the last clear scene of the empty berth (no sighting
    within BERTH_M of the berth point) at most 10 days before the first of these stays began.
    Columns: acq_id, port, sighting_id (None for the empty quay), datetime."""
    true = {v.name: v for v in world.vessels if v.of_interest}
    vhr = set(acq.loc[acq["gsd_m"] <= 0.5, "acq_id"])
    s = sig[sig["acq_id"].isin(vhr) & sig["port"].isin(list(QUAYS)) & sig["vessel"].isin(list(true))
            & sig["id_confidence"].isin(["high", "medium"]) & sig["containers"].notna()].copy()
    s = s[[abs(r.length_m - true[r.vessel].length_m) <= 15 for r in s.itertuples()]]
    visits = pd.DataFrame(world.visits)

    def visit_of(r):
        v = visits[(visits["vessel"] == r.vessel) & (visits["port"] == r.port)
                   & (visits["arrival"] <= r.datetime) & (visits["departure"] > r.datetime)]
        return v["arrival"].min() if len(v) else pd.NaT
    s["arrival"] = [visit_of(r) for r in s.itertuples()]
    s = s[s["arrival"].notna()]
    s = s.sort_values(["vessel", "port", "containers", "datetime"], ascending=[True, True, False, True],
                      kind="stable").groupby(["vessel", "port"], sort=True).head(1)
    rows = [dict(acq_id=r.acq_id, port=r.port, sighting_id=r.sighting_id, datetime=r.datetime)
            for r in s.itertuples()]
    clear = acq[(acq["gsd_m"] <= 0.5) & (acq["cloud_cover"] <= MAX_CLOUD)]
    for port, g in s.groupby("port", sort=True):
        first = g["arrival"].min()
        p = world.port[port]
        at = sig[sig["port"] == port]
        kx = 111_320.0 * math.cos(math.radians(p.berth_lat))
        near = np.hypot((at["lon"] - p.berth_lon) * kx, (at["lat"] - p.berth_lat) * 111_320.0) < BERTH_M
        seen = set(at.loc[near, "acq_id"])
        cand = [a for a in clear.itertuples() if a.datetime < first and a.acq_id not in seen
                and a.footprint.contains(_point(p.berth_lon, p.berth_lat))
                and first - a.datetime <= pd.Timedelta(days=10)]
        if cand:
            a = max(cand, key=lambda a: (a.datetime, a.acq_id))
            rows.append(dict(acq_id=a.acq_id, port=port, sighting_id=None, datetime=a.datetime))
    return pd.DataFrame(rows, columns=["acq_id", "port", "sighting_id", "datetime"]) \
        .sort_values(["datetime", "acq_id"], kind="stable").reset_index(drop=True)


def _point(lon, lat):
    from shapely.geometry import Point
    return Point(lon, lat)


def write_chips(world, acq: pd.DataFrame, sig: pd.DataFrame, raw: Path) -> dict[str, dict]:
    """Draw and write the chips of `plan` under `raw`/imagery/chips; returns the STAC assets to
    add: acq_id -> {href (absolute path), title, type, roles}."""
    true = {v.name: v for v in world.vessels if v.of_interest}
    by_id = sig.set_index("sighting_id")
    a_by_id = acq.set_index("acq_id")
    assets = {}
    for old in sorted((raw / CHIP_DIR).glob("*.tif")):     # chips of an earlier run
        old.unlink()
    for k, r in enumerate(plan(world, acq, sig).astype({"sighting_id": object}).itertuples()):
        p = world.port[r.port]
        a = a_by_id.loc[r.acq_id]
        ship, n = None, 0
        if pd.notna(r.sighting_id):
            s = by_id.loc[r.sighting_id]
            kx = 111_320.0 * math.cos(math.radians(p.berth_lat))
            ship = dict(offset_e=(s.lon - p.berth_lon) * kx, offset_n=(s.lat - p.berth_lat) * 111_320.0,
                        length_m=float(s.length_m), beam_m=float(true[s.vessel].beam_m),
                        heading_deg=float(s.heading_deg))
            n = int(s.containers)
        when = pd.Timestamp(r.datetime)
        pixels = render(gsd=float(a.gsd_m), port=r.port, ship=ship, containers=n, seed=world.seed + 100 + k)
        path = raw / CHIP_DIR / f"{r.acq_id}.tif"
        write_chip(path, pixels, lon=p.berth_lon, lat=p.berth_lat, gsd=float(a.gsd_m),
                   tags=dict(ACQUISITION_ID=r.acq_id, ACQUISITION_DATETIME=f"{when:%Y-%m-%dT%H:%M:%SZ}",
                             PROVIDER=str(a.provider), PORT=r.port,
                             CONTENT="empty quay" if ship is None else "ship and containers as annotated"))
        assets[r.acq_id] = dict(href=str(path.resolve()), type="image/tiff; application=geotiff",
                                roles=["visual"], title="SIMULATED image chip of the berth (not a real image)")
    return assets
