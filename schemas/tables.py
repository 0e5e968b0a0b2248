"""Explicit pyarrow schemas of the dataset tables (the public contract in docs/output.md).

Every field has a description (field metadata ``description``); every schema carries the
pipeline version in its metadata. ``columns_for(result)`` turns one ``ReportResult`` into column
lists per table (``rows_for`` into row dicts); ``table_from_columns`` / ``build_table`` make typed
``pyarrow.Table`` objects from them.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from gongkai import PIPELINE_VERSION
from gongkai.model.result import ReportResult


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


_REPORTS = [
    _f("report_id", pa.string(), "sha256 (hex) of the raw input bytes; the key of every other table", False),
    _f("source_path", pa.string(), "path (or URL) the document was read from", False),
    _f("source_name", pa.string(), "file name of the source", False),
    _f("format", pa.string(), "txt, html, md, pdf, docx, doc … detected from the content, not only the suffix"),
    _f("issuer", pa.string(), "the body that issued the report, as printed in the title"),
    _f("year", pa.int16(), "the report year (the year the report is about, not the publication date)"),
    _f("template", pa.string(), "F2021, F2019, PRE2019 or UNKNOWN (docs/form.md § Layouts)"),
    _f("status", pa.string(), "ok, partial, failed or not_a_report", False),
    _f("reasons", pa.list_(pa.string()), "why the status is not ok: reason codes (gongkai.model.status); "
       "empty exactly when status is ok", False),
    _f("pipeline_version", pa.string(), "version of gongkai that wrote the row", False),
    _f("title", pa.string(), "the report title as printed"),
    _f("table_templates", pa.string(), "JSON object: layout detected per table (active, applications, …)"),
    _f("n_cells", pa.int32(), "number of cell rows written for the report"),
    _f("n_values", pa.int32(), "number of cells with a non-null value"),
    _f("n_flagged", pa.int32(), "number of cells with a flag other than blank/dash"),
    _f("checks_failed", pa.int32(), "number of arithmetic checks with status fail"),
    _f("error_codes", pa.string(), "comma-separated error codes recorded for the report (see errors)"),
    _f("info_fee_yuan", pa.float64(),
       "deprecated (use facts key info_fee; removed in the next release): 信息处理费 collected in the "
       "year, in 元, as stated in section 六 (0 when it says none arose; null when not stated or not certain)"),
    _f("info_fee_text", pa.string(),
       "deprecated (use facts.sentence of key info_fee): the sentence of section 六 the fee was read from"),
]

_YEAR = _f("year", pa.int16(), "→ reports.year: the report year, typed as in reports (null when unknown)")

_CELLS = [
    _f("report_id", pa.string(), "→ reports.report_id", False),
    _f("table", pa.string(), "active (二), applications (三) or review_litigation (四)", False),
    _f("cell", pa.string(), "canonical code from cell_codes.csv, e.g. applications.result.granted@total", False),
    _f("value", pa.float64(), "the number as printed; null when blank, a dash, unreadable or ambiguous"),
    _f("unit", pa.string(), "件, 项, 万元, 元 …"),
    _f("raw", pa.string(), "the cell text exactly as it appeared in the source"),
    _f("flag", pa.string(), "why a value is null or doubtful: blank, dash, ambiguous, unreadable, not_found …"),
    _f("page", pa.int16(), "PDF page number (1-based) where the cell was found"),
    _f("locator", pa.string(), "where the cell was found: line, table/row/column index, bbox"),
    _YEAR,
]

_CHECKS = [
    _f("report_id", pa.string(), "→ reports.report_id", False),
    _f("rule", pa.string(), "rule id A1…A6 (docs/form.md § Rules)", False),
    _f("scope", pa.string(), "what the rule was applied to: a T3 column, a T3 row, or a T4 group", False),
    _f("lhs", pa.float64(), "left-hand side of the equation (null when an input is null)"),
    _f("rhs", pa.float64(), "right-hand side of the equation (null when an input is null)"),
    _f("status", pa.string(), "pass, fail or not_assessable (an input cell is null)", False),
    _f("cells", pa.string(), "comma-separated cell codes involved"),
    _YEAR,
]

_SECTIONS = [
    _f("report_id", pa.string(), "→ reports.report_id", False),
    _f("section", pa.int8(), "section number 1–6 (一…六)", False),
    _f("heading", pa.string(), "the heading as printed"),
    _f("text", pa.string(), "the prose of the section (tables excluded)"),
    _YEAR,
]

_FACTS = [
    _f("report_id", pa.string(), "→ reports.report_id", False),
    _f("section", pa.int8(), "section number 1–6 the figure was stated in", False),
    _f("key", pa.string(), "what the figure is: items_published, press_conferences, info_fee …", False),
    _f("value", pa.float64(), "the figure as stated (Chinese numerals read; 万 multiplied out)", False),
    _f("unit", pa.string(), "the unit as printed: 条, 件, 个, 场, 期, 元 …", False),
    _f("qualifier", pa.string(), "more_than (5500余条, 超…) or about (约, 近); null when exact"),
    _f("sentence", pa.string(), "the sentence the figure was read from, as printed (line breaks removed)", False),
    _f("span", pa.string(), "start:end of the figure's phrase in sentence (a Python slice, in characters)", False),
]

_KEYWORDS = [
    _f("report_id", pa.string(), "→ reports.report_id", False),
    _f("section", pa.int8(), "section number (5: problems and improvements)", False),
    _f("rank", pa.int16(), "1 = the highest weight in the section", False),
    _f("keyword", pa.string(), "a word of the section (jieba with the disclosure-terms dictionary)", False),
    _f("weight", pa.float64(), "TF-IDF weight of the word in the section", False),
    _f("count", pa.int32(), "how often the word occurs in the section", False),
]

_ERRORS = [
    _f("report_id", pa.string(), "→ reports.report_id (null when the file could not be read at all)"),
    _f("source_path", pa.string(), "path of the document", False),
    _f("stage", pa.string(), "pipeline stage that recorded the error (read, classify, tables …)", False),
    _f("code", pa.string(), "stable error code (gongkai.model.errors)", False),
    _f("message", pa.string(), "what happened, for a person"),
    _YEAR,
]


def _schema(fields: list[pa.Field], description: str) -> pa.Schema:
    return pa.schema(fields, metadata={"pipeline_version": PIPELINE_VERSION, "description": description})


SCHEMAS: dict[str, pa.Schema] = {
    "reports": _schema(_REPORTS, "one row per input document"),
    "cells": _schema(_CELLS, "one row per numeric cell of tables 二, 三, 四 (long, tidy)"),
    "checks": _schema(_CHECKS, "the arithmetic rules (勾稽关系) evaluated on every report"),
    "sections": _schema(_SECTIONS, "the prose of the six sections"),
    "facts": _schema(_FACTS, "figures stated in the prose: section 一 figures and the 信息处理费 of 六 (long)"),
    "keywords": _schema(_KEYWORDS, "keywords of section 五 (problems and improvements), per report"),
    "errors": _schema(_ERRORS, "what could not be processed, and why"),
}

TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)

_SILENT_FLAGS = {None, "blank", "dash"}


Columns = dict[str, list[Any]]


def columns_for(result: ReportResult) -> dict[str, Columns]:
    """Column lists, per table, for one report (built column-wise: no dict per row)."""
    rid = result.report_id
    cells, checks, sections, errors = result.cells, result.checks, result.sections, result.errors
    facts, keywords = result.facts, result.keywords
    # (a comprehension per column: cheaper than one attrgetter of all columns per cell and a zip)
    cell_values = [c.value for c in cells]
    cell_flags = [c.flag for c in cells]
    report: Columns = {
        "report_id": [rid],
        "source_path": [result.source_path],
        "source_name": [result.source_name],
        "format": [result.format],
        "issuer": [result.issuer],
        "year": [result.year],
        "template": [result.template],
        "status": [str(result.status)],
        "reasons": [result.status_reasons()],
        "pipeline_version": [result.pipeline_version or PIPELINE_VERSION],
        "title": [result.title],
        "table_templates": [json.dumps(result.table_templates, ensure_ascii=False, sort_keys=True)],
        "n_cells": [len(cells)],
        "n_values": [len(cell_values) - cell_values.count(None)],
        "n_flagged": [len(cell_flags) - sum(map(cell_flags.count, _SILENT_FLAGS))],
        "checks_failed": [result.checks_failed],
        "error_codes": [",".join(dict.fromkeys(e.code for e in errors))],
        "info_fee_yuan": [result.info_fee_yuan],
        "info_fee_text": [result.info_fee_text],
    }
    return {
        "reports": report,
        "cells": {
            "report_id": [rid] * len(cells), "table": [c.table for c in cells], "cell": [c.cell for c in cells],
            "value": cell_values, "unit": [c.unit for c in cells], "raw": [c.raw for c in cells],
            "flag": cell_flags, "page": [c.page for c in cells], "locator": [c.locator for c in cells],
            "year": [result.year] * len(cells),
        },
        "checks": {
            "report_id": [rid] * len(checks), "rule": [k.rule for k in checks], "scope": [k.scope for k in checks],
            "lhs": [k.lhs for k in checks], "rhs": [k.rhs for k in checks],
            "status": [str(k.status) for k in checks], "cells": [",".join(k.cells) for k in checks],
            "year": [result.year] * len(checks),
        },
        "sections": {
            "report_id": [rid] * len(sections), "section": [s.section for s in sections],
            "heading": [s.heading for s in sections], "text": [s.text for s in sections],
            "year": [result.year] * len(sections),
        },
        "facts": {
            "report_id": [rid] * len(facts), "section": [f.section for f in facts], "key": [f.key for f in facts],
            "value": [f.value for f in facts], "unit": [f.unit for f in facts],
            "qualifier": [f.qualifier for f in facts], "sentence": [f.sentence for f in facts],
            "span": [f"{f.span[0]}:{f.span[1]}" for f in facts],
        },
        "keywords": {
            "report_id": [rid] * len(keywords), "section": [k.section for k in keywords],
            "rank": [k.rank for k in keywords], "keyword": [k.keyword for k in keywords],
            "weight": [k.weight for k in keywords], "count": [k.count for k in keywords],
        },
        "errors": {
            "report_id": [rid or None] * len(errors), "source_path": [result.source_path] * len(errors),
            "stage": [e.stage for e in errors], "code": [e.code for e in errors],
            "message": [e.message for e in errors], "year": [result.year] * len(errors),
        },
    }


def rows_for(result: ReportResult) -> dict[str, list[dict[str, Any]]]:
    """Plain row dicts, per table, for one report (for people and tests; writers use columns)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, columns in columns_for(result).items():
        names = list(columns)
        out[name] = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    return out


def table_from_columns(name: str, columns: Columns) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=SCHEMAS[name])


def build_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """A typed table for ``name`` from row dicts (columns in schema order; built column-wise, faster)."""
    schema = SCHEMAS[name]
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


# Written by the batch runner beside the five tables (not produced by ``rows_for``).
SOURCES_SCHEMA: pa.Schema = _schema([
    _f("source_path", pa.string(), "an input path, as listed for the run", False),
    _f("report_id", pa.string(), "→ reports.report_id: sha256 of the file's content", False),
    _f("size", pa.int64(), "file size in bytes when last seen"),
    _f("primary", pa.bool_(), "true for the path the reports row was written for; false for a "
       "duplicate path holding the same content", False),
    _f("extracted", pa.bool_(), "true when the content has been processed (a reports row exists)", False),
    _f("url", pa.string(), "URL the file was fetched from, when `gongkai crawl` saved it (null otherwise)"),
    _f("warc_file", pa.string(), "WARC file holding the response, relative to the input folder "
       "(_crawl/warc/…)"),
    _f("warc_record_id", pa.string(), "WARC-Record-ID of the response the file was saved from"),
    _f("fetched_at", pa.timestamp("s", tz="UTC"), "when the crawl fetched the file (UTC)"),
], "every input path seen, and the report_id of its content (duplicates share one report_id)")


# Written from a whole dataset (several reports of one body), not per report: see
# gongkai.dataset.across_years (docs/output.md § checks_across_years).
CHECKS_ACROSS_YEARS_SCHEMA: pa.Schema = _schema([
    _f("body", pa.string(), "the body key the reports were grouped by (the release's body identity, or "
       "the normalised issuer)", False),
    _f("rule", pa.string(), "Y1 (carried forward = carried over in) or Y2 (in force + issued − repealed "
       "= in force)", False),
    _f("scope", pa.string(), "a table-三 column code for Y1; regulations or normative_docs for Y2", False),
    _f("year", pa.int16(), "the later year y of the pair (y−1, y)", False),
    _f("report_id_before", pa.string(), "→ reports.report_id of year y−1", False),
    _f("report_id", pa.string(), "→ reports.report_id of year y", False),
    _f("lhs", pa.float64(), "the year y−1 side of the equation (null when an input is null)"),
    _f("rhs", pa.float64(), "the year y side of the equation (null when an input is null)"),
    _f("status", pa.string(), "pass, fail or not_assessable", False),
    _f("cells", pa.string(), "the cells involved, comma-separated, each as <year>:<cell code>"),
    _f("resolved_cell", pa.string(), "<year>:<cell code> of an ambiguous cell this check resolved (flag "
       "resolved_across_years), else null"),
    _f("resolved_value", pa.float64(), "the value the resolved cell takes (the only reading consistent "
       "with the neighbouring year)"),
], "checks across consecutive years of one body")
