"""Turning value slots and split readings into CellValue rows (with provenance)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from gongkai.extractors.numbers import parse_cell
from gongkai.extractors.tables.rows import RowRecord, Slot
from gongkai.extractors.tables.splitting import (
    BOUNDARY,
    Reading,
    SlotSpec,
    TooManyReadings,
    agreed_values,
    split_candidates,
)
from gongkai.model.result import CellValue
from gongkai.schemas.codes import unit_of

# CellValue.locator of a value split out of a digit run: "<cell locator> run '…' part i/n".
RUN_MARK = " run "


def source_locator(locator: str) -> str:
    """The locator of the cell or text a value came from (a split run's part suffix cut off)."""
    return locator.split(RUN_MARK, 1)[0]


@lru_cache(maxsize=8192)
def _reading(raw: str, signed: bool, decimal: bool) -> tuple[float | None, str | None, str | None]:
    """The value, flag and printed unit (元 or 万元, else None) of a cell printed as ``raw`` in a
    slot that allows a sign / a decimal (cached: the parse is the same for every cell of a text)."""
    parsed = parse_cell(raw)
    value, flag = parsed.value, parsed.flag
    if value is not None:
        if parsed.signed and not signed and value < 0:
            flag = "signed"
        if not decimal and not float(value).is_integer():
            return None, "unreadable", None
    return value, flag, parsed.unit if parsed.unit in ("元", "万元") else None


@cache
def _units(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The unit of each cell code (a row's codes are one cached tuple: looked up once)."""
    return tuple(map(unit_of, codes))


def cells_from_slots(table: str, codes: tuple[str, ...], slots: Sequence[Slot],
                     specs: Sequence[SlotSpec]) -> list[CellValue]:
    """The printed cells of a row → CellValues: each number as printed, or null with the parser's flag."""
    out: list[CellValue] = []
    append = out.append
    for code, code_unit, slot, spec in zip(codes, _units(codes), slots, specs, strict=True):
        raw, locator = slot.text, slot.locator
        value, flag, unit = _reading(raw, spec.signed, spec.decimal)
        append(CellValue(table, code, value, unit or code_unit, raw, flag, locator.page, locator.describe()))
    return out


def cell_not_found(table: str, code: str) -> CellValue:
    return CellValue(table, code, None, unit_of(code), "", "not_found", None, "")


def cells_from_reading(table: str, codes: Sequence[str], record: RowRecord,
                       values: Sequence[float | None], flag_if_null: str) -> list[CellValue]:
    """Cells of a split run: each value with the whole run as its raw text (and its position).

    A run that held a footnote mark or note (a ``|`` boundary) gives its values flag ``annotated``.
    """
    slot = record.values[0]
    where = slot.locator.describe()
    flag_if_set = "annotated" if BOUNDARY in slot.text else None
    out: list[CellValue] = []
    for index, (code, value) in enumerate(zip(codes, values, strict=True)):
        locator = f"{where}{RUN_MARK}{slot.text!r} part {index + 1}/{len(codes)}".strip()
        out.append(CellValue(table, code, value, unit_of(code), slot.text,
                             flag_if_set if value is not None else flag_if_null, slot.locator.page, locator))
    return out


def run_readings(record: RowRecord, specs: Sequence[SlotSpec], sums: Sequence[object] = (),
                 limit: int = 50_000) -> list[Reading] | None:
    """All readings of a run row, blank cells included (None: too many to enumerate)."""
    from gongkai.extractors.tables.splitting import RowSum

    rules = [s for s in sums if isinstance(s, RowSum)]
    try:
        return split_candidates(record.values[0].text, specs, rules, limit, blanks=True)
    except TooManyReadings:
        return None


def resolve_run(table: str, codes: Sequence[str], record: RowRecord,
                readings: list[Reading] | None) -> list[CellValue]:
    """Cells for a run row given its remaining readings: agreed values, others ambiguous."""
    if readings is None:
        return cells_from_reading(table, codes, record, [None] * len(codes), "ambiguous")
    if not readings:
        return cells_from_reading(table, codes, record, [None] * len(codes), "unreadable")
    return cells_from_reading(table, codes, record, agreed_values(readings, len(codes)), "ambiguous")
