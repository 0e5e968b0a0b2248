"""``gongkai show``: one report's three tables and its checks in the terminal (Chinese labels aligned)."""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from gongkai import PIPELINE_VERSION
from gongkai.model.result import CellValue, CheckStatus, ReportResult, Status
from gongkai.schemas.codes import APPLICANT_COLUMN_LABELS, code_index
from gongkai.schemas.layouts import ACTIVE_ROWS, T3_COLUMNS, T4_GROUPS, t3_rows
from gongkai.schemas.rules import RULES

_GROUP_LABELS = {"review": "行政复议", "litigation.direct": "诉讼·未经复议直接起诉",
                 "litigation.after_review": "诉讼·复议后起诉"}
_TABLE_NAMES = {"active": "二", "applications": "三", "review_litigation": "四"}
_LEAF_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def not_a_file_result(path: Path) -> ReportResult | None:
    """A failed result (``not_a_file``) for a path that is not a regular file, which is never
    opened (reading a FIFO would block forever); None for a regular file."""
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    result = ReportResult(report_id="", source_path=str(path), source_name=path.name, status=Status.FAILED,
                          pipeline_version=PIPELINE_VERSION)
    result.add_error("read", "not_a_file", f"{path} is not a regular file (mode {stat.filemode(mode)}); not opened")
    return result


def _fmt(cell: CellValue | None) -> str:
    if cell is None:
        return "?"
    if cell.value is None:
        return f"[dim]{cell.flag or 'null'}[/dim]" if cell.flag not in (None, "blank") else "[dim]·[/dim]"
    text = f"{int(cell.value)}" if float(cell.value).is_integer() else f"{cell.value:g}"
    return f"[yellow]{text}[/yellow]" if cell.flag else text


def _layout_label(text: str, template: str, hierarchy: bool = True) -> str:
    """A cell_codes.csv label in the wording of ``template`` ("本年制发件数 (F2019: 本年新制作数量)")."""
    if " (F2019: " in text:
        text = text.split(" (F2019: ")[1].rstrip(")") if template == "F2019" else text.split(" (")[0]
    return text.split("/")[-1] if hierarchy else text


def _row_label(code: str) -> str:
    label = code_index()[f"{code}@total"].row_label
    return label.split("/")[-1]


def _render_legacy(result: ReportResult, console: Console) -> None:
    """A pre-2019 report: the rows of its 统计表 that were read (legacy.* cells), and its prose facts."""
    cells = result.cell_map()
    table = Table(title="政府信息公开情况统计表 (pre-2019)")
    for column in ("指标", "单位", "本年度", "历年累计"):
        table.add_column(column)
    rows = dict.fromkeys(code.split("@")[0] for code in cells)
    for row in rows:
        first = cells.get(f"{row}@year") or cells.get(f"{row}@cumulative")
        label = code_index()[f"{row}@year"].row_label
        table.add_row(label, first.unit if first else "", _fmt(cells.get(f"{row}@year")),
                      _fmt(cells.get(f"{row}@cumulative")) if f"{row}@cumulative" in cells else "")
    console.print(table)
    for fact in result.facts:
        console.print(f"{fact.key}: {fact.value:g} {fact.unit}  [dim]{fact.sentence}[/dim]")


def table_layout(result: ReportResult, table: str) -> str:
    """The layout ``table`` was read in (a hybrid report prints 二 in F2021 and 三 in F2019); the
    report's layout for a table that was not found; F2021 when neither is known."""
    layout = result.table_templates.get(table) or result.template
    return layout if layout in ("F2021", "F2019") else "F2021"


def render_result(result: ReportResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{result.source_name}[/bold]  format={result.format}  status=[bold]{result.status}[/bold]")
    layouts = {result.table_templates[t] for t in result.table_templates}
    mixed = "" if len(layouts) < 2 else " (" + ", ".join(
        f"{name} {result.table_templates[t]}" for t, name in _TABLE_NAMES.items() if t in result.table_templates) + ")"
    console.print(f"issuer: {result.issuer or '?'}   year: {result.year or '?'}   template: {result.template}{mixed}")
    if result.reasons:
        console.print("not ok because: " + ", ".join(result.reasons))
    cells = result.cell_map()
    if result.template == "PRE2019":
        _render_legacy(result, console)
    elif cells:
        active, applications = table_layout(result, "active"), table_layout(result, "applications")
        t2 = Table(title=f"二、主动公开政府信息情况 ({active})", show_lines=False)
        for column in ("信息内容", "项目", "数值"):
            t2.add_column(column)
        for row in ACTIVE_ROWS[active]:
            for code in row.codes:
                meta = code_index()[code]
                cell = cells.get(code)
                unit = f" {cell.unit}" if cell and cell.value is not None and cell.unit not in ("件", "项") else ""
                t2.add_row(_layout_label(meta.row_label, active), _layout_label(meta.column_label, active, hierarchy=False),
                           _fmt(cell) + unit)
        console.print(t2)
        t3 = Table(title=f"三、收到和处理政府信息公开申请情况 ({applications})")
        t3.add_column("")
        for col in T3_COLUMNS:
            t3.add_column(APPLICANT_COLUMN_LABELS[col], justify="right")
        for row_code in t3_rows(applications):
            t3.add_row(_row_label(row_code), *(_fmt(cells.get(f"{row_code}@{c}")) for c in T3_COLUMNS))
        console.print(t3)
        t4 = Table(title="四、政府信息公开行政复议、行政诉讼情况")
        t4.add_column("")
        for leaf in _LEAF_LABELS:
            t4.add_column(leaf, justify="right")
        for group in T4_GROUPS:
            name = group[0].rsplit(".", 1)[0]
            t4.add_row(_GROUP_LABELS[name], *(_fmt(cells.get(code)) for code in group))
        console.print(t4)
    if result.checks:
        counts = Counter(str(c.status) for c in result.checks)
        console.print("checks (勾稽关系): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for rule_id, rule in RULES.items():
            mine = [c for c in result.checks if c.rule == rule_id]
            failed = [c for c in mine if c.status is CheckStatus.FAIL]
            passed = sum(1 for c in mine if c.status is CheckStatus.PASS)
            mark = "[red]FAIL[/red]" if failed else "[green]ok[/green]"
            console.print(f"  {rule_id} {mark} {passed}/{len(mine)} pass  {rule.description}")
            for c in failed:
                console.print(f"      [red]{c.scope}: {c.lhs:g} ≠ {c.rhs:g}[/red]")
    for error in result.errors:
        console.print(f"[dim]{error.stage}[/dim] {error.code}: {error.message}")
