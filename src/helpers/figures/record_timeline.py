"""The public-record timeline, for journalists: every dated observation a published source
reports (data/public_record/), one lane per port, each a mark coloured by ship, the sources
numbered and listed under the figure.

- Lanes: the route's ports first, then the other ports with rows in the window, then
  "Elsewhere" for ships seen away from any port of ours (a shipyard, a canal). Rows about rail
  crossings and depots are not drawn (the alt text counts them).
- Marks: one per lane, day, kind and ship (sources reporting the same thing are one mark, all
  their numbers beside it). Shape by what the sources say: a ship seen (filled circle), a call
  inferred from the quay (open circle), containers on the quay without a ship (square), no ship
  or no containers (cross), a ship seen then gone (a bar from the image that shows it to the end
  of the day of the image that does not), a call dated only to a window longer than
  DAY_RANGE_DAYS (a thin bar over the window). Colour by ship (Palette), grey for a ship the
  source does not name, with the length it gives.
- Gaps in coverage: a day a source names as cloudy is banded; a month with no observation at
  all at a port is shaded in its lane.
- Sources: numbered 1..N in order of first use (by date, then lane), listed under the figure
  with outlet and publication date; `record_sources` gives the table with the links, for the
  CSV beside the figure (`save_sources`) and the alt text.

Saved as FIGURE_NAME ("fig08_public_record": the report embeds fig*.png and finds the caption
by the file's name; 08 so that it never takes the number of figures 1-7).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import TextToPath

from ..fileio import write_text
from ..public_record import CARGO, NO_SHIP, PLACE_PORT, SHIP_SEEN, calls, cloudy_days, count_calls, day_dated, ship_key
from .charts import date_num, legend_below, legend_height, month_ticks
from .palette import INK, MUTED, UNIDENTIFIED_COLOR, Palette
from .style import HOUSE, Layout, axes_in, frame, use_style, wrap

FIGURE_NAME = "fig08_public_record"
ELSEWHERE = "Elsewhere"
LABEL_W = 1.3          # inches left of the plot for the lanes' names
TRACK_H = 0.21         # inches per row of marks inside a lane
LANE_PAD = 0.1         # inches above and below a lane's marks
MIN_LANE_H = 0.62      # a lane is at least this tall (room for its name)
LABEL_PT = 6.8         # the numbers beside the marks
LIST_PT = 7.6          # the source list under the figure
CARGO_COLOR = "#4D4D4D"
GAP_COLOR = "#F0F0F0"
CLOUD_COLOR = "#D5E3EE"
RECORD_SOURCE_LINE = ("Data: the public record (data/public_record/): real observations as "
                      "published by the sources listed, collected and paraphrased by this "
                      "project, not checked against the imagery")

_KIND = {**{w: "seen" for w in SHIP_SEEN}, "departed between": "departed",
         "visit inferred": "inferred", **{w: "containers" for w in CARGO},
         **{w: "absent" for w in NO_SHIP}}
_SHIPS = ("seen", "departed", "inferred", "window")


def _window(window) -> tuple[pd.Timestamp, pd.Timestamp]:
    return tuple(pd.Timestamp(t).tz_localize("UTC") if pd.Timestamp(t).tzinfo is None
                 else pd.Timestamp(t).tz_convert("UTC") for t in window)


def _in_window(observations: pd.DataFrame, window) -> pd.DataFrame:
    w0, w1 = _window(window)
    return observations[(observations["observed"] >= w0) & (observations["observed"] < w1)]


def record_lanes(observations: pd.DataFrame, window, origin: str, destination: str) -> list[str]:
    """The lanes: origin and destination, the other ports with rows in the window (in
    PLACE_PORT's order), then "Elsewhere" when a ship is seen at another place."""
    o = _in_window(observations, window)
    ports = [p for p in PLACE_PORT if p not in (origin, destination) and (o["place"] == p).any()]
    away = o[~o["place"].isin(list(PLACE_PORT)) & o["what"].isin(list(SHIP_SEEN) + ["departed between"])]
    return [origin, destination, *ports] + ([ELSEWHERE] if len(away) else [])


def record_marks(observations: pd.DataFrame, window, lanes: list[str]) -> pd.DataFrame:
    """One row per mark: lane, kind, ship (ship_key; '' without a ship), vessel, length_m,
    start, end (exclusive; bars only), places, the rows behind it (obs_ids) and their pages
    (urls, in the rows' order)."""
    o = _in_window(observations, window).copy()
    o["kind"] = o["what"].map(_KIND)
    windowed = o["what"].isin(list(SHIP_SEEN) + ["visit inferred"]) & ~day_dated(o)
    o.loc[windowed, "kind"] = "window"
    o = o[o["kind"].notna()]
    away = ~o["place"].isin(list(PLACE_PORT))
    o["lane"] = o["place"].where(~away, ELSEWHERE)
    o = o[o["lane"].isin(lanes) & (~away | o["kind"].isin(_SHIPS))]
    ship = [ship_key(v, x) if k in _SHIPS else "" for v, x, k in
            zip(o["vessel"], o["vessel_length_m"], o["kind"])]
    o = o.assign(ship=ship, end=o["observed_end"].fillna(o["observed"]) + pd.Timedelta(days=1))
    o.loc[o["kind"].isin(["seen", "inferred", "containers"]), "end"] = pd.NaT
    o.loc[(o["kind"] == "absent") & o["observed_end"].isna(), "end"] = pd.NaT
    rows = []
    for (lane, kind, shp, day), g in o.sort_values("line").groupby(
            ["lane", "kind", "ship", "observed"], sort=False):
        named = g["vessel"].dropna()
        rows.append(dict(lane=lane, kind=kind, ship=shp,
                         vessel=named.iloc[0] if kind in _SHIPS and len(named) else None,
                         length_m=g["vessel_length_m"].max(), start=day, end=g["end"].max(),
                         places=", ".join(dict.fromkeys(g["place"])),
                         obs_ids=list(g["obs_id"]), urls=list(dict.fromkeys(g["source_url"]))))
    m = pd.DataFrame(rows, columns=["lane", "kind", "ship", "vessel", "length_m", "start", "end",
                                    "places", "obs_ids", "urls"])
    m["vessel"] = m["vessel"].where(m["vessel"] != "unidentified", None)
    order = {lane: i for i, lane in enumerate(lanes)}
    return m.sort_values(["start", "lane", "kind", "ship"], key=lambda s: s.map(order)
                         if s.name == "lane" else s, kind="stable").reset_index(drop=True)


def record_sources(observations: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The pages behind the marks, numbered 1..N in order of first use: n, source_outlet (the
    outlets of its rows), published, source_url, obs_ids."""
    urls = list(dict.fromkeys(u for us in marks["urls"] for u in us))
    used = {i for ids in marks["obs_ids"] for i in ids}
    o = observations[observations["obs_id"].isin(used)]
    rows = []
    for n, u in enumerate(urls, start=1):
        g = o[o["source_url"] == u].sort_values("line")
        rows.append(dict(n=n, source_outlet=" / ".join(dict.fromkeys(g["source_outlet"])),
                         published=g["published"].iloc[0], source_url=u,
                         obs_ids=";".join(g["obs_id"])))
    return pd.DataFrame(rows, columns=["n", "source_outlet", "published", "source_url", "obs_ids"])


def save_sources(sources: pd.DataFrame, name: str, directory) -> Path:
    """The numbered sources as `name`.sources.csv beside the figure (with the links)."""
    out = sources.assign(published=sources["published"].dt.strftime("%Y-%m-%d"))
    return write_text(Path(directory) / f"{name}.sources.csv",
                      out.to_csv(index=False, lineterminator="\n"))


def _fmt_day(t) -> str:
    return f"{t.day} {t:%b %Y}"


def _period(window) -> str:
    w0, w1 = _window(window)
    last = w1 - pd.Timedelta(days=1)
    return f"{w0:%b %Y}-{last:%b %Y}" if (w0.year, w0.month) != (last.year, last.month) else f"{w0:%b %Y}"


def record_title(observations: pd.DataFrame, window, origin: str, destination: str) -> str:
    """The finding, from the data: dated calls at the origin, observations at the destination."""
    w0, w1 = _window(window)
    c = calls(observations)
    last = w1 - pd.Timedelta(days=1)
    n_o = count_calls(c, place=origin, since=w0, until=last)["calls"]
    n_d = count_calls(c, place=destination, since=w0, until=last)["calls"]
    rows_d = int((_in_window(observations, window)["place"] == destination).sum())
    head = (f"{n_o} dated ship call{'s' if n_o != 1 else ''} at {origin}, "
            f"{rows_d} observation{'s' if rows_d != 1 else ''} at {destination}")
    if n_o >= 3 * max(n_d, 1):
        return f"{head}: the public record dates the loading, not the delivery"
    return f"{head}, {_period(window)}: what the public record dates"


_TTP = TextToPath()


def _width_in(text: str, size: float) -> float:
    prop = FontProperties(family=mpl.rcParams["font.sans-serif"][:1] or ["DejaVu Sans"], size=size)
    return _TTP.get_text_width_height_descent(text, prop, ismath=False)[0] / 72.0


def _labels(marks: pd.DataFrame, numbers: dict[str, int]) -> list[str]:
    out = []
    for r in marks.itertuples(index=False):
        nums = ",".join(str(n) for n in sorted(numbers[u] for u in r.urls))
        unnamed = r.kind in _SHIPS and (r.vessel is None or pd.isna(r.vessel))
        length = f"{r.length_m:g} m " if unnamed and pd.notna(r.length_m) else ""
        out.append(f"{length}[{nums}]")
    return out


def _tracks(marks: pd.DataFrame, labels: list[str], per_day_in: float,
            x_max: float) -> tuple[list[int], list[bool]]:
    """A row inside its lane for each mark, so that no mark or label overlaps another, and
    whether its label goes left of it (when it would run past the end of the window)."""
    ends: dict[str, list[float]] = {}
    rows, left = [0] * len(marks), [False] * len(marks)
    # point marks first, so the long window bars take the rows below them
    order = sorted(range(len(marks)), key=lambda i: marks["kind"].iat[i] == "window")
    for i in order:
        r = marks.iloc[i]
        x0 = date_num(r.start) - 0.08 / per_day_in
        x_end = date_num(r.end) if pd.notna(r.end) else date_num(r.start) + 0.05 / per_day_in
        w = (0.06 + _width_in(labels[i], LABEL_PT)) / per_day_in
        x1 = x_end + w
        if x1 > x_max:
            left[i], x0, x1 = True, x0 - w, x_end
        lane = ends.setdefault(r.lane, [])
        k = next((j for j, e in enumerate(lane) if e < x0), len(lane))
        if k == len(lane):
            lane.append(x1)
        else:
            lane[k] = x1
        rows[i] = k
    return rows, left


def _draw_mark(ax, r, y: float, color: str, per_day_in: float) -> float:
    """One mark at height y (inches, negative down); returns where its label starts (x). A
    date-only observation is drawn at 12:00 UTC of its day (as helpers.public_record dates it);
    bars run from the start of the first day to the end of the last."""
    x = date_num(r.start) + (0.5 if r.kind != "window" else 0.0)
    gid = f"mark-{r.lane}-{r.kind}"
    if r.kind == "seen":
        ax.plot([x], [y], marker="o", ms=7.5, mfc=color, mec="white", mew=0.6, ls="none",
                zorder=5, gid=gid)
    elif r.kind == "inferred":
        ax.plot([x], [y], marker="o", ms=6.6, mfc="white", mec=color, mew=1.3, ls="none",
                zorder=5, gid=gid)
    elif r.kind == "containers":
        ax.plot([x], [y], marker="s", ms=6.2, mfc=CARGO_COLOR, mec="white", mew=0.5, ls="none",
                zorder=5, gid=gid)
    elif r.kind == "absent":
        if pd.notna(r.end):
            ax.plot([x, date_num(r.end)], [y, y], color=CARGO_COLOR, lw=0.9, ls=(0, (1, 1.5)),
                    zorder=4, gid=gid)
        ax.plot([x], [y], marker="x", ms=6.0, mec=CARGO_COLOR, mew=1.4, ls="none", zorder=5, gid=gid)
    elif r.kind == "departed":
        x1 = date_num(r.end)
        ax.add_patch(Rectangle((x, y - 0.035), x1 - x, 0.07, facecolor=color, edgecolor="none",
                               zorder=4, gid=gid))
        ax.plot([x1, x1], [y - 0.06, y + 0.06], color=color, lw=1.1, zorder=4)
        ax.plot([x], [y], marker="o", ms=7.5, mfc=color, mec="white", mew=0.6, ls="none", zorder=5)
    elif r.kind == "window":
        x1 = date_num(r.end)
        ax.add_patch(Rectangle((x, y - 0.018), x1 - x, 0.036, facecolor=color, edgecolor="none",
                               zorder=4, gid=gid))
        for xx in (x, x1):
            ax.plot([xx, xx], [y - 0.05, y + 0.05], color=color, lw=1.0, zorder=4)
    end = date_num(r.end) if pd.notna(r.end) else x
    return end + 0.06 / per_day_in


def _gaps(ax, observations, lanes, lane_y, window, cloudy) -> None:
    """Months with no observation at a port (shaded in its lane); cloudy days named (banded)."""
    w0, w1 = _window(window)
    o = _in_window(observations, window)
    months = pd.date_range(pd.Timestamp(year=w0.year, month=w0.month, day=1, tz="UTC"), w1, freq="MS")
    for lane in lanes:
        if lane == ELSEWHERE:
            continue
        top, bottom = lane_y[lane]
        seen = set(o.loc[o["place"] == lane, "observed"].dt.strftime("%Y-%m"))
        for m0 in months:
            if f"{m0:%Y-%m}" in seen or m0 >= w1:
                continue
            a = date_num(max(m0, w0))
            b = date_num(min(m0 + pd.offsets.MonthBegin(1), w1))
            ax.add_patch(Rectangle((a, bottom), b - a, top - bottom, facecolor=GAP_COLOR,
                                   edgecolor="none", zorder=0, gid=f"gap-{lane}"))
        for d in cloudy.loc[cloudy["place"] == lane, "day"]:
            if w0 <= d < w1:
                ax.add_patch(Rectangle((date_num(d), bottom), 1.0, top - bottom, facecolor=CLOUD_COLOR,
                                       edgecolor="none", zorder=1, gid=f"cloud-{lane}"))


def _legend_handles(marks: pd.DataFrame, palette: Palette, cloudy: bool) -> list:
    hs = []
    named = [v for v in palette.ships if (marks["vessel"] == v).any()]
    for v in named:
        hs.append((Line2D([], [], marker="o", ms=7.5, mfc=palette.ship_color(v), mec="white",
                          ls="none"), v))
    if (marks["kind"].isin(_SHIPS) & marks["vessel"].isna()).any():
        hs.append((Line2D([], [], marker="o", ms=7.5, mfc=UNIDENTIFIED_COLOR, mec="white", ls="none"),
                   "Ship not named (length as reported)"))
    kinds = set(marks["kind"])
    if "inferred" in kinds:
        hs.append((Line2D([], [], marker="o", ms=6.6, mfc="white", mec=UNIDENTIFIED_COLOR, mew=1.3,
                          ls="none"), "Call inferred from the quay, no ship imaged"))
    if "containers" in kinds:
        hs.append((Line2D([], [], marker="s", ms=6.2, mfc=CARGO_COLOR, mec="white", ls="none"),
                   "Containers on the quay, no ship"))
    if "absent" in kinds:
        hs.append((Line2D([], [], marker="x", ms=6, mec=CARGO_COLOR, mew=1.4, ls="none"),
                   "Source: no ship / no containers there"))
    if "departed" in kinds:
        hs.append((Patch(facecolor=UNIDENTIFIED_COLOR), "Seen, then gone: left between two images"))
    if "window" in kinds:
        hs.append((Line2D([], [], color=UNIDENTIFIED_COLOR, lw=1.6), "Call dated only to a window"))
    hs.append((Patch(facecolor=GAP_COLOR, edgecolor="#D0D0D0", lw=0.5), "No observation at the port that month"))
    if cloudy:
        hs.append((Patch(facecolor=CLOUD_COLOR), "Day a source says was hidden by cloud"))
    return hs


def _source_list(sources: pd.DataFrame, csv_name: str | None) -> str:
    items = [f"[{r.n}] {r.source_outlet}, {_fmt_day(r.published)}" for r in sources.itertuples()]
    where = f"; links in {csv_name}" if csv_name else ""
    return (f"Sources (outlet, publication date{where}):  " + "   ".join(items))


@use_style()
def record_timeline(observations: pd.DataFrame, *, palette: Palette, window, source_line: str,
                    title: str | None = None, subtitle: str | None = None,
                    lanes: list[str] | None = None, sources_csv: str | None = None,
                    layout: Layout = HOUSE) -> Figure:
    """The public-record timeline (the module docstring says what it draws).

    observations: helpers.public_record.read_observations. palette: the run's colours; its route
    gives the first two lanes and its ships the colours. window: (start, end) UTC, rows observed
    in it are drawn. title: by default `record_title` (the finding, computed). lanes: by default
    `record_lanes`. sources_csv: the name of the CSV with the links, cited above the list.
    """
    origin, destination = palette.route
    lanes = list(lanes or record_lanes(observations, window, origin, destination))
    title = title or record_title(observations, window, origin, destination)
    subtitle = subtitle or ("Every dated observation a published source reports, by port; colour: "
                            "the ship (grey: not named); numbers: the sources listed below")
    marks = record_marks(observations, window, lanes)
    sources = record_sources(observations, marks)
    numbers = dict(zip(sources["source_url"], sources["n"]))
    w0, w1 = _window(window)
    plot_w = layout.width_in - LABEL_W - layout.right_in
    per_day_in = plot_w / ((w1 - w0) / pd.Timedelta(days=1))
    labels = _labels(marks, numbers)
    tracks, left = _tracks(marks, labels, per_day_in, date_num(w1))
    n_tracks = {lane: 1 + max([t for t, ln in zip(tracks, marks["lane"]) if ln == lane], default=0)
                for lane in lanes}
    heights = {lane: max(MIN_LANE_H, n_tracks[lane] * TRACK_H + 2 * LANE_PAD) for lane in lanes}
    plot_h = sum(heights.values())
    cloudy = cloudy_days(observations)
    hs = _legend_handles(marks, palette, bool(len(cloudy[cloudy["place"].isin(lanes)])))
    leg_h = legend_height(len(hs), 3)
    # a little narrower than the text width: small type renders wider than its outline measures
    list_text = wrap(_source_list(sources, sources_csv), LIST_PT, layout.text_width_in - 0.35)
    list_h = (list_text.count("\n") + 1) * LIST_PT * 1.3 / 72
    body = plot_h + 0.5 + leg_h + 0.2 + list_h
    fig, top = frame(title, subtitle, source_line, body, layout=layout)
    ax = axes_in(fig, LABEL_W, top, plot_w, plot_h)
    ax.set_xlim(date_num(w0), date_num(w1))
    ax.set_ylim(-plot_h, 0)
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    month_ticks(ax)
    ax.tick_params(axis="x", which="major", length=5, labelsize=9.5, colors="#444444")
    ax.tick_params(axis="x", which="minor", length=0)
    for t in pd.date_range(w0, w1, freq="MS"):
        ax.axvline(date_num(t), color="#DADADA", lw=0.7, zorder=0.5)
    lane_y, y = {}, 0.0
    for lane in lanes:
        lane_y[lane] = (y, y - heights[lane])
        if y < 0:
            ax.axhline(y, color="#BDBDBD", lw=0.8, zorder=0.6)
        y -= heights[lane]
    _gaps(ax, observations, lanes, lane_y, window, cloudy)
    for r, lab, k, lft in zip(marks.itertuples(index=False), labels, tracks, left):
        ymark = lane_y[r.lane][0] - LANE_PAD - TRACK_H / 2 - k * TRACK_H
        x_lab = _draw_mark(ax, r, ymark, palette.ship_color(r.vessel), per_day_in)
        if lft:
            x_lab = date_num(r.start) - 0.06 / per_day_in
        ax.text(x_lab, ymark, lab, ha="right" if lft else "left", va="center", fontsize=LABEL_PT,
                color="#3A3A3A", zorder=6, gid=f"label-{r.lane}")
    c = calls(observations)
    last = w1 - pd.Timedelta(days=1)
    for lane in lanes:
        y0 = lane_y[lane][0] - LANE_PAD
        color = palette.port_color(lane) if lane in palette.route else INK
        ax.annotate(lane, (0, y0), xycoords=("axes fraction", "data"), xytext=(-10, 0),
                    textcoords="offset points", ha="right", va="top", fontsize=11.5,
                    fontweight="bold", color=color, gid=f"lane-{lane}")
        n_rows = sum(len(ids) for ids, ln in zip(marks["obs_ids"], marks["lane"]) if ln == lane)
        sub = f"{n_rows} row{'s' if n_rows != 1 else ''}"
        if lane != ELSEWHERE:
            n_c = count_calls(c, place=lane, since=w0, until=last)["calls"]
            sub += f"\n{n_c} dated call{'s' if n_c != 1 else ''}"
        else:
            sub += "\n" + "\n".join(dict.fromkeys(p for p, ln in zip(marks["places"], marks["lane"])
                                                 if ln == lane))
        ax.annotate(sub, (0, y0), xycoords=("axes fraction", "data"), xytext=(-10, -16),
                    textcoords="offset points", ha="right", va="top", fontsize=8, color=MUTED,
                    linespacing=1.15)
    legend_below(fig, hs, top + plot_h + 0.5, ncols=3, layout=layout)
    w_in, h_in = fig.get_size_inches()
    fig.text(layout.left_in / w_in, 1 - (top + plot_h + 0.5 + leg_h + 0.2) / h_in, list_text,
             ha="left", va="top", fontsize=LIST_PT, color="#4A4A4A", linespacing=1.3,
             gid="sources")
    return fig


def alt_record_timeline(observations: pd.DataFrame, window, lanes: list[str],
                        sources: pd.DataFrame | None = None) -> str:
    """Alt text: per lane, the rows, dated calls and ships named; the sources, with links."""
    w0, w1 = _window(window)
    last = w1 - pd.Timedelta(days=1)
    o = _in_window(observations, window)
    marks = record_marks(observations, window, lanes)
    sources = record_sources(observations, marks) if sources is None else sources
    c = calls(observations)
    parts = [f"Timeline of the public record, {_fmt_day(w0)} to {_fmt_day(last)}: {len(o)} dated "
             f"observations reported by {len(sources)} published pages, one lane per port."]
    for lane in lanes:
        rows = o[(o["place"] == lane) if lane != ELSEWHERE else
                 o["obs_id"].isin({i for ids, ln in zip(marks["obs_ids"], marks["lane"])
                                   if ln == lane for i in ids})]
        names = sorted(set(rows["vessel"].dropna()) - {"unidentified", "none"})
        n_unid = int((rows["vessel"] == "unidentified").sum())
        txt = f"{lane}: {len(rows)} observation{'s' if len(rows) != 1 else ''}"
        if lane != ELSEWHERE:
            k = count_calls(c, place=lane, since=w0, until=last)["calls"]
            txt += f", {k} dated ship call{'s' if k != 1 else ''}"
        txt += (f"; ships named: {', '.join(names)}" if names else "; no ship named")
        txt += f"; {n_unid} observations of unnamed ships" if n_unid else ""
        parts.append(txt + ".")
    other = o[~o["obs_id"].isin({i for ids in marks["obs_ids"] for i in ids})]
    if len(other):
        parts.append(f"Not drawn: {len(other)} observations at "
                     f"{', '.join(dict.fromkeys(other['place']))}.")
    cloudy = cloudy_days(observations)
    for r in cloudy[(cloudy["day"] >= w0) & (cloudy["day"] < w1)].itertuples():
        parts.append(f"{r.outlets} names {_fmt_day(r.day)} as cloudy at {r.place}.")
    parts.append("Sources: " + "; ".join(f"{r.n}. {r.source_outlet}, {_fmt_day(r.published)}, "
                                         f"{r.source_url}" for r in sources.itertuples()) + ".")
    return " ".join(parts)


__all__ = ["ELSEWHERE", "FIGURE_NAME", "RECORD_SOURCE_LINE", "alt_record_timeline", "record_lanes", "record_marks",
           "record_sources", "record_timeline", "record_title", "save_sources"]
