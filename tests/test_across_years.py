"""Checks across years for one body (issue 13): a synthetic body series, and the samples."""

from __future__ import annotations

import copy
from pathlib import Path

import pyarrow.parquet as pq

from gongkai.convert.stages import extract_file
from gongkai.dataset.across_years import (
    AcrossYearsCheck,
    BodyYear,
    apply_resolutions,
    body_key_of_issuer,
    candidates_of,
    checks_across_years,
    checks_table,
    series_from_dataset,
    series_from_results,
)
from gongkai.model.result import CellValue
from gongkai.schemas.codes import APPLICANT_COLUMNS
from gongkai.schemas.tables import build_table, rows_for
from tests.test_samples_snapshots import DATA


def _cell(code: str, value: float | None, flag: str | None = None, locator: str = "") -> CellValue:
    return CellValue("x", code, value, "件", "", flag, None, locator)


def _year(body: str, year: int, rid: str, in_force: float | None, issued: float, repealed: float,
          carried_in: float, carried_out: float, candidates: dict[str, tuple[float, ...]] | None = None) -> BodyYear:
    cells = [_cell("active.regulations.in_force", in_force, None if in_force is not None else "ambiguous"),
             _cell("active.regulations.issued", issued), _cell("active.regulations.repealed", repealed)]
    for column in APPLICANT_COLUMNS:
        total = column == "total"
        cells.append(_cell(f"applications.carried_over_in@{column}", carried_in if total else 0))
        cells.append(_cell(f"applications.carried_forward@{column}", carried_out if total else 0))
    return BodyYear(body, year, rid, {c.cell: c for c in cells}, candidates or {})


def _by(checks: list[AcrossYearsCheck], rule: str, scope: str, year: int) -> list[AcrossYearsCheck]:
    return [c for c in checks if (c.rule, c.scope, c.year) == (rule, scope, year)]


def test_a_synthetic_body_series() -> None:
    series = [
        _year("县政府", 2021, "r21", in_force=40, issued=5, repealed=2, carried_in=3, carried_out=7),
        _year("县政府", 2022, "r22", in_force=45, issued=8, repealed=3, carried_in=7, carried_out=4),
        _year("县政府", 2023, "r23", in_force=50, issued=6, repealed=0, carried_in=5, carried_out=0),
        _year("市政府", 2022, "m22", in_force=10, issued=1, repealed=0, carried_in=0, carried_out=0),
    ]
    checks, resolved = checks_across_years(series)
    assert resolved == []
    assert len(checks) == 2 * (len(APPLICANT_COLUMNS) + 1)  # 2021→22, 2022→23; regulations only
    y2 = _by(checks, "Y2", "regulations", 2022)[0]
    assert (y2.lhs, y2.rhs, str(y2.status)) == (40 + 8 - 3, 45, "pass")
    assert y2.report_id_before == "r21" and y2.report_id == "r22"
    assert y2.cells == ("2021:active.regulations.in_force", "2022:active.regulations.issued",
                        "2022:active.regulations.repealed", "2022:active.regulations.in_force")
    bad = _by(checks, "Y2", "regulations", 2023)[0]
    assert (bad.lhs, bad.rhs, str(bad.status)) == (45 + 6 - 0, 50, "fail")
    assert str(_by(checks, "Y1", "total", 2022)[0].status) == "pass"
    carried = _by(checks, "Y1", "total", 2023)[0]  # 4 carried forward, 5 carried over in
    assert (carried.lhs, carried.rhs, str(carried.status)) == (4, 5, "fail")
    assert not [c for c in checks if c.body == "市政府"]  # one year: nothing to compare
    table = checks_table(checks)
    assert table.num_rows == len(checks) and table.column("status").to_pylist().count("fail") == 2


def test_an_ambiguous_digit_with_one_reading_consistent_with_the_year_before() -> None:
    # 2022's in_force was a dump run whose cut leaves 45 or 4 or 5: only 45 = 40 + 8 − 3
    series = [
        _year("县政府", 2021, "r21", in_force=40, issued=5, repealed=2, carried_in=3, carried_out=7),
        _year("县政府", 2022, "r22", in_force=None, issued=8, repealed=3, carried_in=7, carried_out=4,
              candidates={"active.regulations.in_force": (4.0, 5.0, 45.0)}),
    ]
    checks, resolved = checks_across_years(series)
    check = _by(checks, "Y2", "regulations", 2022)[0]
    assert str(check.status) == "pass" and check.resolved_cell == "2022:active.regulations.in_force"
    assert check.resolved_value == 45.0
    assert [(r.report_id, r.cell, r.value) for r in resolved] == [("r22", "active.regulations.in_force", 45.0)]


def test_no_reading_or_two_unknowns_resolve_nothing() -> None:
    series = [
        _year("县政府", 2021, "r21", in_force=40, issued=5, repealed=2, carried_in=3, carried_out=7),
        _year("县政府", 2022, "r22", in_force=None, issued=8, repealed=3, carried_in=7, carried_out=4,
              candidates={"active.regulations.in_force": (4.0, 5.0, 45.0)}),
        _year("县政府", 2023, "r23", in_force=None, issued=0, repealed=0, carried_in=4, carried_out=0,
              candidates={"active.regulations.in_force": (45.0, 46.0)}),
    ]
    checks, resolved = checks_across_years(series)
    later = _by(checks, "Y2", "regulations", 2023)[0]
    assert str(later.status) == "not_assessable" and later.resolved_cell is None  # both years unknown
    assert [r.report_id for r in resolved] == ["r22"]  # only the pair with one unknown resolves
    series[1] = _year("县政府", 2022, "r22", in_force=None, issued=8, repealed=3, carried_in=7, carried_out=4,
                      candidates={"active.regulations.in_force": (4.0, 5.0)})
    checks, resolved = checks_across_years(series)
    assert resolved == [] and str(_by(checks, "Y2", "regulations", 2022)[0].status) == "not_assessable"


def test_body_key_fallback_normalises_the_issuer() -> None:
    assert body_key_of_issuer("平潭综合实验区 ") == body_key_of_issuer("平潭综合实验区") == "平潭综合实验区"
    assert body_key_of_issuer("上海市人民政府办公厅（市政府）") == "上海市人民政府办公厅市政府"
    assert body_key_of_issuer(None) is None and body_key_of_issuer("（）") is None


def test_candidates_of_a_split_run_cell() -> None:
    cell = _cell("active.regulations.in_force", None, "ambiguous", "line 3 run '1234' part 2/2")
    assert candidates_of(cell) == (4.0, 34.0, 234.0)  # the second part of 123|4, 12|34, 1|234
    assert candidates_of(_cell("a", 5.0)) == ()


def test_on_the_samples() -> None:
    names = ["fj-pingtan-zone-gov-2018-legacy.txt", "fj-pingtan-zone-gov-2019.html",
             "fj-pingtan-zone-gov-2019.txt", "hb-zhuozhou-district-gov-2024.txt",
             "js-huaian-city-gov-2024.pdf", "sh-municipal-gov-office-2019.html"]
    results = [extract_file(DATA / name) for name in names]
    series = series_from_results(results)
    bodies = {(b.body, b.year) for b in series}
    assert ("平潭综合实验区", 2018) in bodies and ("平潭综合实验区", 2019) in bodies
    checks, resolved = checks_across_years(series)
    # the only neighbouring years are Pingtan 2018 (PRE2019: no national cells) → 2019: nothing to check
    assert checks == [] and resolved == []
    # a stand-in for Zhuozhou's 2023 report whose carried-forward matches 2024's carried-over-in
    zhuozhou = next(r for r in results if r.source_name.startswith("hb-zhuozhou"))
    before = copy.deepcopy(zhuozhou)
    before.report_id, before.year = "zhuozhou-2023", 2023
    cells = zhuozhou.cell_map()
    for cell in before.cells:
        if cell.cell.startswith("applications.carried_forward@"):
            cell.value = cells[cell.cell.replace("carried_forward", "carried_over_in")].value
    checks, resolved = checks_across_years(series_from_results([before, zhuozhou]))
    y1 = [c for c in checks if c.rule == "Y1"]
    assert len(y1) == 7 and all(str(c.status) == "pass" for c in y1)
    assert {c.scope for c in checks if c.rule == "Y2"} == {"regulations", "normative_docs"}
    assert apply_resolutions([before, zhuozhou], resolved) == 0


def test_from_a_dataset_folder(tmp_path: Path) -> None:
    zhuozhou = extract_file(DATA / "hb-zhuozhou-district-gov-2024.txt")
    before = copy.deepcopy(zhuozhou)
    before.report_id, before.year = "zhuozhou-2023", 2023
    for cell in before.cells:
        if cell.cell == "active.normative_docs.in_force":
            cell.value = None
            cell.flag, cell.locator = "ambiguous", "line 9 run '1228' part 3/3"  # 1|2|28, 1|22|8, 12|2|8
    for result in (before, zhuozhou):
        rows = rows_for(result)
        (tmp_path / "reports").mkdir(exist_ok=True)
        pq.write_table(build_table("reports", rows["reports"]), tmp_path / "reports" / f"part-{result.year}.parquet")
        folder = tmp_path / "cells" / f"year={result.year}"
        folder.mkdir(parents=True)
        pq.write_table(build_table("cells", rows["cells"]), folder / "part-a.parquet")
    series = series_from_dataset(tmp_path)
    assert sorted((b.body, b.year) for b in series) == [("涿州区人民政府", 2023), ("涿州区人民政府", 2024)]
    checks, resolved = checks_across_years(series)
    docs = _by(checks, "Y2", "normative_docs", 2024)[0]
    # 2024 prints in force 30, issued 5, repealed 3: 2023's in force must be 30 − 5 + 3 = 28, not 8
    assert (docs.lhs, docs.rhs, str(docs.status)) == (28 + 5 - 3, 30, "pass")
    assert (docs.resolved_cell, docs.resolved_value) == ("2023:active.normative_docs.in_force", 28.0)
    assert [(r.report_id, r.cell, r.value) for r in resolved] == [("zhuozhou-2023", "active.normative_docs.in_force", 28.0)]
    assert apply_resolutions([before], resolved) == 1
    fixed = before.cell_map()["active.normative_docs.in_force"]
    assert (fixed.value, fixed.flag) == (28.0, "resolved_across_years")
