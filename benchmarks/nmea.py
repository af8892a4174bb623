"""Benchmark of raw NMEA decoding: pyais alone, the line-by-line reader, the batch reader.

    .venv/bin/python benchmarks/nmea.py --sentences 2e6      # about 1.5 min on 2 idle cores

Generates a national-feed-like NMEA log (seeded; `--sentences` lines): three coastal receivers
(tag blocks `\\g:..,s:RCVn,c:epoch*hh\\`), each transmission heard by one to three of them (so
duplicates), about 2,000 vessels (Class A types 1-3 with a type 5 in two parts every few minutes,
Class B type 18 with type 24 parts A and B, a few type 27 and base stations), 0.2% of lines
damaged (a flipped character, a truncated line) and a receiver's GPS sentence now and then;
written under build/bench_nmea/ (scratch, not committed, reused if present). Then times, in one
run on the same file, each on one core:

- `pyais alone`: pyais' own FileReaderStream (file reading, tag blocks, multipart assembly) and
  `decode()` of every message, nothing else;
- `reader, line by line`: helpers.ais.nmea.read_nmea_lines (pyais per sentence, plus times,
  rejects, QA and the canonical tables);
- `reader, batch`: helpers.ais.nmea_batch.read_nmea (helpers.ais.fastnmea), the same tables;

on the generated log and on the bundled feed (data/raw/ais, 97k lines), checks that the two
readers give identical tables, and appends to benchmarks/nmea_results.csv (lines/s and peak
resident memory above the process' start) and redraws benchmarks/nmea_results.png.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from datetime import datetime, timezone
from functools import reduce
from operator import xor
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from measure import Peak  # benchmarks/measure.py (this folder is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
T0 = 1_690_848_000  # 2023-08-01 00:00 UTC
BUNDLED = ROOT / "data" / "raw" / "ais" / "coastal_receivers_2023.nmea"


def _reseq(sentence: str, seq: int) -> str:
    """`sentence` (a fragment of sequence id 0) with sequence id `seq` and its checksum."""
    f = sentence[:sentence.index("*")].split(",")
    f[3] = str(seq)
    body = ",".join(f)
    return f"{body}*{_x(body[1:]):02X}"


def _pool(rng, n_vessels: int, per_vessel: int):
    """Sentences pyais encodes for the fleet: per vessel `per_vessel` positions and its statics."""
    from pyais import encode_dict
    pos, static = [], []
    mmsi = 200_000_000 + rng.choice(575_000_000, n_vessels, replace=False)
    kind = rng.choice(["A", "B", "LR"], n_vessels, p=[0.75, 0.22, 0.03])
    for v in range(n_vessels):
        lat, lon = rng.uniform(30, 45), rng.uniform(120, 140)
        crs, spd = rng.uniform(0, 360), rng.uniform(0, 20)
        mine = []
        for k in range(per_vessel):
            lat += 0.002 * k * np.cos(np.radians(crs))
            lon += 0.002 * k * np.sin(np.radians(crs))
            if kind[v] == "A":
                d = {"type": int(rng.choice([1, 1, 1, 3])), "mmsi": int(mmsi[v]), "lat": lat, "lon": lon,
                     "speed": round(spd, 1), "course": round(crs, 1), "heading": int(crs) % 360,
                     "status": 0}
            elif kind[v] == "B":
                d = {"type": 18, "mmsi": int(mmsi[v]), "lat": lat, "lon": lon, "speed": round(spd, 1),
                     "course": round(crs, 1), "heading": 511}
            else:
                d = {"type": 27, "mmsi": int(mmsi[v]), "lat": lat, "lon": lon, "speed": int(spd),
                     "course": int(crs), "status": 0}
            mine.append(encode_dict(d, talker_id="AI", sentence_type="VDM")[0])
        pos.append(mine)
        name = f"SIM {v:05d}"
        if kind[v] == "A":
            two = encode_dict({"type": 5, "mmsi": int(mmsi[v]), "imo": 9_000_000 + v, "callsign": f"UB{v:04d}",
                               "shipname": name, "ship_type": 70, "to_bow": 100, "to_stern": 20,
                               "to_port": 9, "to_starboard": 9}, talker_id="AI", sentence_type="VDM", seq_id=0)
            st = [[_reseq(x, q) for x in two] for q in range(10)]  # sequence ids 0-9
        elif kind[v] == "B":
            st = [[encode_dict({"type": 24, "mmsi": int(mmsi[v]), "partno": 0, "shipname": name},
                               talker_id="AI", sentence_type="VDM")[0]],
                  [encode_dict({"type": 24, "mmsi": int(mmsi[v]), "partno": 1, "ship_type": 37,
                                "callsign": f"SB{v:04d}", "to_bow": 8, "to_stern": 4, "to_port": 2,
                                "to_starboard": 2}, talker_id="AI", sentence_type="VDM")[0]]]
        else:
            st = []
        static.append(st)
    return pos, static


def _x(text: str) -> int:
    return reduce(xor, text.encode(), 0)


def generate(path: Path, n_lines: int, seed: int = 14, n_vessels: int = 2000) -> None:
    """A national-feed-like log of about `n_lines` lines (see the module docstring)."""
    rng = np.random.default_rng(seed)
    pos, static = _pool(rng, n_vessels, 6)
    receivers = ["RCV-NORTH", "RCV-CENTRAL", "RCV-SOUTH"]
    base = "!AIVDM,1,1,,B,402R3ShuvV8e=o>HFQEq@;W00000,0*1B"  # a base station report (type 4)
    gps = "$GPRMC,000000,A,4306.00,N,13154.00,E,0.0,0.0,010823,,,A*7E"
    t = T0
    group = 0
    written = 0
    xs: dict = {}
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        while written < n_lines:
            m = 20_000
            v = rng.integers(0, n_vessels, m).tolist()
            heard = rng.choice([1, 2, 3], m, p=[0.6, 0.3, 0.1]).tolist()
            perm = rng.permuted(np.tile([0, 1, 2], (m, 1)), axis=1).tolist()
            is_static = (rng.random(m) < 0.06).tolist()
            pick = rng.integers(0, 120, m).tolist()
            damage = rng.random(m).tolist()
            where = rng.random(m).tolist()
            ts = (t + np.cumsum(rng.random(m) < 0.2)).tolist()
            t = ts[-1]
            out = []
            for j in range(m):
                vv, tj = v[j], ts[j]
                st = static[vv][pick[j] % len(static[vv])] if is_static[j] and static[vv] else \
                    [pos[vv][pick[j] % len(pos[vv])]]
                for r in perm[j][:heard[j]]:
                    tail = f"s:{receivers[r]},c:{tj}"
                    xt = xs.get(tail)
                    if xt is None:
                        xt = xs[tail] = _x(tail)
                    group += 1
                    for k, sen in enumerate(st):
                        if len(st) > 1:
                            head = f"g:{k + 1}-{len(st)}-{group % 10000},"
                            line = f"\\{head}{tail}*{_x(head) ^ xt:02X}\\{sen}"
                        else:
                            line = f"\\{tail}*{xt:02X}\\{sen}"
                        if damage[j] < 0.001:
                            p = 1 + int(where[j] * (len(line) - 1))
                            line = line[:p] + "Z" + line[p + 1:]
                        elif damage[j] < 0.002:
                            line = line[:1 + int(where[j] * (len(line) - 1))]
                        out.append(line)
                if damage[j] > 0.9995:
                    out.append(f"\\s:{receivers[0]},c:{tj}*{_x(f's:{receivers[0]},c:{tj}'):02X}\\{base}")
                    out.append(gps)
            out = out[:n_lines - written]
            fh.write("\n".join(out) + "\n")
            written += len(out)


# --------------------------------------------------------------------------------------------

def pyais_alone(path: Path) -> int:
    from pyais.stream import FileReaderStream
    n = 0
    for msg in FileReaderStream(str(path)):
        try:
            msg.decode()
            n += 1
        except Exception:  # pyais' own exceptions for what it cannot decode
            pass
    return n


def time_all(path: Path, label: str, rows: list, repeat_fast: int = 2) -> None:
    from helpers.ais.nmea import read_nmea_lines
    from helpers.ais.nmea_batch import read_nmea
    with open(path, "rb") as fh:
        n_lines = sum(1 for _ in fh)
    results = {}
    for step, fn in (("pyais alone", lambda: pyais_alone(path)),
                     ("reader, line by line", lambda: read_nmea_lines(path, "bench")),
                     ("reader, batch", lambda: read_nmea(path, "bench"))):
        best = None
        for _ in range(repeat_fast if step == "reader, batch" else 1):
            gc.collect()
            with Peak(children=False) as mem:
                t = time.perf_counter()
                out = fn()
                dt = time.perf_counter() - t
            if best is None or dt < best[0]:
                best = (dt, mem.gb, out)
        results[step] = best
        note = f"{best[2]:,} messages decoded" if step == "pyais alone" else \
            f"{best[2].qa['positions']:,} positions, {best[2].qa['rejected']:,} rejects"
        rows.append({"step": step, "input": label, "lines": n_lines, "seconds": round(best[0], 3),
                     "lines_per_s": round(n_lines / best[0]), "peak_gb": round(best[1], 3), "note": note})
        print(f"{label:>28} {step:>22}: {best[0]:8.2f} s {n_lines / best[0]:>12,.0f} lines/s  "
              f"peak +{best[1]:.2f} GB  {note}", flush=True)
    a, b = results["reader, line by line"][2], results["reader, batch"][2]
    for name in ("positions", "vessels", "rejects"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.qa == b.qa
    for ref in ("pyais alone", "reader, line by line"):
        rows.append({"step": f"ratio batch / {ref}", "input": label, "lines": n_lines,
                     "seconds": round(results[ref][0] / results["reader, batch"][0], 2),
                     "lines_per_s": None, "peak_gb": None, "note": "speed-up (seconds column)"})
        print(f"{label:>28} batch is {results[ref][0] / results['reader, batch'][0]:.1f}x {ref}")


def draw(csv: Path, png: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    df = pd.read_csv(csv)
    df = df[df["lines_per_s"].notna()]
    last = df.groupby(["input", "step"], sort=False).tail(1)
    inputs = list(dict.fromkeys(last["input"]))
    steps = ["pyais alone", "reader, line by line", "reader, batch"]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / len(steps)
    for k, step in enumerate(steps):
        vals = [float(last[(last["input"] == i) & (last["step"] == step)]["lines_per_s"].iloc[0])
                if ((last["input"] == i) & (last["step"] == step)).any() else 0 for i in inputs]
        bars = ax.barh(np.arange(len(inputs)) + k * width, vals, height=width, label=step)
        ax.bar_label(bars, labels=[f"{x / 1000:,.0f}k" for x in vals], padding=3, fontsize=8)
    ax.set_yticks(np.arange(len(inputs)) + width, inputs)
    ax.set_xlabel("lines per second, one core (shared 2-core machine)")
    ax.set_title("Raw NMEA decoding, lines per second on one core")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(png, dpi=120)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=float, default=2e6, help="lines of the generated log")
    ap.add_argument("--scratch", type=Path, default=ROOT / "build" / "bench_nmea")
    ap.add_argument("--no-bundled", action="store_true")
    args = ap.parse_args(argv)
    n = int(args.sentences)
    args.scratch.mkdir(parents=True, exist_ok=True)
    gen = args.scratch / f"national_feed_{n}.nmea"
    if not gen.exists():
        t = time.perf_counter()
        generate(gen.with_suffix(".tmp"), n)
        gen.with_suffix(".tmp").rename(gen)
        print(f"generated {gen} in {time.perf_counter() - t:.0f} s", flush=True)
    rows = []
    if not args.no_bundled:
        time_all(BUNDLED, "bundled feed (97k lines)", rows)
    time_all(gen, f"generated feed ({n / 1e6:g}M lines)", rows)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    machine = f"{platform.machine()} {psutil.cpu_count()} cpu {psutil.virtual_memory().total / 2**30:.0f} GiB"
    df = pd.DataFrame(rows)
    df.insert(0, "date", stamp)
    df["machine"] = machine
    csv = HERE / "nmea_results.csv"
    df.to_csv(csv, mode="a", header=not csv.exists(), index=False)
    draw(csv, HERE / "nmea_results.png")


if __name__ == "__main__":
    main()
