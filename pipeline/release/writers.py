"""Write the release tables as Parquet, CSV (UTF-8 with BOM) and one DuckDB file.

Parquet files carry each column's description in the field metadata and nothing time-dependent
(pyarrow writes no timestamps; ``created_by`` names the library version). CSV files start with a
byte-order mark so that Excel in China opens them as UTF-8. The DuckDB file holds every table with
``COMMENT ON`` descriptions; DuckDB's file layout is not byte-stable, so it is left out of the
determinism claim (see the dataset card).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

BOM = b"\xef\xbb\xbf"


def with_descriptions(table: pa.Table, descriptions: dict[str, str], table_description: str) -> pa.Table:
    fields = [f.with_metadata({"description": descriptions.get(f.name, "")}) for f in table.schema]
    return table.cast(pa.schema(fields, metadata={"description": table_description}))


def write_parquet(table: pa.Table, path: Path) -> None:
    _atomic(path, lambda fh: pq.write_table(table, fh, compression="zstd", row_group_size=1_000_000,
                                            write_statistics=True))


def flatten_lists(table: pa.Table, separator: str = ";") -> pa.Table:
    """List columns (e.g. ``reports.reasons``) as text joined by ``separator``, for CSV and XLSX."""
    import pyarrow.compute as pc

    for index, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            as_text = pc.binary_join(table.column(index).cast(pa.list_(pa.string())), separator)
            table = table.set_column(index, field.with_type(pa.string()), as_text)
    return table


def write_csv(table: pa.Table, path: Path) -> None:
    table = flatten_lists(table)

    def write(fh: IO[bytes]) -> None:
        fh.write(BOM)
        pacsv.write_csv(table, fh, write_options=pacsv.WriteOptions(
            include_header=True, batch_size=65_536, quoting_style="needed"))
    _atomic(path, write)


def write_duckdb(tables: dict[str, pa.Table], descriptions: dict[str, dict[str, str]],
                 table_descriptions: dict[str, str], path: Path) -> None:
    import duckdb

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET threads TO 2")
        for name, table in tables.items():
            con.register("_incoming", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            con.unregister("_incoming")
            con.execute(f'COMMENT ON TABLE "{name}" IS {_sql_text(table_descriptions.get(name, ""))}')
            for column, text in descriptions.get(name, {}).items():
                con.execute(f'COMMENT ON COLUMN "{name}"."{column}" IS {_sql_text(text)}')
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
