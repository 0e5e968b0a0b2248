"""Wide tables: one row per logical report, one column per cell code of a form table.

Built with numpy from the kept copies' cells, given as (report row, code position, value)
arrays: a value lands at (row, code); a cell the copy does not have, or whose value is null,
stays null.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from gongkai.release.codebook import WIDE_KEY_COLUMNS, table_codes
from gongkai.schemas.codes import TABLES, code_index


def all_codes() -> tuple[str, ...]:
    """Every cell code in cell_codes.csv order (the positions ``wide_tables`` takes)."""
    return tuple(code_index())


def key_columns(reports: pd.DataFrame) -> tuple[list[pa.Array], list[pa.Field]]:
    arrays, fields = [], []
    for name, _zh, _en in WIDE_KEY_COLUMNS:
        type_ = pa.int16() if name == "year" else pa.string()
        arrays.append(pa.Array.from_pandas(reports[name], type=type_))
        fields.append(pa.field(name, type_))
    return arrays, fields


def wide_tables(reports: pd.DataFrame, rows: np.ndarray, codes: np.ndarray,
                values: np.ndarray) -> dict[str, pa.Table]:
    """The three wide tables; ``rows``/``codes``/``values`` describe one cell each (code -1: unknown)."""
    positions = {code: i for i, code in enumerate(all_codes())}
    known = codes >= 0
    matrix = np.full((len(reports), len(positions)), np.nan)
    matrix[rows[known], codes[known]] = values[known]
    keys, key_fields = key_columns(reports)
    out = {}
    for table in TABLES:
        arrays, fields = list(keys), list(key_fields)
        for code in table_codes(table):
            column = matrix[:, positions[code]]
            arrays.append(pa.array(column, pa.float64(), mask=np.isnan(column)))
            fields.append(pa.field(code, pa.float64()))
        out[table] = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    return out
