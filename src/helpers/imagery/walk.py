"""Finding the items in what a user gives: files, folders, catalogs and search pages on disk.

`Walk` reads every file reachable from the paths it is given and collects each item (a STAC Item
dict, converted by helpers.imagery.providers when the file is not STAC) with its file, its
*source* (the QA row it counts in) and its context (collection providers, 0.8/0.9 common
properties, the page's STAC version). Nothing is fetched: links are followed only to files.

What a file may be (`identify`):

- a STAC Catalog or Collection (any version; one without `type` is typed by pystac): its
  `child` and `item` links are followed when they name files (relative or file://); its items
  count in its own QA row;
- a STAC Item: counts in the row of the catalog or collection that linked it, else its own;
- an ItemCollection / GeoJSON FeatureCollection, a STAC API search page, or a bare JSON array of
  Items: one row per file. A page's `next` link is followed when it names a file on disk;
- Planet Data API v1 records and search pages, Planet v0 Scenes API pages, Maxar Open Data tile
  GeoJSON and TSV tile indexes (helpers.imagery.providers);
- `*.json.gz`: any of the above gzip-compressed.

A link that is a URL (http, https, s3 ...) is not followed: it is counted in the row's
`links_not_followed` with a note (a search page's `next` link says more results exist). A link
to a missing file is counted the same way. A folder is read from its catalog.json, else from
every *.json, *.geojson, *.json.gz and *.tsv below it; there, a file that is none of the above
is skipped with a note; a file given by name must be one.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from pystac.serialization import identify_stac_object

from ..errors import InputError
from ..paths import display
from .providers import (
    MAXAR_TSV_COLUMNS,
    is_maxar_tile,
    is_planet_v0,
    is_planet_v1,
    maxar_tile_item,
    maxar_tsv_items,
    planet_v0_item,
    planet_v1_item,
)

SUFFIXES = (".json", ".geojson", ".json.gz", ".tsv")
_NOT_STAC_FIX = ("give STAC JSON (with 'type' and 'stac_version'): a catalog, collection, item, "
                 "ItemCollection or search page, or a Planet / Maxar Open Data file")


@dataclass
class Found:
    """One item as found: the item dict, its file, the QA row it counts in, its context."""
    item: dict
    file: str
    source: str
    context: dict


@dataclass
class Source:
    """A QA row in the making: one file that holds or links items."""
    source: str
    kind: str
    links_not_followed: int = 0
    notes: list[str] = field(default_factory=list)


def _is_url(href: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", href, re.I)) and not href.lower().startswith("file://")


def _local(base: Path, href: str) -> Path:
    if href.lower().startswith("file://"):
        return Path(unquote(urlparse(href).path))
    return base.parent / unquote(href)


def load(path: Path):
    """A file's content: parsed JSON (gzip allowed), or ('tsv', text) for a .tsv file."""
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
        if path.suffix.lower() == ".tsv":
            return ("tsv", text)
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as exc:
        raise InputError(display(path), "(file)", f"is not JSON ({exc})",
                         "give a STAC Item, Collection or Catalog JSON file") from None


def next_links(doc: dict) -> list[dict]:
    """A page's `next` links: STAC (`links` list), Planet v0 (`links` object), Planet v1
    (`_links._next`), as dicts with href (and method)."""
    links = doc.get("links")
    if isinstance(links, dict):
        return [{"rel": "next", "href": links["next"]}] if links.get("next") else []
    out = [ln for ln in (links or []) if isinstance(ln, dict) and ln.get("rel") == "next" and ln.get("href")]
    nxt = (doc.get("_links") or {}).get("_next") if isinstance(doc.get("_links"), dict) else None
    return out + ([{"rel": "next", "href": nxt}] if nxt else [])


def identify(doc, file: str) -> str:
    """What a loaded file is (module docstring); InputError ('type') when none of them."""
    if isinstance(doc, tuple):
        header = set(doc[1].splitlines()[0].split("\t")) if doc[1].strip() else set()
        if MAXAR_TSV_COLUMNS <= header:
            return "maxar-tsv"
        raise InputError(file, "type", "is not a Maxar Open Data tile index (TSV)",
                         f"a .tsv needs the columns {sorted(MAXAR_TSV_COLUMNS)}")
    if isinstance(doc, list):
        if doc and all(isinstance(x, dict) and x.get("type") == "Feature" for x in doc):
            return "item-array"
        raise InputError(file, "type", "is a JSON array but not of GeoJSON Features", _NOT_STAC_FIX)
    if not isinstance(doc, dict):
        raise InputError(file, "type", "is not a STAC Item, Collection or Catalog", _NOT_STAC_FIX)
    kind = doc.get("type")
    if kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        first = doc["features"][0] if doc["features"] and isinstance(doc["features"][0], dict) else {}
        if isinstance(doc.get("links"), dict) or is_planet_v0(first):
            return "planet-v0-page"
        if "_links" in doc or is_planet_v1(first):
            return "planet-v1-page"
        if is_maxar_tile(first):
            return "maxar-tiles"
        if next_links(doc) or "context" in doc or "numberMatched" in doc:
            return "api-page"
        return "item-collection"
    if kind == "Feature":
        props = doc.get("properties") if isinstance(doc.get("properties"), dict) else {}
        if is_planet_v1(doc):
            return "planet-v1-item"
        if is_maxar_tile(doc):
            return "maxar-tiles"
        if "stac_version" in doc or "datetime" in props or "start_datetime" in props:
            return "item"
    if kind in ("Catalog", "Collection") and "stac_version" in doc:
        return kind.lower()
    if kind is None and "stac_version" in doc and "id" in doc:
        try:
            typed = identify_stac_object(doc).object_type
        except Exception:  # noqa: BLE001 - pystac raises several types
            typed = None
        if typed in ("Catalog", "Collection"):
            return typed.lower()
    raise InputError(file, "type", "is not a STAC Item, Collection or Catalog (no 'type' and "
                     "'stac_version' STAC recognises)", _NOT_STAC_FIX)


def _features(doc, kind: str, file: str) -> list[dict]:
    """The items of a page-like file as STAC Item dicts."""
    feats = doc if kind == "item-array" else doc.get("features", [])
    out = []
    for f in feats:
        if not isinstance(f, dict):
            out.append({"id": None, "_bad": f"a feature of {file} is not a JSON object"})
        elif is_planet_v1(f):
            out.append(planet_v1_item(f))
        elif is_planet_v0(f):
            out.append(planet_v0_item(f))
        elif is_maxar_tile(f):
            out.append(maxar_tile_item(f))
        else:
            out.append(f)
    return out


def _embedded_collections(doc: dict) -> dict[str, dict]:
    """sat-api pages embed their collections: id -> collection."""
    colls = doc.get("collections") if isinstance(doc, dict) else None
    return {c["id"]: c for c in colls or [] if isinstance(c, dict) and c.get("id")}


class Walk:
    """Every item reachable from some paths (module docstring): `items` and `sources`."""

    def __init__(self):
        self.seen: set[Path] = set()
        self.items: list[Found] = []
        self.sources: dict[str, Source] = {}

    def row(self, source: str, kind: str) -> Source:
        if source not in self.sources:
            self.sources[source] = Source(source, kind)
        return self.sources[source]

    def start(self, path: Path) -> None:
        """Walk a path a user gave: a file (must be readable), or a folder."""
        if not path.exists():
            raise InputError(display(path), "path", "does not exist",
                             "check the path (catalog.json, a directory, or STAC Item files)")
        if not path.is_dir():
            self.file(path, strict=True)
        elif (path / "catalog.json").exists():
            self.file(path / "catalog.json", strict=True)
        else:
            for f in sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES)):
                self.file(f, strict=False)

    def _link(self, row: Source, base: Path, link: dict, what: str) -> Path | None:
        """The file a link names, or None (counted in `row`, with a note) when it is a URL or
        the file is missing."""
        href = str(link.get("href", ""))
        if _is_url(href):
            method = f"{link.get('method', 'GET')} " if what == "next page" else ""
            row.links_not_followed += 1
            row.notes.append(f"{what} not followed (a URL; nothing is fetched): {method}{href}")
            return None
        target = _local(base, href)
        if not target.is_file():
            row.links_not_followed += 1
            row.notes.append(f"{what} not followed (file missing): {href}")
            return None
        return target

    def file(self, path: Path, *, strict: bool, context: dict | None = None,
             parent: str | None = None) -> None:
        """Read one file; `parent` is the QA row of the catalog or collection linking it."""
        path = path.resolve()
        if path in self.seen:
            return
        self.seen.add(path)
        shown = display(path)
        try:
            doc = load(path)
            kind = identify(doc, shown)
        except InputError as exc:
            if strict:
                raise
            self.row(shown, "skipped").notes.append(f"skipped: {exc.problem}")
            return
        context = dict(context or {})
        if kind in ("catalog", "collection"):
            self._container(path, doc, kind, context)
        elif kind in ("item", "planet-v1-item"):
            item = planet_v1_item(doc) if kind == "planet-v1-item" else doc
            self.row(parent or shown, kind if parent is None else "collection")
            self.items.append(Found(item, shown, parent or shown, context))
        elif kind == "maxar-tsv":
            self.row(shown, kind)
            self.items += [Found(it, shown, shown, {}) for it in maxar_tsv_items(doc[1], shown)]
        else:
            self._page(path, doc, kind, context)

    def _container(self, path: Path, doc: dict, kind: str, context: dict) -> None:
        shown = display(path)
        if kind == "collection" and doc.get("providers"):
            context["providers"] = doc["providers"]
        if isinstance(doc.get("properties"), dict):          # 0.8/0.9 "commons"
            context["commons"] = doc["properties"]
        for link in doc.get("links", []) if isinstance(doc.get("links"), list) else []:
            rel = link.get("rel") if isinstance(link, dict) else None
            if rel not in ("child", "item"):
                continue
            row = self.row(shown, kind)
            target = self._link(row, path, link, f"{rel} link")
            if target is not None:
                self.file(target, strict=True, context=context,
                          parent=shown if rel == "item" else None)
        if shown in self.sources and not self.sources[shown].notes and not any(
                f.source == shown for f in self.items):
            del self.sources[shown]                          # a catalog of catalogs: no row

    def _page(self, path: Path, doc, kind: str, context: dict) -> None:
        shown = display(path)
        row = self.row(shown, kind)
        embedded = _embedded_collections(doc)
        version = doc.get("stac_version") if isinstance(doc, dict) else None
        for item in _features(doc, kind, shown):
            ctx = dict(context)
            coll = embedded.get(item.get("collection") or (item.get("properties") or {}).get("collection"))
            if coll:
                ctx.update(providers=coll.get("providers"), commons=coll.get("properties") or {})
            ctx["stac_version"] = version or (coll or {}).get("stac_version")
            self.items.append(Found(item, shown, shown, ctx))
        if isinstance(doc, dict):
            for link in next_links(doc):
                target = self._link(row, path, link, "next page")
                if target is not None:
                    self.file(target, strict=True)


def walk_stac(path: Path, seen: set[Path]) -> Iterator[Path]:
    """Every local STAC file of the catalog at `path` (catalogs, collections, items), each once;
    URLs and missing files are skipped. Used to replace a catalog written before."""
    path = path.resolve()
    if path in seen or not path.is_file():
        return
    seen.add(path)
    yield path
    try:
        doc = load(path)
    except InputError:
        return
    if isinstance(doc, dict):
        for link in doc.get("links", []) if isinstance(doc.get("links"), list) else []:
            href = str(link.get("href", "")) if isinstance(link, dict) else ""
            if link.get("rel") in ("child", "item") and href and not _is_url(href):
                yield from walk_stac(_local(path, href), seen)
