"""Format detection from content, and the registry of readers (one per input format).

``detect_format`` looks at the bytes (magic numbers, markup), using the file suffix only as a
tie-breaker, so a ``.html`` that is really a PDF or a ``.doc`` that is really an HTML page is read
by the right reader. ``READERS`` maps a format name to its reader (a typed function that imports
the reader module on first use, so a run over text files never loads the PDF stack).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from io import BytesIO

from gongkai.model.document import Document
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import ExtractSettings

Reader = Callable[[bytes, str, ExtractSettings], Document]
"""A registered reader: the bytes, the source path and the settings → the intermediate Document."""


# Each reader module is imported when first used, so a run over text files never loads the PDF stack.
def _read_text(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import text
    return text.read(data, source)


def _read_html(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import html
    return html.read(data, source)


def _read_markdown(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import markdown
    return markdown.read(data, source)


def _read_docx(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import docx
    return docx.read(data, source)


def _read_doc(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import doc
    return doc.read(data, source, settings.doc)


def _read_pdf(data: bytes, source: str, settings: ExtractSettings) -> Document:
    from gongkai.extractors.readers import pdf
    return pdf.read(data, source, settings.pdf)


# format name -> reader
READERS: dict[str, Reader] = {
    "txt": _read_text,
    "html": _read_html,
    "md": _read_markdown,
    "docx": _read_docx,
    "doc": _read_doc,
    "pdf": _read_pdf,
}

# Suffixes gongkai picks up when it walks a folder.
KNOWN_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".md", ".markdown", ".docx", ".doc", ".pdf", ".wps"}
)

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|table|div|p|span|br|tr|td)[\s>/]", re.IGNORECASE
)
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
# How much of a text file is searched for a Markdown table separator: a report's first pipe table
# often comes after pages of prose (issue 9: one starting after 4 KB was read as plain text).
MD_SNIFF_BYTES = 1 << 20


def format_of(data: bytes, suffix: str = "") -> str:
    """The registered format of ``data``; ``ExtractionError`` (``empty_file``, ``unknown_format``)
    when it has none."""
    if not data.strip():
        raise ExtractionError("empty_file", "the file is empty")
    fmt = detect_format(data, suffix)
    if fmt is None or fmt not in READERS:
        raise ExtractionError("unknown_format", "the content is not text, HTML, Markdown, Word or PDF")
    return fmt


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(head) // 50)


def _ascii_view(head: bytes) -> str:
    return head.decode("utf-8", errors="ignore")


def _has_md_separator(data: bytes) -> bool:
    """Whether ``data`` holds a Markdown table separator row. A separator needs six dashes and a
    pipe, which decoding can drop but never make: bytes without them are not decoded at all."""
    if data.count(b"-") < 6 or b"|" not in data:
        return False
    return _MD_TABLE_SEP.search(_ascii_view(data)) is not None


def detect_format(data: bytes, suffix: str = "") -> str | None:
    """Name of the format of ``data`` (a key of READERS), or None when it is none we read."""
    suffix = suffix.lower()
    head = data[:4096]
    stripped = head.lstrip()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "docx" if suffix == ".docx" else None  # a damaged .docx: let its reader report it
        return "docx" if "word/document.xml" in names else None
    if head.startswith(_OLE2):
        return "doc"
    if _looks_binary(head):
        return None
    if stripped[:1] != b"<" and (suffix in {".md", ".markdown"} or _has_md_separator(head)):
        return "md"  # Markdown may hold <br> in cells or whole <table> blocks: not an HTML page
    if (_HTML_MARKERS.search(stripped[:4096]) and stripped[:1] == b"<") or len(_HTML_MARKERS.findall(head)) >= 3:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "md"
    if _has_md_separator(data[:MD_SNIFF_BYTES]):
        return "md"  # the separator is ASCII: found in UTF-8 and GB18030 bytes alike
    return "txt"
