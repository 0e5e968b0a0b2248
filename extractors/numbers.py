"""Reading one table cell as a number (docs/form.md § Reading a cell). Pure functions, no guessing.

``parse_cell(raw)`` returns the value as printed, or None with a flag: ``blank`` (empty),
``dash`` (—, -, /, 无 …) or ``unreadable`` (anything that is not unambiguously one number).
Full-width digits, thousands separators, a leading sign and a unit glued to the number
(``251000元``, ``12.5万元``) are understood; nothing else is.

Footnote marks (``1204①``, ``1204¹``, ``1204₁``, ``①1204``, ``1204*``) are separated *before*
Unicode normalisation, which would otherwise fold them into the digits (``1204①`` → ``12041``);
a note printed after the number (``22（其中修订 16 件）``) is set aside the same way. Such a
cell is read as the number with flag ``annotated`` (the raw text is kept).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

PLACEHOLDERS: frozenset[str] = frozenset(
    {"-", "--", "---", "—", "——", "–", "－", "/", "／", "\\", "无", "空", "暂无", "―", "─", "×", "x", "X", "*"}
)
UNITS: tuple[str, ...] = ("万元", "元", "件", "项", "个", "条", "份")
# printed after or before a number to point at a footnote (never part of the number)
FOOTNOTE_SYMBOLS: frozenset[str] = frozenset("*＊※†‡")
# a note in parentheses after a number: at least two characters, one of them a CJK character
_TRAILING_NOTE = re.compile(r"[(（](?=[^()（）]*[\u4e00-\u9fff])[^()（）]{2,}[)）]\s*$")

_WS = re.compile(r"\s+")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: float | None
    flag: str | None = None
    unit: str | None = None
    signed: bool = False  # a leading + or - was printed


@lru_cache(maxsize=4096)
def is_footnote_mark(ch: str) -> bool:
    """A superscript/subscript/circled digit (``¹ ₁ ① ⑩ ❶ ⑴``) or a footnote symbol (``* ※ †``).

    These are Unicode "other numbers" that NFKC would turn into plain digits; CJK enclosed numerals
    (``㈠``) and fractions are not marks.
    """
    if ch in FOOTNOTE_SYMBOLS:
        return True
    if unicodedata.category(ch) != "No":
        return False
    folded = unicodedata.normalize("NFKC", ch)
    return "⁄" not in folded and not any("\u3000" <= c <= "\u9fff" for c in folded)


def separate_marks(raw: str, replacement: str = "") -> tuple[str, bool]:
    """``raw`` with every footnote mark replaced by ``replacement``, and whether there was one."""
    if not any(is_footnote_mark(ch) for ch in raw):
        return raw, False
    return "".join(replacement if is_footnote_mark(ch) else ch for ch in raw), True


def split_note(text: str) -> tuple[str, bool]:
    """``"22（其中修订 16 件）"`` → ``("22", True)``: a trailing parenthesised note set aside."""
    match = _TRAILING_NOTE.search(text)
    if match is None or not text[: match.start()].strip():
        return text, False
    return text[: match.start()].strip(), True


def normalize_text(raw: str) -> str:
    """NFKC (full-width digits/punctuation → ASCII), NBSP → space, trimmed."""
    return unicodedata.normalize("NFKC", raw).replace("\u3000", " ").strip()


def is_placeholder(text: str) -> bool:
    return _WS.sub("", text) in PLACEHOLDERS


@lru_cache(maxsize=8192)
def parse_cell(raw: str) -> ParsedValue:
    """The number printed in a cell, or None with the reason."""
    text = normalize_text(raw)
    if not text:
        return ParsedValue(None, "blank")
    if is_placeholder(text):
        return ParsedValue(None, "dash")
    bare = raw.strip()
    inner = bare.lstrip("".join(FOOTNOTE_SYMBOLS)).rstrip("".join(FOOTNOTE_SYMBOLS))
    while inner and is_footnote_mark(inner[0]):
        inner = inner[1:].lstrip()
    while inner and is_footnote_mark(inner[-1]):
        inner = inner[:-1].rstrip()
    if inner != bare:
        return _annotated(inner)
    if any(is_footnote_mark(ch) for ch in bare):
        return ParsedValue(None, "unreadable")  # a mark between digits: which digits are the number?
    number, noted = split_note(text)
    if noted:
        return _annotated(number)
    unit: str | None = None
    for candidate in UNITS:
        if text.endswith(candidate):
            unit, text = candidate, text[: -len(candidate)].strip()
            break
    text = text.replace("，", ",")
    signed = text[:1] in "+-"
    if _PLAIN.match(text):
        number = text
    elif _THOUSANDS.match(text):
        number = text.replace(",", "")
    elif _SPACED_THOUSANDS.match(text):
        number = text.replace(" ", "")
    else:
        return ParsedValue(None, "unreadable", unit)
    return ParsedValue(float(number), None, unit, signed)


def _annotated(text: str) -> ParsedValue:
    """The number left once a footnote mark or note is set aside, flagged ``annotated``."""
    parsed = parse_cell(text)
    if parsed.value is None or parsed.flag is not None:
        return ParsedValue(None, "unreadable", parsed.unit)
    return ParsedValue(parsed.value, "annotated", parsed.unit, parsed.signed)


@lru_cache(maxsize=8192)
def looks_numeric(raw: str) -> bool:
    """True when the cell is a value slot, not a label: a number, a blank or placeholder, or digits
    that cannot be read as one number ("55 00", "1.2.3": no letter in it, so never a label)."""
    parsed = parse_cell(raw)
    if parsed.flag != "unreadable":
        return True
    return any(ch.isdigit() for ch in raw) and not any(ch.isalpha() for ch in raw)
