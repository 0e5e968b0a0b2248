"""Catalog of error kinds and cell flags, with stable ids.

Codes are part of the public dataset (``errors.code``, ``cells.flag``): never rename one; add new
ones at the end of their group. ``ExtractionError`` carries a catalog code through the stages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorKind:
    code: str
    stage: str
    fatal: bool
    description: str


_KINDS: tuple[ErrorKind, ...] = (
    # reading
    ErrorKind("file_unreadable", "read", True, "the file could not be opened or read"),
    ErrorKind("empty_file", "read", True, "the file has no content (0 bytes or only whitespace)"),
    ErrorKind("unknown_format", "read", True, "the content is not a format gongkai reads"),
    ErrorKind("decode_failed", "read", True, "the text encoding could not be determined"),
    ErrorKind("corrupt_file", "read", True, "the file is damaged or truncated and could not be parsed"),
    ErrorKind("encrypted", "read", True, "the file is encrypted with a user password"),
    ErrorKind("needs_ocr", "read", True, "pages have no usable text layer (scanned); OCR is required"),
    ErrorKind("needs_libreoffice", "read", True, "old binary .doc needs LibreOffice (soffice) to convert"),
    ErrorKind("page_unreadable", "read", False, "a page's text layer is garbage or missing"),
    ErrorKind("not_a_file", "read", True,
              "the path is not a regular file (a FIFO, a device, a socket): it was not opened"),
    ErrorKind("folder_unreadable", "read", True,
              "a folder under the inputs could not be listed (permissions); its files were not processed"),
    ErrorKind("text_damaged", "damaged_text", False,
              "a few places of a text or HTML report could not be decoded (a stray byte): they read as U+FFFD, "
              "the report is read, and no value near them is kept (flag damaged_text)"),
    ErrorKind("scan_text_not_read", "read", False,
              "scanned pages without a table whose text OCR did not read (OcrOptions.text_pages='tables', the "
              "default): sections and prose printed only there are missing"),
    ErrorKind("ocr_budget_spent", "read", False,
              "OCR stopped: the document's OCR time budget (OcrOptions.max_seconds, --ocr-budget) was spent; the "
              "scanned pages or pictures left were not read (the rest of the document was)"),
    ErrorKind("pictures_not_read", "pictures", False,
              "tables are missing from a Word/HTML report's text and it holds pictures that may be them; "
              "OCR is not installed (the ocr extra) or is disabled, or the pictures are not available offline"),
    ErrorKind("picture_unreadable", "pictures", False, "a picture that may hold a table could not be read by OCR"),
    # recognising the document
    ErrorKind("not_a_report", "classify", True, "not a government information-disclosure annual report"),
    ErrorKind("pre2019_format", "classify", False,
              "a report under the 2008 Regulations (before the 2019 national format): tables 二–四 do not "
              "exist; the headline numbers of its legacy 统计表 are read instead (legacy.* cells)"),
    ErrorKind("year_unknown", "metadata", False, "the report year could not be read from the title"),
    ErrorKind("issuer_unknown", "metadata", False, "the issuing body could not be read from the title"),
    # sections and tables
    ErrorKind("section_missing", "sections", False, "a section heading (一…六) was not found"),
    ErrorKind("table_absent", "tables", False,
              "a table (二, 三 or 四; the legacy 统计表 of a pre-2019 report) was not found in the document"),
    ErrorKind("template_unknown", "tables", False, "the table layout (F2021/F2019) could not be decided"),
    ErrorKind("row_missing", "tables", False, "an expected table row was not found"),
    ErrorKind("row_unbound", "tables", False, "a table row with numbers did not match any expected row"),
    ErrorKind("value_count_mismatch", "tables", False, "a row has a different number of values than expected"),
    ErrorKind("ambiguous_digits", "tables", False,
              "digits of a row run together and the rules do not fix a single split"),
    ErrorKind("tables_empty", "tables", False,
              "every cell of tables 二–四 is blank: an unfilled template was published (D25)"),
    ErrorKind("header_mismatch", "tables", False,
              "a table's printed column headers cannot be matched to its value columns; those values are null"),
    # running
    ErrorKind("timeout", "run", True, "processing the document took longer than the time limit"),
    ErrorKind("internal_error", "run", True, "an unexpected error in gongkai (a bug: please report it)"),
    ErrorKind("too_large", "run", True,
              "the file is above the input size limit (not read), or its processing passed the worker "
              "memory limit (the worker was stopped)"),
)

ERROR_KINDS: dict[str, ErrorKind] = {k.code: k for k in _KINDS}


class ExtractionError(Exception):
    """Raised by a stage to stop processing one document with a catalog error code."""

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_KINDS:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


# Why a cell value is null or doubtful (``cells.flag``).
CELL_FLAGS: dict[str, str] = {
    "blank": "the report left the cell empty",
    "dash": "the report printed a placeholder (—, -, /, 无) instead of a number",
    "ambiguous": "digits ran together and more than one reading satisfies the rules",
    "unreadable": "the cell text is not a number gongkai can read with certainty",
    "not_found": "the row or table holding the cell was not found in the document",
    "signed": "a sign (+/-) was printed in a cell that should hold a count (value kept as printed)",
    "resolved_by_prose": "digits ran together; the one reading kept is the one whose value the report "
                         "states in its own prose (legacy 统计表)",
    "resolved_across_years": "digits ran together; the one reading kept is the only one consistent with the "
                             "same body's neighbouring year (checks_across_years)",
    "annotated": "a footnote mark (①, ¹, *) or a note (（其中修订 16 件）) was printed with the number; "
                 "the value is the number alone, the raw text keeps the rest",
    "header_mismatch": "the printed column headers disagree with the columns' positions in a way that cannot "
                       "be resolved, so the value is not set",
    "ocr": "the value was read by OCR from a scanned page and no arithmetic rule it is part of fails",
    "ocr_chosen": "read by OCR; the recogniser gave several readings and the value is the only combination "
                  "of them under which every arithmetic rule concerned holds (the first reading kept in raw)",
    "ocr_conflict": "read by OCR, but an arithmetic rule of its scope fails: value nulled (the read kept in raw)",
    "ocr_unsure": "read by OCR with low confidence (or ink without a reading): value nulled (the read kept in raw)",
    "damaged_text": "a character near the cell (in its row, or within 300 characters in a text dump) could "
                    "not be decoded from the source bytes (U+FFFD): value nulled (the read kept in raw)",
}
