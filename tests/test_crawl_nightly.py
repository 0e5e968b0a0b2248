"""The nightly chain's control flow and exit codes (the crawl step is faked; extract is real)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gongkai.crawl.nightly import NightlyPlan, NightlyReport, StepResult, release_available, run_nightly

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("codes, expected", [
    ([0, 0, 0], 0), ([0, 99, 0], 0), ([1, 0, 0], 1), ([0, 1, 0], 1), ([3], 3), ([0, 3], 3), ([2], 2),
    ([0, 0, 7], 3),
])
def test_exit_codes(codes: list[int], expected: int) -> None:
    report = NightlyReport([StepResult(name, code) for name, code in zip(["crawl", "extract", "release"], codes,
                                                                          strict=False)])
    assert report.exit_code() == expected


def test_fatal_crawl_stops_the_chain(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def fake(command: list[str]) -> int:
        calls.append(command)
        return 3

    report = run_nightly(NightlyPlan(tmp_path / "sites.yaml", tmp_path / "raw", tmp_path / "out"), run=fake)
    assert [s.name for s in report.steps] == ["crawl"] and report.exit_code() == 3
    assert calls[0][1:3] == ["-m", "gongkai.crawl"] and calls[0][-2:] == ["--out", str(tmp_path / "raw")]
    assert not (tmp_path / "out").exists()


def test_partial_crawl_still_extracts_and_skips_release(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DATA / "hb-zhuozhou-district-gov-2024.txt", raw)
    plan = NightlyPlan(tmp_path / "sites.yaml", raw, tmp_path / "out", release_to=tmp_path / "rel",
                       crawl_args=("--delay", "5"))
    calls: list[list[str]] = []

    def crawl_partial_then_release_ok(command: list[str]) -> int:
        calls.append(command)
        return 1 if "gongkai.crawl" in command else 0

    report = run_nightly(plan, run=crawl_partial_then_release_ok)
    assert [(s.name, s.exit_code) for s in report.steps[:1]] == [("crawl", 1)]
    assert report.steps[1].name == "extract" and report.steps[1].exit_code in {0, 1}
    assert report.steps[1].note.startswith("1 documents processed")
    assert report.steps[2].name == "release"
    assert release_available() and report.steps[2].exit_code == 0
    release = calls[-1]
    assert release[2:5] == ["gongkai.cli.app", "release", str(tmp_path / "out")]
    assert release[release.index("--to") + 1] == str(tmp_path / "rel")
    assert report.exit_code() == 1
    again = run_nightly(plan, run=lambda command: 0)  # nothing new (99) is a good night
    assert again.steps[1].exit_code == 99
    assert again.exit_code() == 0
