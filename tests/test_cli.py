"""The gongkai command: exit codes, tables written, show output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from gongkai.cli.app import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_extract_writes_every_table(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("hb-zhuozhou-district-gov-2024.txt", "fj-pingtan-zone-gov-2019.txt"):
        shutil.copy(DATA / name, src / name)
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    reports = pd.read_parquet(out / "reports.parquet") if (out / "reports.parquet").exists() else pd.read_parquet(
        out / "reports")
    assert sorted(reports["status"]) == ["ok", "partial"]
    cells = pd.read_parquet(out / "cells.parquet") if (out / "cells.parquet").exists() else pd.read_parquet(
        out / "cells")
    assert len(cells) == 200 + 198


def test_bad_file_gives_exit_1_and_an_error_row(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DATA / "hb-zhuozhou-district-gov-2024.txt", src / "good.txt")
    (src / "garbage.pdf").write_bytes(b"\x00\x01\x02 not a pdf at all" * 10)
    result = runner.invoke(app, ["extract", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2


def test_show_prints_tables_and_checks() -> None:
    result = runner.invoke(app, ["show", str(DATA / "hb-zhuozhou-district-gov-2024.txt")])
    assert result.exit_code == 0, result.output
    for text in ("涿州区人民政府", "三、收到和处理政府信息公开申请情况", "40544", "A1", "pass 42"):
        assert text in result.output
