"""Arithmetic rules (勾稽关系, docs/form.md § Rules), evaluated on every report.

The rules and their equations come from ONE catalog, :mod:`gongkai.schemas.rules`.
``run_checks`` returns one CheckResult per equation (A1/A2 per 三 column, A3 per 三 row, A4–A6
once): ``pass``, ``fail``, or ``not_assessable`` when an input cell is null (a blank is not read
as zero).
"""

from __future__ import annotations

from typing import cast

from gongkai.model.result import CellValue, CheckResult, CheckStatus
from gongkai.schemas.rules import RULES, Equation, equations

__all__ = ["RULES", "TOLERANCE", "run_checks"]

TOLERANCE = 1e-6


def _evaluate(eq: Equation, values: dict[str, float | None]) -> CheckResult:
    lhs_values = list(map(values.get, eq.lhs))
    rhs_values = list(map(values.get, eq.rhs))
    if None in lhs_values or None in rhs_values:
        return CheckResult(eq.rule, eq.scope, None, None, CheckStatus.NOT_ASSESSABLE, [*eq.lhs, *eq.rhs])
    lhs = float(sum(cast(list[float], lhs_values)))  # all numbers (checked above)
    rhs = float(sum(cast(list[float], rhs_values)))
    status = CheckStatus.PASS if abs(lhs - rhs) <= TOLERANCE else CheckStatus.FAIL
    return CheckResult(eq.rule, eq.scope, lhs, rhs, status, [*eq.lhs, *eq.rhs])


def run_checks(cells: list[CellValue], template: str) -> list[CheckResult]:
    layout = template if template in ("F2021", "F2019") else "F2021"
    values = {c.cell: c.value for c in cells}
    return [_evaluate(eq, values) for eq in equations(layout)]
