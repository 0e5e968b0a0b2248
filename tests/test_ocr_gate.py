"""The OCR gate (extractors/ocr/gate.py): pure, no OCR needed."""

from __future__ import annotations

from dataclasses import replace

from gongkai.extractors.ocr.choice import choose
from gongkai.extractors.ocr.gate import gate_cells
from gongkai.model.document import OcrProvenance
from gongkai.model.result import CellValue
from gongkai.schemas.rules import Equation


def t4(values: dict[str, float | None], page: int | None = 3) -> list[CellValue]:
    return [CellValue("review_litigation", code, value, "件", "" if value is None else f"{value:g}",
                      None if value is not None else "blank", page, f"p{page} table 4 row 3 col {i}")
            for i, (code, value) in enumerate(values.items())]


REVIEW = {"review.upheld": 2.0, "review.corrected": 1.0, "review.other": 0.0, "review.pending": 4.0,
          "review.total": 7.0}
DIRECT = {"litigation.direct.upheld": 1.0, "litigation.direct.corrected": 0.0, "litigation.direct.other": 0.0,
          "litigation.direct.pending": 0.0, "litigation.direct.total": 1.0}


def test_values_read_by_ocr_get_flag_ocr_when_the_rules_hold() -> None:
    out = gate_cells(t4(REVIEW | DIRECT), "F2021", OcrProvenance(pages={3}))
    assert [c.flag for c in out] == ["ocr"] * 10
    assert [c.value for c in out] == list((REVIEW | DIRECT).values())


def test_a_failing_rule_nulls_every_ocr_value_of_its_scope_and_keeps_the_read() -> None:
    misread = REVIEW | {"review.pending": 9.0}  # 4 misread as 9: A4 fails
    out = {c.cell: c for c in gate_cells(t4(misread | DIRECT), "F2021", OcrProvenance(pages={3}))}
    for code in REVIEW:
        assert out[code].value is None and out[code].flag == "ocr_conflict"
    assert out["review.pending"].raw == "9"
    assert all(out[code].flag == "ocr" and out[code].value == v for code, v in DIRECT.items())


def test_values_not_read_by_ocr_are_left_alone() -> None:
    cells = t4(REVIEW | {"review.pending": 9.0}, page=2)
    assert gate_cells(cells, "F2021", OcrProvenance(pages={3})) == cells


def test_an_unsure_read_is_kept_only_when_every_rule_it_is_in_holds() -> None:
    cells = t4(REVIEW | DIRECT)
    unsure = {cells[3].locator: "low", cells[5].locator: "low"}  # review.pending, litigation.direct.upheld
    out = gate_cells(cells, "F2021", OcrProvenance(pages={3}, unsure=unsure))
    assert out[3].value == 4.0 and out[3].flag == "ocr"  # confirmed by A4
    assert out[5].value == 1.0 and out[5].flag == "ocr"  # confirmed by A5


def test_an_unsure_read_that_no_rule_confirms_is_nulled() -> None:
    cells = [CellValue("active", "active.licensing.decisions", 447228.0, "件", "447228", None, 3, "p3 table 0 row 6 col 1"),
             *t4(REVIEW | {"review.other": None})]
    unsure = {cells[0].locator: "low", cells[2].locator: "low"}
    out = gate_cells(cells, "F2021", OcrProvenance(pages={3}, unsure=unsure))
    assert out[0].value is None and out[0].flag == "ocr_unsure" and out[0].raw == "447228"  # 二: no rule
    assert out[2].value is None and out[2].flag == "ocr_unsure"  # A4 not assessable (review.other blank)


def test_ink_without_a_reading_is_unsure_not_blank() -> None:
    cells = t4({"review.other": None})
    out = gate_cells(cells, "F2021", OcrProvenance(pages={3}, unsure={cells[0].locator: "no text"}))
    assert out[0].flag == "ocr_unsure" and out[0].value is None


def test_split_runs_are_matched_by_their_cell_locator() -> None:
    cells = t4(REVIEW)
    cells[0].locator += " run '2107' part 1/4"
    out = gate_cells(cells, "F2021", OcrProvenance(pages={3}, unsure={"p3 table 4 row 3 col 0": "low"}))
    assert out[0].flag == "ocr" and out[0].value == 2.0  # A4 holds: confirmed


def test_a_value_no_evaluable_rule_confirms_is_nulled() -> None:
    # review.other is blank, so A4 cannot be evaluated: nothing confirms the other readings of 四's review group
    cells = t4(REVIEW | {"review.other": None} | DIRECT)
    out = {c.cell: c for c in gate_cells(cells, "F2021", OcrProvenance(pages={3}))}
    assert all(out[code].flag == "ocr_unsure" and out[code].value is None
               for code in REVIEW if code != "review.other")
    assert all(out[code].flag == "ocr" for code in DIRECT)


# --- the rules choosing among the recogniser's readings (extractors/ocr/choice.py) ---------------

def with_alternatives(cells: list[CellValue], alternatives: dict[str, tuple[str, ...]]) -> OcrProvenance:
    by_code = {c.cell: c.locator for c in cells}
    return OcrProvenance(pages={3}, alternatives={by_code[code]: alts for code, alts in alternatives.items()})


def test_the_one_reading_that_makes_the_rule_hold_is_chosen_and_the_first_kept_in_raw() -> None:
    cells = t4(REVIEW | {"review.pending": 1.0} | DIRECT)  # a thin 4 read as 1
    ocr = with_alternatives(cells, {"review.pending": ("4", "3"), "review.upheld": ("7",)})
    out = {c.cell: c for c in gate_cells(cells, "F2021", ocr)}
    assert out["review.pending"].value == 4.0 and out["review.pending"].flag == "ocr_chosen"
    assert out["review.pending"].raw == "1"
    assert all(out[code].value == v and out[code].flag == "ocr" for code, v in REVIEW.items() if code != "review.pending")


def test_two_readings_that_both_make_the_rule_hold_choose_nothing() -> None:
    cells = t4(REVIEW | {"review.pending": 1.0} | DIRECT)
    ocr = with_alternatives(cells, {"review.pending": ("4",), "review.corrected": ("4",)})  # 2+4+0+1 = 7 too
    out = {c.cell: c for c in gate_cells(cells, "F2021", ocr)}
    assert all(out[code].value is None and out[code].flag == "ocr_conflict" for code in REVIEW)


def test_two_changed_cells_in_one_rule_are_not_confirmed_by_it() -> None:
    # pending 4 read as 1 and the total 7 as 9: changing both (1→4, 9→7) would make A4 hold,
    # but a single equation cannot confirm two changes that might compensate
    cells = t4(REVIEW | {"review.pending": 1.0, "review.total": 9.0} | DIRECT)
    ocr = with_alternatives(cells, {"review.pending": ("4",), "review.total": ("7",)})
    out = {c.cell: c for c in gate_cells(cells, "F2021", ocr)}
    assert all(out[code].value is None and out[code].flag == "ocr_conflict" for code in REVIEW)


def test_no_reading_that_makes_the_rule_hold_changes_nothing() -> None:
    cells = t4(REVIEW | {"review.pending": 1.0} | DIRECT)
    out = {c.cell: c for c in gate_cells(cells, "F2021", with_alternatives(cells, {"review.pending": ("3",)}))}
    assert out["review.pending"].value is None and out["review.pending"].flag == "ocr_conflict"


def test_an_unreadable_cell_takes_its_digit_reading_when_the_rule_settles_it() -> None:
    cells = t4(REVIEW | DIRECT)
    cells[3] = replace(cells[3], value=None, raw="4.", flag="unreadable")  # review.pending: a speck read as a point
    out = {c.cell: c for c in gate_cells(cells, "F2021", with_alternatives(cells, {"review.pending": ("4", "1")}))}
    assert out["review.pending"].value == 4.0 and out["review.pending"].flag == "ocr_chosen"


# A 2×2 grid with row sums and column sums (a miniature of table 三's A3 and A2).
GRID_EQS = (Equation("R", "r1", ("r1.t",), ("a", "b")), Equation("R", "r2", ("r2.t",), ("c", "d")),
            Equation("C", "c1", ("t.c1",), ("a", "c")), Equation("C", "c2", ("t.c2",), ("b", "d")),
            Equation("R", "t", ("t.t",), ("t.c1", "t.c2")), Equation("C", "t", ("t.t",), ("r1.t", "r2.t")))
GRID = {"a": 4.0, "b": 1.0, "c": 2.0, "d": 3.0, "r1.t": 5.0, "r2.t": 5.0, "t.c1": 6.0, "t.c2": 4.0, "t.t": 10.0}


def test_choice_in_a_grid_fixes_two_misreads_each_confirmed_by_its_row_and_column() -> None:
    read = GRID | {"a": 1.0, "c": 4.0}  # both misread; row and column sums fail
    assert choose(read, {"a": (4.0,), "c": (2.0,), "d": (8.0,)}, GRID_EQS) == {"a": 4.0, "c": 2.0}


def test_choice_in_a_grid_needs_the_combination_to_be_unique() -> None:
    read = GRID | {"a": 1.0}
    assert choose(read, {"a": (4.0,)}, GRID_EQS) == {"a": 4.0}
    # a and b swapped would hold the row but not the columns; a and d raised together hold nothing
    assert choose(read, {"a": (4.0, 7.0), "b": (4.0,)}, GRID_EQS) == {"a": 4.0}
    # a misread that either of two cells of the failing rules could explain: nothing is chosen
    read = GRID | {"a": 1.0, "b": 4.0}  # a and b read swapped: row r1 holds, both columns fail
    assert choose(read, {"a": (4.0,), "b": (1.0,)}, GRID_EQS) == {"a": 4.0, "b": 1.0}
    assert choose(read, {"a": (4.0,), "b": (1.0,), "t.c1": (3.0,), "t.c2": (7.0,)}, GRID_EQS) == {}


def test_choice_leaves_rules_that_hold_alone() -> None:
    assert choose(GRID, {"a": (1.0,), "b": (4.0,)}, GRID_EQS) == {}
