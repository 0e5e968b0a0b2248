"""Table 二: 主动公开政府信息情况 (docs/form.md § Table 二; deviations D11, D12, D22, D23).

The layout (F2021 or F2019) is decided from the column headers. Rows are bound by the right-most
row key in their label (so header words before a label in a flattened dump do not matter); values
are taken in order within the row (D11: colspans in the header and the data rows disagree).
Table 二 has no sums, so run-together digits are split only when a single reading exists.
"""

from __future__ import annotations

from functools import lru_cache

from gongkai.extractors.labels import match_key
from gongkai.extractors.tables.applications import TableOutcome
from gongkai.extractors.tables.cells import cell_not_found, cells_from_slots, resolve_run, run_readings
from gongkai.extractors.tables.rows import RowRecord, fit_slots
from gongkai.extractors.tables.splitting import SlotSpec
from gongkai.model.result import ErrorRecord
from gongkai.schemas.layouts import ACTIVE_KEYS_F2019, ACTIVE_KEYS_F2021, ACTIVE_ROWS, ActiveRow

TABLE = "active"


def detect_template(text: str) -> str | None:
    """F2021 or F2019 from the header words of table 二 (None when neither shows)."""
    key = match_key(text)
    f2021 = sum(1 for k in ACTIVE_KEYS_F2021 if k in key)
    f2019 = sum(1 for k in ACTIVE_KEYS_F2019 if k in key)
    if f2021 == f2019:
        return None
    return "F2021" if f2021 > f2019 else "F2019"


@lru_cache(maxsize=8192)
def active_row(label: str, template: str) -> ActiveRow | None:
    """The row whose key stands right-most in ``label`` (cached: reports repeat the form's labels)."""
    key = match_key(label)
    best: tuple[int, int, ActiveRow] | None = None
    for row in ACTIVE_ROWS[template]:
        pos = key.rfind(row.key)
        if pos < 0:
            continue
        end = pos + len(row.key)
        if best is None or (end, len(row.key)) > (best[0], best[1]):
            best = (end, len(row.key), row)
    return best[2] if best else None


@lru_cache(maxsize=64)
def _specs(row: ActiveRow) -> tuple[SlotSpec, ...]:
    return tuple(SlotSpec(signed=s, decimal=d) for s, d in zip(row.signed, row.decimal, strict=True))


def extract_active(rows: list[RowRecord], header_text: str, template_hint: str | None,
                   limit: int = 50_000) -> TableOutcome:
    detected = detect_template(header_text)
    template = detected or template_hint or "F2021"
    outcome = TableOutcome(template=detected)
    bound: dict[str, tuple[ActiveRow, RowRecord]] = {}
    waiting: ActiveRow | None = None  # a label row just seen without numbers (a converter split it)
    for record in rows:
        if waiting is not None and not record.label.strip() and record.has_numbers:
            if waiting.key not in bound or not bound[waiting.key][1].has_numbers:
                bound[waiting.key] = (waiting, record)
            waiting = None
            continue
        row = active_row(record.label, template) if record.label.strip() else None
        waiting = row if row is not None and not record.has_numbers and row.key not in bound else None
        if not record.values:
            continue
        if row is None:
            if record.has_numbers and "第二十条" not in record.label:
                outcome.errors.append(ErrorRecord("tables", "row_unbound",
                                                  f"二: row {record.label!r} with values "
                                                  f"{[v.text for v in record.values]} matches no known row"))
            continue
        bound.setdefault(row.key, (row, record))
    for row in ACTIVE_ROWS[template]:
        if row.key not in bound:
            outcome.cells.extend(cell_not_found(TABLE, code) for code in row.codes)
            outcome.errors.append(ErrorRecord("tables", "row_missing", f"二: row {row.key} not found"))
            continue
        _, record = bound[row.key]
        specs = _specs(row)
        if record.run:
            readings = run_readings(record, specs, (), limit)
            outcome.cells.extend(resolve_run(TABLE, row.codes, record, readings))
            if readings is None or len(readings) != 1:
                count = "too many" if readings is None else str(len(readings))
                outcome.errors.append(ErrorRecord(
                    "tables", "ambiguous_digits",
                    f"二: row {row.key}: digits {record.values[0].text!r} allow {count} readings"))
            continue
        slots = fit_slots(record.values, len(row.codes))
        if slots is None:
            outcome.errors.append(ErrorRecord("tables", "value_count_mismatch",
                                              f"二: row {row.key} has {len(record.values)} value cells, "
                                              f"expected {len(row.codes)}"))
            for code in row.codes:
                cell = cell_not_found(TABLE, code)
                cell.flag, cell.raw = "unreadable", " | ".join(v.text for v in record.values)
                outcome.cells.append(cell)
            continue
        outcome.cells.extend(cells_from_slots(TABLE, row.codes, slots, specs))
    return outcome
