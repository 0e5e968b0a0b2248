"""The headline numbers of a pre-2019 report's 政府信息公开情况统计表 (docs/form.md § Before 2019).

Reports under the 2008 Regulations end with a statistics table of indicators (指标名称, 计量单位,
本年度, 历年累计) instead of the national tables 二–四. The rows gongkai reads are those of
``schemas/legacy_codes.csv`` (:data:`LEGACY_ROWS`: label patterns, and the row a 其中 row is part
of). A row is read from a table block (label, unit, values in cells) or from a crawler dump that
runs the table together ("主动公开文件数条206912106其中：1.政府网站公开数条206912106…").

In a dump the two values of a row are one digit run. A run is cut into 本年度 | 历年累计 only where
both are numbers as printed (no leading zero), the year's value is at most the cumulative one,
and a 其中 row is at most its parent row. When several cuts remain, a cut whose 本年度 value the
report states in its own prose ("主动公开政府信息2069条") is taken when it is the only one: the
cells carry flag ``resolved_by_prose``. Otherwise both cells are null with flag ``ambiguous``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.extractors.numbers import parse_cell
from gongkai.extractors.prose.numerals import NormalizedText
from gongkai.model.document import Document, TableBlock
from gongkai.model.result import CellValue
from gongkai.schemas.codes import LEGACY_TABLE

TABLE_MARKER = "政府信息公开情况统计表"
COLUMNS: tuple[str, ...] = ("year", "cumulative")
RESOLVED_BY_PROSE = "resolved_by_prose"
_UNITS = r"条|件|个|次|人次|人|万元|元|期|项"


@dataclass(frozen=True, slots=True)
class LegacyRow:
    code: str  # legacy.* row code (columns @year, @cumulative)
    label: str  # regex of the printed indicator name
    parent: str | None = None  # the row a 其中 row is part of
    prose_cue: str | None = None  # regex of a prose sentence stating the row's 本年度 value ({n})


LEGACY_ROWS: tuple[LegacyRow, ...] = (
    LegacyRow("legacy.active.total", r"主动公开(?:政府)?(?:信息|文件)(?:总)?数(?:量)?",
              prose_cue=r"主动公开[^。；，,\d]{0,8}?(?:政府)?信息\s*(?:共|共计)?\s*{n}\s*条"),
    LegacyRow("legacy.active.website", r"政府网站公开数(?:量)?", parent="legacy.active.total"),
    LegacyRow("legacy.active.gazette", r"政府公报公开数(?:量)?", parent="legacy.active.total"),
    LegacyRow("legacy.active.normative_docs", r"主动公开规范性文件数(?:量)?", parent="legacy.active.total"),
    LegacyRow("legacy.applications.received",
              r"(?:受理|收到)(?:依申请公开信息|政府信息公开申请|申请)(?:总)?数(?:量)?"),
    LegacyRow("legacy.applications.in_person", r"当面申请数(?:量)?", parent="legacy.applications.received"),
    LegacyRow("legacy.applications.online", r"(?:网上|网络)申请数(?:量)?", parent="legacy.applications.received"),
    LegacyRow("legacy.applications.letter_fax", r"信函[、，,]?传真申请数(?:量)?",
              parent="legacy.applications.received"),
    LegacyRow("legacy.applications.answered", r"(?:对申请的)?答复总数|申请答复数(?:量)?"),
    LegacyRow("legacy.applications.partly_granted", r"同意部分公开(?:答复)?数(?:量)?",
              parent="legacy.applications.answered"),
    LegacyRow("legacy.applications.granted", r"同意公开(?:答复)?数(?:量)?", parent="legacy.applications.answered"),
    LegacyRow("legacy.applications.refused", r"(?:不予|不同意)公开(?:答复)?数(?:量)?",
              parent="legacy.applications.answered"),
    LegacyRow("legacy.applications.other_reply", r"其他类型答复数(?:量)?", parent="legacy.applications.answered"),
    LegacyRow("legacy.litigation_and_complaints", r"接受行政诉讼[、，,]举报数(?:量)?"),
    LegacyRow("legacy.complaints", r"举报投诉数(?:量)?|举报数(?:量)?"),
    LegacyRow("legacy.review", r"(?:申请)?行政复议数(?:量)?"),
    LegacyRow("legacy.litigation", r"(?:提起)?行政诉讼数(?:量)?"),
    LegacyRow("legacy.fees", r"依申请公开(?:信息)?收取的?费用"),
)
_BY_CODE = {row.code: row for row in LEGACY_ROWS}
# longest alternatives first, so "接受行政诉讼、举报数" is one row, not 行政诉讼数
_LABEL = "|".join(f"(?:{row.label})" for row in sorted(LEGACY_ROWS, key=lambda r: -len(r.label)))
_ROW_IN_DUMP = re.compile(
    rf"(?P<label>{_LABEL})\s*(?P<unit>{_UNITS})\s*(?P<run>[\d\s.]*?)(?=\d\s*[.．、](?!\d)|[^\d\s.]|$)")
_INT = re.compile(r"0|[1-9]\d*")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


@dataclass(slots=True)
class LegacyTable:
    cells: list[CellValue]
    found: bool  # a legacy statistics table was seen


def _row_of(label: str) -> LegacyRow | None:
    for row in sorted(LEGACY_ROWS, key=lambda r: -len(r.label)):
        if re.fullmatch(row.label, label):
            return row
    return None


def split_run(run: str, decimal: bool = False, columns: int = 2) -> list[tuple[float, ...]]:
    """Every cut of a digit run into 本年度 | 历年累计 with 本年度 ≤ 历年累计 (numbers as printed).

    ``columns`` = 1 for a table without the 历年累计 column: the run is one number or nothing.
    """
    text = re.sub(r"\s+", " ", run.strip())
    pattern = _DECIMAL if decimal else _INT
    if columns == 1:
        return [(float(text),)] if pattern.fullmatch(text) else []
    pieces = text.split(" ")
    if len(pieces) == 2:
        if all(pattern.fullmatch(p) for p in pieces):
            return [(float(pieces[0]), float(pieces[1]))]
        return []
    if len(pieces) != 1:
        return []
    out: list[tuple[float, ...]] = []
    for cut in range(1, len(text)):
        year, cumulative = text[:cut], text[cut:]
        if pattern.fullmatch(year) and pattern.fullmatch(cumulative) and float(year) <= float(cumulative):
            out.append((float(year), float(cumulative)))
    return out


def _prose_numbers(text: str, cue: str) -> set[float]:
    pattern = re.compile(cue.replace("{n}", r"(?P<n>\d+)"))
    return {float(m.group("n")) for m in pattern.finditer(NormalizedText.of(text).text)}


def _cells(code: str, columns: Sequence[str], values: Sequence[float | None], unit: str, raw: str,
           flag: str | None, locator: str) -> list[CellValue]:
    return [CellValue(LEGACY_TABLE, f"{code}@{column}", value, unit, raw,
                      flag if value is None or flag == RESOLVED_BY_PROSE else None, None, locator)
            for column, value in zip(columns, values, strict=True)]


def _from_dump(text: str, prose: str) -> list[CellValue]:
    start = text.rfind(TABLE_MARKER)
    region = text[start:] if start >= 0 else text
    offset = max(start, 0)
    matches: list[tuple[LegacyRow, re.Match[str]]] = []
    for match in _ROW_IN_DUMP.finditer(region):
        row = _row_of(match.group("label"))
        if row is not None and all(row.code != seen.code for seen, _ in matches):
            matches.append((row, match))
    columns = COLUMNS if "累计" in region else COLUMNS[:1]
    resolved: dict[str, tuple[tuple[float, ...] | None, str | None]] = {}
    out: list[CellValue] = []
    for row, match in matches:
        unit = match.group("unit")
        readings = split_run(match.group("run"), decimal=unit == "万元", columns=len(columns))
        flag: str | None = None
        parent = resolved.get(row.parent) if row.parent else None
        if parent is not None and parent[0] is not None and len(readings) > 1:
            bound = parent[0]
            readings = [r for r in readings if all(v <= b for v, b in zip(r, bound, strict=True))]
            flag = parent[1]
        if len(readings) > 1 and row.prose_cue:
            stated = _prose_numbers(prose, row.prose_cue)
            agreeing = [r for r in readings if r[0] in stated]
            if len(agreeing) == 1:
                readings, flag = agreeing, RESOLVED_BY_PROSE
        locator = f"offset {offset + match.start()} run {match.group('run').strip()!r}"
        raw = match.group(0).strip()
        if len(readings) == 1:
            resolved[row.code] = (readings[0], flag)
            out += _cells(row.code, columns, readings[0], unit, raw, flag, locator)
        else:
            resolved[row.code] = (None, None)
            out += _cells(row.code, columns, (None,) * len(columns), unit, raw,
                          "ambiguous" if readings else "unreadable", locator)
    return out


def _from_table(table: TableBlock) -> list[CellValue]:
    out: list[CellValue] = []
    seen: set[str] = set()
    for cells in table.rows():
        texts = [c.text.strip() for c in cells]
        label_at = next((i for i, t in enumerate(texts) if _row_of(re.sub(r"^(?:其中[:：])?\d*[.．、]?\s*", "",
                                                                         re.sub(r"\s+", "", t)))), None)
        if label_at is None:
            continue
        row = _row_of(re.sub(r"^(?:其中[:：])?\d*[.．、]?\s*", "", re.sub(r"\s+", "", texts[label_at])))
        if row is None or row.code in seen:
            continue
        rest = cells[label_at + 1:]
        unit = rest[0].text.strip() if rest and re.fullmatch(_UNITS, rest[0].text.strip()) else ""
        values = rest[1:] if unit else rest
        if len(values) < 1:
            continue
        seen.add(row.code)
        for column, cell in zip(COLUMNS, values, strict=False):
            parsed = parse_cell(cell.text)
            out.append(CellValue(LEGACY_TABLE, f"{row.code}@{column}", parsed.value, unit or parsed.unit or "",
                                 cell.text, parsed.flag, cell.locator.page, cell.locator.describe()))
    return out


def legacy_table(document: Document) -> LegacyTable:
    """The legacy 统计表's headline cells: from a table block when there is one, else from the text."""
    for block in document.blocks:
        if isinstance(block, TableBlock):
            cells = _from_table(block)
            if len(cells) >= 4:
                return LegacyTable(cells, True)
    text = document.plain_text()
    if TABLE_MARKER not in text and "指标名称" not in text:
        return LegacyTable([], False)
    # the last mention is the table's own heading (the preamble may list it among the parts)
    start = text.rfind(TABLE_MARKER)
    cells = _from_dump(text, text[:start] if start > 0 else text)
    return LegacyTable(cells, bool(cells))
