"""The journalists' report, rendered from a template: HTML and CSS as files, data as a context.

`render(context)` fills `templates/report.html.j2` (jinja2, autoescape on, undefined names an
error) and inlines `templates/report.css`, so the page stays one HTML file that opens from disk;
it links only to files in its own folder (figures, CSVs, the inputs manifest) and to the
sources as plain links. Nothing on the page is fetched from the network (`external_refs`).
This package needs no parameter set: `helpers.steps.report` (step 90) builds the context from
the run's tables and writes the report folder.

- `tables`   the table/cell model the template renders, number and time formatting
- `content`  the sections (findings, claims, round trips, truth against reconstruction,
             sensitivity) as data, from a run's tables
- `browser`  headless Chromium over the DevTools protocol: the report measured at a width

The context (every key is required unless it says "or None"):

- `title`, `dek` (one paragraph: what the data is), `source_line`, `simulated` (bool)
- `public_record_href`: relative link to the public record's report, or None
- `truth`: {intro, table, dark_start (or None)} or None (a run without a truth)
- `sensitivity`: {text, table, ...} or None
- `at_most_meaning`: the sentence stating what "at most N" means, or None
- `findings`: [{text, cls (or absent)}]
- `claims`: a table; `claims_href`: its CSV, or None
- `figures`: [{id, number, src, srcset (or None), sizes, width, height, alt, caption,
  full_href, data: [{href, label}]}]
- `trips`: {intro, table, href, possible (a table or None), possible_href}
- `method`, `limitations`: lists of sentences
- `provenance`: {run_id, params_file, params_name, n_inputs, manifest_href, downloads ([{name,
  href, what, rows (or None)}]), versions (a table), parameters_yaml, parameters_href}

`contents` (the list of sections, each {id, title}) is added by `render`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                              keep_trailing_newline=True)


def css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def contents(context: dict) -> list[dict]:
    """The sections the page will have, in order (the contents list links to their ids)."""
    sim = context["simulated"]
    where = " in the simulation" if sim else ""
    out = []
    if context.get("record"):
        out.append({"id": "record", "title": "What the public record supports"})
    if context.get("truth"):
        out.append({"id": "truth", "title": "Truth against reconstruction"})
        if context.get("sensitivity"):
            out.append({"id": "sensitivity", "title": "When imagery is scarcer"})
    out += [{"id": "findings", "title": f"Findings{where}"}]
    if context.get("claims"):
        out.append({"id": "claims", "title": f"The reporting's claims, checked{where}"})
    out += [{"id": "figures", "title": "Figures" + (" (simulated data)" if sim else "")},
            {"id": "trips", "title": f"Round trips{where}"}]
    if context["trips"].get("possible"):
        out.append({"id": "possible-trips", "title": "Possible round trips"})
    out += [{"id": "method", "title": "Method, step by step"}, {"id": "limitations", "title": "Limitations"},
            {"id": "data", "title": "Data and provenance"}]
    return out


def render(context: dict) -> str:
    """The report's HTML from `context` (see the module doc); every value is escaped."""
    page = environment().get_template("report.html.j2")
    return page.render(**context, css=Markup(css()), contents=contents(context))


# --- what the page refers to --------------------------------------------------------------

# attributes whose value the browser fetches (or runs) when the page opens
RESOURCE_ATTRS = {"src", "srcset", "href", "poster", "data", "action", "formaction", "background", "xlink:href",
                  "manifest", "ping", "imagesrcset"}


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.resources: list[str] = []   # fetched when the page opens
        self.links: list[str] = []       # <a href>: followed only when a reader clicks
        self._style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.resources += css_urls(value)
            elif tag == "a" and name == "href":
                self.links.append(value.strip())
            elif name in RESOURCE_ATTRS:
                if name in ("srcset", "imagesrcset"):
                    self.resources += [c.strip().split()[0] for c in value.split(",") if c.strip()]
                else:
                    self.resources.append(value.strip())
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.resources += css_urls(data)


def css_urls(text: str) -> list[str]:
    """url(...) and @import targets in CSS."""
    found = re.findall(r"""url\(\s*["']?([^"')]*)""", text, flags=re.I)
    found += re.findall(r"""@import\s+["']([^"']+)""", text, flags=re.I)
    return [f.strip() for f in found]


def _remote(ref: str) -> bool:
    """True for anything with a scheme other than data:, or protocol-relative (//host)."""
    has_scheme = bool(re.match(r"[a-z][a-z0-9+.\-]*:", ref, flags=re.I))
    return ref.startswith("//") or (has_scheme and not ref.lower().startswith("data:"))


def external_refs(text: str) -> list[str]:
    """What the page would fetch from outside its folder when it opens (should be none):
    src, srcset, <link href>, url(), @import, ... with a scheme or //host; and any link that
    runs code (javascript:). Plain <a href> links to http(s) pages are navigation, allowed."""
    p = _Refs()
    p.feed(text)
    bad = [r for r in p.resources if _remote(r)]
    bad += [r for r in p.links if r.lower().startswith(("javascript:", "vbscript:", "data:"))]
    return bad


def local_refs(text: str) -> list[str]:
    """Relative links and resources of the page (paths in its folder), without #fragments."""
    p = _Refs()
    p.feed(text)
    return sorted({r.split("#")[0] for r in p.resources + p.links
                   if r and not r.startswith("#") and not _remote(r) and not r.lower().startswith("data:")})


def fragment_ids(text: str) -> tuple[set[str], list[str]]:
    """(ids on the page, #fragments the page links to)."""
    ids = set(re.findall(r"""\sid=["']([^"']+)["']""", text))
    frags = re.findall(r"""href=["']#([^"']+)["']""", text)
    return ids, frags
