"""Column headers of tables 三 and 四: which printed column holds which value (issue 9).

A value is bound to its column by the printed header wherever one is present, never by position
alone: a table 三 printed with two applicant columns swapped (headers swapped too) must not give
40 wrong cells that pass every check. The header is read as the *order* of the known column names
by their grid column (so merged header cells over two rows, split header cells and generic
headers like 数据1 do no harm):

- every column name found, each once, in the form's order → bind by position (as printed);
- every column name found, each once, in another order → follow the header (a permutation);
- only some names found, in the form's order → nothing contradicts the position: bind by it;
- anything else (names out of order but not all found, a name twice) → the values cannot be
  bound with certainty: null with flag ``header_mismatch``.

Pure functions over grid cells; the table extractors apply the result to a row's value slots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from gongkai.extractors.labels import compact
from gongkai.model.document import Cell
from gongkai.schemas.layouts import T3_COLUMNS, T4_CODES

# printed applicant column names of table 三 → column id (docs/form.md § Table 三)
APPLICANT_NAMES: dict[str, str] = {
    "自然人": "natural_person",
    "商业企业": "legal_commercial",
    "科研机构": "legal_research",
    "社会公益组织": "legal_public_interest",
    "法律服务机构": "legal_legal_service",
    "其他": "legal_other",
    "总计": "total",
    "合计": "total",
}
# table 四: group headers and the five result columns under each (docs/form.md § Table 四)
REVIEW_GROUPS: dict[str, str] = {
    "行政复议": "review",
    "未经复议直接起诉": "litigation.direct",
    "复议后起诉": "litigation.after_review",
}
REVIEW_LEAVES: dict[str, str] = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
    "总计": "total",
}
_NOISE = re.compile(r"[\s:：、,，.．()（）*]")


@dataclass(frozen=True, slots=True)
class HeaderOrder:
    """Column ids in the order the header prints them (left to right); possibly partial."""

    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Binding:
    """How a row's positional value slots map to the form's columns.

    ``order[i]`` is the index of the positional slot that holds the form's i-th column, or
    ``mismatch`` when the header cannot be reconciled with the positions.
    """

    order: tuple[int, ...] | None = None
    mismatch: bool = False


POSITIONAL = Binding()
# two headers of one table that bind the columns differently: nothing can be bound by it
CONFLICTING_HEADER = HeaderOrder(("conflicting headers",))


def _name(cell: Cell) -> str:
    return _header_name(cell.text)


@lru_cache(maxsize=4096)
def _header_name(text: str) -> str:
    return _NOISE.sub("", compact(text))


def applicant_header(cells: Iterable[Cell]) -> HeaderOrder | None:
    """The applicant column names among header cells, ordered by grid column (None when none)."""
    found = sorted((c.col, APPLICANT_NAMES[_name(c)]) for c in cells if _name(c) in APPLICANT_NAMES)
    return HeaderOrder(tuple(name for _col, name in found)) if found else None


def review_header(cells: Iterable[Cell]) -> HeaderOrder | None:
    """Table 四's (group.result) columns among header cells, ordered by grid column.

    A result column belongs to the narrowest group header whose columns cover it (行政诉讼 covers
    both litigation groups and is not a group itself).
    """
    cells = list(cells)
    groups = [(c.col, c.col + max(c.colspan, 1), REVIEW_GROUPS[_name(c)]) for c in cells
              if _name(c) in REVIEW_GROUPS]
    found: list[tuple[int, str]] = []
    for cell in cells:
        leaf = REVIEW_LEAVES.get(_name(cell))
        if leaf is None:
            continue
        owners = [(end - start, group) for start, end, group in groups if start <= cell.col < end]
        if not owners:
            return None  # a result column under no group we can name: the header says nothing usable
        found.append((cell.col, f"{min(owners)[1]}.{leaf}"))
    found.sort()
    return HeaderOrder(tuple(name for _col, name in found)) if found else None


def bind(header: HeaderOrder | None, expected: tuple[str, ...]) -> Binding:
    """The binding of positional slots to ``expected`` columns that ``header`` calls for."""
    if header is None or not header.ids:
        return POSITIONAL
    return _bind_names(header.ids, expected)


@lru_cache(maxsize=1024)
def _bind_names(ids: tuple[str, ...], expected: tuple[str, ...]) -> Binding:
    """:func:`bind` for the column names of a header (cached: every data row below one header
    asks the same)."""
    if len(set(ids)) != len(ids) or not set(ids) <= set(expected):
        return Binding(mismatch=True)
    rank = [expected.index(name) for name in ids]
    if rank == sorted(rank):
        return POSITIONAL  # the form's order (all or some names): position and header agree
    if len(ids) != len(expected):
        return Binding(mismatch=True)
    return Binding(order=tuple(ids.index(name) for name in expected))


T3_EXPECTED: tuple[str, ...] = tuple(T3_COLUMNS)
T4_EXPECTED: tuple[str, ...] = tuple(T4_CODES)
