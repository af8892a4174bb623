"""Report figures: one house style, one save helper, one module per figure.

Every figure function takes canonical tables (helpers.schema) and the run's `Palette`, returns a
matplotlib Figure (never shows it) and is drawn in the house style. Callers draw, then
`save(fig, "fig01_route_map", directory, alt_text=...)`; nobody touches rcParams. This package
never reads the parameter set or tables from disk: helpers.report_figures does, and passes them in.

Where things live:
- palette: colour tables (Okabe-Ito colour-blind-safe) and `Palette.for_cast(vessels, origin,
  destination)`, one immutable object per run: one colour means one ship (or port) in every
  figure of the run.
- style: `use_style` (house.mplstyle beside it), page geometry (`Layout`, `HOUSE`: 9 in at
  200 dpi = 1800 px), title, subtitle and source line, text wrapping.
- save: `save`, the deterministic, atomic PNG + SVG + alt text (+ caption) writer.
- charts: pieces the charts share (date axis, legend below the plot).
- maps: pieces the maps share (land, frame, scale bar, north arrow, locator and berth insets,
  context labels) and the Rajin-Dunai region's labels, the route map's defaults.
- route_map, timeline, ais_activity, coverage, containers, sensitivity, sighting_cards: one
  figure each (figures 1-7 of the report).
- record_timeline: the public-record timeline (the real ledger in data/public_record/), with its
  numbered sources, their CSV and its alt text.
- framing: "Simulated: " titles, the SIMULATED mark inside each plot area and the alt text's
  opening, for runs on simulated data (none of it for real data).
- captions: `CAPTIONS`, `caption` and the alt text of each figure.
"""

from .ais_activity import ais_activity
from .captions import (
                       CAPTIONS,
                       alt_ais_activity,
                       alt_containers,
                       alt_coverage,
                       alt_route_map,
                       alt_sensitivity,
                       alt_sighting_cards,
                       alt_timeline,
                       caption,
                       check_alt,
                       days_text,
                       month_range,
                       numbers_in,
)
from .containers import containers_chart, counted_at, loaded_delivered_note
from .coverage import coverage_calendar
from .framing import framed_alt, framed_title, is_marked, mark_corner, mark_simulated
from .lede import alt_lede, lede_numbers, lede_strip, lede_title
from .maps import COUNTRY_LABELS, EXTENT, LOCATOR_EXTENT, LOCATOR_LABELS, SEA_LABELS, locator_extent_for, route_extent
from .palette import (
                       DARK_STYLE,
                       HOUSE_SHIP_COLORS,
                       LAND,
                       OKABE_ITO,
                       SHIP_COLOR_ORDER,
                       UNIDENTIFIED_COLOR,
                       WATER,
                       Palette,
)
from .record_timeline import FIGURE_NAME as RECORD_FIGURE_NAME
from .record_timeline import (
                       RECORD_SOURCE_LINE,
                       alt_record_timeline,
                       record_lanes,
                       record_marks,
                       record_sources,
                       record_timeline,
                       record_title,
                       save_sources,
)
from .route_map import badge_text as route_map_badge_text
from .route_map import route_map
from .save import save, save_narrow
from .sensitivity import REALISTIC_CLOUD, sensitivity_chart, sensitivity_numbers, sensitivity_title
from .sighting_cards import before_scenes, key_sightings, ship_outline, sighting_cards
from .style import (
                    HOUSE,
                    NARROW,
                    Layout,
                    add_source_line,
                    add_title,
                    enforce_min_font,
                    smallest_text_px,
                    use_style,
)
from .timeline import sighting_runs, state_shape, timeline

__all__ = [
    # palette
    "Palette", "OKABE_ITO", "HOUSE_SHIP_COLORS", "SHIP_COLOR_ORDER", "UNIDENTIFIED_COLOR",
    "DARK_STYLE", "LAND", "WATER",
    # style and saving
    "use_style", "Layout", "HOUSE", "NARROW", "add_title", "add_source_line", "save", "save_narrow",
    "enforce_min_font", "smallest_text_px",
    # the Rajin-Dunai region (route map defaults) and the framing of another region
    "EXTENT", "COUNTRY_LABELS", "SEA_LABELS", "LOCATOR_EXTENT", "LOCATOR_LABELS", "route_extent",
    "locator_extent_for",
    # figures
    "route_map", "route_map_badge_text", "timeline", "sighting_runs", "state_shape",
    "ais_activity", "coverage_calendar", "containers_chart", "counted_at", "loaded_delivered_note",
    "sensitivity_chart", "sensitivity_numbers", "sensitivity_title", "REALISTIC_CLOUD",
    "key_sightings", "before_scenes", "ship_outline", "sighting_cards",
    # the lede
    "lede_strip", "lede_numbers", "lede_title", "alt_lede",
    # the public record
    "record_timeline", "record_title", "record_lanes", "record_marks", "record_sources",
    "save_sources", "alt_record_timeline", "RECORD_SOURCE_LINE", "RECORD_FIGURE_NAME",
    # honest framing of simulated data
    "framed_title", "framed_alt", "mark_simulated", "mark_corner", "is_marked",
    # captions and alt text
    "CAPTIONS", "caption", "alt_route_map", "alt_timeline", "alt_ais_activity", "alt_coverage",
    "alt_containers", "alt_sensitivity", "alt_sighting_cards", "month_range",
    "numbers_in", "check_alt", "days_text",
]
