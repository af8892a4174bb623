"""The `reason` sentence of each classified gap, built column-wise (`gaps.classify`).

Numbers are written as Python's format would write them (``f"{v:.0f}"``, ``f"{v:.0%}"``,
``str(int(n))``), but for whole columns at once: rounded with numpy (`np.rint` rounds half to
even, as the format does, on the same double), turned into text by Arrow and joined by Arrow;
values outside the exact range of that shortcut (not finite, or 2**52 and beyond) are
formatted one by one by Python. The result is a pandas "str" column, the table's dtype.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXACT = 2.0 ** 52            # below this, rint(v) is an exact integer and int64 holds it


def fixed0(v) -> pa.Array:
    """Arrow strings of ``f"{x:.0f}"`` for every x of the float array `v`."""
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(v) & (np.abs(v) < EXACT)
    r = np.rint(np.where(ok, v, 0.0))
    text = pc.cast(pa.array(r.astype(np.int64)), pa.string())
    minus_zero = ok & (r == 0) & np.signbit(v)          # -0.3 and -0.0 are written "-0"
    if minus_zero.any():
        text = pc.if_else(pa.array(minus_zero), "-0", text)
    if not ok.all():
        odd = np.flatnonzero(~ok)
        full = np.asarray(text.to_pylist(), dtype=object)
        full[odd] = [f"{x:.0f}" for x in v[odd]]
        text = pa.array(full.tolist(), pa.string())
    return text


def percent0(v) -> pa.Array:
    """Arrow strings of ``f"{x:.0%}"`` (Python multiplies the double by 100, then writes .0f)."""
    return pc.binary_join_element_wise(fixed0(np.asarray(v, dtype=float) * 100), "%", "")


def join(*parts) -> pa.Array:
    """Element-wise concatenation of Arrow string arrays and Python strings."""
    return pc.binary_join_element_wise(*parts, "")


def choose(mask: np.ndarray, if_true, if_false) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, bool)), if_true, if_false)


def to_column(text: pa.Array):
    """A pandas "str" array of Arrow strings."""
    return pd.array(text, dtype="str")


def coastal(cls, o0, o1, r0, r1, nb, in_port, port, shore_nm, *, per_day: str, min_ratio: float,
            need_in_port, need_elsewhere, before_hours: float):
    """The coastal rule's sentence per gap: where it starts, other vessels heard at both ends,
    the vessel's own positions before, and why the class (see `gaps._coastal`)."""
    port_text = pa.array(np.where(in_port, port, None).tolist(), pa.string())
    where = choose(in_port, join("starts in ", port_text),
                   join("starts ", fixed0(shore_nm), " nm from shore"))
    need = np.where([True, False], need_in_port, need_elsewhere)     # the dtype of np.where(...)
    need_text = choose(in_port, f"{need[0]:g}", f"{need[1]:g}")
    measured = ~np.isnan(nb)
    n_text = pc.cast(pa.array(np.where(measured, nb, 0).astype(np.int64)), pa.string())
    before = choose(measured, join(n_text, f" own positions in the {before_hours:g} h before (need ",
                                   need_text, ")"),
                    "own positions before: not measured")
    why = choose(cls == "likely-disabled", "reception was good, so the transponder was likely off",
                 choose(cls == "short", "shorter than the rule's minimum",
                        "poor reception cannot be excluded"))
    text = join(where, "; other vessels heard ", fixed0(o0), "/day at the start (", percent0(r0),
                " of usual) and ", fixed0(o1), "/day at the end (", percent0(r1), ") (need ",
                per_day, " and ", f"{min_ratio:.0%}", "); ", before, ": ", why)
    return to_column(text)
