"""rajin-dunai analysis helpers: the importable code behind the notebooks.

Modules (one concern each): paths, errors, params, schema, geo, ais, imagery, ports, gaps,
trips, claims, figures, scenario, pipeline. See ../../README.md and ../shared/design.md.
"""

__version__ = "0.1.0"
