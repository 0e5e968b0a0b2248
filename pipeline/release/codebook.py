"""The bilingual codebook, generated from the form (``gongkai.schemas``) and the catalogs.

``codebook()`` has one row per column of the wide tables: the key columns, and every cell code
with its table, Chinese row and column labels in both layouts (F2021, F2019), English label,
unit, the layouts it is in, and the arithmetic rules it takes part in (from
``gongkai.schemas.rules``). ``vocabularies()`` lists the values of coded columns: report and
check statuses, cell flags, error codes, rules, levels, body types, conflict kinds.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from gongkai.model.errors import CELL_FLAGS, ERROR_KINDS
from gongkai.model.result import CheckStatus, Status
from gongkai.release.english import TABLE_LABELS, english_label
from gongkai.release.identity import BODY_TYPES, IDENTITY_STATUSES, LEVELS
from gongkai.release.logical import CONFLICT_KINDS
from gongkai.schemas.codes import TABLES, TEMPLATES, CellCode, code_index
from gongkai.schemas.rules import RULES, rules_of_cell

_F2019_NOTE = re.compile(r"^(?P<main>.*?)\s*\(F2019:\s*(?P<f2019>[^)]*)\)\s*$")

# Key columns that start every wide table: (name, 中文, English description).
WIDE_KEY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("report_key", "报告标识", "the logical report: <body_id>/<year> (→ reports.report_key)"),
    ("body_id", "机关标识", "the issuing body: <division id>/<body>, stable across years and copies"),
    ("body_name", "机关名称", "canonical full name of the issuing body"),
    ("adcode", "行政区划代码", "6-digit administrative division code valid in the report year"),
    ("level", "行政层级", "省, 市, 县 or 乡"),
    ("year", "年度", "the year the report is about"),
    ("template", "表格版式", "F2021 or F2019 (the national form's layout)"),
    ("status", "处理状态", "ok or partial (see the vocabularies)"),
    ("report_id", "文件标识", "sha256 of the kept copy (→ sources.report_id)"),
)

REPORT_STATUS_TEXT: dict[str, str] = {
    "ok": "every table found; no cell ambiguous, unreadable or not found",
    "partial": "some table absent, or some cells ambiguous, unreadable or not found",
    "failed": "the document could not be processed (see errors)",
    "not_a_report": "not an annual report in the 2019/2021 layouts (incl. pre-2019 reports)",
}
CHECK_STATUS_TEXT: dict[str, str] = {
    "pass": "the two sides are equal", "fail": "the two sides differ",
    "not_assessable": "an input cell is null (a blank is not read as zero)",
}


def layout_labels(label: str) -> tuple[str, str]:
    """(F2021 wording, F2019 wording) of a cell_codes.csv label like ``本年制发件数 (F2019: 本年新制作数量)``."""
    match = _F2019_NOTE.match(label)
    return (match["main"], match["f2019"]) if match else (label, label)


@cache
def rules_by_code() -> dict[str, tuple[str, ...]]:
    """Cell code → the rules (A1…A6) it takes part in, in either layout (gongkai.schemas.rules)."""
    return {code: rules_of_cell(code) for code in code_index()}


def table_codes(table: str) -> tuple[str, ...]:
    """Every code of ``table`` in either layout, in cell_codes.csv order (the wide table's columns)."""
    return tuple(c.code for c in code_index().values() if c.table == table)


def _header(code: CellCode) -> str:
    row = (layout_labels(code.row_label)[0] if "F2021" in code.templates else layout_labels(code.row_label)[1])
    column = (layout_labels(code.column_label)[0] if "F2021" in code.templates
              else layout_labels(code.column_label)[1])
    return f"{'/'.join(row.split('/')[-2:])}｜{column}"


@cache
def headers_zh() -> dict[str, str]:
    """Column name → the Chinese header of the XLSX sheets (unique within a table)."""
    out = {name: zh for name, zh, _ in WIDE_KEY_COLUMNS}
    for code in code_index().values():
        out[code.code] = _header(code)
    for table in TABLES:
        names = [out[c] for c in table_codes(table)]
        if len(set(names)) != len(names):  # pragma: no cover - guarded by a test
            raise AssertionError(f"Chinese headers of {table} are not unique")
    return out


def codebook() -> pd.DataFrame:
    """One row per column of the wide tables (keys first, then every cell code)."""
    rows: list[dict[str, object]] = []
    rules = rules_by_code()
    for table in TABLES:
        table_zh, table_en = TABLE_LABELS[table]
        for name, zh, en in WIDE_KEY_COLUMNS:
            rows.append({"table": table, "column": name, "kind": "key", "header_zh": zh, "label_en": en})
        for code in table_codes(table):
            cell = code_index()[code]
            row21, row19 = layout_labels(cell.row_label)
            col21, col19 = layout_labels(cell.column_label)
            in21, in19 = "F2021" in cell.templates, "F2019" in cell.templates
            rows.append({
                "table": table, "column": code, "kind": "cell", "header_zh": headers_zh()[code],
                "label_en": english_label(code), "table_zh": table_zh, "table_en": table_en,
                "row_label_f2021": row21 if in21 else None, "column_label_f2021": col21 if in21 else None,
                "row_label_f2019": (row19 if row19 != row21 or not in21 else row21) if in19 else None,
                "column_label_f2019": col19 if in19 else None,
                "unit": cell.unit, "templates": " ".join(t for t in TEMPLATES if t in cell.templates),
                "rules": ",".join(rules.get(code, ())),
            })
    columns = ["table", "column", "kind", "header_zh", "label_en", "table_zh", "table_en", "row_label_f2021",
               "column_label_f2021", "row_label_f2019", "column_label_f2019", "unit", "templates", "rules"]
    return pd.DataFrame(rows, columns=columns)


def vocabularies() -> pd.DataFrame:
    """The values of every coded column, with what they mean."""
    rows: list[tuple[str, str, str]] = []
    rows += [("reports.status", s.value, REPORT_STATUS_TEXT.get(s.value, "")) for s in Status]
    rows += [("checks.status", s.value, CHECK_STATUS_TEXT.get(s.value, "")) for s in CheckStatus]
    rows += [("checks.rule", r.rule, r.description) for r in RULES.values()]
    rows += [("cells.flag", k, v) for k, v in CELL_FLAGS.items()]
    rows += [("errors.code", k.code, f"[{k.stage}{', fatal' if k.fatal else ''}] {k.description}")
             for k in ERROR_KINDS.values()]
    rows += [("reports.level", k, v) for k, v in LEVELS.items()]
    rows += [("reports.body_type", k, v) for k, v in BODY_TYPES.items()]
    rows += [("reports.identity", k, v) for k, v in IDENTITY_STATUSES.items()]
    rows += [("conflicts.kind", k, v) for k, v in CONFLICT_KINDS.items()]
    rows += [("reports.template", "F2021", "the national form of 2021 (reports for 2021 onwards)"),
             ("reports.template", "F2019", "the national form of 2019 (reports for 2019 and 2020)")]
    return pd.DataFrame(rows, columns=["vocabulary", "value", "description"])
