"""CJK-aware spacing shared by the readers: no space between two CJK characters, one otherwise.

Wrapped lines of a table cell, ``<br>``-separated pieces of an HTML label, paragraphs of a Word
cell and the characters of a PDF line are all joined with :func:`join_fragments`, so "三、本年度办理
结果" printed one character per line comes out whole while "2024 年" keeps its space.
"""

from __future__ import annotations

from collections.abc import Iterable

# Ideographs, CJK symbols/punctuation, kana, full-width forms: never separated by a space.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x31BF), (0x3200, 0x4DBF),
    (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF),
)
# Punctuation commonly printed in Chinese text though outside the CJK blocks (curly quotes, dashes).
CJK_PUNCT = frozenset("“”‘’—…·")


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph, kana, CJK punctuation or a full-width form."""
    if ch in CJK_PUNCT:
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)


def join_fragments(parts: Iterable[str]) -> str:
    """Join text fragments (lines, words) with one space, but none between two CJK characters."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(part[0])):
            out += " "
        out += part
    return out
