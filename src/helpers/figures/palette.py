"""Colours and markers: the constant colour tables and the `Palette` of one run's cast.

Colours come from the Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal
Design"). A `Palette` is built once per run from its cast, the ships of interest and the route
(`Palette.for_cast(vessels, origin, destination)`), and passed to every figure that draws a
ship or a port, so one colour means one ship (or one port) in every figure of the run. A palette
never changes once built, and building one changes nothing else: there is no module state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd


def _frozen(mapping: Mapping) -> Mapping:
    """A read-only copy of `mapping`."""
    return MappingProxyType(dict(mapping))


OKABE_ITO: Mapping[str, str] = _frozen({
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
})

# Ships. The two ships of the investigation have their house colours in every run that draws
# them; any other ship takes the next free colour of SHIP_COLOR_ORDER, in the order the cast
# lists it. Six colours: the Okabe-Ito set without the two port colours.
HOUSE_SHIP_COLORS: Mapping[str, str] = _frozen({"ANGARA": OKABE_ITO["vermillion"],
                                                "MARIA": OKABE_ITO["blue"]})
SHIP_COLOR_ORDER: tuple[str, ...] = tuple(OKABE_ITO[k] for k in (
    "vermillion", "blue", "orange", "sky blue", "black", "yellow"))
UNIDENTIFIED_COLOR = "#9A9A9A"     # a ship outside the cast, or a sighting not identified

# Ports: the route's origin and destination, and every other port.
ORIGIN_COLOR = OKABE_ITO["bluish green"]
DESTINATION_COLOR = OKABE_ITO["reddish purple"]
OTHER_PORT_COLOR = "#5A5A5A"
ORIGIN_MARKER, DESTINATION_MARKER, OTHER_PORT_MARKER = "o", "s", "D"   # sighting markers

# Where a ship was (the timeline's states) besides "at <origin>" and "at <destination>".
STATE_GREYS: Mapping[str, str] = _frozen({
    # The timeline draws "in transit" in the ship's own colour; this grey is the fallback for a
    # vessel that has no colour.
    "in transit": "#7A7A7A",
    "at another port": "#B8B8B8",
    "unknown": "#E9E9E9",
    "AIS dark": "#4D4D4D",
})

# Map and text colours.
WATER = "#E4EEF5"
LAND = "#E6E5E1"
COAST = "#B4B3AE"
INK = "#222222"
MUTED = "#666666"

# AIS dark periods by class (timeline and AIS activity).
DARK_STYLE: Mapping[str, Mapping[str, str]] = _frozen({
    "likely-disabled": _frozen(dict(hatch="////", facecolor="#EDEDED",
                                    label="AIS dark: transponder likely switched off")),
    "reception": _frozen(dict(hatch="....", facecolor="#F6F6F6",
                              label="AIS gap: poor reception likely")),
    "short": _frozen(dict(hatch="....", facecolor="#F6F6F6",
                          label="AIS gap: poor reception likely")),
    "unassessed": _frozen(dict(hatch="", facecolor="#F6F6F6",
                               label="AIS gap: not assessed (outside the rule's scope)")),
})
DARK_UNKNOWN = DARK_STYLE["unassessed"]   # a class without a style is never drawn as "switched off"


def dark_style(cls) -> Mapping[str, str]:
    """Fill, hatch and legend label of a dark period of class `cls`."""
    return DARK_STYLE.get(cls, DARK_UNKNOWN)


def _ship_colors(ships: tuple[str, ...], house: Mapping[str, str],
                 order: tuple[str, ...]) -> dict[str, str]:
    """Each ship's colour: its house colour, else the next free colour of `order`.

    Colours of the house ships in the cast are taken; those of house ships not in the cast come
    last, so a run without them still keeps their colours apart (another ship only gets one when
    the others are used up)."""
    taken = {house[v] for v in ships if v in house}
    absent = {c for v, c in house.items() if v not in ships}
    free = ([c for c in order if c not in taken and c not in absent]
            + [c for c in order if c in absent and c not in taken])
    colors: dict[str, str] = {}
    for v in ships:
        if v in house:
            colors[v] = house[v]
        elif free:
            colors[v] = free.pop(0)
    return colors


@dataclass(frozen=True)
class Palette:
    """The colours, markers and legend names of one run's cast (build it with `for_cast`).

    ships: the ships of interest, in the legends' order. ship_colors: ship -> colour (a ship
    beyond the six colours has none and is drawn grey). route: (origin, destination), the
    legends' port names. port_colors, port_markers: the route's ports (and "other" for the
    colour). state_colors: the timeline's states ("at <origin>", "at <destination>", greys).
    """

    ships: tuple[str, ...]
    ship_colors: Mapping[str, str]
    route: tuple[str, str]
    port_colors: Mapping[str, str]
    port_markers: Mapping[str, str]
    state_colors: Mapping[str, str]

    @classmethod
    def for_cast(cls, vessels: Iterable[str], origin: str, destination: str, *,
                 house: Mapping[str, str] = HOUSE_SHIP_COLORS,
                 order: tuple[str, ...] = SHIP_COLOR_ORDER) -> Palette:
        """The palette of a run drawing `vessels` on the route `origin` -> `destination`.

        Ships with a `house` colour keep it; the others get the next colour-blind-safe colour of
        `order` in the order given. The origin and destination take the origin / destination
        colours, markers and legend names."""
        ships = tuple(dict.fromkeys(str(v) for v in vessels))
        origin, destination = str(origin), str(destination)
        port_colors = {origin: ORIGIN_COLOR, destination: DESTINATION_COLOR,
                       "other": OTHER_PORT_COLOR}
        port_markers = {origin: ORIGIN_MARKER, destination: DESTINATION_MARKER}
        states = {f"at {origin}": ORIGIN_COLOR, f"at {destination}": DESTINATION_COLOR,
                  **STATE_GREYS}
        return cls(ships=ships, ship_colors=_frozen(_ship_colors(ships, house, order)),
                   route=(origin, destination), port_colors=_frozen(port_colors),
                   port_markers=_frozen(port_markers), state_colors=_frozen(states))

    @property
    def origin(self) -> str:
        return self.route[0]

    @property
    def destination(self) -> str:
        return self.route[1]

    def ship_color(self, vessel) -> str:
        """The ship's colour; grey for a missing name or a ship without a colour."""
        if vessel is None or (pd.api.types.is_scalar(vessel) and pd.isna(vessel)):
            return UNIDENTIFIED_COLOR
        return self.ship_colors.get(str(vessel), UNIDENTIFIED_COLOR)

    def port_color(self, port) -> str:
        """The port's colour: origin, destination, or the other ports' grey."""
        return self.port_colors.get(str(port), self.port_colors["other"])

    def port_marker(self, port) -> str:
        """The marker of a sighting at `port`."""
        return self.port_markers.get(str(port), OTHER_PORT_MARKER)

    def state_color(self, vessel, state: str) -> str:
        """The timeline's colour for `vessel` being in `state` ("at <port>", "in transit" ...):
        in transit in the ship's colour, at a port outside the route in a grey."""
        if state == "in transit":
            return self.ship_colors.get(vessel, self.state_colors["in transit"])
        if state.startswith("at ") and state not in self.state_colors:
            return self.state_colors["at another port"]
        return self.state_colors.get(state, self.state_colors["unknown"])

    def identified(self, sightings: pd.DataFrame) -> pd.Series:
        """True where a sighting is identified as one of the ships with a colour."""
        ok = sightings["vessel"].notna() & sightings["vessel"].astype(str).isin(list(self.ship_colors))
        if "match" in sightings.columns:
            ok &= sightings["match"].isna() | (sightings["match"] == "identified")
        return ok
