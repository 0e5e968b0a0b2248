"""Text of PDF pages: lines from characters, CJK-aware spacing, the text-quality gate, and the
page-number / running header-footer lines that are not part of the report's text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.pdf_layout import PdfChar

# Two characters of a line belong together when the gap between them is below this share of the
# font size; a wider gap prints as a space (unless both sides are CJK).
SPACE_GAP_RATIO = 0.25

# Characters whose vertical centres differ by less than this share of the smaller font size
# sit on the same line.
LINE_OVERLAP_RATIO = 0.5

PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–－]?\s*\d{1,4}\s*[-—–－]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)

# A line that opens or closes at least this many pages (and half of them) is a running header
# or footer.
RUNNING_MIN_PAGES = 3


def normalize_spacing(text: str) -> str:
    """Collapse whitespace to single spaces and drop the spaces between two CJK characters."""
    return join_fragments(text.split())


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER_RE.match(text))


@dataclass(slots=True)
class PdfLine:
    """One printed line of a page: its text and vertical extent (None when unknown)."""

    text: str
    top: float | None = None
    bottom: float | None = None
    x0: float | None = None


def group_lines(chars: Sequence[PdfChar]) -> list[list[PdfChar]]:
    """Characters grouped into lines (top to bottom), each line ordered left to right."""
    lines: list[list[PdfChar]] = []
    centres: list[float] = []
    sizes: list[float] = []
    for ch in sorted(chars, key=lambda c: (c.y_mid, c.x0)):
        if lines:
            tolerance = LINE_OVERLAP_RATIO * min(sizes[-1], ch.size)
            if abs(ch.y_mid - centres[-1]) <= tolerance:
                lines[-1].append(ch)
                continue
        lines.append([ch])
        centres.append(ch.y_mid)
        sizes.append(ch.size)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def line_text(line: Sequence[PdfChar]) -> str:
    """The text of one line: a space where the gap is wide, none between CJK characters."""
    words: list[str] = []
    current = ""
    prev: PdfChar | None = None
    for ch in line:
        if prev is not None and ch.x0 - prev.x1 > SPACE_GAP_RATIO * max(prev.size, ch.size):
            words.append(current)
            current = ""
        current += ch.text
        prev = ch
    words.append(current)
    return join_fragments(words)


def chars_to_lines(chars: Sequence[PdfChar]) -> list[PdfLine]:
    """Printed lines of ``chars`` in reading order (top to bottom)."""
    out: list[PdfLine] = []
    for line in group_lines(chars):
        text = line_text(line)
        if text:
            out.append(PdfLine(text, min(c.top for c in line), max(c.bottom for c in line),
                               min(c.x0 for c in line)))
    return out


def text_to_lines(text: str) -> list[PdfLine]:
    """Lines of a text layer dump (pdfium/pdfminer), spacing normalised, empty lines dropped."""
    out: list[PdfLine] = []
    for raw in text.splitlines():
        line = normalize_spacing(raw)
        if line:
            out.append(PdfLine(line))
    return out


_CID_RE = re.compile(r"\(cid:\d+\)")
# Characters counted as unusable (see bad_char_ratio); whitespace among them is not counted.
_BAD_CHAR_RE = re.compile("[\x00-\x1f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


def bad_char_ratio(text: str) -> float:
    """Share of unusable characters: ``(cid:N)`` codes, U+FFFD, control and private-use characters."""
    cid_count = 0
    if "(cid:" in text:
        cid_count = len(_CID_RE.findall(text))
        text = _CID_RE.sub("", text)
    total = printed_char_count(text) + cid_count
    if total == 0:
        return 0.0
    bad = cid_count + sum(1 for ch in _BAD_CHAR_RE.findall(text) if not ch.isspace())
    return bad / total


def printed_char_count(text: str) -> int:
    """How many characters of ``text`` are not whitespace (``str.split`` splits on exactly those)."""
    return len("".join(text.split()))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def running_lines(pages: Sequence[Sequence[PdfLine]]) -> set[str]:
    """Keys (see :func:`is_running`) of lines repeated as the first or last line of many pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        ends = {_running_key(lines[0].text), _running_key(lines[-1].text)} if lines else set()
        counts.update(ends)
    threshold = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= threshold}


def is_running(text: str, running: set[str]) -> bool:
    return _running_key(text) in running
