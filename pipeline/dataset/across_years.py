"""Checks across years for one body (docs/output.md § checks_across_years).

Two equations tie a body's report of year y to its report of year y−1:

- **Y1** for every table-三 column: ``applications.carried_forward`` of y−1 (结转下年度继续办理) =
  ``applications.carried_over_in`` of y (上年结转政府信息公开申请数量);
- **Y2** for 规章 and 行政规范性文件 (F2021 table 二): ``in_force`` of y−1 + ``issued`` of y −
  ``repealed`` of y = ``in_force`` of y.

:func:`checks_across_years` is a pure function over :class:`BodyYear` records: the body key is an
input (the release decides body identity); :func:`body_key_of_issuer` is a simple fallback (the
issuer as printed, normalised). When exactly one input of an equation is an ambiguous cell (digits
that ran together, see form.md § Reading a cell) and exactly one of its candidate values satisfies
the equation, the check passes with that value and reports it as resolved: the caller sets it on
the cell with flag ``resolved_across_years``. Nothing is resolved when two candidates fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from gongkai.extractors.tables.splitting import SlotSpec, TooManyReadings, split_candidates
from gongkai.model.result import CellValue, CheckStatus, ReportResult
from gongkai.schemas.codes import APPLICANT_COLUMNS
from gongkai.schemas.tables import CHECKS_ACROSS_YEARS_SCHEMA

RESOLVED_ACROSS_YEARS = "resolved_across_years"
TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class BodyYear:
    """One report of a body: its year, its cells, and the candidate values of its ambiguous cells."""

    body: str
    year: int
    report_id: str
    cells: Mapping[str, CellValue]
    candidates: Mapping[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Term:
    before: bool  # the cell is read in year y−1 (else in year y)
    code: str
    sign: float = 1.0


@dataclass(frozen=True, slots=True)
class YearRule:
    rule: str
    scope: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class AcrossYearsCheck:
    body: str
    rule: str
    scope: str
    year: int
    report_id_before: str
    report_id: str
    lhs: float | None
    rhs: float | None
    status: CheckStatus
    cells: tuple[str, ...]
    resolved_cell: str | None = None  # "<year>:<code>"
    resolved_value: float | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """An ambiguous cell the neighbouring year fixes: set ``value`` with flag resolved_across_years."""

    report_id: str
    cell: str
    value: float


def _rules() -> tuple[YearRule, ...]:
    out = [YearRule("Y1", column, (Term(True, f"applications.carried_forward@{column}"),),
                    (Term(False, f"applications.carried_over_in@{column}"),))
           for column in APPLICANT_COLUMNS]
    for kind in ("regulations", "normative_docs"):
        out.append(YearRule("Y2", kind,
                            (Term(True, f"active.{kind}.in_force"), Term(False, f"active.{kind}.issued"),
                             Term(False, f"active.{kind}.repealed", -1.0)),
                            (Term(False, f"active.{kind}.in_force"),)))
    return tuple(out)


YEAR_RULES: tuple[YearRule, ...] = _rules()


def body_key_of_issuer(issuer: str | None) -> str | None:
    """Fallback body key: the issuer NFKC-normalised, without spaces and punctuation."""
    if not issuer:
        return None
    text = unicodedata.normalize("NFKC", issuer)
    return re.sub(r"[\s\W_]+", "", text) or None


def _label(term: Term, year: int) -> str:
    return f"{year - 1 if term.before else year}:{term.code}"


def _check(rule: YearRule, before: BodyYear, after: BodyYear) -> AcrossYearsCheck | None:
    terms = (*rule.lhs, *rule.rhs)
    pick = {id(t): (before if t.before else after) for t in terms}
    if any(t.code not in pick[id(t)].cells for t in terms):
        return None  # a layout without these cells (F2019 table 二, a pre-2019 report)
    labels = tuple(_label(t, after.year) for t in terms)
    known = {id(t): pick[id(t)].cells[t.code].value for t in terms}
    unknown = [t for t in terms if known[id(t)] is None]

    def sides(values: Mapping[int, float | None]) -> tuple[float, float]:
        lhs = sum(t.sign * (values[id(t)] or 0.0) for t in rule.lhs)
        rhs = sum(t.sign * (values[id(t)] or 0.0) for t in rule.rhs)
        return lhs, rhs

    def make(lhs: float | None, rhs: float | None, status: CheckStatus,
             resolved: tuple[str, float] | None = None) -> AcrossYearsCheck:
        return AcrossYearsCheck(after.body, rule.rule, rule.scope, after.year, before.report_id,
                                after.report_id, lhs, rhs, status, labels,
                                resolved[0] if resolved else None, resolved[1] if resolved else None)

    if not unknown:
        lhs, rhs = sides(known)
        return make(lhs, rhs, CheckStatus.PASS if abs(lhs - rhs) <= TOLERANCE else CheckStatus.FAIL)
    if len(unknown) == 1:
        term = unknown[0]
        fitting = []
        for candidate in pick[id(term)].candidates.get(term.code, ()):
            lhs, rhs = sides({**known, id(term): candidate})
            if abs(lhs - rhs) <= TOLERANCE:
                fitting.append((candidate, lhs, rhs))
        if len(fitting) == 1:
            value, lhs, rhs = fitting[0]
            return make(lhs, rhs, CheckStatus.PASS, (_label(term, after.year), value))
    return make(None, None, CheckStatus.NOT_ASSESSABLE)


def checks_across_years(series: Iterable[BodyYear],
                        rules: Sequence[YearRule] = YEAR_RULES) -> tuple[list[AcrossYearsCheck], list[Resolution]]:
    """Every rule on every pair of reports of the same body in consecutive years; and what they resolve.

    A body with two reports for one year (the same report in two formats) has every pair checked.
    A cell resolved by two checks to two different values is not resolved at all.
    """
    by_body: dict[str, dict[int, list[BodyYear]]] = {}
    for record in series:
        by_body.setdefault(record.body, {}).setdefault(record.year, []).append(record)
    checks: list[AcrossYearsCheck] = []
    for body in sorted(by_body):
        years = by_body[body]
        for year in sorted(years):
            for before, after in product(years.get(year - 1, []), years[year]):
                for rule in rules:
                    check = _check(rule, before, after)
                    if check is not None:
                        checks.append(check)
    proposed: dict[tuple[str, str], set[float]] = {}
    for check in checks:
        if check.resolved_cell is not None and check.resolved_value is not None:
            printed_year, _, code = check.resolved_cell.partition(":")
            report = check.report_id_before if int(printed_year) == check.year - 1 else check.report_id
            proposed.setdefault((report, code), set()).add(check.resolved_value)
    resolutions = [Resolution(report, code, values.pop()) for (report, code), values in sorted(proposed.items())
                   if len(values) == 1]
    return checks, resolutions


# ------------------------------------------------------------------ from results and datasets

_RUN_PART = re.compile(r"run '(?P<run>[^']*)' part (?P<i>\d+)/(?P<n>\d+)")


def candidates_of(cell: CellValue, limit: int = 20_000) -> tuple[float, ...]:
    """The values an ambiguous split-run cell can take: every cut of its run, this cell's part.

    Only the row's own digit run is used (no row sums), so this is a superset of the readings the
    extractor kept (readings with blank cells included); resolution still needs exactly one of them
    to fit the neighbouring year.
    """
    if cell.flag != "ambiguous":
        return ()
    match = _RUN_PART.search(cell.locator)
    if match is None:
        return ()
    index, count = int(match.group("i")) - 1, int(match.group("n"))
    try:
        readings = split_candidates(match.group("run"), [SlotSpec()] * count, (), limit, blanks=True)
    except TooManyReadings:
        return ()
    values = {reading[index] for reading in readings}
    if None in values:
        # the cell may have been printed blank (a blank leaves no trace in a run). A blank counts as 0
        # in the rules, so where the neighbouring year calls for 0 a printed 0 and a blank both fit:
        # 0 is then no candidate (never set 0 where the report may have left the cell blank)
        values.discard(None)
        values.discard(0.0)
    return tuple(sorted(v for v in values if v is not None))


def series_from_results(results: Iterable[ReportResult],
                        body_of: Callable[[ReportResult], str | None] | None = None) -> list[BodyYear]:
    """BodyYear records of reports with a year and a body key (``body_of``, else the issuer fallback)."""
    key = body_of or (lambda r: body_key_of_issuer(r.issuer))
    out: list[BodyYear] = []
    wanted = {t.code for rule in YEAR_RULES for t in (*rule.lhs, *rule.rhs)}
    for result in results:
        body = key(result)
        if body is None or result.year is None or not result.cells:
            continue
        cells = result.cell_map()
        candidates = {code: candidates_of(cells[code]) for code in wanted if code in cells}
        out.append(BodyYear(body, result.year, result.report_id, cells,
                            {code: values for code, values in candidates.items() if values}))
    return out


def apply_resolutions(results: Iterable[ReportResult], resolutions: Iterable[Resolution]) -> int:
    """Set each resolved value on its cell with flag resolved_across_years; returns how many were set."""
    todo = {(r.report_id, r.cell): r.value for r in resolutions}
    done = 0
    for result in results:
        for cell in result.cells:
            value = todo.get((result.report_id, cell.cell))
            if value is not None and cell.value is None and cell.flag == "ambiguous":
                cell.value, cell.flag = value, RESOLVED_ACROSS_YEARS
                done += 1
    return done


def checks_table(checks: Sequence[AcrossYearsCheck]) -> pa.Table:
    """The ``checks_across_years`` table (schema CHECKS_ACROSS_YEARS_SCHEMA)."""
    return pa.Table.from_pydict({
        "body": [c.body for c in checks], "rule": [c.rule for c in checks], "scope": [c.scope for c in checks],
        "year": [c.year for c in checks], "report_id_before": [c.report_id_before for c in checks],
        "report_id": [c.report_id for c in checks], "lhs": [c.lhs for c in checks],
        "rhs": [c.rhs for c in checks], "status": [str(c.status) for c in checks],
        "cells": [",".join(c.cells) for c in checks], "resolved_cell": [c.resolved_cell for c in checks],
        "resolved_value": [c.resolved_value for c in checks],
    }, schema=CHECKS_ACROSS_YEARS_SCHEMA)


# the cells the rules Y1/Y2 use
_WANTED: list[str] = sorted({t.code for rule in YEAR_RULES for t in (*rule.lhs, *rule.rhs)})


def series_from_dataset(out_dir: Path, body_of: Mapping[str, str] | None = None) -> list[BodyYear]:
    """BodyYear records from a dataset folder written by ``gongkai extract`` (reports + cells).

    ``body_of`` maps report_id → body key (the release's identity); reports it does not name fall
    back to their normalised issuer. Only the cells the rules use are read.
    """
    reports = ds.dataset(out_dir / "reports", format="parquet").to_table(columns=["report_id", "issuer", "year"])
    cells = ds.dataset(out_dir / "cells", format="parquet").to_table(
        columns=["report_id", "cell", "value", "raw", "flag", "locator"], filter=pc.field("cell").isin(_WANTED))
    return series_from_tables(reports, cells, body_of)


def series_from_tables(reports_table: pa.Table, cells_table: pa.Table,
                       body_of: Mapping[str, str] | None = None) -> list[BodyYear]:
    """BodyYear records from tables already read (the ``reports`` and ``cells`` of a dataset;
    dictionary-encoded columns are fine). See :func:`series_from_dataset`."""
    reports = reports_table.select(["report_id", "issuer", "year"]).to_pylist()
    mask = pc.is_in(cells_table["cell"], value_set=pa.array(_WANTED, pa.string()))  # dictionary-encoded too
    wanted = cells_table.filter(mask).select(["report_id", "cell", "value", "raw", "flag", "locator"])
    # decode dictionary columns in Arrow first: converting them element by element is far slower
    columns = {name: (column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column)
               .to_pylist() for name, column in zip(wanted.column_names, wanted.columns, strict=True)}
    by_report: dict[str, dict[str, CellValue]] = {}
    for rid, code, value, raw, flag, locator in zip(*columns.values(), strict=True):
        by_report.setdefault(rid, {})[code] = CellValue("", code, value, "", raw or "", flag, None, locator or "")
    out: list[BodyYear] = []
    for report in reports:
        rid = report["report_id"]
        body = (body_of or {}).get(rid) or body_key_of_issuer(report["issuer"])
        if body is None or report["year"] is None or rid not in by_report:
            continue
        mine = by_report[rid]
        candidates = {code: candidates_of(cell) for code, cell in mine.items()}
        out.append(BodyYear(body, int(report["year"]), rid, mine,
                            {code: values for code, values in candidates.items() if values}))
    return out
