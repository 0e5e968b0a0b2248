"""Build a release folder from a dataset folder: the library function behind ``gongkai release``."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gongkai.dataset.across_years import checks_across_years, checks_table, series_from_tables
from gongkai.release.card import dataset_card
from gongkai.release.changelog import Changes, changelog_markdown, changes_table, compare
from gongkai.release.codebook import headers_zh
from gongkai.release.identity import Body, BodyResolver
from gongkai.release.inputs import DatasetTables, read_dataset
from gongkai.release.logical import group_copies
from gongkai.release.package import citation_cff, datapackage, write_json, write_sha256sums
from gongkai.release.plots import write_plots
from gongkai.release.settings import ReleaseError, ReleaseSettings
from gongkai.release.tables import TABLE_DESCRIPTIONS, describe, release_tables
from gongkai.release.writers import with_descriptions, write_csv, write_duckdb, write_parquet
from gongkai.release.xlsx import Sheet, write_xlsx

SHEETS_ZH: dict[str, str] = {"active": "主动公开", "applications": "依申请公开", "review_litigation": "复议诉讼",
                             "codebook": "代码表", "vocabularies": "取值说明"}
CODEBOOK_HEADERS_ZH: dict[str, str] = {
    "table": "表格", "column": "列名", "kind": "类别", "header_zh": "中文表头", "label_en": "英文名称",
    "table_zh": "表格名称", "table_en": "表格英文名称", "row_label_f2021": "行（2021版）",
    "column_label_f2021": "列（2021版）", "row_label_f2019": "行（2019版）", "column_label_f2019": "列（2019版）",
    "unit": "单位", "templates": "版式", "rules": "勾稽规则", "vocabulary": "字段", "value": "取值",
    "description": "说明",
}


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    release_dir: Path
    version: str
    documents: int
    logical_reports: int
    multi_copy_reports: int
    conflicts: int
    files: int
    seconds: float
    changes: Changes | None
    timings: dict[str, float]  # seconds per phase (read, identity, logical, tables, write …)


def build_release(dataset_dir: Path, release_dir: Path, settings: ReleaseSettings) -> ReleaseSummary:
    """Build the release of ``dataset_dir`` into ``release_dir`` (replaced as a whole at the end)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    lap = [started]

    def done(phase: str) -> None:
        now = time.perf_counter()
        timings[phase] = round(now - lap[0], 2)
        lap[0] = now

    settings.date()  # fails early on a version without a date
    if settings.previous is not None and not settings.previous.is_dir():
        raise ReleaseError(f"--previous {settings.previous} is not a folder")
    dataset = read_dataset(dataset_dir)
    done("read")
    reports = dataset.reports.to_pandas()
    pairs = [(None if i is None else str(i), None if y is None else int(y))
             for i, y in zip(dataset.reports["issuer"].to_pylist(), dataset.reports["year"].to_pylist(), strict=True)]
    bodies = BodyResolver().resolve(pairs)
    done("identity")
    logical = group_copies(reports, bodies, dataset.cells)
    done("logical")
    tables = release_tables(dataset, logical)
    tables["checks_across_years"] = _checks_across_years(dataset, reports, bodies)
    done("tables")
    changes = compare(settings.previous, tables) if settings.previous is not None else None
    if changes is not None:
        tables["changes"] = changes_table(changes)

    for stale in release_dir.parent.glob(f".{release_dir.name}.building-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = release_dir.parent / f".{release_dir.name}.building-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        done("changes")
        files = _write_all(staging, tables, changes, settings, done)
        _replace(staging, release_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    reports_table = tables["reports"]
    return ReleaseSummary(
        release_dir=release_dir, version=settings.version, documents=dataset.sources.num_rows or dataset.reports.num_rows,
        logical_reports=reports_table.num_rows,
        multi_copy_reports=int(pc.sum(pc.greater(reports_table["n_copies"], 1)).as_py() or 0),
        conflicts=tables["conflicts"].num_rows, files=files, seconds=time.perf_counter() - started, changes=changes,
        timings=timings)


def _checks_across_years(dataset: DatasetTables, reports: pd.DataFrame,
                         bodies: dict[tuple[str | None, int | None], Body]) -> pa.Table:
    """Rules Y1/Y2 between consecutive years of one body (``gongkai.dataset.across_years``), with
    the bodies of the release's identity (reports whose body is unknown fall back to their issuer)."""
    body_of: dict[str, str] = {}
    for rid, issuer, year in zip(reports["report_id"], reports["issuer"], reports["year"], strict=True):
        key = (None if issuer is None else str(issuer), None if pd.isna(year) else int(year))
        body = bodies.get(key)
        if body is not None and body.body_id is not None:
            body_of[str(rid)] = body.body_id
    checks, _resolutions = checks_across_years(series_from_tables(dataset.reports, dataset.cells, body_of))
    return checks_table(checks)


def _write_all(folder: Path, tables: dict[str, pa.Table], changes: Changes | None,
               settings: ReleaseSettings, done: Callable[[str], None]) -> int:
    descriptions = {name: describe(name, table) for name, table in tables.items()}
    described = {name: with_descriptions(t, descriptions[name], TABLE_DESCRIPTIONS.get(name, ""))
                 for name, t in tables.items()}
    stem = f"gongkai-{settings.version}"
    names = {"xlsx": f"{stem}.xlsx", "duckdb": f"{stem}.duckdb"}
    # DuckDB and the CSV writer work in C++ with the GIL released: they run beside Parquet and XLSX
    with ThreadPoolExecutor(max_workers=2) as pool:
        duckdb_done = pool.submit(write_duckdb, described, descriptions, TABLE_DESCRIPTIONS,
                                  folder / names["duckdb"])
        csv_done = pool.submit(_write_csvs, described, folder / "csv")
        for name, table in described.items():
            write_parquet(table, folder / "parquet" / f"{name}.parquet")
        done("parquet")
        write_xlsx(_sheets(tables), folder / names["xlsx"], settings.title, settings.timestamp())
        done("xlsx")
        csv_done.result()
        done("csv (rest)")
        duckdb_done.result()
        done("duckdb (rest)")
    plots = write_plots(tables["reports"].to_pandas(), tables["applications"], folder / "plots")
    (folder / "README.md").write_text(dataset_card(settings, tables, TABLE_DESCRIPTIONS, plots, names),
                                      encoding="utf-8")
    (folder / "CHANGELOG.md").write_text(changelog_markdown(settings.version, changes, tables["reports"].num_rows),
                                         encoding="utf-8")
    (folder / "CITATION.cff").write_text(citation_cff(settings), encoding="utf-8")
    write_json(datapackage(tables, descriptions, TABLE_DESCRIPTIONS, settings), folder / "datapackage.json")
    done("card+plots")
    files = len(write_sha256sums(folder)) + 1
    done("sha256")
    return files


def _write_csvs(tables: dict[str, pa.Table], folder: Path) -> None:
    for name, table in tables.items():
        write_csv(_csv_ready(table), folder / f"{name}.csv")


def _csv_ready(table: pa.Table) -> pa.Table:
    """Timestamps as ISO 8601 text (what Frictionless reads as datetime)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            seconds = table[field.name].cast(pa.timestamp("s", tz="UTC"), safe=False)
            text = pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%SZ")
            table = table.set_column(i, field.with_type(pa.string()), text)
    return table


EXCEL_MAX_ROWS = 1_048_576


def _sheets(tables: dict[str, pa.Table]) -> list[Sheet]:
    too_big = [n for n in ("active", "applications", "review_litigation") if tables[n].num_rows >= EXCEL_MAX_ROWS]
    if too_big:  # never cut a table short
        raise ReleaseError(f"{', '.join(too_big)}: more rows than an Excel sheet holds ({EXCEL_MAX_ROWS})")
    sheets = []
    for name in ("active", "applications", "review_litigation"):
        table = tables[name]
        sheets.append(Sheet(SHEETS_ZH[name], table, [headers_zh()[c] for c in table.column_names]))
    for name in ("codebook", "vocabularies"):
        table = tables[name]
        sheets.append(Sheet(SHEETS_ZH[name], table, [CODEBOOK_HEADERS_ZH.get(c, c) for c in table.column_names]))
    return sheets


def _replace(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target`` (the old release, if any, is removed after the swap)."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
