"""The canonical cell codes (``cell_codes.csv``): the public names of our data.

``CELL_CODES`` lists every code with its table, the templates it belongs to, labels and unit.
``codes_for(table, template)`` gives the ordered codes a table has in a layout. The headline
numbers of the pre-2019 统计表 have their own file, ``legacy_codes.csv`` (table ``legacy``,
template PRE2019; docs/form.md § Before 2019), so cell_codes.csv stays as it is;
``code_index()`` holds both.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class CellCode:
    code: str
    table: str  # active | applications | review_litigation
    templates: frozenset[str]  # {"F2021", "F2019"}, or {"PRE2019"} for legacy.* codes
    row_label: str
    column_label: str
    unit: str


TABLES: tuple[str, ...] = ("active", "applications", "review_litigation")
TEMPLATES: tuple[str, ...] = ("F2021", "F2019")

# T3 value columns in printed order (docs/form.md § Table 三)
APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "legal_commercial",
    "legal_research",
    "legal_public_interest",
    "legal_legal_service",
    "legal_other",
    "total",
)

APPLICANT_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "legal_commercial": "商业企业",
    "legal_research": "科研机构",
    "legal_public_interest": "社会公益组织",
    "legal_legal_service": "法律服务机构",
    "legal_other": "其他",
    "total": "总计",
}

# T4 value columns in printed order (docs/form.md § Table 四)
REVIEW_LITIGATION_CODES: tuple[str, ...] = tuple(
    f"{group}.{leaf}"
    for group in ("review", "litigation.direct", "litigation.after_review")
    for leaf in ("upheld", "corrected", "other", "pending", "total")
)


LEGACY_TABLE = "legacy"
LEGACY_TEMPLATE = "PRE2019"


def _read(name: str) -> tuple[CellCode, ...]:
    text = files("gongkai.schemas").joinpath(name).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        CellCode(
            code=r["cell"],
            table=r["table"],
            templates=frozenset(re.findall(r"F20\d\d|PRE2019", r["templates"].split("(")[0])),
            row_label=r["row_label"],
            column_label=r["column_label"],
            unit=r["unit"],
        )
        for r in rows
    )


@cache
def _load() -> tuple[CellCode, ...]:
    return _read("cell_codes.csv")


@cache
def legacy_codes() -> tuple[CellCode, ...]:
    """The ``legacy.*`` codes of the pre-2019 统计表 (legacy_codes.csv), in file order."""
    return _read("legacy_codes.csv")


@cache
def code_index() -> dict[str, CellCode]:
    return {c.code: c for c in (*_load(), *legacy_codes())}


@cache
def codes_for(table: str, template: str) -> tuple[str, ...]:
    """Ordered codes of ``table`` in ``template`` (F2021 or F2019), in cell_codes.csv order."""
    return tuple(c.code for c in _load() if c.table == table and template in c.templates)


@cache
def unit_of(code: str) -> str:
    unit = code_index()[code].unit
    return "元" if unit.startswith("as printed") else unit
