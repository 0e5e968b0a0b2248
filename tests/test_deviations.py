"""Regression tests for the deviations D1–D27 of docs/form.md § Deviations, one (or more) per deviation.

Each test builds a synthetic report (from a known Truth, rendered as text or HTML and then
modified to show the deviation), extracts it end to end and asserts what docs/form.md says gongkai does: the
right value where it can be read, null with the right flag where it cannot, never a wrong number.
"""

from __future__ import annotations

import math
import re

from gongkai.convert.stages import extract_bytes
from gongkai.model.result import ReportResult
from tests.synth.compare import assert_matches_truth
from tests.synth.render_html import HtmlVariant, render_html
from tests.synth.render_text import render_tab
from tests.synth.truth import APPLICANT_COLS, HEADINGS, Truth, fmt_value, make_truth

NULL_FLAGS = ("blank", "dash")


def _text(text: str, name: str = "deviation.txt") -> ReportResult:
    return extract_bytes(text.encode("utf-8"), name)


def _html(page: str | bytes, name: str = "deviation.html") -> ReportResult:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return extract_bytes(data, name)


def _page(truth: Truth, variant: HtmlVariant | None = None) -> str:
    return render_html(truth, variant).decode("utf-8")


def _assert_exact(result: ReportResult, truth: Truth, skip: tuple[str, ...] = ()) -> None:
    assert_matches_truth(result, truth, null_flags=NULL_FLAGS, skip=skip, check_year=False, every_code=False)


def _assert_never_wrong(result: ReportResult, truth: Truth) -> int:
    """Every non-null value equals the truth; returns how many cells were read."""
    read = 0
    for cell in result.cells:
        if cell.value is None:
            continue
        want = truth.values.get(cell.cell)
        assert want is not None and math.isclose(cell.value, want, abs_tol=1e-9), (cell, want)
        read += 1
    return read


def _codes(result: ReportResult) -> set[str]:
    return {e.code for e in result.errors}


def _status(result: ReportResult, rule: str, scope: str) -> str:
    return next(c.status for c in result.checks if c.rule == rule and c.scope == scope)


def _all_pass(result: ReportResult) -> bool:
    return all(c.status == "pass" for c in result.checks)


# ---------------------------------------------------------------- D1 / D27 headings


def test_d1_heading_wording_variants() -> None:
    truth = make_truth(101, "F2021")
    text = render_tab(truth, 101)
    text = text.replace(HEADINGS[3], "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况")
    text = text.replace(HEADINGS[4], "五、政府信息公开工作存在的主要问题及改进情况")
    result = _text(text)
    assert "section_missing" not in _codes(result)
    headings = {s.section: s.heading for s in result.sections}
    assert headings[4] == "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"
    assert headings[5] == "五、政府信息公开工作存在的主要问题及改进情况"
    _assert_exact(result, truth)
    assert result.status == "ok"


def test_d1_short_problems_heading() -> None:
    truth = make_truth(102, "F2021")
    result = _text(render_tab(truth, 102).replace(HEADINGS[4], "五、存在问题及改进情况"))
    assert {s.section: s.heading for s in result.sections}[5] == "五、存在问题及改进情况"
    assert "section_missing" not in _codes(result)


def test_d27_section_title_variants_in_preamble_and_headings() -> None:
    truth = make_truth(127, "F2019")
    text = render_tab(truth, 127)
    text = text.replace(HEADINGS[2], "三、依申请公开政府信息情况")
    text = text.replace(HEADINGS[3], "四、因政府信息公开申请行政复议和提起行政诉讼情况")
    text = text.replace(HEADINGS[4], "五、存在的主要问题和改进情况")
    preamble = ("本报告由一、总体情况，二、主动公开政府信息情况，三、依申请公开政府信息情况，"
                "四、因政府信息公开申请行政复议和提起行政诉讼情况，五、存在的主要问题和改进情况，"
                "六、其他需要报告的事项等部分组成。")
    lines = text.split("\n")
    lines.insert(2, preamble)
    result = _text("\n".join(lines))
    headings = {s.section: s.heading for s in result.sections}
    assert headings[3] == "三、依申请公开政府信息情况"
    assert headings[4] == "四、因政府信息公开申请行政复议和提起行政诉讼情况"
    assert headings[5] == "五、存在的主要问题和改进情况"
    assert "section_missing" not in _codes(result)
    # the section texts come from the body, not from the preamble's list of names
    assert "一是工作机制有待完善" in next(s.text for s in result.sections if s.section == 5)
    _assert_exact(result, truth)


# ---------------------------------------------------------------- D2–D4 label variants


def test_d2_article_label_spacing_and_parentheses() -> None:
    truth = make_truth(102, "F2021")
    text = render_tab(truth, 102)
    text = text.replace("第二十条第（一）项", "第二十条 第（一）项").replace("第二十条第（五）项", "第二十条第(五)项")
    text = text.replace("第二十条第（六）项", "第二十条 第 ( 六 ) 项").replace("第二十条第（八）项", "第 二十 条 第(八)项")
    result = _text(text)
    _assert_exact(result, truth)
    assert result.table_templates["active"] == "F2021"


def test_d3_item_number_styles() -> None:
    truth = make_truth(103, "F2021")
    text = render_tab(truth, 103)
    text = re.sub(r"(?m)(^|\t)(\d)[.、] ?", r"\1\2、", text)  # "1." → "1、"
    text = text.replace("（一）予以公开", "(一) 予以公开").replace("(一)予以公开", "(一) 予以公开")
    text = text.replace("\t（七）总计", "\t(七) 总计").replace("\t(七)总计", "\t(七) 总计")
    assert "(一) 予以公开" in text and "1、属于国家秘密" in text
    result = _text(text)
    _assert_exact(result, truth)
    assert _all_pass(result)


def test_d3_item_number_with_space_after_dot() -> None:
    truth = make_truth(104, "F2019")
    text = re.sub(r"(?m)(^|\t)(\d)[.、] ?", r"\1\2. ", render_tab(truth, 104))
    assert "1. 属于国家秘密" in text
    result = _text(text)
    _assert_exact(result, truth)


def test_d4_punctuation_and_quote_variants() -> None:
    truth = make_truth(105, "F2021")
    text = render_tab(truth, 105)
    text = text.replace("逾期不补正、行政机关", "逾期不补正，行政机关").replace("缴纳费用、行政机关", "缴纳费用，行政机关")
    text = text.replace("“三安全一稳定”", '"三安全一稳定"')
    text = re.sub(r"[（(]区分处理的，只计这一情形，不计其他情形[）)]", "(区分处理的, 只计这一情形, 不计其他情形)", text)
    assert '"三安全一稳定"' in text and "只计这一情形, 不计" in text
    result = _text(text)
    _assert_exact(result, truth)
    assert _all_pass(result)


# ---------------------------------------------------------------- D5 shifted columns


def test_d5_flattened_rows_with_shifted_label_columns() -> None:
    truth = make_truth(105, "F2021")
    text = render_tab(truth, 105)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        label = next((c for c in cells if c.strip()), "")
        if label.endswith("其他") and len(label) <= 5:  # "3.其他" lost its leading empties
            lines[i] = "\t".join([label, *[c for c in cells if c is not label and c != ""], "", ""])
        elif "结转下年度" in label:  # data one column further right, trailing tab cells
            lines[i] = "\t".join(["", "", "", label, *cells[cells.index(label) + 1:], "", "", ""])
    result = _text("\n".join(lines))
    _assert_exact(result, truth)
    assert result.status == "ok"


# ---------------------------------------------------------------- D6 / D24 blank cells


def test_d6_blank_leaf_cells_stay_null_and_a3_is_not_assessable() -> None:
    truth = make_truth(106, "F2019")
    leaves = [r[0] for r in truth.t3_rows() if r[0].startswith("applications.result.")
              and r[0] != "applications.result.total"]
    for leaf in leaves:  # 上海 2019: zero cells and the 总计 column of leaf rows left as &nbsp;
        for col in APPLICANT_COLS:
            if truth.values[f"{leaf}@{col}"] == 0 or col == "total":
                truth.values[f"{leaf}@{col}"] = None
    result = _html(_page(truth, HtmlVariant(nbsp_blanks=True)))
    _assert_exact(result, truth)
    cells = result.cell_map()
    assert cells["applications.result.granted@total"].flag == "blank"
    assert _status(result, "A3", "applications.result.granted") == "not_assessable"
    assert _status(result, "A3", "applications.new_received") == "pass"
    assert _status(result, "A1", "total") == "pass"
    assert "fail" not in {c.status for c in result.checks}


def test_d24_only_total_column_filled() -> None:
    truth = make_truth(124, "F2019")
    for code, _group, _label in truth.t3_rows():
        for col in APPLICANT_COLS[:-1]:
            truth.values[f"{code}@{col}"] = None
    result = _text(render_tab(truth, 124).replace("\t—\t", "\t\t").replace("\t-\t", "\t\t"))
    _assert_exact(result, truth)
    assert result.cell_map()["applications.new_received@natural_person"].value is None
    assert _status(result, "A3", "applications.new_received") == "not_assessable"
    assert _status(result, "A1", "total") == "pass"
    assert _status(result, "A2", "total") == "pass"
    assert _status(result, "A1", "natural_person") == "not_assessable"


# ---------------------------------------------------------------- D7 broken header text


def test_d7_header_text_broken_by_spaces_and_line_breaks() -> None:
    truth = make_truth(107, "F2019")
    page = _page(truth)
    page = page.replace(">商业企业<", ">商 业 企 业<").replace(">法律服务机构<", ">法 律 服 务 机构<")
    page = page.replace(">结果维持<", ">结果 维持<").replace(">本年新制作数量<", ">本年新<br />制作数量<")
    vertical = "<br />".join("三、本年度办理结果")
    page = page.replace(">三、本年度办理结果<", f">{vertical}<")
    assert "商 业 企 业" in page and vertical in page
    result = _html(page)
    _assert_exact(result, truth)
    assert result.table_templates == {"active": "F2019", "applications": "F2019", "review_litigation": "F2019"}
    assert _all_pass(result)


# ---------------------------------------------------------------- D8 units


def test_d8_unit_inside_procurement_cell_and_decimal_fee() -> None:
    truth = make_truth(108, "F2019")
    truth.values["active.central_procurement.amount"] = 251000.0
    page = _page(truth).replace(">251000<", ">251000元<")
    assert ">251000元<" in page
    result = _html(page)
    _assert_exact(result, truth)
    amount = result.cell_map()["active.central_procurement.amount"]
    assert amount.value == 251000 and amount.unit == "元" and amount.raw == "251000元"


def test_d8_fee_amount_in_wan_yuan_is_a_decimal() -> None:
    truth = make_truth(109, "F2021")
    truth.values["active.admin_fees.amount_wan_yuan"] = 32.781
    result = _text(render_tab(truth, 109))
    fee = result.cell_map()["active.admin_fees.amount_wan_yuan"]
    assert fee.value == 32.781 and fee.unit == "万元"


# ---------------------------------------------------------------- D9 / D10 page breaks and wrapped labels


def test_d9_page_number_line_inside_table() -> None:
    truth = make_truth(109, "F2021")
    lines = render_tab(truth, 109).split("\n")
    at = next(i for i, line in enumerate(lines) if "属于三类内部事务信息" in line)
    lines[at:at] = ["", "-4-", ""]  # the footer of page 4, then the rows go on without a header
    at = next(i for i, line in enumerate(lines) if "行政规范性文件" in line)
    lines[at:at] = ["- 3 -"]
    result = _text("\n".join(lines))
    _assert_exact(result, truth)
    assert result.status == "ok"


def _stream_t3(truth: Truth, wrap: bool) -> str:
    """Section 三 as a text dump with one space between values, the way a text layer prints it."""
    out = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
           "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    for code, group, label in truth.t3_rows():
        numbers = " ".join(fmt_value(v) for v in truth.t3_row_values(code))
        if group is not None and code.endswith((".state_secret", ".not_held", ".petition_complaint",
                                                ".no_correction")):
            out.append(group)
        if wrap and code == "applications.result.partial":
            out += ["（二）部分公开（区分处理的，只计这一情", numbers, "形，不计其他情形）"]
        elif wrap and code == "applications.result.unable.not_held":
            out += ["1.本机关不掌握相关政府", numbers, "信息"]
        else:
            out.append(f"{label} {numbers}")
    return "\n".join(out)


def test_d10_numbers_printed_between_fragments_of_a_wrapped_label() -> None:
    truth = make_truth(110, "F2021")
    text = render_tab(truth, 110)
    start = text.index(HEADINGS[2]) + len(HEADINGS[2])
    end = text.index(HEADINGS[3])
    result = _text(text[:start] + "\n" + _stream_t3(truth, wrap=True) + "\n\n" + text[end:])
    read = _assert_never_wrong(result, truth)
    cells = result.cell_map()
    t3 = [c for c in result.cells if c.table == "applications"]
    assert len(t3) == 25 * 7
    for cell in t3:
        assert cell.value is not None or cell.flag in ("ambiguous", "unreadable"), cell
    assert read > 0
    # the wrapped rows are bound to their own labels (values never slide into the next row); with
    # one value per column the row sums (A1–A3) fix every split of this report
    for code in ("applications.result.partial", "applications.result.unable.not_held",
                 "applications.result.withheld.state_secret", "applications.result.unable.needs_creation"):
        for col in APPLICANT_COLS:
            assert cells[f"{code}@{col}"].value == truth.values[f"{code}@{col}"], (code, col)


# ---------------------------------------------------------------- D11 / D12 table 二 shapes


def test_d11_colspan_misalignment_in_table_two() -> None:
    truth = make_truth(111, "F2019")
    v = truth.values
    page = _page(truth)
    cell = '<td style="border:solid windowtext 1.0pt"><p align="center">{}</p></td>'
    wide = '<td colspan="2" style="border:solid windowtext 1.0pt"><p align="center">{}</p></td>'
    block5 = (
        "<tr>" + wide.format("第二十条第（五）项").replace('colspan="2"', 'colspan="5"') + "</tr>"
        "<tr>" + cell.format("信息内容") + cell.format("上一年项目数量") + wide.format("本年增/减")
        + cell.format("处理决定数量") + "</tr>"
        + "".join("<tr>" + cell.format(label) + wide.format(fmt_value(v[f"{p}.items_prev_year"]))
                  + cell.format(fmt_value(v[f"{p}.items_change"])) + cell.format(fmt_value(v[f"{p}.decisions"]))
                  + "</tr>"
                  for label, p in (("行政许可", "active.licensing"),
                                   ("其他对外管理服务事项", "active.other_admin_services")))
    )
    t2_start = page.index("<table")
    t2_end = page.index("</table>", t2_start) + len("</table>")
    table = f'<table border="1">{block5}</table>'
    page = page[:t2_start] + table + page[t2_end:]
    result = _html(page)
    cells = result.cell_map()
    for p in ("active.licensing", "active.other_admin_services"):
        for leaf in ("items_prev_year", "items_change", "decisions"):
            assert cells[f"{p}.{leaf}"].value == v[f"{p}.{leaf}"], (p, leaf)
    assert cells["active.regulations.issued"].flag == "not_found"


def test_d12_table_two_as_four_separate_tables() -> None:
    truth = make_truth(112, "F2021")
    page = _page(truth)
    t2_start = page.index("<table")
    t2_end = page.index("</table>", t2_start) + len("</table>")
    rows = re.findall(r"<tr>.*?</tr>", page[t2_start:t2_end], flags=re.S)
    blocks: list[list[str]] = []
    for row in rows:
        if "第二十条" in row:
            blocks.append([])
        blocks[-1].append(row)
    assert len(blocks) == 4
    tables = "\n".join('<p>（表）</p><table border="1"><tbody>' + "".join(b) + "</tbody></table>" for b in blocks)
    result = _html(page[:t2_start] + tables + page[t2_end:])
    _assert_exact(result, truth)
    assert result.status == "ok"


def test_d12_block_headers_as_rows_with_trailing_empty_cells() -> None:
    truth = make_truth(113, "F2021")
    text = render_tab(truth, 113)
    assert "第二十条第（一）项\t\t\t" in text
    result = _text(text)
    _assert_exact(result, truth)
    assert "row_unbound" not in _codes(result)


# ---------------------------------------------------------------- D13 all-zero tables


def test_d13_all_zero_tables_are_values_not_failures() -> None:
    truth = make_truth(113, "F2021")
    for code in truth.values:
        truth.values[code] = 0.0
    text = render_tab(truth, 113).replace("一是工作机制有待完善。",
                                          "本机关无行政许可、行政处罚、行政强制职能，故无此类公开信息。暂不接受依申请公开。")
    result = _text(text)
    _assert_exact(result, truth)
    assert all(c.value == 0 for c in result.cells)
    assert result.status == "ok" and "tables_empty" not in _codes(result)
    assert _all_pass(result)


# ---------------------------------------------------------------- D14 extra subtotal rows / column


_GROUPS = ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")


def _with_subtotals(truth: Truth, subtotal_column: bool, subtotal_rows: bool) -> str:
    """Table 三 of a derived template: group subtotal rows and a 法人或其他组织小计 column."""
    lines = ["三、收到和处理政府信息公开申请情况"]
    head = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"]
    lines.append("\t".join(head + [""] * (8 if subtotal_column else 7)))
    lines.append("\t".join(["", "", "", "自然人", "法人或其他组织", "", "", "", "", ""]
                           + ([""] if subtotal_column else []) + ["总计"]))
    legal = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    lines.append("\t".join(["", "", "", ""] + legal + (["法人或其他组织小计"] if subtotal_column else []) + [""]))

    def numbers(values: list[float | None]) -> list[str]:
        out = [fmt_value(x) for x in values]
        if subtotal_column:
            out.insert(6, fmt_value(sum(x or 0 for x in values[1:6])))
        return out

    seen: set[str] = set()
    for code, group, label in truth.t3_rows():
        if subtotal_rows and group is not None and group not in seen:
            seen.add(group)
            members = [r[0] for r in truth.t3_rows() if r[1] == group]
            sums = [sum(truth.values[f"{m}@{c}"] or 0 for m in members) for c in APPLICANT_COLS]
            lines.append("\t".join(["", group, "", *numbers(list(sums))]))
        lines.append("\t".join(["", group or "", label, *numbers(truth.t3_row_values(code))]))
    return "\n".join(lines)


def _replace_t3(text: str, t3: str) -> str:
    start = text.index(HEADINGS[2])
    end = text.index(HEADINGS[3])
    return text[:start] + t3 + "\n\n" + text[end:]


def test_d14_subtotal_rows_and_subtotal_column_do_not_shift_values() -> None:
    truth = make_truth(114, "F2021")
    result = _text(_replace_t3(render_tab(truth, 114), _with_subtotals(truth, True, True)))
    _assert_exact(result, truth)
    assert result.status == "ok"
    assert _all_pass(result)
    assert not {"row_unbound", "value_count_mismatch"} & _codes(result)


def test_d14_subtotal_rows_only() -> None:
    truth = make_truth(115, "F2019")
    result = _text(_replace_t3(render_tab(truth, 115), _with_subtotals(truth, False, True)))
    _assert_exact(result, truth)
    assert _all_pass(result)
    assert "row_unbound" not in _codes(result)


def test_d14_subtotal_column_that_disagrees_is_never_taken_as_a_value() -> None:
    truth = make_truth(116, "F2021")
    t3 = _with_subtotals(truth, True, False)
    broken = t3.replace("\t法人或其他组织小计", "\t法人或其他组织小计")
    lines = broken.split("\n")
    row = next(i for i, line in enumerate(lines) if "本年新收" in line)
    cells = lines[row].split("\t")
    cells[3 + 6] = str(int(cells[3 + 6]) + 1)  # the printed subtotal is off by one
    lines[row] = "\t".join(cells)
    result = _text(_replace_t3(render_tab(truth, 116), "\n".join(lines)))
    _assert_never_wrong(result, truth)
    cells_out = result.cell_map()
    assert cells_out["applications.new_received@total"].value == truth.values["applications.new_received@total"]


# ---------------------------------------------------------------- D15 citation noise in 六


def test_d15_ill_formed_citation_in_section_six() -> None:
    truth = make_truth(115, "F2021")
    six = ("依据《国务院办公厅关于印发政府信息公开信息处理费管理办法》的通知》国办函〔2020〕109号，"
           "本年度没有产生信息公开处理费。")
    text = render_tab(truth, 115).replace("\n无。", "\n" + six)
    result = _text(text)
    _assert_exact(result, truth)
    other = next(s for s in result.sections if s.section == 6)
    assert other.text == six


# ---------------------------------------------------------------- D16 spaces inside numbers


def test_d16_spaces_in_years_and_numbers() -> None:
    truth = make_truth(116, "F2021")
    truth.values["active.licensing.decisions"] = 5500.0
    text = render_tab(truth, 116)
    text = text.replace(HEADINGS[0] + "\n", HEADINGS[0] + "\n本年度主动公开政府信息 5500 余条，其中 200余条为政策文件。\n")
    text = text.replace("行政许可\t5500", "行政许可\t5 500")
    assert f"{truth.issuer} {truth.year} 年" in text and "行政许可\t5 500" in text
    result = _text(text)
    assert result.year == truth.year
    _assert_exact(result, truth)
    assert result.cell_map()["active.licensing.decisions"].raw == "5 500"


def test_d16_space_inside_digits_of_a_cell_is_unreadable() -> None:
    truth = make_truth(117, "F2021")
    truth.values["active.licensing.decisions"] = 5500.0
    text = render_tab(truth, 117).replace("行政许可\t5500", "行政许可\t55 00")
    result = _text(text)
    cell = result.cell_map()["active.licensing.decisions"]
    assert cell.value is None and cell.flag == "unreadable"
    _assert_never_wrong(result, truth)
    assert result.status == "partial"


def test_d16_unreadable_cell_inside_a_row_does_not_shift_the_others() -> None:
    truth = make_truth(118, "F2021")
    lines = render_tab(truth, 118).split("\n")
    at = next(i for i, line in enumerate(lines) if "本年新收" in line)
    cells = lines[at].split("\t")
    first = next(i for i, c in enumerate(cells) if c and c[0].isdigit())
    cells[first + 2] = "1 2"  # legal_research printed with a stray space: not one number
    lines[at] = "\t".join([*cells, "", "", ""])  # trailing empty cells that could take the slack
    result = _text("\n".join(lines))
    got = result.cell_map()
    bad = got["applications.new_received@legal_research"]
    assert bad.value is None and bad.flag == "unreadable" and bad.raw == "1 2"
    for col in APPLICANT_COLS:
        if col != "legal_research":
            assert got[f"applications.new_received@{col}"].value == truth.values[f"applications.new_received@{col}"]
    assert _status(result, "A3", "applications.new_received") == "not_assessable"
    _assert_never_wrong(result, truth)


# ---------------------------------------------------------------- D17 合计 for 总计


def test_d17_heji_for_zongji() -> None:
    truth = make_truth(117, "F2021")
    text = render_tab(truth, 117)
    start, end = text.index(HEADINGS[2]), text.index(HEADINGS[4])
    text = text[:start] + text[start:end].replace("总计", "合计") + text[end:]
    assert "（七）合计" in text or "(七)合计" in text
    result = _text(text)
    _assert_exact(result, truth)
    assert _all_pass(result)


# ---------------------------------------------------------------- D18 empty section 六


def test_d18_section_six_reduced_to_wu_and_overview_without_subheads() -> None:
    truth = make_truth(118, "F2019")
    result = _text(render_tab(truth, 118))
    sections = {s.section: s for s in result.sections}
    assert sections[6].text == "无。"
    assert "section_missing" not in _codes(result)
    _assert_exact(result, truth)


def test_d18_section_six_heading_with_nothing_after_it() -> None:
    truth = make_truth(119, "F2021")
    text = render_tab(truth, 119).rstrip().removesuffix("无。")
    result = _text(text)
    assert {s.section: s.text for s in result.sections}[6] == ""
    assert "section_missing" not in _codes(result)
    assert result.status == "ok"


# ---------------------------------------------------------------- D19 tables missing


def test_d19_tables_missing_give_table_absent_not_zeros() -> None:
    truth = make_truth(119, "F2021")
    text = render_tab(truth, 119)
    two, _three, four = (text.index(h) for h in HEADINGS[1:4])
    text = (text[:two] + HEADINGS[1] + "\n2025年,共制作规范性文件1份。行政事业性收费0项,本年度无增减。\n\n\n"
            + HEADINGS[2] + "\n本机关2025年度共收到政府信息公开申请3件，均已按时答复。\n\n\n" + text[four:])
    result = _text(text)
    absent = [e.message for e in result.errors if e.code == "table_absent"]
    assert len(absent) == 2 and "active" in absent[0] and "applications" in absent[1]
    for cell in result.cells:
        if cell.table in ("active", "applications"):
            assert cell.value is None and cell.flag == "not_found", cell
    _assert_never_wrong(result, truth)
    assert result.cell_map()["review.total"].value == truth.values["review.total"]
    assert result.status == "partial"


# ---------------------------------------------------------------- D20 prose between heading and table


def test_d20_prose_between_heading_and_table() -> None:
    truth = make_truth(120, "F2021")
    page = _page(truth)
    page = page.replace(f"<p><strong>{HEADINGS[1]}</strong></p>",
                        f"<p><strong>{HEADINGS[1]}</strong></p><p>全年无行政许可、行政处罚、行政强制无行政事业性收费。</p>")
    page = page.replace(f"<p><strong>{HEADINGS[2]}</strong></p>",
                        f"<p><strong>{HEADINGS[2]}</strong></p><p>分局2023年度未收到政府信息公开申请。</p>"
                        "<p>具体情况见下表：</p>")
    result = _html(page)
    _assert_exact(result, truth)
    assert result.status == "ok"


def test_d20_prose_between_heading_and_table_in_text() -> None:
    truth = make_truth(121, "F2019")
    text = render_tab(truth, 121).replace(HEADINGS[2] + "\n", HEADINGS[2] + "\n分局2020年度收到申请12件。\n")
    result = _text(text)
    _assert_exact(result, truth)


# ---------------------------------------------------------------- D21 / D22 version detection


def test_d21_report_citing_60hao_with_f2021_tables_is_f2021() -> None:
    truth = make_truth(121, "F2021")
    truth.year = 2023
    text = render_tab(truth, 121)
    text = text.replace("本报告根据", "本报告根据国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》和", 1)
    result = _text(text)
    assert result.year == 2023 and result.template == "F2021"
    _assert_exact(result, truth)


def test_d21_table_labels_beat_the_year() -> None:
    truth = make_truth(122, "F2021")
    truth.year = 2020  # the year says F2019, the tables say F2021
    result = _text(render_tab(truth, 122))
    assert result.template == "F2021"
    assert set(result.table_templates.values()) == {"F2021"}
    _assert_exact(result, truth)


def test_d22_f2019_wording_inside_f2021_table_two() -> None:
    truth = make_truth(122, "F2021")
    text = render_tab(truth, 122).replace("本年处理决定数量", "处理决定数量 (2023年办件量)")
    text = text.replace(HEADINGS[5] + "\n\n无。", HEADINGS[5] + "\n\n行政事业性收费0项,本年度无增减。")
    result = _text(text)
    _assert_exact(result, truth)
    assert result.table_templates["active"] == "F2021"


# ---------------------------------------------------------------- D23 Hubei F2019 variants


def test_d23_hubei_extra_row_annotations_and_writing_note() -> None:
    truth = make_truth(123, "F2019")
    truth.values["active.coercion.items_change"] = None  # "-" in the cell
    truth.values["active.admin_fees.items_prev_year"] = None  # an empty 行政事业性收费 row
    truth.values["active.admin_fees.items_change"] = None
    text = render_tab(truth, 123)
    text = text.replace(HEADINGS[1], "二、行政机关主动公开政府信息情况")
    text = text.replace(HEADINGS[2], "三、行政机关收到和处理政府信息公开申请情况\n"
                        "编写说明:可先适当综述。要注意数据间的逻辑关系:第一项加第二项之和,等于第三项加第四项之和。"
                        "“其他处理”项目:主要考虑极少数特殊情况。")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("规范性文件\t"))
    lines.insert(at + 1, "其他主动公开文件\t9\t9\t9")
    text = "\n".join(lines)
    text = text.replace("上一年项目数量", "上一年项目数量(指2019年事项数)")
    text = text.replace("本年增/减", "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)")
    text = text.replace("\t处理决定数量", "\t处理决定数量(指2020年办件量)")
    text = text.replace("\n规章\t", "\n规章(设区的市、自治州人民政府应提供相关数据)\t")
    text = re.sub(r"(?m)^(行政强制\t[^\t]*\t)[^\t]*", r"\1-", text)
    result = _text(text)
    headings = {s.section: s.heading for s in result.sections}
    assert headings[2] == "二、行政机关主动公开政府信息情况"
    assert headings[3].startswith("三、行政机关收到和处理政府信息公开申请情况")
    assert "section_missing" not in _codes(result)
    _assert_exact(result, truth)
    cells = result.cell_map()
    assert cells["active.coercion.items_change"].flag == "dash"
    assert cells["active.admin_fees.items_prev_year"].flag in NULL_FLAGS
    # the extra row is reported, never bound to 规章 or 规范性文件
    assert any(e.code == "row_unbound" and "其他主动公开文件" in e.message for e in result.errors)
    assert "编写说明" not in next(s.text for s in result.sections if s.section == 3)


# ---------------------------------------------------------------- D25 blank template


def test_d25_blank_template_gives_all_null_and_tables_empty() -> None:
    truth = make_truth(125, "F2021")
    for code in truth.values:
        truth.values[code] = None
    result = _html(_page(truth, HtmlVariant(nbsp_blanks=True)))
    assert result.cells and all(c.value is None and c.flag == "blank" for c in result.cells)
    assert "tables_empty" in _codes(result)
    assert result.template == "F2021"
    assert all(c.status == "not_assessable" for c in result.checks)


# ---------------------------------------------------------------- D26 truncated labels


def test_d26_truncated_header_label_and_preamble_typo() -> None:
    truth = make_truth(126, "F2021")
    truth.year = 2020
    text = render_tab(truth, 126).replace("现行有效件数", "现行有效件")
    text = text.replace("本报告根据", "本报告统计期限为2020年1月1日至202020年12月31日。本报告根据", 1)
    result = _text(text)
    assert result.year == 2020
    _assert_exact(result, truth)
    assert result.table_templates["active"] == "F2021"


def test_d26_truncated_header_is_the_only_version_marker() -> None:
    truth = make_truth(127, "F2021")
    text = render_tab(truth, 127).replace("现行有效件数", "现行有效件").replace("本年制发件数", "制发件数")
    text = text.replace("本年废止件数", "废止件数").replace("本年收费金额", "收费金额")
    result = _text(text)
    _assert_exact(result, truth)


# ---------------------------------------------------------------- transposed T3 (docs/form.md § Deviations, last note)


def _transposed_t3(truth: Truth) -> str:
    rows = truth.t3_rows()
    names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    lines = [HEADINGS[2], "\t".join(["申请人情况", *(label for _c, _g, label in rows)])]
    for col, name in zip(APPLICANT_COLS, names, strict=True):
        lines.append("\t".join([name, *(fmt_value(truth.values[f"{code}@{col}"]) for code, _g, _l in rows)]))
    return "\n".join(lines)


def test_transposed_table_three_is_read_by_swapping_rows_and_columns() -> None:
    truth = make_truth(128, "F2021")
    result = _text(_replace_t3(render_tab(truth, 128), _transposed_t3(truth)))
    _assert_exact(result, truth)
    assert result.status == "ok" and _all_pass(result)


def test_transposed_table_three_with_an_odd_shape_gives_no_wrong_numbers() -> None:
    truth = make_truth(129, "F2019")
    t3 = _transposed_t3(truth).replace("\t（七）总计", "\t（七）总计\t备注")  # one header cell too many
    result = _text(_replace_t3(render_tab(truth, 129), t3))
    _assert_never_wrong(result, truth)
    assert result.cell_map()["review.total"].value == truth.values["review.total"]
