"""The batch supervisor of `gongkai extract` / `gongkai nightly` never loads pandas (≈50 MB)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


def test_extract_command_runs_without_loading_pandas(tmp_path: Path) -> None:
    pytest.importorskip("pandas")  # where pandas is not installed there is nothing to keep out
    source = DATA / "hb-zhuozhou-district-gov-2024.txt"
    run = _python(f"""
        import sys
        sys.argv = ["gongkai", "extract", {str(source)!r}, "--out", "out", "--log-format", "json"]
        from gongkai.cli.app import run
        try:
            run()
        except SystemExit as stop:
            print(stop.code)
        print("pandas" in sys.modules)
    """, tmp_path)
    *lines, code, pandas_loaded = run.stdout.strip().splitlines()
    assert pandas_loaded == "False", run.stderr
    assert code == "0"
    summary = json.loads(lines[-1])
    assert summary["by_status"] == {"ok": 1}
    # the dataset the supervisor wrote (pyarrow without pandas) holds the document's rows
    import pyarrow.dataset as ds

    reports = ds.dataset(tmp_path / "out" / "reports", format="parquet").to_table()
    cells = ds.dataset(tmp_path / "out" / "cells", format="parquet").to_table()
    assert reports.column("status").to_pylist() == ["ok"]
    assert cells.num_rows > 100
    assert set(cells.column("report_id").to_pylist()) == set(reports.column("report_id").to_pylist())


def test_guard_makes_pyarrow_work_as_without_pandas(tmp_path: Path) -> None:
    run = _python("""
        import datetime, sys
        from gongkai.batch.pandas_guard import keep_pandas_out_of_pyarrow
        assert keep_pandas_out_of_pyarrow()
        assert keep_pandas_out_of_pyarrow()  # idempotent
        import pyarrow as pa, pyarrow.parquet as pq
        when = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)
        table = pa.Table.from_pydict({"n": [1, None], "s": ["甲", "乙"], "l": [[1], []], "t": [when, None]})
        pq.write_table(table, "t.parquet")
        back = pq.read_table("t.parquet")
        assert back.equals(table) and back.column("t")[0].as_py() == when
        try:
            import pandas
        except ImportError as err:
            print("refused:", err)
        print("pandas" in sys.modules)
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["refused: pandas is kept out of the gongkai batch supervisor", "False"]


def test_guard_leaves_a_process_that_already_uses_pandas_alone(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    run = _python("""
        import pandas, pyarrow as pa
        from gongkai.batch.pandas_guard import keep_pandas_out_of_pyarrow
        print(keep_pandas_out_of_pyarrow(), len(pa.table({"x": [1]}).to_pandas()))
    """, tmp_path)
    assert run.stdout.split() == ["False", "1"], run.stderr
