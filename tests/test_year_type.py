"""Issue 9: ``year`` has one type in every table (int16, null when unknown), so a join on it works
in DuckDB, Polars and pandas without casts. ``cells.year`` used to be the hive folder key, text
'unknown' beside reports' int16: DuckDB failed to convert 'unknown', Polars refused the join.
An unknown year stays null: it is never made up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from gongkai.batch.runner import BatchOptions, run_batch
from gongkai.schemas.tables import SCHEMAS
from tests.batch_helpers import read_tables
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth

ONE_JOB = BatchOptions(jobs=1)
PARTITIONED = ("cells", "checks", "sections", "errors")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("years")
    (root / "in").mkdir()
    known = render_tab(make_truth(3, "F2021"))  # 某某镇人民政府 2022 年…
    (root / "in" / "known.txt").write_text(known, encoding="utf-8")
    (root / "in" / "unknown.txt").write_text(known.replace("某某镇人民政府 2022 年", "某某镇人民政府", 1),
                                             encoding="utf-8")
    (root / "in" / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    run_batch([root / "in"], root / "out", options=ONE_JOB)
    return root / "out"


def test_every_table_has_a_typed_year_column() -> None:
    for name in ("reports", *PARTITIONED):
        assert SCHEMAS[name].field("year").type == pa.int16(), name


def test_folders_are_per_year_but_not_hive_keys(dataset: Path) -> None:
    assert sorted(p.name for p in (dataset / "cells").iterdir()) == ["2022", "unknown"]
    assert not list(dataset.glob("*/year=*"))
    unknown = pq.read_table(next((dataset / "cells" / "unknown").glob("part-*.parquet")))
    assert unknown.schema.field("year").type == pa.int16()
    assert unknown["year"].null_count == unknown.num_rows > 0  # never a made-up year


def test_duckdb_joins_on_year_without_casts(dataset: Path) -> None:
    import duckdb

    for hive in ("", ", hive_partitioning = true"):
        cells = f"read_parquet('{dataset}/cells/**/*.parquet'{hive})"
        reports = f"read_parquet('{dataset}/reports/*.parquet')"
        types = duckdb.sql(f"SELECT DISTINCT typeof(year) FROM {cells}").fetchall()
        assert types == [("SMALLINT",)]
        rows = duckdb.sql(f"SELECT r.year, count(*) FROM {cells} c JOIN {reports} r USING (report_id, year) "
                          "GROUP BY 1").fetchall()
        assert rows == [(2022, 200)]  # the unknown-year report's null never equals anything
        by_id = duckdb.sql(f"SELECT count(*) FROM {cells} c JOIN {reports} r USING (report_id) "
                           "WHERE r.year IS NULL AND c.year IS NULL").fetchall()
        assert by_id == [(200,)]


def test_polars_joins_on_year_without_casts(dataset: Path) -> None:
    import polars as pl

    reports = pl.scan_parquet(dataset / "reports")
    for cells in (pl.scan_parquet(dataset / "cells"), pl.scan_parquet(f"{dataset}/cells/**/*.parquet"),
                  pl.scan_parquet(f"{dataset}/cells/**/*.parquet", hive_partitioning=True)):
        assert cells.collect_schema()["year"] == pl.Int16 == reports.collect_schema()["year"]
        joined = cells.join(reports, on=["report_id", "year"]).collect()
        assert joined.height == 200 and joined["year"].unique().to_list() == [2022]
    checks = pl.read_parquet(dataset / "checks")
    assert checks["year"].dtype == pl.Int16


def test_pandas_joins_on_year_without_casts(dataset: Path) -> None:
    reports = pd.read_parquet(dataset / "reports")
    for name in PARTITIONED:
        table = pd.read_parquet(dataset / name)
        assert table["year"].dtype == reports["year"].dtype, name
    cells = pd.read_parquet(dataset / "cells")
    joined = cells.merge(reports[["report_id", "year", "status"]], on=["report_id", "year"])
    assert len(joined) == len(cells) == 400
    assert sorted(joined.dropna(subset=["year"])["year"].unique()) == [2022]


def test_an_output_folder_of_the_hive_layout_is_migrated(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(dataset, out)
    before = read_tables(out)
    for name in PARTITIONED:  # back to the earlier layout: year=<Y> folders, no year column
        for folder in sorted((out / name).iterdir()):
            old = out / name / f"year={folder.name}"
            old.mkdir()
            for part in folder.glob("part-*.parquet"):
                pq.write_table(pq.read_table(part).drop_columns(["year"]), old / part.name)
            shutil.rmtree(folder)
    in_dir = dataset.parent / "in"
    summary = run_batch([in_dir], out, options=ONE_JOB)
    assert summary.exit_code() == 99  # nothing to redo: the migration kept every committed part
    assert not list(out.glob("*/year=*"))
    after = read_tables(out)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
