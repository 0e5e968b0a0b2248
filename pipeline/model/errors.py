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
    # recognising the document
    ErrorKind("not_a_report", "classify", True, "not a government information-disclosure annual report"),
    ErrorKind("pre2019_format", "classify", False,
              "a report under the 2008 Regulations (before the 2019 national format); tables not extracted"),
    ErrorKind("year_unknown", "metadata", False, "the report year could not be read from the title"),
    ErrorKind("issuer_unknown", "metadata", False, "the issuing body could not be read from the title"),
    # sections and tables
    ErrorKind("section_missing", "sections", False, "a section heading (一…六) was not found"),
    ErrorKind("table_absent", "tables", False, "a table (二, 三 or 四) was not found in the document"),
    ErrorKind("template_unknown", "tables", False, "the table layout (F2021/F2019) could not be decided"),
    ErrorKind("row_missing", "tables", False, "an expected table row was not found"),
    ErrorKind("row_unbound", "tables", False, "a table row with numbers did not match any expected row"),
    ErrorKind("value_count_mismatch", "tables", False, "a row has a different number of values than expected"),
    ErrorKind("ambiguous_digits", "tables", False,
              "digits of a row run together and the rules do not fix a single split"),
    ErrorKind("tables_empty", "tables", False,
              "every cell of tables 二–四 is blank: an unfilled template was published (D25)"),
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
}
