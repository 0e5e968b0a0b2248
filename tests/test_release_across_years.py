"""The release carries the checks across years of one body (issue 13), keyed by its body identity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gongkai.batch.runner import BatchOptions, run_batch
from gongkai.release.build import build_release
from gongkai.release.settings import ReleaseSettings

DATA = Path(__file__).parent / "data"


def test_two_years_of_one_body_are_checked_across_years(tmp_path: Path) -> None:
    text = (DATA / "hb-zhuozhou-district-gov-2024.txt").read_text(encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "zhuozhou-2024.txt").write_text(text, encoding="utf-8")
    (raw / "zhuozhou-2023.txt").write_text(text.replace("2024", "2023"), encoding="utf-8")  # same numbers
    run_batch([raw], tmp_path / "ds", options=BatchOptions(jobs=1))
    build_release(tmp_path / "ds", tmp_path / "release", ReleaseSettings(version="2026.12"))
    checks = pd.read_parquet(tmp_path / "release" / "parquet" / "checks_across_years.parquet")
    reports = pd.read_parquet(tmp_path / "release" / "parquet" / "reports.parquet")
    assert set(checks["body"]) == set(reports["body_id"].dropna()) and len(set(checks["body"])) == 1
    assert set(checks["year"]) == {2024} and set(checks["rule"]) == {"Y1", "Y2"}
    docs = checks[(checks["rule"] == "Y2") & checks["scope"].str.contains("normative_docs")].iloc[0]
    # 2024 prints 现行有效 30, 新制发 5, 新废止 3; the "2023" copy prints the same 30: 30 + 5 − 3 ≠ 30
    assert (docs["lhs"], docs["rhs"], docs["status"]) == (32.0, 30.0, "fail")
    assert (tmp_path / "release" / "csv" / "checks_across_years.csv").is_file()
