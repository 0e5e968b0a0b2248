"""The result of processing one document: status, metadata, cells, checks, sections, errors.

One :class:`ReportResult` per input file. Writers turn a list of them into the dataset tables
(``schemas/tables.py``); ``gongkai show`` prints one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """``reports.status``; what ``ok`` requires is defined in :mod:`gongkai.model.status`."""

    OK = "ok"  # year and issuer known, every table found, every cell read, every assessable check passes
    PARTIAL = "partial"  # tables were read, but something above does not hold: see ReportResult.reasons
    FAILED = "failed"  # the document could not be processed (see errors)
    NOT_A_REPORT = "not_a_report"  # not an annual report (a pre-2019 report is a report: template PRE2019)


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSABLE = "not_assessable"  # some input cell is null


@dataclass(slots=True)
class CellValue:
    """One numeric cell of tables 二, 三, 四."""

    table: str  # active | applications | review_litigation
    cell: str  # canonical code from cell_codes.csv
    value: float | None
    unit: str
    raw: str  # the cell text exactly as it appeared ("" when not found)
    flag: str | None  # see gongkai.model.errors.CELL_FLAGS
    page: int | None = None
    locator: str = ""


@dataclass(slots=True)
class CheckResult:
    rule: str  # A1 … A6 (docs/form.md § Rules)
    scope: str  # the column or row the rule was applied to
    lhs: float | None
    rhs: float | None
    status: CheckStatus
    cells: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SectionText:
    section: int  # 1–6
    heading: str  # as printed
    text: str  # the prose of the section (tables excluded)


@dataclass(slots=True)
class ProseFact:
    """One figure stated in the prose (docs/output.md § facts): a key, its value, and its sentence."""

    section: int  # 1–6
    key: str  # e.g. items_published, info_fee (gongkai.extractors.prose.facts.FACT_KEYS)
    value: float
    unit: str  # as printed: 条, 件, 场, 元 …
    qualifier: str | None  # more_than (5500余条), about (约, 近), or None when exact
    sentence: str  # the sentence as printed (line breaks removed)
    span: tuple[int, int]  # [start, end) of the figure's phrase in ``sentence``


@dataclass(slots=True)
class Keyword:
    """A keyword of a section's prose (section 五: problems and improvements), by jieba TF-IDF."""

    section: int
    rank: int  # 1 = highest weight
    keyword: str
    weight: float
    count: int  # occurrences in the section


@dataclass(slots=True)
class ErrorRecord:
    stage: str
    code: str  # catalog code, gongkai.model.errors
    message: str


@dataclass(slots=True)
class ReportResult:
    report_id: str  # sha256 of the raw bytes
    source_path: str
    source_name: str
    format: str = ""
    issuer: str | None = None
    year: int | None = None
    template: str = "UNKNOWN"  # F2021 | F2019 | PRE2019 | UNKNOWN
    table_templates: dict[str, str] = field(default_factory=dict)
    status: Status = Status.FAILED
    reasons: list[str] = field(default_factory=list)  # why not ok: codes of gongkai.model.status.REASONS
    pipeline_version: str = ""
    title: str | None = None
    # deprecated (kept for one release): the info_fee row of ``facts`` replaces them
    info_fee_yuan: float | None = None  # 信息处理费 collected, from section 六 (extractors/prose/fee.py)
    info_fee_text: str | None = None  # the sentence it was read from
    cells: list[CellValue] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    sections: list[SectionText] = field(default_factory=list)
    facts: list[ProseFact] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)

    def add_error(self, stage: str, code: str, message: str) -> None:
        self.errors.append(ErrorRecord(stage=stage, code=code, message=message))

    def cell_map(self) -> dict[str, CellValue]:
        return {c.cell: c for c in self.cells}

    def status_reasons(self) -> list[str]:
        """``reasons``, or for a result whose stages never ran (a worker crash, a timeout) the
        reason its status implies; empty exactly when the status is ``ok``."""
        if self.reasons or self.status in (Status.OK, Status.PARTIAL):
            return list(self.reasons)
        return ["not_a_report" if self.status is Status.NOT_A_REPORT else "document_failed"]

    @property
    def checks_failed(self) -> int:
        return sum(1 for c in self.checks if c.status is CheckStatus.FAIL)
