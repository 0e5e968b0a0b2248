"""Table 三: 收到和处理政府信息公开申请情况 (docs/form.md § Table 三).

Rows are bound by their distinctive label keys (never by position, except under an exact count
guard); the seven values of a row are the last seven value slots. Runs of digits (crawler dumps)
are split only where the rules A3 (row total), A1 and A2 (column sums) leave one reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from gongkai.extractors.labels import bare_label, compact, match_key, strip_annotations
from gongkai.extractors.tables.cells import cell_not_found, cells_from_slots, resolve_run, run_readings
from gongkai.extractors.tables.headers import T3_EXPECTED, bind
from gongkai.extractors.tables.rows import RowRecord, Slot, fit_slots
from gongkai.extractors.tables.splitting import PLAIN, ColumnRule, Reading, RowSum, narrow
from gongkai.model.result import CellValue, ErrorRecord
from gongkai.schemas.layouts import (
    T3_COLUMNS,
    T3_GROUP_WORDS,
    T3_LEGAL_HEADERS,
    T3_OTHER_LABELS,
    T3_ROW_KEYS,
    T3_SUBTOTAL_GROUPS,
    T3_SUBTOTAL_HEADER,
    T3_TOTAL_LABELS,
    t3_rows,
)
from gongkai.schemas.rules import equations, split_code

TABLE = "applications"
_F2021_ONLY = {"applications.result.other.no_correction", "applications.result.other.fee_unpaid",
               "applications.result.other.other"}
_WIDTH = len(T3_COLUMNS)
_PLAIN_ROW = (PLAIN,) * _WIDTH


def _row_sum() -> RowSum:
    """Rule A3 as a sum over one row's value slots (the same for every row and layout)."""
    eq = next(eq for eq in equations("F2021") if eq.rule == "A3")
    return RowSum(parts=tuple(T3_COLUMNS.index(split_code(c)[1]) for c in eq.rhs),
                  total=T3_COLUMNS.index(split_code(eq.lhs[0])[1]))


_ROW_SUM = _row_sum()


@dataclass(slots=True)
class TableOutcome:
    cells: list[CellValue] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    template: str | None = None


def _strip_group_words(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in T3_GROUP_WORDS:
            if text.startswith(word) and len(text) > len(word):
                text, changed = bare_label(text[len(word):]), True
    return text


def _tail_after(label: str, needle: str) -> str:
    """The bare label text after ``needle`` ("（六）其他处理3.其他" → "其他")."""
    text = strip_annotations(compact(label))
    at = text.find(needle)
    return bare_label(text[at + len(needle):]) if at >= 0 else ""


@lru_cache(maxsize=8192)
def t3_row_code(label: str, previous: str | None) -> str | None:
    """The canonical row code of a T3 label, or None."""
    key = match_key(label)
    for needle, code in T3_ROW_KEYS:
        at = key.find(needle)
        if at < 0:
            continue
        if code == "applications.result.other.total" and _tail_after(label, needle) in T3_OTHER_LABELS:
            return "applications.result.other.other"  # "（六）其他处理 | 3.其他" repeated on each row
        return code
    bare = _strip_group_words(bare_label(label))
    if bare in T3_TOTAL_LABELS:
        return "applications.result.total"
    if bare in T3_OTHER_LABELS and previous is not None and previous.startswith("applications.result.other."):
        return "applications.result.other.other"
    return None


@lru_cache(maxsize=8192)
def is_group_subtotal(label: str) -> bool:
    """A derived template's subtotal row for a group with no row in the form ("（三）不予公开", D14)."""
    bare = _strip_group_words(bare_label(label))
    return bare.removesuffix(T3_SUBTOTAL_HEADER) in T3_SUBTOTAL_GROUPS


def subtotal_column(rows: list[RowRecord]) -> int | None:
    """Index among the value slots of a "法人或其他组织小计" column named in the header (D14), or None."""
    for record in rows:
        key = compact(record.label).replace("法人或其他组织", "")
        at = key.find(T3_SUBTOTAL_HEADER)
        if at < 0:
            continue
        seen = [key.find(name) for name in T3_LEGAL_HEADERS]
        if sum(1 for pos in seen if pos >= 0) < 3:
            continue
        return 1 + sum(1 for pos in seen if 0 <= pos < at)
    return None


def detached_numbers(record: RowRecord, waiting: str | None) -> bool:
    """A numbers row without a label right below a label row without numbers (a converter split them)."""
    return waiting is not None and not record.label.strip() and record.has_numbers


def bind_rows(rows: list[RowRecord]) -> tuple[dict[str, RowRecord], list[RowRecord]]:
    """Data rows bound to row codes (first occurrence wins), and data rows that bound to none.

    A numbers row with no label directly below a bound label row with no numbers takes that label.
    """
    bound: dict[str, RowRecord] = {}
    unbound: list[RowRecord] = []
    previous: str | None = None
    waiting: str | None = None  # the code of the label row just seen without numbers
    for record in rows:
        if detached_numbers(record, waiting) and waiting is not None:
            if waiting not in bound or not bound[waiting].has_numbers:
                bound[waiting] = record
            waiting = None
            continue
        code = t3_row_code(record.label, previous)
        waiting = code if code is not None and not record.has_numbers and code not in bound else None
        if not record.values:
            if code is not None:
                previous = code
            continue
        if code is None:
            if record.has_numbers and not is_group_subtotal(record.label):
                unbound.append(record)
            continue
        previous = code
        bound.setdefault(code, record)
    return bound, unbound


def detect_template(bound: dict[str, RowRecord]) -> str | None:
    if _F2021_ONLY & bound.keys():
        return "F2021"
    if "applications.result.other.total" in bound:
        return "F2019"
    return None


def _bind_by_position(rows: list[RowRecord], bound: dict[str, RowRecord], expected: tuple[str, ...]) -> None:
    """Fill unbound rows by position, only when the data rows are exactly the expected rows."""
    data = [r for r in rows if r.values and (r.has_numbers or any(not v.text.strip() for v in r.values))]
    if len(data) != len(expected) or len(bound) == len(expected):
        return
    by_id = {id(r): code for code, r in bound.items()}
    if any(id(r) in by_id and by_id[id(r)] != code for r, code in zip(data, expected, strict=True)):
        return
    for record, code in zip(data, expected, strict=True):
        bound.setdefault(code, record)


def _value_slots(record: RowRecord, subtotal_at: int | None) -> list[Slot] | None:
    """The seven value slots of a grid row; a subtotal column named in the header is dropped."""
    if subtotal_at is None:
        return fit_slots(record.values, _WIDTH)
    slots = fit_slots(record.values, _WIDTH + 1)
    if slots is None:
        return None
    del slots[subtotal_at]
    return slots


@cache
def _cell_codes(row: str) -> tuple[str, ...]:
    """The cell codes of a row of 三, one per applicant column."""
    return tuple(f"{row}@{col}" for col in T3_COLUMNS)


@cache
def column_rules(template: str) -> tuple[ColumnRule, ...]:
    """Rules A1 and A2 (one equation per column) as column rules over the rows of 三."""
    rules: list[tuple[int, str, ColumnRule]] = []
    for eq in equations(template):
        if eq.rule not in ("A1", "A2"):
            continue
        col = T3_COLUMNS.index(eq.scope)
        terms = (*((split_code(c)[0], 1) for c in eq.lhs), *((split_code(c)[0], -1) for c in eq.rhs))
        rules.append((col, eq.rule, ColumnRule(col, terms)))
    return tuple(rule for _col, _id, rule in sorted(rules, key=lambda r: (r[0], r[1])))


def extract_applications(rows: list[RowRecord], template_hint: str | None,
                         limit: int = 50_000) -> TableOutcome:
    bound, unbound = bind_rows(rows)
    template = detect_template(bound) or template_hint or "F2021"
    outcome = TableOutcome(template=detect_template(bound))
    expected = t3_rows(template)
    _bind_by_position(rows, bound, expected)
    spec = [PLAIN] * _WIDTH
    extra = subtotal_column(rows)
    readings: dict[str, list[Reading]] = {}
    grid_cells: dict[str, list[CellValue]] = {}
    for code in expected:
        record = bound.get(code)
        if record is None:
            continue
        codes = _cell_codes(code)
        if record.run:
            options = run_readings(record, spec, [_ROW_SUM], limit)
            if options is not None:
                readings[code] = options
            else:
                grid_cells[code] = resolve_run(TABLE, codes, record, None)
            continue
        binding = bind(record.header, T3_EXPECTED)
        slots = _value_slots(record, extra)
        if slots is not None and binding.mismatch:
            outcome.errors.append(ErrorRecord("tables", "header_mismatch",
                                              f"三: row {record.label!r}: the applicant column header "
                                              f"{record.header.ids if record.header else ()} cannot be matched "
                                              "to the value columns"))
            grid_cells[code] = [cell_not_found(TABLE, c) for c in codes]
            for cell in grid_cells[code]:
                cell.flag, cell.raw = "header_mismatch", " | ".join(v.text for v in slots)
            continue
        if slots is not None:
            slots = [slots[i] for i in binding.order] if binding.order is not None else slots
        if slots is None:
            outcome.errors.append(ErrorRecord("tables", "value_count_mismatch",
                                              f"三: row {record.label!r} has {len(record.values)} value cells, "
                                              f"expected {_WIDTH}"))
            grid_cells[code] = [cell_not_found(TABLE, c) for c in codes]
            for cell in grid_cells[code]:
                cell.flag, cell.raw = "unreadable", " | ".join(v.text for v in record.values)
            continue
        cells = cells_from_slots(TABLE, codes, slots, _PLAIN_ROW)
        grid_cells[code] = cells
        values = tuple([c.value for c in cells])
        if None not in values:
            readings[code] = [values]
    narrowed = narrow(readings, column_rules(template))
    for code in expected:
        codes = _cell_codes(code)
        if code in grid_cells:
            outcome.cells.extend(grid_cells[code])
        elif code in narrowed:
            outcome.cells.extend(resolve_run(TABLE, codes, bound[code], narrowed[code]))
        else:
            outcome.cells.extend(cell_not_found(TABLE, c) for c in codes)
            outcome.errors.append(ErrorRecord("tables", "row_missing", f"三: row {code} not found"))
        if code in narrowed and bound[code].run and len(narrowed[code]) != 1:
            outcome.errors.append(ErrorRecord(
                "tables", "ambiguous_digits",
                f"三: row {code}: digits {bound[code].values[0].text!r} allow {len(narrowed[code])} readings"))
    for record in unbound:
        outcome.errors.append(ErrorRecord("tables", "row_unbound",
                                          f"三: row {record.label!r} with values "
                                          f"{[v.text for v in record.values]} matches no known row"))
    return outcome
