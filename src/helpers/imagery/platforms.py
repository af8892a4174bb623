"""Satellites by name: constellations (platform families), radar or optical, and the documented
defaults used when an item leaves a field out.

Catalogs spell one satellite many ways (`sentinel-2b`, `Sentinel-2A`, `S2A`, `SENTINEL-1A`,
`WV03`, `SSC1`, `101c`, `Umbra-08`) and name constellations as `sentinel-2`, `Sentinel 2`,
`Sentinel-1`. This module turns them into two normal forms:

- `platform_family(platform, constellation=None)`: the constellation, lower case with hyphens
  ('Sentinel-2A', 'S2A' -> 'sentinel-2'; 'WV03' -> 'worldview-3'; 'SSC1', 'SS02' -> 'skysat';
  'PS2.SD' -> 'planetscope'; 'Umbra-08' -> 'umbra'). A platform that names no known
  constellation (a PlanetScope satellite id such as '101c') takes the item's `constellation`;
  failing both, the platform's own slug with a trailing satellite letter removed
  ('landsat-8' stays 'landsat-8', 'sim-ps' stays 'sim-ps').
- `satellite(platform)`: the one satellite, when the platform names one ('S2A' ->
  'sentinel-2a', 'SENTINEL-1A' -> 'sentinel-1a', 'WV03' -> 'worldview-3'); None when it names a
  constellation only ('sentinel-2', 'planetscope'). Used to tell two scenes apart.

`sensor_kind` says "radar" or "optical": a family in `RADAR_FAMILIES` is radar, one in
`OPTICAL_FAMILIES` optical; otherwise the instruments decide (`RADAR_INSTRUMENTS`), then SAR
properties (`sar:frequency_band`, `sar:polarizations`); anything else is optical.

Defaults for fields an item leaves out (each row of the acquisitions' `details` says where its
value came from):

- `DEFAULT_SENSOR`: the instrument of a family whose satellites carry one imaging instrument
  (Sentinel-1 'c-sar', Sentinel-2 'msi', Landsat 8/9 'oli,tirs', the SAR constellations 'sar');
  other families: null.
- `DEFAULT_GSD_M`: the nominal ground sample distance in metres of a constellation's standard
  product (Sentinel-1 IW GRD 20 m resolution, Sentinel-2 10 m, Landsat 30 m, PlanetScope 3.7 m,
  SkySat 0.8 m, WorldView-1/2/3/4 0.5/0.46/0.31/0.31 m, GeoEye-1 0.41 m); other families: null.
  Radar constellations whose resolution depends on the mode (RADARSAT, ICEYE, Capella, Umbra
  ...) have no default: their items give `sar:resolution_range`.
- `RADAR_MAX_GSD_M` (5 m): the coarsest radar resolution at which a ship's shape and length can
  be read well enough to identify it (ICEYE, Capella, Umbra spot/strip modes, TerraSAR-X and
  RADARSAT-2 fine modes); Sentinel-1 IW (20 m) detects ships but does not identify them.
  `helpers.imagery.coverage` uses it for radar scenes (thresholds.radar_max_gsd_m overrides it).
"""

from __future__ import annotations

import re

RADAR_MAX_GSD_M = 5.0

# a platform or constellation spelling (its slug) -> family, for names the generic rule misses
_ALIASES = {
    r"s1[a-d]?": "sentinel-1", r"s2[a-d]?": "sentinel-2", r"s3[a-b]?": "sentinel-3",
    r"sentinel-?1[a-d]?": "sentinel-1", r"sentinel-?2[a-d]?": "sentinel-2",
    r"wv0?1|worldview-?1": "worldview-1", r"wv0?2|worldview-?2": "worldview-2",
    r"wv0?3|worldview-?3": "worldview-3", r"wv0?4|worldview-?4": "worldview-4",
    r"ge0?1|geoeye-?1": "geoeye-1",
    r"l(?:c0?)?8|landsat-?8|landsat-8-.*": "landsat-8", r"l(?:c0?)?9|landsat-?9": "landsat-9",
    r"(?:planetscope|ps\d|psb|dove).*": "planetscope",
    r"(?:skysat|ssc?\d+[a-z0-9]*).*": "skysat",
    r"umbra.*": "umbra", r"iceye.*": "iceye", r"capella.*": "capella",
    r"(?:radarsat-?2|rs-?2)": "radarsat-2",
    r"(?:rcm|radarsat-constellation).*": "radarsat-constellation",
    r"(?:terrasar-?x|tsx).*": "terrasar-x", r"(?:tandem-?x|tdx).*": "tandem-x",
    r"(?:cosmo-?skymed|csk|csg).*": "cosmo-skymed", r"alos-?2": "alos-2",
    r"saocom.*": "saocom", r"paz": "paz", r"kompsat-?5": "kompsat-5", r"gaofen-?3": "gaofen-3",
    r"nisar": "nisar",
}
_SATELLITE = {   # abbreviations of one satellite -> its full name
    r"s([12])([a-d])": r"sentinel-\1\2", r"sentinel-?([12])([a-d])": r"sentinel-\1\2",
    r"wv0?([1-4])": r"worldview-\1", r"worldview-?([1-4])": r"worldview-\1",
    r"ge0?1": "geoeye-1", r"lc0?([89])": r"landsat-\1", r"landsat-?([89])": r"landsat-\1",
}

RADAR_FAMILIES = frozenset({
    "sentinel-1", "radarsat-1", "radarsat-2", "radarsat-constellation", "iceye", "capella",
    "umbra", "terrasar-x", "tandem-x", "paz", "cosmo-skymed", "alos-2", "saocom", "kompsat-5",
    "gaofen-3", "nisar", "envisat-asar", "ers-1", "ers-2"})
OPTICAL_FAMILIES = frozenset({
    "sentinel-2", "sentinel-3", "landsat-5", "landsat-7", "landsat-8", "landsat-9",
    "planetscope", "skysat", "rapideye", "worldview-1", "worldview-2", "worldview-3",
    "worldview-4", "geoeye-1", "pleiades", "pleiades-neo", "spot-6", "spot-7", "naip"})
RADAR_INSTRUMENTS = frozenset({"c-sar", "sar", "x-sar", "palsar", "palsar-2", "asar",
                               "sar-2000", "sar-c"})

DEFAULT_SENSOR = {
    "sentinel-1": "c-sar", "sentinel-2": "msi", "landsat-8": "oli,tirs", "landsat-9": "oli,tirs",
    "umbra": "sar", "iceye": "sar", "capella": "sar", "radarsat-2": "sar",
    "radarsat-constellation": "sar", "terrasar-x": "sar", "tandem-x": "sar", "paz": "sar",
    "cosmo-skymed": "sar", "saocom": "sar",
}
DEFAULT_GSD_M = {
    "sentinel-1": 20.0, "sentinel-2": 10.0, "landsat-5": 30.0, "landsat-7": 30.0,
    "landsat-8": 30.0, "landsat-9": 30.0, "planetscope": 3.7, "skysat": 0.8,
    "worldview-1": 0.5, "worldview-2": 0.46, "worldview-3": 0.31, "worldview-4": 0.31,
    "geoeye-1": 0.41,
}


def slug(text: str) -> str:
    """Lower-case letters and digits, other runs as one '-': 'PS2.SD' -> 'ps2-sd'."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unknown"


def _known(name: str) -> str | None:
    """The family an alias names, else None."""
    for pattern, family in _ALIASES.items():
        if re.fullmatch(pattern, name):
            return family
    return None


def _generic(name: str) -> str:
    """A slug with a trailing satellite letter removed: 'sentinel-2a' -> 'sentinel-2'."""
    return re.sub(r"(\d)[a-z]$", r"\1", name)


def platform_family(platform, constellation=None) -> str:
    """The constellation a platform belongs to: 'Sentinel-2A' -> 'sentinel-2' (module doc)."""
    name = slug(platform) if platform else None
    if name and (family := _known(name)):
        return family
    if constellation:
        cname = slug(constellation)
        return _known(cname) or _generic(cname)
    return _generic(name) if name else "unknown"


def satellite(platform) -> str | None:
    """The one satellite a platform names ('S2A' -> 'sentinel-2a'), None for a constellation."""
    if not platform:
        return None
    name = slug(platform)
    for pattern, full in _SATELLITE.items():
        if re.fullmatch(pattern, name):
            return re.sub(pattern, full, name)
    return None if name in OPTICAL_FAMILIES | RADAR_FAMILIES or _known(name) == name else name


def sensor_kind(family: str, instruments=None, props: dict | None = None) -> str:
    """'radar' or 'optical' from the family, else the instruments, else SAR properties."""
    if family in RADAR_FAMILIES:
        return "radar"
    if family in OPTICAL_FAMILIES:
        return "optical"
    names = {slug(i) for i in (instruments or [])}
    if names & RADAR_INSTRUMENTS:
        return "radar"
    if names:
        return "optical"
    props = props or {}
    if props.get("sar:frequency_band") or props.get("sar:polarizations"):
        return "radar"
    return "optical"


def is_radar(platform, sensor) -> bool:
    """Whether an acquisitions row (platform and sensor as in the table) is a radar scene."""
    family = platform_family(platform)
    sensors = [s for s in str(sensor).split(",") if s] if isinstance(sensor, str) else []
    return sensor_kind(family, sensors) == "radar"
