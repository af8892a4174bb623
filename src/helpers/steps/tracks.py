"""Step 10 (notebook 10_tracks): read, validate and clean every AIS input; resolve the vessels
of interest."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import ais, ingest, paths, reference
from ..errors import InputError
from .common import save


@dataclass
class Tracks:
    clean: ais.Cleaned                 # positions, rejects, vessels, qa
    vessels_of_interest: pd.DataFrame


def run(P) -> Tracks:
    """Read each `inputs.ais` item in its format, clean them together for the window, and write
    positions, rejects, vessels, qa_ais and vessels_of_interest."""
    datasets = read_inputs(P)
    clean = ais.clean(datasets, P.start, P.end, max_implied_speed_kn=P.t["max_implied_speed_kn"],
                      jump_policy=P.t["jump_policy"])
    for name, df in (("positions", clean.positions), ("rejects", clean.rejects), ("vessels", clean.vessels)):
        save(P, df, name)
    save(P, clean.qa, "qa_ais")
    voi = resolve_vessels(P, clean.vessels)
    save(P, voi, "vessels_of_interest")
    return Tracks(clean, voi)


def read_inputs(P) -> list[ais.AisData]:
    """Every `inputs.ais` item read: a raw file with `ais.read`, an ingested folder (python -m
    helpers ingest) with `ingest.read_folder`, the window and the item's `options.mmsi` (a list)
    pushed down to Parquet, one AisData per input ingested."""
    datasets = []
    for item in P.ais_inputs():
        options = dict(item.get("options", {}))
        if ingest.is_ingested(item["path"]):
            datasets += ingest.read_folder(item["path"], P.start, P.end, mmsi=options.get("mmsi"))
        else:
            if "mmsi" in options:
                raise InputError(paths.display(item["path"]), "options.mmsi", "an MMSI filter is read "
                                 "from an ingested folder only", "ingest the file first (python -m helpers "
                                 "ingest FILE --out DIR) and point inputs.ais at DIR, or remove the option")
            datasets.append(ais.read(item["path"], fmt=item.get("format", "auto"), **options))
    return datasets


def resolve_vessels(P, ais_vessels: pd.DataFrame | None) -> pd.DataFrame:
    """The vessels of interest of the parameter set, resolved with the AIS static data."""
    return reference.vessels_of_interest(P.input("vessels"), P["vessels_of_interest"], ais_vessels=ais_vessels,
                                         use_reference=P.input("vessels") is not None)


def accounted(clean: ais.Cleaned) -> str:
    """Rows in = kept + rejected + duplicates, per input and in total (asserted), as a sentence."""
    qa = clean.qa.set_index("source")
    assert (qa["positions_read"] == qa["kept"] + qa["rejected_positions"] + qa["duplicates"]).all()
    t = qa.loc["total"]
    return (f"{int(t['positions_read']):,} positions read = {int(t['kept']):,} kept "
            f"+ {int(t['rejected_positions']):,} rejected + {int(t['duplicates']):,} duplicates")


def reject_reasons(clean: ais.Cleaned) -> pd.DataFrame:
    """Rejected rows by reason (implied speeds folded into one reason) and input."""
    reasons = clean.rejects["reason"].str.replace(r": implied speed .*", "", regex=True)
    return clean.rejects.assign(reason=reasons).pivot_table(index="reason", columns="source", values="locator",
                                                            aggfunc="size", fill_value=0)


LOSS_THRESHOLD = 0.05       # notebook 10 flags an input that lost more than this share of its rows


def inputs_read(t: Tracks) -> pd.DataFrame:
    """How each input was read: format (layout), dialect, units and the file column each
    canonical field came from, rows read and the share lost."""
    return ais.inputs_table(t.clean.inputs)


def loss_note(t: Tracks) -> str:
    """The inputs that lost more than LOSS_THRESHOLD of their rows, or a sentence saying none did."""
    flagged = ais.loss_warnings(t.clean.inputs, threshold=LOSS_THRESHOLD)
    return "\n".join(flagged) or f"no input lost more than {LOSS_THRESHOLD:.0%} of its data rows"
