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


def render_result(result: ReportResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{result.source_name}[/bold]  format={result.format}  status=[bold]{result.status}[/bold]")
    console.print(f"issuer: {result.issuer or '?'}   year: {result.year or '?'}   template: {result.template}")
    cells = result.cell_map()
    layout = result.template if result.template in ("F2021", "F2019") else "F2021"
    if cells:
        t2 = Table(title="二、主动公开政府信息情况", show_lines=False)
        for column in ("信息内容", "项目", "数值"):
            t2.add_column(column)
        for row in ACTIVE_ROWS[layout]:
            for code in row.codes:
                meta = code_index()[code]
                cell = cells.get(code)
                unit = f" {cell.unit}" if cell and cell.value is not None and cell.unit not in ("件", "项") else ""
                t2.add_row(_layout_label(meta.row_label, layout), _layout_label(meta.column_label, layout, hierarchy=False),
                           _fmt(cell) + unit)
        console.print(t2)
        t3 = Table(title="三、收到和处理政府信息公开申请情况")
        t3.add_column("")
        for col in T3_COLUMNS:
            t3.add_column(APPLICANT_COLUMN_LABELS[col], justify="right")
        for row_code in t3_rows(layout):
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
