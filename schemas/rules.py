"""The arithmetic rules of the national form (勾稽关系, docs/form.md § Rules): ONE catalog.

Every rule is a set of equations ``Σ lhs codes = Σ rhs codes`` over canonical cell codes.
Both users of the rules derive what they need from :func:`equations`:

- the checks (``gongkai.convert.checks``) evaluate every equation on every report;
- table binding (``gongkai.extractors.tables``) uses the same equations to split digits that
  run together in a dump: row sums (A3 for 三, A4–A6 for 四) and column rules (A1, A2 for 三).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gongkai.schemas.codes import APPLICANT_COLUMNS
from gongkai.schemas.layouts import t3_leaves, t3_rows

LAYOUTS: tuple[str, ...] = ("F2021", "F2019")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the catalog; ``rule`` is its stable id (A1 …)."""

    rule: str
    table: str  # the form table whose cells it relates
    description: str


@dataclass(frozen=True, slots=True)
class Equation:
    """One instance of a rule: Σ ``lhs`` = Σ ``rhs`` (cell codes), applied to ``scope``."""

    rule: str
    scope: str  # the column (A1, A2), row (A3) or group (A4–A6) it is applied to
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return (*self.lhs, *self.rhs)


RULES: dict[str, Rule] = {r.rule: r for r in (
    Rule("A1", "applications",
         "三, each column: 本年新收 + 上年结转 = （七）总计 + 结转下年度 (printed in the table's corner)"),
    Rule("A2", "applications", "三, each column: （七）总计 = sum of the result rows （一）…（六）"),
    Rule("A3", "applications", "三, each row: 总计 column = 自然人 + the five 法人或其他组织 columns"),
    Rule("A4", "review_litigation", "四: 行政复议 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
    Rule("A5", "review_litigation", "四: 未经复议直接起诉 总计 = the sum of its four results"),
    Rule("A6", "review_litigation", "四: 复议后起诉 总计 = the sum of its four results"),
)}

# 四's three groups, in printed order, with the rule that sums each
T4_GROUP_RULES: tuple[tuple[str, str], ...] = (
    ("A4", "review"), ("A5", "litigation.direct"), ("A6", "litigation.after_review"))
_T4_LEAVES: tuple[str, ...] = ("upheld", "corrected", "other", "pending")


@cache
def equations(layout: str) -> tuple[Equation, ...]:
    """Every equation of every rule in ``layout`` (F2021 or F2019), in catalog order."""
    out: list[Equation] = []
    leaves = t3_leaves(layout)
    for col in APPLICANT_COLUMNS:
        out.append(Equation("A1", col,
                            (f"applications.new_received@{col}", f"applications.carried_over_in@{col}"),
                            (f"applications.result.total@{col}", f"applications.carried_forward@{col}")))
    for col in APPLICANT_COLUMNS:
        out.append(Equation("A2", col, (f"applications.result.total@{col}",),
                            tuple(f"{leaf}@{col}" for leaf in leaves)))
    for row in t3_rows(layout):
        out.append(Equation("A3", row, (f"{row}@total",), tuple(f"{row}@{c}" for c in APPLICANT_COLUMNS[:-1])))
    for rule, group in T4_GROUP_RULES:
        out.append(Equation(rule, group, (f"{group}.total",), tuple(f"{group}.{leaf}" for leaf in _T4_LEAVES)))
    return tuple(out)


def rules_of_cell(code: str) -> tuple[str, ...]:
    """The rule ids whose equations involve ``code`` in either layout (codebooks, docs)."""
    found = {eq.rule for layout in LAYOUTS for eq in equations(layout) if code in eq.codes}
    return tuple(sorted(found))


def split_code(code: str) -> tuple[str, str]:
    """``row@column`` → (row, column); a code without ``@`` has column ``""``."""
    row, _, col = code.partition("@")
    return row, col

