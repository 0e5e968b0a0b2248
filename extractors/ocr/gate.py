"""The form's arithmetic as the gate of OCR: a value read by OCR is used only when no rule says
otherwise (issue 14: never a wrong value silently).

:func:`gate_cells` is pure: cells in, cells out.

1. Every value read on an OCR'd page gets flag ``ocr``. A value of a cell the rules cover
   (tables 三 and 四) is kept only when at least one equation it is part of can be evaluated and
   holds; otherwise nothing confirms it and it is nulled with flag ``ocr_unsure``.
2. A reading OCR was unsure of (``OcrProvenance.unsure``: low confidence) is kept only when the
   rules confirm it: it is part of at least one equation and every equation it is part of holds.
3. Values nulled by a step no longer confirm the others of their equations: the steps repeat
   until nothing changes (two misreads that agree in one rule are caught by another).
   Otherwise it is nulled with flag ``ocr_unsure`` (the reading stays in ``raw``); so is a cell
   with ink but no reading.
4. Every equation of the layout (:func:`gongkai.schemas.rules.equations`) is evaluated on the
   values as read; when one fails, every OCR value of its scope is nulled with flag
   ``ocr_conflict`` (the reading stays in ``raw``). One misread digit in table 三 fails its row
   rule (A3) and its column rule (A1 or A2), so it cannot pass unnoticed; table 二 has no rules,
   its values are guarded by the recogniser's confidence alone.

Before step 4, where rules fail on the first readings, the recogniser's other digit readings
(``OcrProvenance.alternatives``) may replace some: only the one combination every rule concerned
accepts, each changed cell confirmed twice (:mod:`gongkai.extractors.ocr.choice`). Such a value
has flag ``ocr_chosen`` (the first reading stays in ``raw``) and must then pass steps 2–4 as an
unsure reading: every equation it is part of must hold.
"""

from __future__ import annotations

from dataclasses import replace

from gongkai.extractors.ocr.choice import choose
from gongkai.extractors.tables.cells import source_locator
from gongkai.model.document import OcrProvenance
from gongkai.model.result import CellValue
from gongkai.schemas.rules import equations

# Same tolerance as the checks (gongkai.convert.checks).
TOLERANCE = 1e-6



def _numbers(texts: tuple[str, ...]) -> list[float]:
    return [float(t) for t in texts if t.isascii() and t.isdigit()]


def is_ocr_value(cell: CellValue, ocr: OcrProvenance) -> bool:
    """Read by OCR: on a scanned page, or in a table cell of a picture."""
    return (cell.page is not None and cell.page in ocr.pages) or source_locator(cell.locator) in ocr.cells


def gate_cells(cells: list[CellValue], template: str, ocr: OcrProvenance) -> list[CellValue]:
    """``cells`` with OCR values flagged, unsure ones and those in failing rule scopes nulled."""
    out = list(cells)
    pending: set[int] = set()  # unsure readings: every rule they are in must hold
    read: set[int] = set()  # every value read by OCR: some rule it is in must hold
    for i, cell in enumerate(cells):
        if not is_ocr_value(cell, ocr):
            continue
        doubtful = source_locator(cell.locator) in ocr.unsure
        if doubtful and cell.value is None and cell.flag == "blank":
            out[i] = replace(cell, flag="ocr_unsure")
        elif cell.value is not None and cell.flag is None:
            out[i] = replace(cell, flag="ocr")
            read.add(i)
            if doubtful:
                pending.add(i)
    layout = template if template in ("F2021", "F2019") else "F2021"
    index = {c.cell: i for i, c in enumerate(out)}
    # cells read as something else than a number ("300.1") join the choice with their digit readings
    unread = {i for i, c in enumerate(out) if i not in read and is_ocr_value(c, ocr) and c.flag == "unreadable"
              and c.locator in ocr.alternatives}
    chosen = choose({out[i].cell: out[i].value for i in read | unread},
                    {out[i].cell: _numbers(ocr.alternatives.get(out[i].locator, ())) for i in read | unread},
                    equations(layout))
    for code, value in chosen.items():
        i = index[code]
        out[i] = replace(out[i], value=value, flag="ocr_chosen")
        read.add(i)
        pending.add(i)
    eqs = [(eq, [index[code] for code in eq.codes if code in index]) for eq in equations(layout)]
    in_rules = {i for _eq, members in eqs for i in members}
    while True:  # a value nulled here no longer confirms the others of its equations: repeat
        conflicts: set[int] = set()
        held: set[int] = set()  # in at least one equation that holds
        all_hold: dict[int, bool] = {}  # pending cell -> every equation it is in holds
        for eq, members in eqs:
            complete = len(members) == len(eq.codes) and all(out[i].value is not None for i in members)
            holds = complete and abs(sum(float(out[index[c]].value or 0) for c in eq.lhs)
                                     - sum(float(out[index[c]].value or 0) for c in eq.rhs)) <= TOLERANCE
            if complete and not holds:
                conflicts.update(i for i in members if i in read)
            if holds:
                held.update(members)
            for i in pending.intersection(members):
                all_hold[i] = all_hold.get(i, True) and holds
        unsure = {i for i in read - conflicts
                  if (i in in_rules and i not in held) or (i in pending and not all_hold.get(i, False))}
        if not conflicts and not unsure:
            return out
        for i in conflicts:
            out[i] = replace(out[i], value=None, flag="ocr_conflict")
        for i in unsure:
            out[i] = replace(out[i], value=None, flag="ocr_unsure")
        read -= conflicts | unsure
