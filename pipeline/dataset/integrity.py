"""Checking part files against what the manifest recorded, quarantining bad ones, and finding
the parts on disk when the manifest is lost.

A part is *sound* when every file the manifest expects exists, has the recorded size, and its
Parquet footer reads with the recorded row count (older manifests without file records: the
footer reads and ``reports`` holds one row per member). A part that is not sound is moved whole
to ``OUT/_gongkai/quarantine/<part>/`` (never deleted) and its documents are extracted again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from gongkai.dataset.parts import (
    FLAT_TABLES,
    MANIFEST_DIR,
    PARTITIONED_TABLES,
    DatasetFiles,
    PartFile,
    PartRecord,
    year_key,
)

QUARANTINE_DIR = "quarantine"
_PART_FILE = re.compile(r"^part-(?P<part>[0-9A-Za-z_-]+)\.parquet$")
# Columns of ``reports`` a lost manifest is rebuilt from.
_REBUILD_COLUMNS = ("report_id", "source_path", "status", "template", "format", "year", "checks_failed",
                    "error_codes", "pipeline_version")


def check_part(files: DatasetFiles, part: PartRecord, recorded: list[PartFile],
               members: int | None = None) -> str | None:
    """Why ``part`` is not sound (a short text), or None when it is."""
    expected = {str(path.relative_to(files.out)): path for path in files.files_of(part)}
    by_path = {f.path: f for f in recorded}
    for rel, path in expected.items():
        try:
            size = path.stat().st_size
        except OSError as err:
            return f"{rel}: {err.strerror or err}"
        want = by_path.get(rel)
        if want is not None and want.size != size:
            return f"{rel}: {size} bytes, the manifest recorded {want.size}"
        try:
            rows = pq.read_metadata(path).num_rows
        except Exception as err:  # pyarrow raises ArrowInvalid, OSError … for a damaged footer
            return f"{rel}: unreadable Parquet ({type(err).__name__}: {err})"
        if want is not None and want.rows != rows:
            return f"{rel}: {rows} rows, the manifest recorded {want.rows}"
        if want is None and members is not None and rel.startswith("reports/") and rows != members:
            return f"{rel}: {rows} rows for {members} documents"
    return None


def quarantine_part(files: DatasetFiles, part_id: str) -> Path:
    """Move every file of ``part_id`` (whatever years it has) out of the dataset; returns the folder."""
    target = files.out / MANIFEST_DIR / QUARANTINE_DIR / part_id
    for path in part_files_on_disk(files).get(part_id, []):
        dest = target / path.relative_to(files.out)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, dest)
    return target


def part_files_on_disk(files: DatasetFiles) -> dict[str, list[Path]]:
    """Every part file under the table folders, by part id."""
    found: dict[str, list[Path]] = {}
    for table in (*FLAT_TABLES, *PARTITIONED_TABLES):
        root = files.out / table
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("part-*.parquet")):
            match = _PART_FILE.match(path.name)
            if match and path.is_file():
                found.setdefault(match["part"], []).append(path)
    return found


@dataclass(slots=True)
class FoundPart:
    """A part found on disk with no manifest: its record, files and the documents it holds."""

    record: PartRecord
    documents: list[dict[str, Any]] = field(default_factory=list)  # rows of ``reports`` (some columns)
    stats: list[PartFile] = field(default_factory=list)
    problem: str | None = None
    mtime: float = 0.0


def find_parts(files: DatasetFiles) -> list[FoundPart]:
    """Read the ``reports`` file of every part on disk and check that its other files are there."""
    found = []
    for part_id, paths in sorted(part_files_on_disk(files).items()):
        report_file = files.file_for("reports", part_id)
        part = FoundPart(PartRecord(part_id, ()))
        found.append(part)
        if report_file not in paths:
            part.problem = "no reports file"
            continue
        try:
            rows = pq.read_table(report_file, columns=list(_REBUILD_COLUMNS)).to_pylist()
        except Exception as err:  # a damaged file: quarantined by the caller
            part.problem = f"reports: {type(err).__name__}: {err}"
            continue
        part.record = PartRecord(part_id, tuple(sorted({year_key(r["year"]) for r in rows})))
        part.documents = rows
        part.mtime = report_file.stat().st_mtime
        part.problem = check_part(files, part.record, [], members=len(rows))
        if part.problem is None:
            part.stats = files.file_stats(part.record)
    return found
