"""Read a dataset folder written by ``gongkai extract`` (Parquet parts) as whole Arrow tables.

Only the on-disk layout is relied on (docs/output.md): ``reports/`` parts, ``cells``, ``checks``,
``errors`` hive-partitioned by ``year=``, and ``sources.parquet``. Columns the schemas of
``gongkai.schemas.tables`` define are cast to their declared types; extra columns (e.g. a
``reasons`` column of reports, crawl columns of sources) are kept; a missing optional source
column is tolerated. Reports, errors and sources are sorted so that the release does not depend on
part order; cells and checks are put in order later, on integer positions (see ``tables._kept``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from gongkai.release.settings import ReleaseError
from gongkai.schemas.tables import SCHEMAS, SOURCES_SCHEMA

# Columns a crawl may add to sources.parquet (nullable; carried into the release when present).
CRAWL_COLUMNS: dict[str, pa.DataType] = {
    "url": pa.string(), "warc_file": pa.string(), "warc_record_id": pa.string(),
    "fetched_at": pa.timestamp("us", tz="UTC"),
}

# Low-cardinality text columns read dictionary-encoded (memory, and hashing only the dictionary).
DICTIONARY_COLUMNS: dict[str, set[str]] = {
    "cells": {"report_id", "table", "cell", "unit", "flag"},
    "checks": {"report_id", "rule", "scope", "status"},
}

SORT_KEYS: dict[str, list[str]] = {
    "reports": ["report_id"],
    "errors": ["source_path", "stage", "code", "message"],
    "sources": ["source_path"],
}


@dataclass(frozen=True, slots=True)
class DatasetTables:
    reports: pa.Table
    cells: pa.Table
    checks: pa.Table
    errors: pa.Table
    sources: pa.Table


def read_dataset(folder: Path) -> DatasetTables:
    """Every table of the dataset at ``folder``, typed and sorted."""
    if not (folder / "reports").is_dir():
        raise ReleaseError(f"{folder} is not a gongkai dataset (no reports/ folder)")
    tables = {name: _read_table(folder, name) for name in ("reports", "cells", "checks", "errors")}
    sources_path = folder / "sources.parquet"
    sources = pq.read_table(sources_path) if sources_path.is_file() else SOURCES_SCHEMA.empty_table()
    tables["sources"] = _conform(sources, SOURCES_SCHEMA, optional=CRAWL_COLUMNS)
    return DatasetTables(**{name: _sorted(name, table) for name, table in tables.items()})


def _read_table(folder: Path, name: str) -> pa.Table:
    schema = SCHEMAS[name]
    root = folder / name
    files = sorted(str(p) for p in root.rglob("part-*.parquet")) if root.is_dir() else []
    if not files:
        return schema.empty_table()
    file_format = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(
        dictionary_columns=DICTIONARY_COLUMNS.get(name, set())))
    dataset = ds.dataset(files, format=file_format, partitioning="hive" if name != "reports" else None,
                         partition_base_dir=str(root))
    table = dataset.to_table()
    if name in DICTIONARY_COLUMNS:
        table = table.unify_dictionaries().combine_chunks()
    if name != "reports" and "year" in table.column_names and "year" not in schema.names:
        table = table.drop_columns(["year"])
    return _conform(table, schema)


def _conform(table: pa.Table, schema: pa.Schema, optional: dict[str, pa.DataType] | None = None) -> pa.Table:
    """``table`` with ``schema``'s columns first (cast; added as nulls when absent), then extra columns."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    fields: list[pa.Field] = []
    wanted = list(schema) + [pa.field(n, t) for n, t in (optional or {}).items() if n not in schema.names]
    for field in wanted:
        if field.name in table.column_names:
            column = table[field.name]
            if field.name in (optional or {}):
                field = field.with_type(column.type)  # a crawl column keeps the type it was written with
            elif pa.types.is_dictionary(column.type) and column.type.value_type == field.type:
                field = field.with_type(column.type)  # kept encoded; decoded when the release is written
            elif column.type != field.type:
                try:
                    column = column.cast(field.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
                    raise ReleaseError(f"column {field.name}: {err}") from err
        else:
            column = pa.nulls(table.num_rows, field.type)
        columns[field.name] = column
        fields.append(field.with_nullable(True))
    for name in table.column_names:
        if name not in columns:
            columns[name] = table[name]
            fields.append(table.schema.field(name))
    return pa.Table.from_arrays(list(columns.values()), schema=pa.schema(fields))


def _sorted(name: str, table: pa.Table) -> pa.Table:
    keys = [(k, "ascending") for k in SORT_KEYS.get(name, []) if k in table.column_names]
    if not keys:
        return table
    return table.sort_by(keys).combine_chunks() if table.num_rows else table
