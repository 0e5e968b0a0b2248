"""Table 四: 政府信息公开行政复议、行政诉讼情况 (docs/form.md § Table 四): 15 values in fixed order.

The data row is the row with fifteen value slots (blank ones included) after the header rows; in
a text stream, the digit run after the headers, split under rules A4–A6 (each group's 总计 is
the sum of its four results).
"""

from __future__ import annotations

from gongkai.extractors.tables.applications import TableOutcome
from gongkai.extractors.tables.cells import cell_not_found, cells_from_slots, resolve_run, run_readings
from gongkai.extractors.tables.headers import T4_EXPECTED, bind
from gongkai.extractors.tables.rows import RowRecord, Slot, fit_slots
from gongkai.extractors.tables.splitting import PLAIN, RowSum
from gongkai.model.result import ErrorRecord
from gongkai.schemas.layouts import T4_CODES
from gongkai.schemas.rules import equations

TABLE = "review_litigation"
_WIDTH = len(T4_CODES)
# rules A4–A6 (each group's 总计 is the sum of its four results) as sums over the row's slots
GROUP_SUMS: tuple[RowSum, ...] = tuple(
    RowSum(parts=tuple(T4_CODES.index(c) for c in eq.rhs), total=T4_CODES.index(eq.lhs[0]))
    for eq in equations("F2021") if eq.rule in ("A4", "A5", "A6"))


def _grid_row(rows: list[RowRecord]) -> tuple[list[Slot], RowRecord] | None:
    """The slots of the data row: fifteen value cells, preferring the row with the most numbers."""
    best: tuple[int, list[Slot], RowRecord] | None = None
    for record in rows:
        if record.run:
            continue
        slots = fit_slots(record.values, _WIDTH)
        if slots is None:
            continue
        numbers = sum(1 for s in slots if any(ch.isdigit() for ch in s.text))
        if best is None or numbers > best[0]:
            best = (numbers, slots, record)
    return (best[1], best[2]) if best else None


def extract_review(rows: list[RowRecord], limit: int = 50_000) -> TableOutcome:
    outcome = TableOutcome()
    found = _grid_row(rows)
    if found is not None:
        slots, record = found
        binding = bind(record.header, T4_EXPECTED)
        if binding.mismatch:
            outcome.errors.append(ErrorRecord("tables", "header_mismatch",
                                              f"四: the column header {record.header.ids if record.header else ()} "
                                              "cannot be matched to the value columns"))
            outcome.cells = [cell_not_found(TABLE, code) for code in T4_CODES]
            for cell in outcome.cells:
                cell.flag, cell.raw = "header_mismatch", " | ".join(s.text for s in slots)
            return outcome
        if binding.order is not None:
            slots = [slots[i] for i in binding.order]
        outcome.cells = cells_from_slots(TABLE, T4_CODES, slots, (PLAIN,) * _WIDTH)
        return outcome
    runs = [r for r in rows if r.run and r.has_numbers]
    if runs:
        record = max(runs, key=lambda r: sum(ch.isdigit() for ch in r.values[0].text))
        readings = run_readings(record, [PLAIN] * _WIDTH, GROUP_SUMS, limit)
        outcome.cells = resolve_run(TABLE, T4_CODES, record, readings)
        if readings is None or len(readings) != 1:
            count = "too many" if readings is None else str(len(readings))
            outcome.errors.append(ErrorRecord("tables", "ambiguous_digits",
                                              f"四: digits {record.values[0].text!r} allow {count} readings"))
        return outcome
    outcome.cells = [cell_not_found(TABLE, code) for code in T4_CODES]
    widths = sorted({len(r.values) for r in rows if r.values})
    outcome.errors.append(ErrorRecord("tables", "value_count_mismatch",
                                      f"四: no row with {_WIDTH} value cells (rows have {widths})"))
    return outcome
