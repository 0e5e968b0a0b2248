"""Issue 9: ``gongkai show`` lays out each table in the layout it was read in. A hybrid report
(table 二 in the F2021 wording, 三 and 四 in F2019) used to print 二 by the report's layout
(F2019): every F2021 value hidden behind "?"."""

from __future__ import annotations

from rich.console import Console

from gongkai.cli.show import render_result, table_layout
from gongkai.convert.stages import extract_bytes
from gongkai.model.result import ReportResult
from tests.synth.render_text import render_tab
from tests.synth.truth import T2_BLOCKS_2021, make_truth


def _section_two(text: str) -> str:
    return text[text.index("二、主动公开政府信息情况"): text.index("三、收到和处理政府信息公开申请情况")]


def _hybrid() -> tuple[ReportResult, dict[str, float | None]]:
    """An F2019 report (year 2020) whose table 二 is printed in the F2021 wording."""
    new, old = make_truth(3, "F2021"), make_truth(5, "F2019")
    text = render_tab(old)
    text = text.replace(_section_two(text), _section_two(render_tab(new)))
    result = extract_bytes(text.encode("utf-8"), "hybrid.txt")
    assert result.table_templates == {"active": "F2021", "applications": "F2019", "review_litigation": "F2019"}
    assert result.template == "F2019"
    return result, new.values


def _render(result: ReportResult) -> str:
    console = Console(width=220, record=True, color_system=None)
    render_result(result, console)
    return console.export_text()


def test_each_table_is_shown_in_its_own_layout() -> None:
    result, active_truth = _hybrid()
    assert (table_layout(result, "active"), table_layout(result, "applications")) == ("F2021", "F2019")
    text = _render(result)
    two = text[text.index("二、主动公开政府信息情况"): text.index("三、收到和处理政府信息公开申请情况")]
    assert "(F2021)" in two and "本年制发件数" in two and "本年新制作数量" not in two
    assert "?" not in two
    for _block, _columns, rows in T2_BLOCKS_2021:
        for label, codes in rows:
            for code in codes:
                value = active_truth[code]
                assert value is not None and result.cell_map()[code].value == value
                shown = f"{int(value)}" if float(value).is_integer() else f"{value:g}"
                assert any(label in line and shown in line for line in two.splitlines()), (code, shown)
    three = text[text.index("三、收到和处理政府信息公开申请情况"): text.index("四、政府信息公开行政复议")]
    assert "(F2019)" in three and "（六）其他处理" in three and "?" not in three
    assert "template: F2019 (二 F2021, 三 F2019, 四 F2019)" in text


def test_a_missing_table_falls_back_to_the_report_layout() -> None:
    result, _ = _hybrid()
    result.table_templates.pop("applications")
    assert table_layout(result, "applications") == "F2019"
    result.table_templates, result.template = {}, "UNKNOWN"
    assert table_layout(result, "active") == "F2021"
