"""Reading one table cell as a number (docs/form.md § Reading a cell). Pure functions, no guessing.

``parse_cell(raw)`` returns the value as printed, or None with a flag: ``blank`` (empty),
``dash`` (—, -, /, 无 …) or ``unreadable`` (anything that is not unambiguously one number).
Full-width digits, thousands separators, a leading sign and a unit glued to the number
(``251000元``, ``12.5万元``) are understood; nothing else is.
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


@lru_cache(maxsize=8192)
def looks_numeric(raw: str) -> bool:
    """True when the cell is a value slot, not a label: a number, a blank or placeholder, or digits
    that cannot be read as one number ("55 00", "1.2.3": no letter in it, so never a label)."""
    parsed = parse_cell(raw)
    if parsed.flag != "unreadable":
        return True
    return any(ch.isdigit() for ch in raw) and not any(ch.isalpha() for ch in raw)
