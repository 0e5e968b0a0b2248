"""Wide tables: one row per logical report, one column per cell code of a form table.

Built with numpy from the long ``cells`` table of the kept copies: a value lands at (report row,
code column); a cell the copy does not have, or whose value is null, stays null.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gongkai.release.codebook import WIDE_KEY_COLUMNS, table_codes


def wide_table(table: str, reports: pd.DataFrame, cells: pa.Table) -> pa.Table:
    """The wide table of ``table`` (active, applications, review_litigation) for ``reports``' kept copies."""
    codes = table_codes(table)
    ids = pa.array(reports["report_id"].tolist(), pa.string())
    subset = cells.filter(pc.equal(cells["table"], table))
    rows = pc.index_in(subset["report_id"], value_set=ids).to_numpy(zero_copy_only=False)
    cols = pc.index_in(subset["cell"], value_set=pa.array(codes, pa.string())).to_numpy(zero_copy_only=False)
    values = subset["value"].to_numpy(zero_copy_only=False).astype("float64")
    keep = ~(np.isnan(rows.astype("float64")) | np.isnan(cols.astype("float64")))
    matrix = np.full((len(reports), len(codes)), np.nan)
    matrix[rows[keep].astype("int64"), cols[keep].astype("int64")] = values[keep]
    arrays: list[pa.Array] = []
    fields: list[pa.Field] = []
    for name, _zh, _en in WIDE_KEY_COLUMNS:
        column = reports[name]
        type_ = pa.int16() if name == "year" else pa.string()
        arrays.append(pa.array([None if pd.isna(v) else v for v in column], type_))
        fields.append(pa.field(name, type_))
    for j, code in enumerate(codes):
        column = matrix[:, j]
        arrays.append(pa.array(column, pa.float64(), mask=np.isnan(column)))
        fields.append(pa.field(code, pa.float64()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
