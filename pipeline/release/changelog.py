"""What changed since a previous release: reports added and removed, values changed.

Both releases are compared on their wide tables (one row per logical report, one column per
cell code), matched on ``report_key``; a value that went from a number to null counts as
removed, from null to a number as added. ``CHANGELOG.md`` summarises; the ``changes`` table
lists every changed value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.release.codebook import WIDE_KEY_COLUMNS
from gongkai.release.settings import ReleaseError
from gongkai.schemas.codes import TABLES

_KEYS = {name for name, _zh, _en in WIDE_KEY_COLUMNS}
_LISTED = 200  # lines per section of CHANGELOG.md; the changes table has them all


@dataclass
class Changes:
    previous_version: str | None
    previous_reports: int
    current_reports: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    values: pd.DataFrame = field(default_factory=pd.DataFrame)


def previous_version(folder: Path) -> str | None:
    package = folder / "datapackage.json"
    if not package.is_file():
        return None
    return str(json.loads(package.read_text(encoding="utf-8")).get("version") or "") or None


def compare(previous: Path, current: dict[str, pa.Table]) -> Changes:
    """Changes between the release at ``previous`` and the ``current`` wide tables."""
    if not (previous / "parquet" / "reports.parquet").is_file():
        raise ReleaseError(f"{previous} is not a gongkai release (no parquet/reports.parquet)")
    old_keys = set(pq.read_table(previous / "parquet" / "reports.parquet", columns=["report_key"])
                   ["report_key"].to_pylist())
    new_keys = set(current["reports"]["report_key"].to_pylist())
    frames = [_value_changes(table, previous / "parquet" / f"{table}.parquet", current[table])
              for table in TABLES]
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return Changes(previous_version(previous), len(old_keys), len(new_keys),
                   sorted(new_keys - old_keys), sorted(old_keys - new_keys), values)


def _value_changes(table: str, old_path: Path, new: pa.Table) -> pd.DataFrame:
    columns = ["report_key", "table", "cell", "old_value", "new_value", "change"]
    if not old_path.is_file():
        return pd.DataFrame(columns=columns)
    old = pq.read_table(old_path).to_pandas().set_index("report_key")
    cur = new.to_pandas().set_index("report_key")
    keys = cur.index.intersection(old.index).sort_values()
    codes = [c for c in cur.columns if c not in _KEYS and c in old.columns]
    if not len(keys) or not codes:
        return pd.DataFrame(columns=columns)
    a = old.loc[keys, codes].to_numpy(dtype="float64")
    b = cur.loc[keys, codes].to_numpy(dtype="float64")
    na, nb = np.isnan(a), np.isnan(b)
    differ = (na != nb) | (~na & ~nb & (np.abs(a - b) > 1e-9))
    rows, cols = np.nonzero(differ)
    change = np.where(na[rows, cols], "value_added", np.where(nb[rows, cols], "value_removed", "value_changed"))
    return pd.DataFrame({
        "report_key": keys.to_numpy()[rows], "table": table, "cell": np.array(codes, dtype=object)[cols],
        "old_value": a[rows, cols], "new_value": b[rows, cols], "change": change,
    }, columns=columns)


def changes_table(changes: Changes | None) -> pa.Table:
    schema = pa.schema([("report_key", pa.string()), ("table", pa.string()), ("cell", pa.string()),
                        ("old_value", pa.float64()), ("new_value", pa.float64()), ("change", pa.string())])
    if changes is None or changes.values.empty:
        return schema.empty_table()
    frame = changes.values.sort_values(["report_key", "table", "cell"]).reset_index(drop=True)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def changelog_markdown(version: str, changes: Changes | None, n_reports: int) -> str:
    lines = [f"# CHANGELOG — release {version}", ""]
    if changes is None:
        lines += [f"First release: {n_reports} logical reports. (Build with `--previous DIR` to compare "
                  "against an earlier release.)", ""]
        return "\n".join(lines)
    since = changes.previous_version or "the previous release"
    changed_reports = changes.values["report_key"].nunique() if not changes.values.empty else 0
    lines += [f"Compared with {since}: {changes.previous_reports} → {changes.current_reports} logical reports.", "",
              f"- reports added: {len(changes.added)}", f"- reports removed: {len(changes.removed)}",
              f"- reports with changed values: {changed_reports} ({len(changes.values)} values; every one is in "
              "the `changes` table)", ""]
    for title, keys in (("Reports added", changes.added), ("Reports removed", changes.removed)):
        lines += [f"## {title}", ""]
        lines += [f"- {k}" for k in keys[:_LISTED]] or ["(none)"]
        if len(keys) > _LISTED:
            lines.append(f"- … and {len(keys) - _LISTED} more")
        lines.append("")
    lines += ["## Changed values", ""]
    if changes.values.empty:
        lines.append("(none)")
    else:
        lines += ["| report | cell | old | new |", "| --- | --- | --- | --- |"]
        head = changes.values.head(_LISTED)
        for key, cell, old, new in zip(head["report_key"], head["cell"], head["old_value"].astype("float64"),
                                       head["new_value"].astype("float64"), strict=True):
            lines.append(f"| {key} | {cell} | {_fmt(float(old))} | {_fmt(float(new))} |")
        if len(changes.values) > _LISTED:
            lines.append(f"\n… and {len(changes.values) - _LISTED} more (see the `changes` table)")
    lines.append("")
    return "\n".join(lines)


def _fmt(value: float) -> str:
    if value != value:
        return "null"
    return str(int(value)) if float(value).is_integer() else repr(float(value))
