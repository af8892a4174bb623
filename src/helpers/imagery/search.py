"""Searching a STAC API for scenes of the ports, and saving the pages for `inputs.acquisitions`
(`python -m helpers imagery-search`; needs a network; the analysis itself never searches).

`search_stac(url, ports, start, end, collections, out)` POSTs one STAC API item search to
`<url>/search` with pystac-client: the scenes of `collections` whose footprint contains a berth
of the ports (`intersects`: the berth point, or a MultiPoint of all berths), acquired from
`start` to `end`, `limit` items per page (None: the API's default). Each page of results is
written as it came (the API's own JSON) to `out/page-0001.json`, `page-0002.json` ...; a page's
`next` link is rewritten to the next file written (the URL kept as `href_remote`), so
`read_catalog(out)` reads every page without a network. The last page keeps its `next` URL when
`max_items` stopped the search (the QA then counts it as a link not followed: more results
exist); a search that ran out of results drops it. `out/search.yaml` records the query, pages
and item counts. An earlier search's pages in `out` are removed first.

Tests replay recorded API responses by passing a `session` (a requests.Session whose adapter
serves them); nothing in the tests reaches a network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError
from ..fileio import atomic_write
from ..geo import load_ports

PAGE = "page-{:04d}.json"


@dataclass
class SearchResult:
    pages: list[Path]
    items: int
    complete: bool


def _intersects(ports) -> dict:
    """The berth points of the ports as GeoJSON (a Point for one port)."""
    points = [[float(x), float(y)] for x, y in zip(ports["berth_lon"], ports["berth_lat"])]
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    return {"type": "MultiPoint", "coordinates": points}


def _utc(text: str, field: str) -> str:
    try:
        ts = pd.Timestamp(text)
    except ValueError:
        raise InputError("<command line>", field, f"{text!r} is not a time",
                         "give an ISO 8601 time with a zone, e.g. 2023-08-01T00:00:00Z") from None
    if ts.tzinfo is None:
        raise InputError("<command line>", field, f"{text!r} has no time zone", "end it with Z (UTC)")
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_json(doc: dict, path: Path) -> None:
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def search_stac(url: str, ports: str | Path, start: str, end: str, collections: list[str],
                out: str | Path, *, max_items: int = 1000, limit: int | None = None,
                session=None) -> SearchResult:
    """Search the STAC API at `url` and write the result pages to `out` (module docstring)."""
    try:
        from pystac_client import ItemSearch
        from pystac_client.stac_api_io import StacApiIO
    except ImportError:  # pragma: no cover - pystac-client is in requirements.txt
        raise InputError("<environment>", "pystac-client", "is not installed",
                         "pip install pystac-client==0.9.1") from None
    window = f"{_utc(start, '--start')}/{_utc(end, '--end')}"
    stac_io = StacApiIO()
    if session is not None:
        stac_io.session = session
    search = ItemSearch(f"{url.rstrip('/')}/search", method="POST", stac_io=stac_io,
                        max_items=max_items, limit=limit, collections=list(collections),
                        intersects=_intersects(load_ports(Path(ports))), datetime=window)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.json"):
        old.unlink()
    pages, n = [], 0
    for page in search.pages_as_dicts():
        pages.append(page)
        n += len(page.get("features", []))
    complete = not (max_items and n >= max_items)
    files = []
    for i, page in enumerate(pages, start=1):
        links = []
        for link in page.get("links", []):
            if link.get("rel") == "next":
                if i < len(pages):
                    link = {**link, "href": PAGE.format(i + 1), "href_remote": link["href"]}
                    link.pop("method", None)
                    link.pop("body", None)
                elif complete:
                    continue
            links.append(link)
        page["links"] = links
        files.append(out / PAGE.format(i))
        _write_json(page, files[-1])
    record = {"url": url, "collections": list(collections), "datetime": window,
              "intersects": _intersects(load_ports(Path(ports))), "limit": limit,
              "max_items": max_items, "pages": [f.name for f in files], "items": n,
              "complete": complete}
    text = yaml.safe_dump(record, sort_keys=False)
    atomic_write(out / "search.yaml", lambda p: p.write_text(text, encoding="utf-8"))
    return SearchResult(files, n, complete)
