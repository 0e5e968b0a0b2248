"""Issue 9, cell level: never a wrong number. Each case as read by a hostile reader, with its fixture.

A value must be the number printed in the report, or null with a flag. The fixtures are written
here (from tests/synth truths and renderers), each built to trip the case it is named after.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.convert.formats import detect_format
from gongkai.convert.stages import extract_bytes
from gongkai.extractors.numbers import parse_cell
from gongkai.model.result import ReportResult
from tests.synth.render_html import HtmlVariant, render_html
from tests.synth.render_markdown import MarkdownVariant, render_markdown
from tests.synth.render_text import render_oneline
from tests.synth.truth import APPLICANT_COLS, HEADINGS, T3_CORNER, T4_CODES, Truth, fmt_value, make_truth

MARKS = ("①", "¹", "₁", "²³", "⑩", "*")


def _never_wrong(result: ReportResult, truth: Truth) -> int:
    """No output value differs from the truth (nulls allowed); returns how many values were set."""
    got = result.cell_map()
    set_ = 0
    for code, want in truth.values.items():
        cell = got.get(code)
        if cell is None or cell.value is None:
            continue
        set_ += 1
        assert want is not None and math.isclose(cell.value, want, abs_tol=1e-9), (code, cell, want)
    return set_


def _with_value(truth: Truth, code: str, value: float) -> Truth:
    """``truth`` with one T3 cell changed, the row total and column sums kept consistent."""
    row, col = code.split("@")
    delta = value - (truth.values[code] or 0)
    for c in (code, f"{row}@total"):
        truth.values[c] = (truth.values[c] or 0) + delta
    if row.startswith("applications.result."):
        for c in (f"applications.result.total@{col}", "applications.result.total@total",
                  f"applications.new_received@{col}", "applications.new_received@total"):
            truth.values[c] = (truth.values[c] or 0) + delta
    return truth


# -- 1. footnote markers folded into numbers -------------------------------------------------------

@pytest.mark.parametrize("printed", ["1204①", "1204¹", "1204₁", "1204²³", "1204⑩", "①1204", "1204*"])
def test_footnote_marker_is_not_a_digit(printed: str) -> None:
    parsed = parse_cell(printed)
    assert parsed.value == 1204 and parsed.flag == "annotated"


@pytest.mark.parametrize("printed", ["12①04", "①", "1204①②x"])
def test_footnote_marker_inside_digits_is_unreadable(printed: str) -> None:
    assert parse_cell(printed).value is None


@pytest.mark.parametrize("mark", MARKS)
def test_footnote_marker_in_html_table(mark: str) -> None:
    truth = _with_value(make_truth(3, "F2021"), "applications.result.granted@natural_person", 1204)
    code = "applications.result.granted@natural_person"
    page = render_html(truth, HtmlVariant(printed=((code, f"1204{mark}"),)))
    result = extract_bytes(page, "marks.html")
    cell = result.cell_map()[code]
    assert (cell.value, cell.flag) == (1204, "annotated")
    assert mark in cell.raw
    _never_wrong(result, truth)


@pytest.mark.parametrize("mark", MARKS)
def test_footnote_marker_in_one_line_dump(mark: str) -> None:
    code = "applications.result.granted@natural_person"
    truth = _with_value(make_truth(5, "F2021"), code, 1204)
    dump = render_oneline(truth, 5, spaces=False)
    assert dump.count("1204") == 1
    result = extract_bytes(dump.replace("1204", f"1204{mark}").encode(), "marks.txt")
    cell = result.cell_map()[code]
    assert cell.value in (None, 1204)  # never 12041
    if cell.value is not None:
        assert cell.flag == "annotated"
    _never_wrong(result, truth)


@pytest.mark.parametrize("note", ["（其中修订 16 件）", "（含自然失效 29 件）"])
def test_note_inside_table_two_cell(note: str) -> None:
    truth = make_truth(8, "F2021")
    code = "active.normative_docs.in_force"
    truth.values[code] = 55.0
    page = render_html(truth, HtmlVariant(printed=((code, f"55{note}"),)))
    result = extract_bytes(page, "notes.html")
    cell = result.cell_map()[code]
    assert (cell.value, cell.flag) == (55, "annotated")
    _never_wrong(result, truth)


def test_note_inside_table_two_cell_in_dump() -> None:
    truth = make_truth(8, "F2021")
    truth.values["active.normative_docs.issued"] = 22.0
    dump = render_oneline(truth, 8, spaces=False)
    label = "行政规范性文件"
    at = dump.index(label) + len(label)
    dump = dump[:at] + "22（其中修订 16 件）" + dump[at + 2:]
    result = extract_bytes(dump.encode(), "notes.txt")
    assert result.cell_map()["active.normative_docs.issued"].value in (None, 22)
    _never_wrong(result, truth)


# -- 2. columns bound by the printed header ---------------------------------------------------------

@pytest.mark.parametrize("order", [(0, 2, 1, 3, 4, 5, 6), (6, 1, 2, 3, 4, 5, 0), (1, 0, 2, 3, 4, 5, 6)])
def test_swapped_applicant_columns_follow_the_header(order: tuple[int, ...]) -> None:
    truth = make_truth(12, "F2021", big=True)
    result = extract_bytes(render_html(truth, HtmlVariant(merged=False, t3_order=order)), "swapped.html")
    got = result.cell_map()
    for code, want in truth.values.items():
        if code.startswith("applications."):
            assert got[code].value == want, (code, got[code], want)


def test_swapped_review_groups_follow_the_header() -> None:
    truth = make_truth(13, "F2021")
    for i, code in enumerate(T4_CODES):  # distinct values, so a wrong binding shows
        truth.values[code] = float(i % 5 * 10 + i // 5 + 1) if not code.endswith("total") else 0.0
    for group in ("review", "litigation.direct", "litigation.after_review"):
        truth.values[f"{group}.total"] = sum(truth.values[f"{group}.{leaf}"] or 0
                                             for leaf in ("upheld", "corrected", "other", "pending"))
    result = extract_bytes(render_html(truth, HtmlVariant(merged=False, t4_order=(2, 0, 1))), "t4.html")
    got = result.cell_map()
    assert [got[c].value for c in T4_CODES] == [truth.values[c] for c in T4_CODES]


def test_header_that_cannot_be_reconciled_is_flagged() -> None:
    truth = make_truth(14, "F2021", big=True)
    page = render_html(truth, HtmlVariant(merged=False, t3_order=(0, 2, 1, 3, 4, 5, 6)))
    page = page.replace("社会公益组织".encode(), "社会组织".encode())  # one name unknown, two out of order
    result = extract_bytes(page, "mismatch.html")
    cells = [c for c in result.cells if c.table == "applications"]
    assert all(c.value is None and c.flag == "header_mismatch" for c in cells if c.flag != "not_found")
    assert any(e.code == "header_mismatch" for e in result.errors)
    _never_wrong(result, truth)


# -- 3. a blank cell in a one-line dump ------------------------------------------------------------

def test_blank_cell_in_one_line_dump_is_not_a_number() -> None:
    truth = make_truth(21, "F2021")
    truth.values["active.normative_docs.issued"] = None
    truth.values["active.normative_docs.repealed"] = 0.0
    truth.values["active.normative_docs.in_force"] = 3529.0
    dump = render_oneline(truth, 21, spaces=False)
    assert "行政规范性文件03529" in dump
    result = extract_bytes(dump.encode(), "blank.txt")
    got = result.cell_map()
    assert got["active.normative_docs.issued"].value is None  # blank | 0 | 3529 or 0 | 35 | 29 …
    assert got["active.normative_docs.issued"].flag == "ambiguous"
    _never_wrong(result, truth)


# -- 4. format sniffing ----------------------------------------------------------------------------

def _padded_markdown(truth: Truth) -> bytes:
    text = render_markdown(truth, MarkdownVariant()).decode()
    at = text.index(HEADINGS[0])
    prose = "本年度，本机关认真贯彻落实《条例》，不断提升政府信息公开工作质量。\n\n" * 120
    return (text[:at] + HEADINGS[0] + "\n\n" + prose + text[at + len(HEADINGS[0]):]).encode()


def test_markdown_saved_as_txt_with_first_table_after_4kb() -> None:
    truth = make_truth(31, "F2021")
    data = _padded_markdown(truth)
    assert data.index(b"| --- |") > 8192
    assert detect_format(data, ".txt") == "md"
    result = extract_bytes(data, "report.txt")
    assert _never_wrong(result, truth) == len(truth.values)


def test_pipe_tables_in_text_file_without_separator_rows() -> None:
    from gongkai.extractors.readers.text import read

    truth = make_truth(32, "F2021")
    text = render_markdown(truth, MarkdownVariant(separator=False)).decode()
    document = read(text.encode(), "report.txt")
    assert sum(1 for _ in document.tables()) >= 3
    result = extract_bytes(text.encode(), "report.txt")
    assert _never_wrong(result, truth) == len(truth.values)


# -- 5. Markdown from PDF converters ---------------------------------------------------------------

def _converter_markdown(truth: Truth, rng: random.Random, order: tuple[int, ...] | None = None,
                        stray: tuple[int, ...] | None = None) -> bytes:
    """T3 as an OCR/LLM converter writes it: a mini-table per row under generic headers 数据1…,
    header cells split (商业企|业), some labels on their own line above a numbers-only row, and a
    stray header row over the last rows."""
    lines = [truth.title, "", HEADINGS[0], "", "本年度工作有序开展。", "", HEADINGS[1], ""]
    for block, columns, rows in truth.t2_blocks():
        lines += [f"| {block} | {' | '.join(columns)} |", "|---|" + "---|" * len(columns)]
        lines += [f"| {label} | {' | '.join(fmt_value(truth.values[c]) for c in codes)} |" for label, codes in rows]
        lines.append("")
    names = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    columns = order or tuple(range(7))
    header = " | ".join(names[i] for i in columns) if order else " | ".join(names).replace("商业企业", "商业企 | 业")
    lines += [HEADINGS[2], "", f"| {T3_CORNER} | 申请人情况 |", "|---|---|", f"| | {header} |", ""]
    generic = "| " + " | ".join(f"数据{i}" for i in range(1, 9)) + " |"
    rows = truth.t3_rows()
    for index, (code, group, label) in enumerate(rows):
        values = " | ".join(fmt_value(truth.t3_row_values(code)[i]) for i in columns)
        shown = f"{group}{label}" if group else label
        if index == len(rows) - 3:
            lines += [f"| {' | '.join(names[i] for i in stray or columns)} |", "|---|---|---|---|---|---|---|"]
        detached = rng.random()
        if detached < 0.2:  # the label alone in a one-cell row, its numbers in the next mini-table
            lines += [f"| {shown} |", "", generic, "|---" * 8 + "|", f"| | {values} |", ""]
        elif detached < 0.4:  # the label in a row of blank cells, its numbers in the row below
            lines += [generic, "|---" * 8 + "|", f"| {shown} |" + " |" * 7, f"| | {values} |", ""]
        else:
            lines += [generic, "|---" * 8 + "|", f"| {shown} | {values} |", ""]
    lines += [HEADINGS[3], "", "| 行政复议 | 行政诉讼 |", "|---|---|",
              "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |",
              "| " + " | ".join(fmt_value(v) for v in truth.t4_values()) + " |", "",
              HEADINGS[4], "", "无。", "", HEADINGS[5], "", "无。"]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("seed", [41, 42, 43])
def test_converter_markdown_is_bound_by_row_labels(seed: int) -> None:
    truth = make_truth(seed, "F2021")
    data = _converter_markdown(truth, random.Random(seed))
    assert data.count(b"| | ") >= 3  # some labels are detached from their numbers
    result = extract_bytes(data, "converted.md")
    _never_wrong(result, truth)
    got = result.cell_map()
    t3 = [c for c in truth.values if c.startswith("applications.")]
    assert all(got[c].value == truth.values[c] for c in t3), [
        (c, got[c].value, truth.values[c]) for c in t3 if got[c].value != truth.values[c]][:5]


def test_converter_markdown_with_swapped_columns_follows_the_header() -> None:
    truth = make_truth(44, "F2021", big=True)
    data = _converter_markdown(truth, random.Random(44), order=(0, 1, 3, 2, 4, 5, 6))
    result = extract_bytes(data, "converted.md")
    got = result.cell_map()
    assert all(got[c].value == truth.values[c] for c in truth.values if c.startswith("applications."))


def test_converter_markdown_stray_header_that_disagrees_is_not_followed() -> None:
    truth = make_truth(45, "F2021", big=True)
    data = _converter_markdown(truth, random.Random(45), order=(0, 1, 3, 2, 4, 5, 6), stray=tuple(range(7)))
    result = extract_bytes(data, "converted.md")
    _never_wrong(result, truth)
    last = truth.t3_rows()[-1][0]
    assert result.cell_map()[f"{last}@legal_research"].flag == "header_mismatch"


# -- property: random marks, blanks, swapped columns and notes never give a wrong value ------------

def _mutate(truth: Truth, rng: random.Random) -> tuple[tuple[str, str], ...]:
    """Blank some zero cells; print footnote marks and notes on some others."""
    printed: list[tuple[str, str]] = []
    for code, value in sorted(truth.values.items()):
        if value == 0 and rng.random() < 0.2:
            truth.values[code] = None
        elif value is not None and rng.random() < 0.05:
            text = fmt_value(value)
            printed.append((code, rng.choice([f"{text}{rng.choice(MARKS)}", f"{rng.choice(MARKS[:3])}{text}",
                                              f"{text}（其中修订 {rng.randint(1, 9)} 件）"])))
    return tuple(printed)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), permute=st.booleans(), t4=st.booleans())
def test_property_html_never_wrong(seed: int, permute: bool, t4: bool) -> None:
    rng = random.Random(seed)
    truth = make_truth(seed)
    printed = _mutate(truth, rng)
    order = tuple(rng.sample(range(len(APPLICANT_COLS)), len(APPLICANT_COLS))) if permute else None
    variant = HtmlVariant(merged=order is None and rng.random() < 0.5, t3_order=order,
                          t4_order=tuple(rng.sample(range(3), 3)) if t4 else None, printed=printed)
    result = extract_bytes(render_html(truth, variant), f"p{seed}.html")
    assert _never_wrong(result, truth) > len(truth.values) // 2


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_property_dump_never_wrong(seed: int) -> None:
    rng = random.Random(seed)
    truth = make_truth(seed)
    for code, value in truth.values.items():
        if value == 0 and rng.random() < 0.15:
            truth.values[code] = None
    dump = render_oneline(truth, seed)
    # a footnote mark or a note after some numbers (after a digit, before a label character)
    chars = list(dump)
    for i in range(1, len(chars) - 1):
        if chars[i - 1].isdigit() and "\u4e00" <= chars[i] <= "\u9fff" and rng.random() < 0.3:
            note = rng.choice([*MARKS, f"（其中修订 {rng.randint(1, 99)} 件）"])
            chars[i] = note + chars[i]
    _never_wrong(extract_bytes("".join(chars).encode(), f"d{seed}.txt"), truth)
