"""Arithmetic rules (勾稽关系, docs/form.md § Rules), evaluated on every report.

The catalog :data:`RULES` gives each rule a stable id and meaning. ``run_checks`` returns one
CheckResult per rule and scope (A1/A2 per T3 column, A3 per T3 row, A4–A6 once): ``pass``,
``fail``, or ``not_assessable`` when an input cell is null (a blank is not read as zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from gongkai.model.result import CellValue, CheckResult, CheckStatus
from gongkai.schemas.layouts import T3_COLUMNS, t3_leaves, t3_rows

TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Rule:
    rule: str
    description: str


RULES: dict[str, Rule] = {
    "A1": Rule("A1", "三, each column: 本年新收 + 上年结转 = （七）总计 + 结转下年度 (printed in the table's corner)"),
    "A2": Rule("A2", "三, each column: （七）总计 = sum of the result rows （一）…（六）"),
    "A3": Rule("A3", "三, each row: 总计 column = 自然人 + the five 法人或其他组织 columns"),
    "A4": Rule("A4", "四: 行政复议 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
    "A5": Rule("A5", "四: 未经复议直接起诉 总计 = the sum of its four results"),
    "A6": Rule("A6", "四: 复议后起诉 总计 = the sum of its four results"),
}


def _evaluate(rule: str, scope: str, lhs_codes: Sequence[str], rhs_codes: Sequence[str],
              values: dict[str, float | None]) -> CheckResult:
    involved = [*lhs_codes, *rhs_codes]
    inputs = [values.get(code) for code in involved]
    if any(v is None for v in inputs):
        return CheckResult(rule, scope, None, None, CheckStatus.NOT_ASSESSABLE, involved)
    lhs = sum(float(values[c] or 0) for c in lhs_codes)
    rhs = sum(float(values[c] or 0) for c in rhs_codes)
    status = CheckStatus.PASS if abs(lhs - rhs) <= TOLERANCE else CheckStatus.FAIL
    return CheckResult(rule, scope, lhs, rhs, status, involved)


@cache
def _rule_specs(layout: str) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(rule, scope, lhs codes, rhs codes) of every check of a layout (built once per layout)."""
    specs: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
    leaves = t3_leaves(layout)
    for col in T3_COLUMNS:
        specs.append(("A1", col,
                      (f"applications.new_received@{col}", f"applications.carried_over_in@{col}"),
                      (f"applications.result.total@{col}", f"applications.carried_forward@{col}")))
    for col in T3_COLUMNS:
        specs.append(("A2", col, (f"applications.result.total@{col}",), tuple(f"{leaf}@{col}" for leaf in leaves)))
    for row in t3_rows(layout):
        specs.append(("A3", row, (f"{row}@total",), tuple(f"{row}@{c}" for c in T3_COLUMNS[:-1])))
    for rule, group in (("A4", "review"), ("A5", "litigation.direct"), ("A6", "litigation.after_review")):
        parts = tuple(f"{group}.{leaf}" for leaf in ("upheld", "corrected", "other", "pending"))
        specs.append((rule, group, (f"{group}.total",), parts))
    return tuple(specs)


def run_checks(cells: list[CellValue], template: str) -> list[CheckResult]:
    layout = template if template in ("F2021", "F2019") else "F2021"
    values = {c.cell: c.value for c in cells}
    return [_evaluate(rule, scope, lhs, rhs, values) for rule, scope, lhs, rhs in _rule_specs(layout)]
