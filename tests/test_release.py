"""`gongkai release` on the samples plus a few hundred synthetic reports: values, formats, determinism."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from gongkai.release.build import SHEETS_ZH, ReleaseSummary, build_release
from gongkai.release.codebook import headers_zh
from gongkai.release.settings import ReleaseSettings
from tests.release_corpus import HONGZE, WUJIANG, ReleaseCorpus, extract, make_corpus

ROOT = Path(__file__).resolve().parents[1]
VERSION = "2026.12"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ReleaseCorpus:
    return make_corpus(tmp_path_factory.mktemp("release-in") / "in")


@pytest.fixture(scope="module")
def dataset(corpus: ReleaseCorpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract(corpus, tmp_path_factory.mktemp("release-ds") / "dataset")


@pytest.fixture(scope="module")
def release(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReleaseSummary]:
    out = tmp_path_factory.mktemp("release-out") / "release"
    return out, build_release(dataset, out, ReleaseSettings(version=VERSION))


def _parquet(release: tuple[Path, ReleaseSummary], name: str) -> pd.DataFrame:
    return pd.read_parquet(release[0] / "parquet" / f"{name}.parquet")


def test_huaian_sample_values_are_in_the_wide_tables(release: tuple[Path, ReleaseSummary]) -> None:
    apps = _parquet(release, "applications").set_index("report_key")
    review = _parquet(release, "review_litigation").set_index("report_key")
    row = apps.loc["320800/人民政府/2024"]  # 淮安市人民政府, gold values from tests/data/gold
    assert row["applications.new_received@total"] == 3119
    assert row["applications.result.granted@natural_person"] == 1288
    assert review.loc["320800/人民政府/2024", "review.total"] == 351
    assert row["body_name"] == "江苏省淮安市人民政府" and row["level"] == "市" and row["adcode"] == "320800"


def test_synthetic_values_match_their_truth(corpus: ReleaseCorpus, release: tuple[Path, ReleaseSummary]) -> None:
    cells = _parquet(release, "cells")
    sources = _parquet(release, "sources").set_index("source_path")
    checked = 0
    for path, truth in list(corpus.truths.items())[::40]:
        key = sources.loc[path, "report_key"]
        got = cells[cells["report_key"] == key].set_index("cell")["value"]
        for code, want in truth.values.items():
            assert (pd.isna(got[code]) and want is None) or got[code] == pytest.approx(want), (path, code)
            checked += 1
    assert checked > 1000


def test_two_spellings_of_one_body_are_one_logical_report(release: tuple[Path, ReleaseSummary]) -> None:
    reports = _parquet(release, "reports").set_index("report_key")
    year = HONGZE[2]
    key = f"320813/人民政府/{year}"
    assert reports.loc[key, "n_copies"] == 2
    assert reports.loc[key, "body_name"] == "江苏省淮安市洪泽区人民政府"
    sources = _parquet(release, "sources")
    copies = sources[sources["report_key"] == key]
    assert sorted(Path(p).name for p in copies["source_path"]) == ["hongze.html", "hongze.txt"]
    assert copies["chosen"].sum() == 1
    conflicts = _parquet(release, "conflicts")
    assert not (conflicts["report_key"] == key).any()  # same values in both copies


def test_copies_that_disagree_are_listed_as_conflicts(release: tuple[Path, ReleaseSummary]) -> None:
    conflicts = _parquet(release, "conflicts")
    key = f"320509/人民政府/{WUJIANG[1]}"
    mine = conflicts[conflicts["report_key"] == key].set_index("cell")
    assert set(mine.index) == {"review.upheld", "review.total"}
    assert set(mine["kind"]) == {"value_differs"}
    diff = (mine["other_value"] - mine["chosen_value"]).abs()
    assert list(diff) == [1.0, 1.0]


def test_the_better_copy_is_kept(release: tuple[Path, ReleaseSummary]) -> None:
    reports = _parquet(release, "reports").set_index("report_key")
    pingtan = reports.loc["350128/综合实验区/2019"]
    assert pingtan["n_copies"] == 2
    assert pingtan["format"] == "html" and pingtan["status"] == "ok"  # the text copy is partial
    sources = _parquet(release, "sources")
    legacy = sources[sources["source_path"].str.endswith("2018-legacy.txt")].iloc[0]
    # a pre-2019 report is a report (its legacy 统计表 is read): it has a logical report of its own
    assert legacy["report_key"] == "350128/综合实验区/2018" and legacy["status"] == "ok"


def test_every_wide_column_is_in_the_codebook(release: tuple[Path, ReleaseSummary]) -> None:
    codebook = _parquet(release, "codebook")
    described = set(zip(codebook["table"], codebook["column"], strict=True))
    for table in ("active", "applications", "review_litigation"):
        columns = pq.read_schema(release[0] / "parquet" / f"{table}.parquet").names
        assert len(columns) > 10
        assert {(table, c) for c in columns} <= described
    granted = codebook.set_index("column").loc["applications.result.granted@total"]
    assert granted["rules"] == "A2,A3" and granted["unit"] == "件"
    assert granted["label_en"].startswith("Applications, results: disclosed in full")


def test_it_opens_in_duckdb_pandas_and_openpyxl(release: tuple[Path, ReleaseSummary]) -> None:
    folder, summary = release
    n = summary.logical_reports
    with duckdb.connect(str(folder / f"gongkai-{VERSION}.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (n,)
        value = con.execute('SELECT "applications.new_received@total" FROM applications '
                            "WHERE report_key = '320800/人民政府/2024'").fetchone()
        assert value == (3119.0,)
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'cells' "
                              "AND column_name = 'flag'").fetchone()
        assert comment is not None and "blank" in comment[0]
    csv_bytes = (folder / "csv" / "reports.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(folder / "csv" / "reports.csv", encoding="utf-8-sig")
    assert len(frame) == n and frame.columns[0] == "report_key"
    workbook = openpyxl.load_workbook(folder / f"gongkai-{VERSION}.xlsx", read_only=True)
    assert workbook.sheetnames == list(SHEETS_ZH.values())
    sheet = workbook[SHEETS_ZH["applications"]]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == n + 1
    columns = pq.read_schema(folder / "parquet" / "applications.parquet").names
    assert list(rows[0]) == [headers_zh()[c] for c in columns]
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["320800/人民政府/2024"][columns.index("applications.new_received@total")] == 3119
    excel = pd.read_excel(folder / f"gongkai-{VERSION}.xlsx", sheet_name=SHEETS_ZH["review_litigation"])
    assert len(excel) == n


def test_frictionless_validate_passes(release: tuple[Path, ReleaseSummary]) -> None:
    tool = Path(sys.executable).parent / "frictionless"
    run = subprocess.run([str(tool), "validate", "--json", "datapackage.json"], cwd=release[0],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    assert run.returncode == 0 and report["valid"], run.stdout[-2000:]
    assert len(report["tasks"]) >= 12


def test_metadata_files(release: tuple[Path, ReleaseSummary]) -> None:
    folder, summary = release
    sums = dict(reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert "parquet/cells.parquet" in sums and "README.md" in sums and "SHA256SUMS" not in sums
    assert len(sums) == summary.files - 1
    citation = (folder / "CITATION.cff").read_text(encoding="utf-8")
    assert 'version: "2026.12"' in citation and "date-released: 2026-12-01" in citation
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert f"{summary.logical_reports} logical reports" in card and "plots/reports_per_year.png" in card
    for plot in ("reports_per_year.png", "application_outcomes.png", "check_failures.png"):
        assert (folder / "plots" / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_rebuild_is_byte_identical(dataset: Path, release: tuple[Path, ReleaseSummary], tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_release(dataset, again, ReleaseSettings(version=VERSION))
    first = (release[0] / "SHA256SUMS").read_text().splitlines()
    second = (again / "SHA256SUMS").read_text().splitlines()
    assert len(first) == len(second) > 25
    differ = [a.split("  ")[1] for a, b in zip(first, second, strict=True) if a != b]
    assert differ in ([], [f"gongkai-{VERSION}.duckdb"])  # DuckDB files are not byte-stable


def test_changelog_against_a_modified_previous_release(dataset: Path, release: tuple[Path, ReleaseSummary],
                                                       tmp_path: Path) -> None:
    previous = tmp_path / "previous"
    shutil.copytree(release[0], previous)
    reports = pd.read_parquet(previous / "parquet" / "reports.parquet")
    gone = "320800/人民政府/2024"
    ghost = reports.iloc[[0]].assign(report_key="999999/人民政府/2019")
    pd.concat([reports[reports["report_key"] != gone], ghost]).to_parquet(previous / "parquet" / "reports.parquet")
    apps = pd.read_parquet(previous / "parquet" / "applications.parquet")
    changed = "130681/人民政府/2024"
    apps.loc[apps["report_key"] == changed, "applications.new_received@total"] += 5
    apps.to_parquet(previous / "parquet" / "applications.parquet")
    json_path = previous / "datapackage.json"
    package = json.loads(json_path.read_text(encoding="utf-8"))
    json_path.write_text(json.dumps({**package, "version": "2026.06"}), encoding="utf-8")

    out = tmp_path / "new"
    summary = build_release(dataset, out, ReleaseSettings(version=VERSION, previous=previous))
    assert summary.changes is not None
    assert summary.changes.added == [gone] and summary.changes.removed == ["999999/人民政府/2019"]
    text = (out / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Compared with 2026.06" in text and "- reports added: 1" in text and "- reports removed: 1" in text
    changes = pd.read_parquet(out / "parquet" / "changes.parquet")
    row = changes[(changes["report_key"] == changed)].set_index("cell").loc["applications.new_received@total"]
    assert row["new_value"] == row["old_value"] - 5 and row["change"] == "value_changed"
    assert f"| {changed} | applications.new_received@total |" in text


def test_cli_release_and_its_exit_codes(dataset: Path, tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gongkai.cli.app", "release", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    not_a_dataset = cli(str(tmp_path), "--version", VERSION, "--to", str(tmp_path / "x"))
    assert not_a_dataset.returncode == 2 and "not a gongkai dataset" in not_a_dataset.stderr
    no_date = cli(str(dataset), "--version", "next", "--to", str(tmp_path / "x"))
    assert no_date.returncode == 2 and "release date" in no_date.stderr
    assert not (tmp_path / "x").exists()


def test_extra_dataset_columns_are_carried(dataset: Path, tmp_path: Path) -> None:
    """A `reasons` column in reports (issue 9) and crawl columns in sources reach the release."""
    changed = tmp_path / "dataset"
    shutil.copytree(dataset, changed)
    for part in (changed / "reports").glob("part-*.parquet"):
        frame = pd.read_parquet(part)
        frame["reasons"] = [["table_absent", "checks_failed"]] * len(frame)
        frame.to_parquet(part)
    sources = pd.read_parquet(changed / "sources.parquet")
    sources["url"] = "https://www.example.gov.cn/" + sources["source_path"].map(lambda p: Path(p).name)
    sources["fetched_at"] = pd.Timestamp("2026-11-30T08:00:00Z")
    sources.to_parquet(changed / "sources.parquet")
    out = tmp_path / "release"
    build_release(changed, out, ReleaseSettings(version=VERSION))
    reports = pd.read_parquet(out / "parquet" / "reports.parquet")
    assert {tuple(r) for r in reports["reasons"]} == {("table_absent", "checks_failed")}
    csv_reports = pd.read_csv(out / "csv" / "reports.csv", encoding="utf-8-sig")
    assert set(csv_reports["reasons"]) == {"table_absent;checks_failed"}  # lists joined for CSV
    released = pd.read_parquet(out / "parquet" / "sources.parquet").set_index("source_path")
    some = released.index[0]
    assert released.loc[some, "url"].endswith(Path(some).name)
    assert str(released.loc[some, "fetched_at"]).startswith("2026-11-30 08:00")
    csv = pd.read_csv(out / "csv" / "sources.csv", encoding="utf-8-sig")
    assert csv["fetched_at"].iloc[0] == "2026-11-30T08:00:00Z"
