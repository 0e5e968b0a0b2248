"""The on-disk dataset: Parquet part files, written atomically, in one folder per report year.

Layout under the output folder ``OUT``::

    OUT/reports/part-<part>.parquet                       one row per document
    OUT/{cells,checks,sections,errors}/<Y>/part-<part>.parquet
    OUT/sources.parquet                                   every input path and its report_id
    OUT/_gongkai/manifest.sqlite                          run bookkeeping (see manifest.py)

``<Y>`` is the report year, or ``unknown`` when it could not be read. Every table carries the year
as a column of its own, typed int16 as in ``reports`` (null when unknown), so a join on ``year``
works in DuckDB, Polars and pandas without casts. The folders are deliberately *not* hive-style
(``year=<Y>``): readers would add a second ``year`` column inferred from the folder name (text
because of ``unknown``, or an integer of a reader-specific width) that clashes with the typed one.
A part is a small chunk of documents written together: every file goes to a hidden temporary name
in its final folder, all of them are fsynced, then each is ``os.replace``-d into place, and only
then is the part committed to the manifest. Readers (pandas, DuckDB, Polars) ignore the hidden temporary files and
the ``_gongkai`` folder.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.schemas.tables import SCHEMAS, SOURCES_SCHEMA, TABLE_NAMES, Columns, build_table

UNKNOWN_YEAR = "unknown"


class DocumentRows(Protocol):
    """The rows of one document, as the dataset needs them (a batch's outcome is one): plain
    column lists per table (``schemas.tables.columns_for``)."""

    report_id: str
    source_path: str
    year: int | None

    def columns(self, name: str) -> Columns: ...


@dataclass(frozen=True, slots=True)
class PartRecord:
    """A part: documents written together, one file per table (and per year partition)."""

    part: str
    years: tuple[str, ...]  # partition keys that have files for this part


@dataclass(frozen=True, slots=True)
class PartFile:
    """One file of a committed part as the manifest recorded it (checked at the start of a run)."""

    path: str  # relative to the output folder
    rows: int
    size: int

# Tables written as one folder of parts without partitioning (small, keeps its typed year column).
FLAT_TABLES: frozenset[str] = frozenset({"reports"})
PARTITIONED_TABLES: tuple[str, ...] = tuple(t for t in TABLE_NAMES if t not in FLAT_TABLES)
MANIFEST_DIR = "_gongkai"
_PART_FILE = re.compile(r"^part-(?P<part>[0-9A-Za-z_-]+)\.parquet$")


def year_key(year: int | None) -> str:
    """The name of a report year's folder."""
    return UNKNOWN_YEAR if year is None else str(year)


def new_part_id(run_id: str, seq: int) -> str:
    return f"{run_id}-{seq:05d}"


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` through a hidden temporary file, fsync, then rename."""
    write_parquet_batches_atomic(table.schema, [table], path)


_WRITE_BUFFER_BYTES = 1 << 20


def _write_hidden(table: pa.Table, path: Path) -> tuple[Path, Path]:
    """Write ``table`` to the hidden temporary name of ``path`` (not yet fsynced); (tmp, path)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    # buffered: written in large blocks (the plain file stream makes a write and an lseek per page)
    with pa.output_stream(str(tmp), buffer_size=_WRITE_BUFFER_BYTES) as sink:
        pq.write_table(table, sink)
    return tmp, path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_parquet_batches_atomic(schema: pa.Schema, tables: Iterable[pa.Table], path: Path) -> None:
    """Write the rows of ``tables`` (one row group each, streamed) to ``path`` through a hidden
    temporary file, fsync, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        with pq.ParquetWriter(fh, schema) as writer:
            for table in tables:
                writer.write_table(table)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class DatasetFiles:
    """Paths and file operations of the dataset under one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST_DIR / "manifest.sqlite"

    @property
    def lock_path(self) -> Path:
        return self.out / MANIFEST_DIR / "lock"

    def file_for(self, table: str, part: str, year: str | None = None) -> Path:
        if table in FLAT_TABLES:
            return self.out / table / f"part-{part}.parquet"
        return self.out / table / str(year) / f"part-{part}.parquet"

    def files_of(self, part: PartRecord) -> list[Path]:
        files = [self.file_for(t, part.part) for t in TABLE_NAMES if t in FLAT_TABLES]
        files += [self.file_for(t, part.part, y) for t in PARTITIONED_TABLES for y in part.years]
        return files

    def write_part(self, part_id: str, outcomes: Sequence[DocumentRows]) -> PartRecord:
        """Write the rows of ``outcomes`` as one part (every table, one file per year). Every file
        is written to its hidden temporary name first, then all are fsynced, then renamed (the
        fsyncs back to back cost less than one after each write)."""
        ordered = sorted(outcomes, key=lambda o: (o.source_path, o.report_id))
        by_year: dict[str, list[DocumentRows]] = {}
        for outcome in ordered:
            by_year.setdefault(year_key(outcome.year), []).append(outcome)
        written: list[tuple[Path, Path]] = []
        for table in FLAT_TABLES:
            written.append(_write_hidden(_concat(ordered, table), self.file_for(table, part_id)))
        for year, group in sorted(by_year.items()):
            for table in PARTITIONED_TABLES:
                written.append(_write_hidden(_concat(group, table), self.file_for(table, part_id, year)))
        for tmp, _final in written:
            _fsync(tmp)
        for tmp, final in written:
            os.replace(tmp, final)
        return PartRecord(part=part_id, years=tuple(sorted(by_year)))

    def rewrite_part_in_place(self, part: PartRecord, keep: set[str]) -> PartRecord | None:
        """Keep only the rows of ``keep`` (report_ids) in ``part``'s files, each file replaced
        atomically under its own name (so a reader never sees a row twice); None when no row is
        left (the files are removed). Idempotent: a rewrite cut short is simply done again."""
        keep_array = pa.array(sorted(keep), pa.string())
        reports = _read_filtered(self.file_for("reports", part.part), keep_array)
        if reports is None or not reports.num_rows:
            self.remove_part_files(part)
            return None
        years = {year_key(y) for y in reports["year"].to_pylist()}
        _replace_if_changed(reports, self.file_for("reports", part.part))
        for year in sorted(set(part.years) | years):
            for table in PARTITIONED_TABLES:
                path = self.file_for(table, part.part, year)
                if year not in years:
                    path.unlink(missing_ok=True)
                    continue
                data = _read_filtered(path, keep_array)
                _replace_if_changed(build_table(table, []) if data is None else data, path)
        return PartRecord(part=part.part, years=tuple(sorted(years)))

    def file_stats(self, part: PartRecord) -> list[PartFile]:
        """Row count (from the footer) and size of every file of ``part``, as written."""
        stats = []
        for path in self.files_of(part):
            stats.append(PartFile(str(path.relative_to(self.out)), pq.read_metadata(path).num_rows,
                                  path.stat().st_size))
        return stats

    def remove_part_files(self, part: PartRecord) -> None:
        for path in self.files_of(part):
            path.unlink(missing_ok=True)

    def remove_orphans(self, committed: Iterable[str]) -> int:
        """Delete part files of uncommitted parts and leftover temporary files; returns how many."""
        keep = set(committed)
        removed = 0
        for table in TABLE_NAMES:
            root = self.out / table
            if not root.is_dir():
                continue
            for path in root.rglob("*"):
                if not path.is_file():
                    continue
                match = _PART_FILE.match(path.name)
                orphan = (match is not None and match["part"] not in keep) or (
                    path.name.startswith(".part-") and ".tmp-" in path.name)
                if orphan:
                    path.unlink(missing_ok=True)
                    removed += 1
            for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
                if not any(folder.iterdir()):
                    folder.rmdir()
        return removed

    def migrate_hive_folders(self) -> int:
        """Move part files of the earlier ``<table>/year=<Y>/`` layout (no ``year`` column) to
        ``<table>/<Y>/`` with the typed ``year`` column added; returns how many. Same part names,
        so the manifest stays true; a crash halfway is finished by the next call."""
        moved = 0
        for table in PARTITIONED_TABLES:
            for old in sorted((self.out / table).glob("year=*/part-*.parquet")):
                key = old.parent.name.removeprefix("year=")
                try:
                    data, schema = pq.ParquetFile(old).read(), SCHEMAS[table]
                except pa.ArrowInvalid:  # not a Parquet file: left for a person to look at
                    continue
                fill = None if key == UNKNOWN_YEAR or "year" in data.column_names else int(key)
                columns = {f.name: data[f.name] if f.name in data.column_names else
                           pa.array([fill if f.name == "year" else None] * data.num_rows, f.type) for f in schema}
                write_parquet_atomic(pa.Table.from_pydict(columns, schema=schema), old.parent.parent / key / old.name)
                old.unlink()
                moved += 1
                if not any(old.parent.iterdir()):
                    old.parent.rmdir()
        return moved

    def remove_legacy_files(self) -> list[Path]:
        """Remove ``OUT/<table>.parquet`` of the single-file layout (they would shadow the folders)."""
        removed = []
        for table in TABLE_NAMES:
            legacy = self.out / f"{table}.parquet"
            if legacy.is_file():
                legacy.unlink()
                removed.append(legacy)
        return removed

    def write_sources(self, batches: Iterable[list[dict[str, Any]]]) -> None:
        """Write ``OUT/sources.parquet`` from batches of rows (streamed: one batch in memory)."""
        tables = (pa.Table.from_pylist(rows, schema=SOURCES_SCHEMA) for rows in batches)
        write_parquet_batches_atomic(SOURCES_SCHEMA, tables, self.out / "sources.parquet")


# Documents whose rows are turned from Python lists into Arrow at a time (bounds the memory of
# the lists: one slice of one table of one part, not the whole part).
_ROWS_SLICE_DOCS = 25


def _concat(outcomes: Sequence[DocumentRows], table: str) -> pa.Table:
    """One typed Arrow table of the rows of ``outcomes``, built a slice of documents at a time."""
    schema = SCHEMAS[table]
    pieces = []
    for start in range(0, len(outcomes), _ROWS_SLICE_DOCS):
        merged: dict[str, list[Any]] = {name: [] for name in schema.names}
        for outcome in outcomes[start:start + _ROWS_SLICE_DOCS]:
            columns = outcome.columns(table)
            for name, values in merged.items():
                values += columns[name]
        pieces.append(pa.Table.from_pydict(merged, schema=schema))
    return pa.concat_tables(pieces) if pieces else build_table(table, [])


def _read_filtered(path: Path, keep: pa.Array) -> pa.Table | None:
    if not path.is_file():
        return None
    import pyarrow.compute as pc  # here: its import costs a batch run ≈0.1 s of CPU, and only rewrites need it

    data = pq.ParquetFile(path).read()
    return data.filter(pc.is_in(data["report_id"], value_set=keep))


def _replace_if_changed(filtered: pa.Table, path: Path) -> None:
    """Write ``filtered`` over ``path`` unless it holds every row already (nothing to drop)."""
    if path.is_file() and pq.read_metadata(path).num_rows == filtered.num_rows:
        return
    write_parquet_atomic(filtered, path)
