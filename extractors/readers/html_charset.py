"""Decode the bytes of an HTML page: saved-page header, declared charset, detection.

Some saved pages start with the HTTP response header (``Content-Type: text/html; charset=gbk``
lines, then a blank line) before the markup; that block is cut off and its charset used. Otherwise
the charset declared in a ``<meta>`` tag (``<meta charset=…>`` or ``http-equiv`` content type) or an
XML declaration is sniffed from the raw bytes, which are ASCII-compatible up to the declaration.
A declaration is a hint: bytes that are valid UTF-8 are UTF-8 whatever the page claims, and a
declaration that does not decode falls back to detection (:func:`gongkai.extractors.encoding.decode_bytes`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from gongkai.extractors.encoding import decode_bytes

# How far into the bytes a charset declaration is looked for.
PRESCAN_BYTES = 16_384

_HEADER_LINE = re.compile(rb"^(?:HTTP/\d(?:\.\d)?\s+\d{3}[^\r\n]*|[A-Za-z][A-Za-z0-9-]*:[^\r\n]*)\r?$")
_CHARSET_PARAM = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class SavedPageHeader:
    """The header block found before the markup: its charset and the lines it took."""

    charset: str | None
    line_count: int
    byte_count: int


def saved_page_header(data: bytes) -> SavedPageHeader | None:
    """The HTTP-style header block at the start of ``data`` (up to a blank line or the markup), if any."""
    if data.startswith(_BOMS) or not data[:1].isalpha():
        return None
    pos = 0
    lines = 0
    charset: str | None = None
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        line = data[pos:end]
        if not line.strip():
            return SavedPageHeader(charset, lines + 1, min(end + 1, len(data))) if lines else None
        if not _HEADER_LINE.match(line):
            # markup right after the header lines, without the blank line
            return SavedPageHeader(charset, lines, pos) if lines and line.lstrip().startswith(b"<") else None
        if line.lower().startswith(b"content-type:"):
            match = _CHARSET_PARAM.search(line)
            charset = match.group(1).decode("ascii") if match else charset
        lines += 1
        pos = end + 1
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset the markup declares (XML declaration or ``<meta>`` tag), from the raw bytes."""
    head = data[:PRESCAN_BYTES]
    match = _XML_DECL.match(head)
    if match:
        return match.group(1).decode("ascii")
    for meta in _META_TAG.finditer(head):
        found = _CHARSET_PARAM.search(meta.group(0))
        if found:
            return found.group(1).decode("ascii")
    return None


def _utf8_text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """The markup as text, the encoding used, and how many source lines a stripped header took.

    ``utf8`` is the input (header cut off) when it is exactly the UTF-8 encoding of ``text``, so
    the parser can take those bytes without encoding the text again; else None.
    """

    text: str
    encoding: str
    line_offset: int
    utf8: bytes | None = None


def decode_page(data: bytes) -> DecodedPage:
    """Decode an HTML page; raises ExtractionError(decode_failed) when no encoding fits."""
    header = saved_page_header(data)
    line_offset = 0
    declared: str | None = None
    if header is not None:
        data = data[header.byte_count:]
        line_offset = header.line_count
        declared = header.charset
    declared = declared or declared_charset(data)
    if declared and not data.startswith(_BOMS):
        utf8 = _utf8_text(data)
        if utf8 is not None:  # valid UTF-8 with CJK text is never really GBK
            return DecodedPage(utf8, "utf-8", line_offset, data)
    text, encoding = decode_bytes(data, declared)
    verbatim = encoding == "utf-8" and not data.startswith(_BOMS)  # strict UTF-8 decoding round-trips
    return DecodedPage(text, encoding, line_offset, data if verbatim else None)
