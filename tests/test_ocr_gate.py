"""The OCR gate (extractors/ocr/gate.py): pure, no OCR needed."""

from __future__ import annotations

from gongkai.extractors.ocr.gate import gate_cells
from gongkai.model.document import OcrProvenance
from gongkai.model.result import CellValue


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
