"""Arithmetic rules (勾稽关系, docs/form.md § Rules), evaluated on every report.

The rules and their equations come from ONE catalog, :mod:`gongkai.schemas.rules`.
``run_checks`` returns one CheckResult per equation (A1/A2 per 三 column, A3 per 三 row, A4–A6
once): ``pass``, ``fail``, or ``not_assessable`` when an input cell is null (a blank is not read
as zero).
"""

from __future__ import annotations

from gongkai.model.result import CellValue, CheckResult, CheckStatus
from gongkai.schemas.rules import RULES, equations

__all__ = ["RULES", "TOLERANCE", "run_checks"]

TOLERANCE = 1e-6
_PASS, _FAIL, _NOT_ASSESSABLE = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_ASSESSABLE


def run_checks(cells: list[CellValue], template: str) -> list[CheckResult]:
    layout = template if template in ("F2021", "F2019") else "F2021"
    values = {c.cell: c.value for c in cells}  # (the last cell of a code counts)
    number = {code: value for code, value in values.items() if value is not None}.__getitem__
    out: list[CheckResult] = []
    for eq in equations(layout):
        try:  # a null or missing input cell (KeyError) makes the equation not assessable
            lhs = float(sum(map(number, eq.lhs)))
            rhs = float(sum(map(number, eq.rhs)))
        except KeyError:
            out.append(CheckResult(eq.rule, eq.scope, None, None, _NOT_ASSESSABLE, [*eq.lhs, *eq.rhs]))
            continue
        status = _PASS if abs(lhs - rhs) <= TOLERANCE else _FAIL
        out.append(CheckResult(eq.rule, eq.scope, lhs, rhs, status, [*eq.lhs, *eq.rhs]))
    return out
