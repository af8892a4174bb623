"""Robustness study: the reconstruction over many simulated worlds (seeds x scenario configs).

    .venv/bin/python benchmarks/validity.py --configs default --seeds 1-30
    .venv/bin/python benchmarks/validity.py --configs short-stay long-stay --seeds 1-4
    .venv/bin/python benchmarks/validity.py --plot-only

Each run writes a dataset with helpers.sim.scenario.write_dataset (raw, truth, params.yaml) to a
scratch folder (build/validity/, not committed), runs the analysis steps in this process on its
tables (tracks -> imagery -> port calls and gaps -> visits/legs/trips -> claims; no figures,
report, notebooks or sensitivity grid), scores them with helpers.analysis.validation and
appends one row to benchmarks/validity/results.csv (a (config, seed) already there is skipped,
so an interrupted study resumes). `--plot-only` redraws benchmarks/validity/results.png and
prints the medians and worst cases per config.

Per run: confirmed tier precision / recall (all true trips) / recall of the trips the imagery
can reveal; possible tier precision; confirmed + possible recall; at most vs the truth per
vessel (`at_most_ok`: never below); leg window errors (median hours by which the windows miss
the true departure or arrival, 0 when inside); and each claim's verdict with whether the claim
is true in the simulated world.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "validity"
CSV = OUT / "results.csv"
SCRATCH = HERE.parent / "build" / "validity"
FAST = True    # simulation.fast: background routes via anchorages, coastal AIS as a table (see sim.config)


def seeds_arg(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def true_claims(truth: dict, P, truth_dir: Path) -> dict[int, bool]:
    """Which claims hold in the simulated world: 2 and 5 depend on the config (trips and
    containers by the claimed dates), 6 on whether a train with containers was at the depot on
    the claimed day (truth/depot_trains.csv; the pits' expansion and filling hold by
    construction); 1, 3 and 4 hold by construction of the simulator."""
    trains = pd.read_csv(truth_dir / "depot_trains.csv", parse_dates=["train_arrival", "train_departure"])
    day = pd.Timestamp(P.t["claimed_depot_date"]).tz_localize("UTC")
    t6 = bool(((trains["train_arrival"] < day + pd.Timedelta(days=1)) & (trains["train_departure"] > day)).any())
    rt = truth["round_trips"]
    t2 = int((rt["return_rajin"] <= pd.Timestamp(P.t["claimed_period_end"])).sum()) >= P.t["claimed_round_trips"]
    by = pd.Timestamp(P.t["claimed_containers_by"])
    t5 = int(rt.loc[rt["arrive_dunai"] <= by, "containers"].sum()) > P.t["claimed_containers"]
    return {1: True, 2: t2, 3: True, 4: True, 5: t5, 6: t6}


def one_run(config: str, seed: int) -> dict:
    from helpers.analysis import validation
    from helpers.sim import config as sim_config
    from helpers.sim import scenario
    from helpers.steps import claims, common, imagery, port_calls_and_gaps, tracks, trips

    work = SCRATCH / f"{config}-{seed}"
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.time()
    try:
        cfg = sim_config.load(config)
        cfg["simulation"]["fast"] = FAST
        scenario.write_dataset(work, seed, cfg)
    except ValueError as exc:         # a world the config cannot fit (ConfigError): say so
        return dict(config=config, seed=seed, error=str(exc)[:300])
    t_sim = time.time() - t0
    with contextlib.redirect_stdout(io.StringIO()):
        P = common.start(work / "params.yaml")
        for step in (tracks, imagery, port_calls_and_gaps, trips, claims):
            step.run(P)
    t_run = time.time() - t0 - t_sim
    truth = validation.load_truth(work / "truth")
    load = common.load
    sightings = load(P, "sightings")
    ends = list(common.route(P))
    rts, possible, bnd = load(P, "round_trips"), load(P, "possible_trips"), load(P, "trip_bounds")
    scores = validation.summary(load(P, "visits"), load(P, "legs"), rts, truth, sightings,
                                P.t["min_id_confidence"], ends, possible=possible).set_index(["item", "vessel"])
    row = dict(config=config, seed=seed, true_trips=len(truth["round_trips"]))

    def s(item, col):
        return scores.loc[(item, "all"), col]
    row.update(confirmed_n=int(s("round_trips", "n_reconstructed")), confirmed_precision=s("round_trips", "precision"),
               confirmed_recall=s("round_trips", "recall"),
               revealable_n=int(s("round_trips_revealable", "n_truth")),
               confirmed_recall_revealable=s("round_trips_revealable", "recall"),
               possible_n=int(s("round_trips_possible", "n_reconstructed")),
               possible_precision=s("round_trips_possible", "precision"),
               with_possible_recall=s("round_trips_with_possible", "recall"),
               visits_precision=s("port_calls", "precision"), visits_recall=s("port_calls", "recall"),
               legs_precision=s("legs", "precision"), legs_recall=s("legs", "recall"))
    per = truth["round_trips"].groupby("vessel").size()
    b = bnd.set_index("vessel")
    row["at_most"] = int(b.loc["all", "at_most"]) if "all" in b.index else 0
    row["at_most_ok"] = bool(all(int(b.loc[v, "at_most"]) >= n if v in b.index else False for v, n in per.items()))
    tl = validation.true_legs(truth["port_visits"], ends)
    timing = validation.leg_timing(load(P, "legs"), tl, ends)
    miss = []
    for col, sign in (("depart_earliest_err_h", 1), ("depart_latest_err_h", -1),
                      ("arrive_earliest_err_h", 1), ("arrive_latest_err_h", -1)):
        miss.append(np.clip(sign * timing[col].astype(float), 0, None))
    miss = pd.concat(miss).dropna()
    widths = (timing["depart_latest_err_h"] - timing["depart_earliest_err_h"]).astype(float).dropna()
    row.update(leg_window_miss_h_max=round(float(miss.max()), 2) if len(miss) else np.nan,
               leg_depart_width_h_median=round(float(widths.median()), 1) if len(widths) else np.nan)
    ctab = load(P, "claims").set_index("claim_id")
    verdicts = ctab["verdict"]
    row["claims_evidence"] = " | ".join(f"{k}: {ctab.loc[k, 'evidence']}" for k in ctab.index
                                        if verdicts[k] != "supported")[:1500]
    truths = true_claims(truth, P, work / "truth")
    for k in range(1, 7):
        row[f"claim{k}"] = verdicts.get(k, "")
        row[f"claim{k}_true"] = truths[k]
    row["claims_true_not_supported"] = ";".join(str(k) for k in range(1, 7)
                                                if truths[k] and verdicts.get(k) == "not supported")
    row.update(sim_s=round(t_sim, 1), run_s=round(t_run, 1))
    shutil.rmtree(work, ignore_errors=True)
    return row


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    """Median and worst case per config of the study's measures."""
    ok = df[df.get("error", pd.Series(index=df.index, dtype=object)).isna()] if "error" in df else df
    rows = []
    for cfg, g in ok.groupby("config", sort=False):
        rows.append(dict(config=cfg, runs=len(g),
                         confirmed_precision_median=g["confirmed_precision"].median(),
                         confirmed_precision_worst=g["confirmed_precision"].min(),
                         confirmed_recall_median=g["confirmed_recall"].median(),
                         confirmed_recall_worst=g["confirmed_recall"].min(),
                         revealable_recall_median=g["confirmed_recall_revealable"].median(),
                         revealable_recall_worst=g["confirmed_recall_revealable"].min(),
                         possible_precision_median=g["possible_precision"].median(),
                         possible_precision_worst=g["possible_precision"].min(),
                         with_possible_recall_median=g["with_possible_recall"].median(),
                         with_possible_recall_worst=g["with_possible_recall"].min(),
                         at_most_below_truth=int((~g["at_most_ok"].astype(bool)).sum()),
                         leg_window_miss_h_worst=g["leg_window_miss_h_max"].max(),
                         true_claim_not_supported=int(g["claims_true_not_supported"].astype(object).fillna("").astype(str)
                                                      .str.len().gt(0).sum())))
    return pd.DataFrame(rows)


def plot(df: pd.DataFrame, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if "error" in df:
        df = df[df["error"].isna()]
    cols = [("confirmed_precision", "confirmed: precision"), ("confirmed_recall", "confirmed: recall (all trips)"),
            ("confirmed_recall_revealable", "confirmed: recall (revealable)"),
            ("possible_precision", "possible: precision"), ("with_possible_recall", "confirmed + possible: recall")]
    configs = list(dict.fromkeys(df["config"]))
    fig, axes = plt.subplots(1, len(cols) + 1, figsize=(3.2 * (len(cols) + 1), 3.6), sharey=False)
    rng = np.random.default_rng(0)
    for ax, (c, title) in zip(axes, cols):
        for i, cfg in enumerate(configs):
            y = df.loc[df["config"] == cfg, c].astype(float).dropna()
            ax.scatter(np.full(len(y), i) + rng.uniform(-0.18, 0.18, len(y)), y, s=10, alpha=0.6)
            if len(y):
                ax.hlines(y.median(), i - 0.3, i + 0.3, color="k")
        ax.set_title(title, fontsize=9)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xticks(range(len(configs)), configs, rotation=60, fontsize=8)
    ax = axes[-1]
    for i, cfg in enumerate(configs):
        g = df[df["config"] == cfg]
        y = g["at_most"].astype(float) - g["true_trips"].astype(float)
        ax.scatter(np.full(len(y), i) + rng.uniform(-0.18, 0.18, len(y)), y, s=10, alpha=0.6)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_title("at most - true trips (>= 0)", fontsize=9)
    ax.set_xticks(range(len(configs)), configs, rotation=60, fontsize=8)
    fig.suptitle("Robustness over simulated worlds (SIMULATED data): one dot per seed, bar = median", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", nargs="+", default=["default"])
    ap.add_argument("--seeds", default="1-30", help="e.g. 1-30 or 1,5,9")
    ap.add_argument("--other-seeds", type=int, default=None,
                    help="run configs other than default on the first N seeds only")
    ap.add_argument("--plot-only", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.plot_only:
        done = pd.read_csv(CSV) if CSV.exists() else pd.DataFrame(columns=["config", "seed"])
        have = set(zip(done["config"], done["seed"].astype(int)))
        seeds = seeds_arg(args.seeds)
        # seed-major: the first seeds of every config before the later seeds of the default
        order = [(c, s) for s in seeds for c in args.configs
                 if c == "default" or args.other_seeds is None or s in seeds[:args.other_seeds]]
        order.sort(key=lambda cs: (cs[1] > seeds[min(len(seeds), args.other_seeds or len(seeds)) - 1], cs[1]))
        for cfg, seed in order:
            if (cfg, seed) in have:
                continue
            row = one_run(cfg, seed)
            print({k: row.get(k) for k in ("config", "seed", "confirmed_precision", "confirmed_recall_revealable",
                                            "at_most_ok", "claims_true_not_supported", "sim_s", "run_s",
                                            "error")}, flush=True)
            new = pd.DataFrame([row])
            done = new if done.empty else pd.concat([done, new], ignore_index=True)
            done.to_csv(CSV, index=False)
    df = pd.read_csv(CSV)
    plot(df, OUT / "results.png")
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(summarise(df).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
