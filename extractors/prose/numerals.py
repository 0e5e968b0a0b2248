"""Numbers as written in prose: Arabic (3940, 1,200, ３９４０), Chinese (三千九百四十, 十二) and a
trailing 万 ("0.38万元"), plus the qualifier printed with an approximate figure ("5500余条").

``NormalizedText`` keeps, for every character of the NFKC form, the offset of the character it
came from, so a match on the normalized text is reported as a span of the sentence as printed.
Chinese numerals are read with cn2an; a numeral cn2an cannot read is not a number (never guessed).
cn2an is imported on the first Chinese numeral to read (its import builds regexes: ~0.1 s CPU),
so a report written in Arabic digits never loads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# one number: Arabic with optional thousands separators and decimals, or a run of Chinese numerals
NUMBER = rf"(?:(?<![\d.])\d[\d,]*(?:\.\d+)?|(?<![数几上成{CN_DIGITS}])[{CN_DIGITS}]+)"
# what an approximate figure carries: 5500余条, 1000多条, 近1000条, 约100件, 超2300万
_MORE_THAN = ("余", "多", "以上", "超", "超过", "逾")
_ABOUT = ("约", "近", "左右", "大约")


def qualifier_of(before: str, after: str) -> str | None:
    """``more_than`` / ``about`` when the words around a number make it approximate, else None."""
    before, after = before.rstrip(), after.lstrip()
    if after.startswith("万"):
        after = after[1:].lstrip()
    if after.startswith(_MORE_THAN) or before.endswith(("超", "超过", "逾")):
        return "more_than"
    if before.endswith(_ABOUT) or after.startswith("左右"):
        return "about"
    return None


@cache
def _cn2an() -> Any:
    """cn2an's converter function (``cn2an.cn2an``), imported once, on first use."""
    import cn2an  # untyped: see pyproject mypy overrides

    return cn2an.cn2an


@lru_cache(maxsize=4096)
def number_value(text: str, wan: bool = False) -> float | None:
    """The value of one printed number (``wan``: followed by 万); None when it is not one number."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        plain = text.replace(",", "")
        if plain.count(".") > 1 or not re.fullmatch(r"\d+(?:\.\d+)?", plain):
            return None
        if "," in text and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            return None  # "1,20" is not a number with thousands separators
        value = float(plain)
    else:
        if text in ("十",) or all(ch in "零〇" for ch in text):
            value = 10.0 if text == "十" else 0.0
        else:
            try:
                value = float(_cn2an()(text.replace("两", "二"), "strict"))
            except (ValueError, KeyError, IndexError, TypeError):
                return None
    return value * 10_000 if wan else value


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """``text`` in NFKC form, and for each of its characters the offset in the printed original."""

    text: str
    origin: tuple[int, ...]
    printed: str

    @classmethod
    def of(cls, printed: str) -> NormalizedText:
        parts: list[str] = []
        origin: list[int] = []
        for index, ch in enumerate(printed):
            normal = unicodedata.normalize("NFKC", ch)
            if ch in "，":  # keep the Chinese comma: it separates clauses, not thousands
                normal = ch
            parts.append(normal)
            origin.extend([index] * len(normal))
        return cls("".join(parts), tuple(origin), printed)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The printed span of the normalized range [start, end)."""
        if start >= len(self.origin):
            return len(self.printed), len(self.printed)
        last = self.origin[end - 1] + 1 if end > start else self.origin[start]
        return self.origin[start], last
