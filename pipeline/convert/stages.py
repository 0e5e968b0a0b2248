"""One visible pipeline: the stages that turn one input file into a ``ReportResult``.

The stages run in the order of :data:`STAGES`; each is a small function with one job that reads
and extends the shared :class:`Extraction` state. A stage stops the document by raising
``ExtractionError`` (a catalog code); any other exception becomes ``internal_error``. Either way
the result is recorded and the caller (a batch) goes on with the next file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gongkai import PIPELINE_VERSION
from gongkai.convert import damage
from gongkai.convert.checks import run_checks
from gongkai.convert.formats import READERS, format_of
from gongkai.convert.pictures import read_pictures
from gongkai.extractors.legacy import TABLE_MARKER as LEGACY_TABLE_MARKER
from gongkai.extractors.legacy import legacy_table
from gongkai.extractors.metadata import ReportMetadata, read_metadata
from gongkai.extractors.prose import prose_facts
from gongkai.extractors.prose.keywords import KEYWORD_SECTION, keywords_of
from gongkai.extractors.sections import LocatedSections, locate_sections
from gongkai.extractors.tables.extract import TableExtraction, extract_tables
from gongkai.model.document import Document
from gongkai.model.errors import ERROR_KINDS, ExtractionError
from gongkai.model.result import CellValue, CheckStatus, ReportResult, Status
from gongkai.model.settings import ExtractSettings
from gongkai.model.status import cell_is_read, ordered_reasons


@dataclass
class Extraction:
    """State shared by the stages for one document."""

    data: bytes
    result: ReportResult
    settings: ExtractSettings
    suffix: str = ""
    document: Document | None = None
    metadata: ReportMetadata | None = None
    sections: LocatedSections | None = None
    tables: TableExtraction | None = None


def stage_read(ex: Extraction) -> None:
    """Bytes → intermediate Document, by the reader registered for the detected format."""
    fmt = format_of(ex.data, ex.suffix)
    ex.result.format = fmt
    document = READERS[fmt](ex.data, ex.result.source_path, ex.settings)
    for issue in document.issues:
        stage = "read" if issue.page is None else f"read p{issue.page}"
        ex.result.add_error(stage, issue.code, issue.message)
        if issue.fatal:
            raise ExtractionError(issue.code, issue.message)
    ex.document = document


def stage_pictures(ex: Extraction) -> None:
    """Tables pasted as pictures (Word, HTML): read by OCR when the text lacks tables 二–四."""
    assert ex.document is not None
    if ex.document.pictures:
        read_pictures(ex.document, ex.result, ex.settings.pictures)


def stage_metadata(ex: Extraction) -> None:
    """Title, issuer and report year; decides whether this is a report at all."""
    assert ex.document is not None
    meta = read_metadata(ex.document)
    ex.metadata = meta
    ex.result.title, ex.result.issuer, ex.result.year = meta.title, meta.issuer, meta.year
    if meta.year is None:
        ex.result.add_error("metadata", "year_unknown", "no report year in the title or the statistics period")
    if meta.issuer is None:
        ex.result.add_error("metadata", "issuer_unknown", "no issuing body in the title")


def stage_sections(ex: Extraction) -> None:
    """The six sections by their headings; the prose of each."""
    assert ex.document is not None
    ex.sections = locate_sections(ex.document)
    ex.result.sections = ex.sections.texts()
    for number in ex.sections.missing():
        ex.result.add_error("sections", "section_missing", f"section {number} heading not found")


def stage_prose(ex: Extraction) -> None:
    """Facts stated in the prose (section 一 figures, the 信息处理费 of 六); keywords of section 五."""
    assert ex.sections is not None
    ex.result.facts, fee = prose_facts(ex.result.sections)
    ex.result.info_fee_yuan, ex.result.info_fee_text = fee.yuan, fee.text  # deprecated columns
    five = next((s.text for s in ex.result.sections if s.section == KEYWORD_SECTION), "")
    ex.result.keywords = keywords_of(five.split(LEGACY_TABLE_MARKER)[0])


def stage_classify(ex: Extraction) -> None:
    """Not a report, or a pre-2019 report: stop here with that status (not a failure)."""
    assert ex.document is not None and ex.metadata is not None and ex.sections is not None
    if ex.metadata.is_pre2019(ex.sections):
        ex.result.template = "PRE2019"
        ex.result.add_error("classify", "pre2019_format",
                            f"report year {ex.metadata.year}: pre-2019 format, the legacy 统计表 is read instead")
        legacy = legacy_table(ex.document)
        ex.result.cells = legacy.cells
        if not legacy.found:
            ex.result.add_error("tables", "table_absent", "no legacy 政府信息公开情况统计表 found")
        ex.result.status, ex.result.reasons = decide_legacy_status(ex.result, legacy.found)
        raise _Stop
    if not ex.metadata.is_report(ex.sections):
        ex.result.status = Status.NOT_A_REPORT
        raise ExtractionError("not_a_report", "no annual-report title and fewer than three section headings")


def stage_tables(ex: Extraction) -> None:
    """Tables 二, 三, 四 → one cell row per canonical cell of the detected layout."""
    assert ex.document is not None and ex.sections is not None and ex.metadata is not None
    ex.tables = extract_tables(ex.document, ex.sections, ex.metadata.year, ex.settings)
    ex.result.cells = ex.tables.cells
    ex.result.table_templates = dict(ex.tables.templates)
    ex.result.template = ex.tables.template
    for err in ex.tables.errors:
        ex.result.errors.append(err)
    if ex.tables.cells and all(c.flag in ("blank", "dash") for c in ex.tables.cells):
        ex.result.add_error("tables", "tables_empty", "every cell of tables 二–四 is blank (an unfilled template)")


def stage_damaged_text(ex: Extraction) -> None:
    """Values near characters the source could not give (U+FFFD: damaged bytes) are nulled."""
    if ex.document is not None:
        damage.apply(ex.document, ex.result)


def stage_ocr_gate(ex: Extraction) -> None:
    """Values read by OCR: flagged ``ocr``; unsure ones and those in failing rule scopes nulled."""
    if ex.document is not None and ex.document.ocr is not None:
        from gongkai.extractors.ocr.gate import gate_cells
        ex.result.cells = gate_cells(ex.result.cells, ex.result.template, ex.document.ocr)


def stage_checks(ex: Extraction) -> None:
    """Arithmetic rules A1–A6 on every report, stored whatever their outcome."""
    ex.result.checks = run_checks(ex.result.cells, ex.result.template)


def stage_status(ex: Extraction) -> None:
    """``ok`` or ``partial``, with the reasons (docs/output.md § Status)."""
    ex.result.status, ex.result.reasons = decide_status(ex.result, ex.tables)


STAGES: tuple[tuple[str, Callable[[Extraction], None]], ...] = (
    ("read", stage_read),
    ("pictures", stage_pictures),
    ("metadata", stage_metadata),
    ("sections", stage_sections),
    ("prose", stage_prose),
    ("classify", stage_classify),
    ("tables", stage_tables),
    ("damaged_text", stage_damaged_text),
    ("ocr_gate", stage_ocr_gate),
    ("checks", stage_checks),
    ("status", stage_status),
)


class _Stop(Exception):
    """A stage decided the document is done (e.g. pre-2019); not an error."""


def decide_status(result: ReportResult, tables: TableExtraction | None) -> tuple[Status, list[str]]:
    """The status of a report whose tables were extracted, and why it is not ``ok``
    (the definition is in :mod:`gongkai.model.status`)."""
    if tables is None or not result.cells:
        return Status.FAILED, ["document_failed"]
    failed_checks = any(check.status is CheckStatus.FAIL for check in result.checks)
    read_cells = [c for c in result.cells if c.table not in tables.absent] if tables.absent else result.cells
    return _status_of(result, read_cells, bool(tables.absent), failed_checks)


def decide_legacy_status(result: ReportResult, table_found: bool) -> tuple[Status, list[str]]:
    """The status of a pre-2019 report: as :func:`decide_status`, with its legacy 统计表 in place
    of tables 二–四 (it has no arithmetic rules)."""
    return _status_of(result, result.cells, not table_found, failed_checks=False)


def _status_of(result: ReportResult, read_cells: list[CellValue], table_absent: bool,
               failed_checks: bool) -> tuple[Status, list[str]]:
    """``ok`` or ``partial`` with the reasons, from what the report's tables gave."""
    reasons = []
    if result.year is None:
        reasons.append("year_unknown")
    if result.issuer is None:
        reasons.append("issuer_unknown")
    if table_absent:
        reasons.append("table_absent")
    if _any_unread(read_cells):
        reasons.append("cells_unread")
    if failed_checks:
        reasons.append("checks_failed")
    if all(c.value is None for c in result.cells):
        reasons.append("no_values")
    return (Status.PARTIAL if reasons else Status.OK), ordered_reasons(reasons)


def _any_unread(cells: list[CellValue]) -> bool:
    """Whether some cell was not read (a loop: a generator's filter costs twice as much per cell)."""
    for cell in cells:
        # (a clean number, flag None, is read: only the others need the full test)
        if (cell.flag is not None or cell.value is None) and not cell_is_read(cell.value, cell.flag):
            return True
    return False


def _stopped_reasons(result: ReportResult) -> list[str]:
    """Why a document the stages stopped early is not ``ok``."""
    if result.status is Status.NOT_A_REPORT:
        pre2019 = any(e.code == "pre2019_format" for e in result.errors)
        return ["pre2019_format" if pre2019 else "not_a_report"]
    return ["document_failed"]


def report_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract_bytes(data: bytes, source_path: str, settings: ExtractSettings | None = None,
                  suffix: str | None = None) -> ReportResult:
    """Run every stage on ``data``; never raises for a bad document (see result.status/errors)."""
    settings = settings or ExtractSettings()
    result = ReportResult(
        report_id=report_id_of(data),
        source_path=source_path,
        source_name=Path(source_path).name,
        pipeline_version=PIPELINE_VERSION,
    )
    ex = Extraction(data=data, result=result, settings=settings,
                    suffix=suffix if suffix is not None else Path(source_path).suffix)
    for name, stage in STAGES:
        try:
            stage(ex)
        except _Stop:
            break
        except ExtractionError as err:
            if result.status is not Status.NOT_A_REPORT:
                result.status = Status.FAILED
            if not any(e.code == err.code for e in result.errors):
                result.add_error(ERROR_KINDS[err.code].stage, err.code, err.message)
            break
        except Exception as err:
            result.status = Status.FAILED
            result.add_error(name, "internal_error", f"{type(err).__name__}: {err}")
            break
    if result.status not in (Status.OK, Status.PARTIAL):
        result.reasons = _stopped_reasons(result)
    return result


def extract_file(path: str | Path, settings: ExtractSettings | None = None) -> ReportResult:
    """Read ``path`` and extract it; an unreadable file gives a failed result, not an exception."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        result = ReportResult(report_id="", source_path=str(path), source_name=path.name,
                              pipeline_version=PIPELINE_VERSION)
        result.add_error("read", "file_unreadable", f"{type(err).__name__}: {err.strerror or err}")
        return result
    return extract_bytes(data, str(path), settings)
