"""Command line: `python -m helpers run|scenario|example|accept-inputs|refresh-notebooks`."""

from __future__ import annotations

import argparse
import sys

from . import params, pipeline, provenance
from .errors import InputError
from .sim import examples, scenario


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the notebooks in order with papermill")
    run.add_argument("--params", default="notebooks/params/default.yaml")
    sub.add_parser("scenario", help="regenerate the simulated reference scenario")
    sub.add_parser("example", help="regenerate the simulated example dataset (data/examples)")
    acc = sub.add_parser("accept-inputs", help="rewrite the MANIFEST hashes after a deliberate input change")
    acc.add_argument("--params", default="notebooks/params/default.yaml")
    sub.add_parser("refresh-notebooks", help="re-execute the committed notebooks in place")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "run":
            pipeline.run(args.params)
        elif args.cmd == "scenario":
            scenario.main()
        elif args.cmd == "example":
            examples.main()
        elif args.cmd == "accept-inputs":
            changes = provenance.accept_inputs(params.load(args.params).input_files())
            print("\n".join(changes) if changes else "every MANIFEST already matches its files")
        elif args.cmd == "refresh-notebooks":
            pipeline.refresh_notebooks()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
