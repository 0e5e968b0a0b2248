"""The form's arithmetic as the gate of OCR: a value read by OCR is used only when no rule says
otherwise (issue 14: never a wrong value silently).

:func:`gate_cells` is pure: cells in, cells out.

1. Every value read on an OCR'd page gets flag ``ocr``.
2. A reading OCR was unsure of (``OcrProvenance.unsure``: low confidence) is kept only when the
   rules confirm it: it is part of at least one equation and every equation it is part of holds.
   Otherwise it is nulled with flag ``ocr_unsure`` (the reading stays in ``raw``); so is a cell
   with ink but no reading.
3. Every equation of the layout (:func:`gongkai.schemas.rules.equations`) is evaluated on the
   values as read; when one fails, every OCR value of its scope is nulled with flag
   ``ocr_conflict`` (the reading stays in ``raw``). One misread digit in table 三 fails its row
   rule (A3) and its column rule (A1 or A2), so it cannot pass unnoticed; table 二 has no rules,
   its values are guarded by the recogniser's confidence alone.
"""

from __future__ import annotations

from dataclasses import replace

from gongkai.model.document import OcrProvenance
from gongkai.model.result import CellValue
from gongkai.schemas.rules import equations

# Same tolerance as the checks (gongkai.convert.checks).
TOLERANCE = 1e-6

# CellValue.locator of a split digit run: "<cell locator> run '…' part i/n".
_RUN_MARK = " run "


def _cell_key(locator: str) -> str:
    return locator.split(_RUN_MARK, 1)[0]


def is_ocr_value(cell: CellValue, ocr: OcrProvenance) -> bool:
    return cell.page is not None and cell.page in ocr.pages


def gate_cells(cells: list[CellValue], template: str, ocr: OcrProvenance) -> list[CellValue]:
    """``cells`` with OCR values flagged, unsure ones and those in failing rule scopes nulled."""
    out = list(cells)
    pending: set[int] = set()  # unsure readings the rules may still confirm
    for i, cell in enumerate(cells):
        if not is_ocr_value(cell, ocr):
            continue
        unsure = _cell_key(cell.locator) in ocr.unsure
        if unsure and cell.value is None and cell.flag == "blank":
            out[i] = replace(cell, flag="ocr_unsure")
        elif cell.value is not None and cell.flag is None:
            out[i] = replace(cell, flag="ocr")
            if unsure:
                pending.add(i)
    layout = template if template in ("F2021", "F2019") else "F2021"
    index = {c.cell: i for i, c in enumerate(out)}
    conflicts: set[int] = set()
    confirmed: dict[int, bool] = {}  # pending cell -> every equation it is in holds
    for eq in equations(layout):
        members = [index[code] for code in eq.codes if code in index]
        complete = len(members) == len(eq.codes) and all(out[i].value is not None for i in members)
        holds = complete and abs(sum(float(out[index[c]].value or 0) for c in eq.lhs)
                                 - sum(float(out[index[c]].value or 0) for c in eq.rhs)) <= TOLERANCE
        if complete and not holds:
            conflicts.update(i for i in members if is_ocr_value(out[i], ocr))
        for i in pending.intersection(members):
            confirmed[i] = confirmed.get(i, True) and holds
    for i in pending:
        if not confirmed.get(i, False):
            out[i] = replace(out[i], value=None, flag="ocr_unsure")
    for i in conflicts:
        out[i] = replace(out[i], value=None, flag="ocr_conflict")
    return out
