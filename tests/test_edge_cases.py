"""Regression tests named after the cases they protect."""

from __future__ import annotations

from gongkai.convert.formats import detect_format
from gongkai.convert.stages import extract_bytes
from gongkai.extractors.tables.applications import extract_applications
from gongkai.extractors.tables.rows import RowRecord, ValueSlot
from gongkai.model.document import Locator
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth


def _row(label: str, values: list[str]) -> RowRecord:
    return RowRecord(label=label, values=[ValueSlot(v, Locator(row=i)) for i, v in enumerate(values)])


def _t3_rows(garble: str | None = None, drop: str | None = None) -> tuple[list[RowRecord], dict[str, float | None]]:
    truth = make_truth(3, "F2021")
    rows = []
    for code, _group, label in truth.t3_rows():
        if code == drop:
            continue
        values = [str(int(v or 0)) for v in truth.t3_row_values(code)]
        rows.append(_row("□□□□" if code == garble else label, values))
    return rows, truth.values


def test_garbled_label_is_bound_by_position_when_row_count_is_exact() -> None:
    rows, values = _t3_rows(garble="applications.result.withheld.process_info")
    outcome = extract_applications(rows, "F2021")
    got = {c.cell: c.value for c in outcome.cells}
    assert got["applications.result.withheld.process_info@total"] == values[
        "applications.result.withheld.process_info@total"]


def test_garbled_label_is_not_bound_when_a_row_is_missing() -> None:
    rows, _ = _t3_rows(garble="applications.result.withheld.process_info",
                       drop="applications.result.unable.not_held")
    outcome = extract_applications(rows, "F2021")
    flags = {c.cell: c.flag for c in outcome.cells}
    assert flags["applications.result.withheld.process_info@total"] == "not_found"
    assert flags["applications.result.unable.not_held@total"] == "not_found"
    assert "row_unbound" in {e.code for e in outcome.errors}


def test_prose_file_is_not_a_report() -> None:
    result = extract_bytes("关于做好秋季防火工作的通知\n各单位：请做好防火工作。\n".encode(), "notice.txt")
    assert result.status == "not_a_report" and result.cells == []


def test_binary_garbage_fails_with_unknown_format() -> None:
    result = extract_bytes(bytes(range(256)) * 4, "garbage.txt")
    assert result.status == "failed" and [e.code for e in result.errors] == ["unknown_format"]


def test_empty_file_fails_with_empty_file() -> None:
    result = extract_bytes(b"  \n", "empty.txt")
    assert result.status == "failed" and [e.code for e in result.errors] == ["empty_file"]


def test_format_is_detected_from_content_not_suffix() -> None:
    assert detect_format(b"%PDF-1.7\n...", ".html") == "pdf"
    assert detect_format(b"<html><body><p>x</p></body></html>", ".doc") == "html"
    assert detect_format("标题\t值\n".encode(), ".pdf") == "txt"


def test_dash_and_blank_cells_stay_null_with_flags() -> None:
    truth = make_truth(21, "F2021")
    truth.values["applications.result.granted@legal_research"] = None
    truth.values["review.other"] = None
    text = render_tab(truth, 21).replace("\t\t", "\t—\t", 0)
    result = extract_bytes(text.encode(), "blanks.txt")
    cells = result.cell_map()
    assert cells["applications.result.granted@legal_research"].value is None
    assert cells["applications.result.granted@legal_research"].flag in ("blank", "dash")
    assert cells["review.other"].value is None
    statuses = {(c.rule, c.scope): c.status for c in result.checks}
    assert statuses[("A3", "applications.result.granted")] == "not_assessable"
    assert statuses[("A4", "review")] == "not_assessable"


def test_flattened_group_label_before_other_leaf_binds_to_other_other() -> None:
    """HTML without rowspans repeats "（六）其他处理" on every row: "3.其他" must stay other.other."""
    from gongkai.extractors.tables.applications import t3_row_code

    assert t3_row_code("三、本年度办理结果 （六）其他处理 3.其他", None) == "applications.result.other.other"
    assert t3_row_code("（六）其他处理", None) == "applications.result.other.total"
