"""Geography: land, port geofences, distances and sea routes over water, for any region.

- `measure`: great-circle and geodesic distances, the local metric projection of a region
- `land`: the coastline clip and the locator land (loading and checking), and what is measured
  on the land a caller passes in: `on_land`, `distance_to_shore_nm`, `crosses_land`
- `ports`: the ports file (`load_ports`, `check_ports` against the coastline)
- `routes`: `sea_route`, shortest paths over water on a grid derived from the land's bounds
- `gshhg`: GSHHG clips for any bbox (`python -m helpers coastline|locator`), with provenance

The land is always passed in explicitly: the run's coastline is the parameter set's
``inputs.coastline`` (`helpers.steps.common.load_land(P)`); `load_land()` without a path reads
the bundled clip of the reference scenario's region (``data/reference/coastline.gpkg``, see its
PROVENANCE file). Port geofences are our own digitised approximations in
``data/reference/ports.geojson``. All coordinates are (lon, lat) in EPSG:4326 unless a name
says otherwise.
"""

from __future__ import annotations

from .land import (
    BERTH_ALLOWANCE_M,
    CLEARANCE_DEG,
    COASTLINE_COMMAND,
    LOCATOR_COMMAND,
    REGION_LAYERS,
    coastline_command,
    crosses_land,
    distance_to_shore_nm,
    land_file,
    land_key,
    load_land,
    load_region_land,
    on_land,
    suggest_bbox,
)
from .measure import (
    EARTH_RADIUS_NM,
    LOCAL_CRS,
    METRES_PER_NM,
    geodesic_nm,
    haversine_nm,
    length_nm,
    local_crs,
)
from .ports import DEFAULT_APPROXIMATION, OPTIONAL, PORT_COLUMNS, REQUIRED, ROLES, check_ports, load_ports
from .routes import GRID_DLAT, GRID_DLON, NEAR_LAND_COST, grid_steps, sea_route

__all__ = ["load_land", "load_ports", "load_region_land", "check_ports", "haversine_nm",
           "geodesic_nm", "sea_route", "length_nm", "crosses_land", "distance_to_shore_nm",
           "on_land", "local_crs", "grid_steps", "land_file", "land_key", "suggest_bbox", "coastline_command",
           "PORT_COLUMNS", "REQUIRED", "OPTIONAL", "DEFAULT_APPROXIMATION", "ROLES",
           "REGION_LAYERS", "EARTH_RADIUS_NM", "METRES_PER_NM", "LOCAL_CRS", "GRID_DLON",
           "GRID_DLAT", "NEAR_LAND_COST", "CLEARANCE_DEG", "BERTH_ALLOWANCE_M",
           "COASTLINE_COMMAND", "LOCATOR_COMMAND"]
