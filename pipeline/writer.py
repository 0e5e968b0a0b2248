"""Write the dataset tables (reports, cells, checks, sections, errors) as Parquet, atomically.

Each table goes to ``OUT/<name>.parquet`` through a temporary file in the same folder and an
``os.replace``: a reader never sees a half-written file, and a crash leaves the old one intact.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.result import ReportResult
from schemas.tables import TABLE_NAMES, build_table, rows_for


def collect_rows(results: Iterable[ReportResult]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for result in results:
        for name, table_rows in rows_for(result).items():
            rows[name].extend(table_rows)
    return rows


def write_parquet_atomic(table_rows: list[dict[str, Any]], name: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(build_table(name, table_rows), tmp)
    os.replace(tmp, path)


def write_dataset(results: Iterable[ReportResult], out_dir: Path) -> dict[str, int]:
    """Write every table under ``out_dir``; returns the row count per table."""
    rows = collect_rows(results)
    for name, table_rows in rows.items():
        write_parquet_atomic(table_rows, name, out_dir / f"{name}.parquet")
    return {name: len(r) for name, r in rows.items()}
