"""Benchmark of `helpers.ingest` (decode once): raw NMEA to partitioned GeoParquet, in one
process and on a Dask LocalCluster of 1 and 2 worker processes.

    .venv/bin/python benchmarks/ingest.py                      # ~200k lines, about 2-3 min here
    .venv/bin/python benchmarks/ingest.py --messages 2000000 --files 48

Generates (seeded) a national-feed-like NMEA log into a scratch folder (default
build/bench_ingest/, not committed; reused when present): `--messages` position reports of
`--vessels` ships, each heard by 1-3 of 3 receivers (so duplicates across receivers), a two-part
type 5 static report per ship every 6 h, 0.2% of lines damaged (truncated or a flipped
character), NMEA 4 tag blocks, written as `--files` hourly files per receiver, a third of them
gzipped. Then times `helpers.ingest.ingest` into a fresh folder per engine (local; dask with 1
worker; dask with 2 workers, single-threaded processes) and checks that every run wrote the
same bytes. A Dask cluster is started (and helpers imported on its workers) before the
clock starts: its start-up is reported apart (`cluster_start_s`). Each run appends one row per
engine to benchmarks/ingest_results.csv: lines, positions, seconds, CPU seconds and peak memory
(both of this process plus its children), lines/s, the load average and the machine. On a
shared machine the wall time depends on the other jobs (see `load_avg`); the CPU seconds less.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import platform
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyais

from helpers.ais import writers
from measure import Peak  # benchmarks/measure.py (this folder is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
T0 = 1_690_848_000          # 2023-08-01T00:00:00Z
RECEIVERS = ("RX-NORTH", "RX-SOUTH", "RX-EAST")


def _tag(sentence: str, station: str, sec: int, group: str | None = None) -> str:
    return writers.tag_block(sentence, **({"g": group} if group else {}), s=station, c=sec)


def _damage(line: str, rng) -> str:
    if rng.random() < 0.5:
        return line[: max(5, int(len(line) * rng.uniform(0.3, 0.9)))]
    i = int(rng.integers(len(line) // 2, len(line) - 4))
    return line[:i] + ("X" if line[i] != "X" else "Y") + line[i + 1:]


def generate(out: Path, messages: int, vessels: int, files: int, seed: int = 20231016) -> tuple[int, int]:
    """Write the feed (if not already there); (lines, files) written."""
    stamp = out / ".done"            # hidden: ingest leaves hidden files out
    if stamp.is_file():
        lines, nfiles = map(int, stamp.read_text().split())
        return lines, nfiles
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    hours = max(1, files // len(RECEIVERS))
    span = hours * 3600
    mmsi = np.sort(200_000_000 + rng.choice(600_000_000, vessels, replace=False))
    v = rng.integers(0, vessels, messages)
    sec = np.sort(rng.integers(0, span, messages)) + T0
    lat0, lon0 = rng.uniform(30, 45, vessels), rng.uniform(120, 140, vessels)
    drift = (sec - T0) / 3600 * 0.2
    lat = np.clip(lat0[v] + drift * np.cos(v), -89, 89).round(5)
    lon = np.clip(lon0[v] + drift * np.sin(v), -179, 179).round(5)
    sog = rng.uniform(0, 15, messages).round(1)
    cog = rng.uniform(0, 359, messages).round(1)
    heard = rng.random((messages, len(RECEIVERS))) < 0.55
    heard[~heard.any(axis=1), 0] = True
    per_file: dict[tuple[int, int], list[str]] = {}
    seq = 0
    for i in range(messages):
        sentence = pyais.encode_dict({"type": 1, "mmsi": int(mmsi[v[i]]), "status": 0, "speed": float(sog[i]),
                                      "lat": float(lat[i]), "lon": float(lon[i]), "course": float(cog[i]),
                                      "heading": 511, "second": int(sec[i] % 60)},
                                     talker_id="AI", sentence_type="VDM", radio_channel="AB"[i % 2])[0]
        h = int((sec[i] - T0) // 3600)
        for r in np.flatnonzero(heard[i]):
            line = _tag(sentence, RECEIVERS[r], int(sec[i]))
            per_file.setdefault((r, h), []).append(_damage(line, rng) if rng.random() < 0.002 else line)
    for h in range(hours):                       # a static report per vessel every 6 h (two parts)
        if h % 6:
            continue
        for k, m in enumerate(mmsi):
            s = T0 + h * 3600 + k % 3600
            parts = pyais.encode_dict({"type": 5, "mmsi": int(m), "imo": 9000000 + k, "callsign": f"C{k}",
                                       "shipname": f"BENCH {k}", "ship_type": 70, "to_bow": 60, "to_stern": 40,
                                       "to_port": 8, "to_starboard": 8},
                                      talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq % 10)
            seq += 1
            r = k % len(RECEIVERS)
            per_file.setdefault((r, h), []).extend(
                _tag(p, RECEIVERS[r], s, f"{j}-{len(parts)}-{seq}") for j, p in enumerate(parts, 1))
    total = 0
    for (r, h), lines in sorted(per_file.items()):
        name = f"{RECEIVERS[r].lower()}_{h:02d}.nmea"
        text = ("\n".join(lines) + "\n").encode()
        if (r + h) % 3 == 0:
            (out / (name + ".gz")).write_bytes(gzip.compress(text, mtime=0))
        else:
            (out / name).write_bytes(text)
        total += len(lines)
    stamp.write_text(f"{total} {len(per_file)}\n")
    return total, len(per_file)


@contextmanager
def cluster(engine: str, workers: int):
    """(address, seconds to start) of a LocalCluster of `workers` single-threaded processes with
    helpers imported on each (not counted in the ingest's time); (None, 0) for the local engine."""
    if engine == "local":
        yield None, 0.0
        return
    from distributed import Client, LocalCluster
    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        client.run(lambda: __import__("helpers.ingest"))
        yield lc.scheduler_address, time.perf_counter() - t


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its live children (the Dask workers)."""
    p = psutil.Process()
    total = sum(p.cpu_times()[:2])
    for c in p.children(recursive=True):
        try:
            total += sum(c.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def main() -> None:
    from helpers import ingest
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=100_000, help="position reports (before duplicates)")
    ap.add_argument("--vessels", type=int, default=500)
    ap.add_argument("--files", type=int, default=12, help="files in all (hourly per receiver)")
    ap.add_argument("--scratch", default=str(ROOT / "build" / "bench_ingest"))
    ap.add_argument("--runs", nargs="+", default=["local", "dask:1", "dask:2"])
    ap.add_argument("--out", default=str(HERE / "ingest_results.csv"))
    a = ap.parse_args()
    scratch = Path(a.scratch)
    feed = scratch / f"feed_{a.messages}_{a.vessels}_{a.files}"
    t = time.perf_counter()
    lines, nfiles = generate(feed, a.messages, a.vessels, a.files)
    print(f"feed: {lines:,} lines in {nfiles} files ({time.perf_counter() - t:.0f} s to generate or find)")
    rows, hashes = [], {}
    for run in a.runs:
        engine, _, workers = run.partition(":")
        out = scratch / f"out_{engine}{workers}"
        shutil.rmtree(out, ignore_errors=True)
        with Peak() as peak, cluster(engine, int(workers or 0)) as (address, startup):
            cpu0 = cpu_seconds()
            r = ingest.ingest([feed], out, engine=engine, address=address, progress=False)
            cpu = cpu_seconds() - cpu0
        hashes[run] = tree_hash(out)
        led = pd.read_csv(out / "ledger.csv")
        rows.append({"date": pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), "engine": engine,
                     "workers": int(workers or 0), "files": nfiles, "lines": r.lines, "positions": r.positions,
                     "rejected": int(led["rejected"].sum()), "seconds": round(r.seconds, 2),
                     "cluster_start_s": round(startup, 2), "cpu_s": round(cpu, 2),
                     "lines_per_s": round(r.lines / r.seconds), "peak_gb": round(peak.peak / 2**30, 2),
                     "same_bytes_as_first": hashes[run] == hashes[a.runs[0]],
                     "load_avg": round(psutil.getloadavg()[0], 1),
                     "machine": f"{platform.machine()} {psutil.cpu_count()} cpu "
                                f"{psutil.virtual_memory().total / 2**30:.0f} GiB"})
        print(f"{run:8s} {r.seconds:7.1f} s (+{startup:.1f} s cluster start, {cpu:.1f} CPU s)  "
              f"{r.lines / r.seconds:10,.0f} lines/s  peak {peak.peak / 2**30:.2f} GiB  "
              f"same bytes: {hashes[run] == hashes[a.runs[0]]}", flush=True)
    out_csv = Path(a.out)
    df = pd.DataFrame(rows)
    if out_csv.is_file():
        df = pd.concat([pd.read_csv(out_csv), df], ignore_index=True)
    df.to_csv(out_csv, index=False, lineterminator="\n")
    print(f"appended {len(rows)} rows to {out_csv.relative_to(ROOT) if out_csv.is_relative_to(ROOT) else out_csv}")


if __name__ == "__main__":
    main()
