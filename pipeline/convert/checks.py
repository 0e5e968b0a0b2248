"""Arithmetic rules (勾稽关系, docs/form.md § Rules), evaluated on every report.

The rules and their equations come from ONE catalog, :mod:`gongkai.schemas.rules`.
``run_checks`` returns one CheckResult per equation (A1/A2 per 三 column, A3 per 三 row, A4–A6
once): ``pass``, ``fail``, or ``not_assessable`` when an input cell is null (a blank is not read
as zero).
"""

from __future__ import annotations

from functools import cache

from gongkai.model.result import CellValue, CheckResult, CheckStatus
from gongkai.schemas.rules import RULES, Equation, equations

__all__ = ["RULES", "TOLERANCE", "run_checks"]

TOLERANCE = 1e-6
_PASS, _FAIL, _NOT_ASSESSABLE = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_ASSESSABLE


@cache
def _equations(layout: str) -> tuple[tuple[Equation, tuple[str, ...], frozenset[str]], ...]:
    """Each equation of ``layout`` with its cells in order (lhs then rhs) and as a set."""
    return tuple((eq, eq.codes, frozenset(eq.codes)) for eq in equations(layout))


def run_checks(cells: list[CellValue], template: str) -> list[CheckResult]:
    layout = template if template in ("F2021", "F2019") else "F2021"
    values = {c.cell: c.value for c in cells}  # (the last cell of a code counts)
    numbers = {code: value for code, value in values.items() if value is not None}
    known, number = numbers.keys(), numbers.__getitem__
    out: list[CheckResult] = []
    for eq, codes, needed in _equations(layout):
        if known >= needed:  # every input is a number
            lhs = float(sum(map(number, eq.lhs)))
            rhs = float(sum(map(number, eq.rhs)))
            status = _PASS if abs(lhs - rhs) <= TOLERANCE else _FAIL
            out.append(CheckResult(eq.rule, eq.scope, lhs, rhs, status, list(codes)))
        else:
            out.append(CheckResult(eq.rule, eq.scope, None, None, _NOT_ASSESSABLE, list(codes)))
    return out
