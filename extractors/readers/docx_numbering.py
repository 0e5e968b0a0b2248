"""Automatic list numbering of a .docx: the "一、" or "1." Word prints before a numbered paragraph.

Word does not store these prefixes in the paragraph text; it computes them from
``word/numbering.xml`` (list definitions) and the paragraph's ``w:numPr`` (directly or through its
style). :class:`ListNumbering` replays that count in document order, so headings such as
"一、总体情况" keep their number when it was generated. Bullets produce no prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"

_CN_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese_count(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"))
    rest = n
    zero_pending = False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero_pending:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else _CN_DIGITS[digit]) + name
            zero_pending = False
        elif out:
            zero_pending = True
    if rest:
        out += ("零" if zero_pending else "") + _CN_DIGITS[rest]
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, num_fmt: str) -> str:
    """One level's counter in a Word number format (decimal for formats not listed)."""
    if num_fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
                   "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_count(n)
    if num_fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if num_fmt == "ideographZodiac" and 1 <= n <= 12:
        return _EARTHLY_BRANCHES[n - 1]
    if num_fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if num_fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(n))
    if num_fmt == "decimalZero":
        return f"{n:02d}"
    if num_fmt == "lowerLetter":
        return _letters(n)
    if num_fmt == "upperLetter":
        return _letters(n).upper()
    if num_fmt == "lowerRoman":
        return _roman(n)
    if num_fmt == "upperRoman":
        return _roman(n).upper()
    if num_fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    num_fmt: str
    text: str  # lvlText, e.g. "%1、" or "（%1）"


def _val(el: etree._Element | None, default: str = "") -> str:
    if el is None:
        return default
    return str(el.get(_W + "val", default))


def _parse_levels(abstract: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in abstract.findall(_W + "lvl"):
        try:
            ilvl = int(lvl.get(_W + "ilvl", "0"))
            start = int(_val(lvl.find(_W + "start"), "1") or 1)
        except ValueError:
            continue
        levels[ilvl] = _Level(start=start, num_fmt=_val(lvl.find(_W + "numFmt"), "decimal"),
                              text=_val(lvl.find(_W + "lvlText")))
    return levels


@dataclass(slots=True)
class ListNumbering:
    """The numbering definitions of one document and the running counters of its lists."""

    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> levels
    start_override: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, ilvl) -> start
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId -> level -> n
    started: set[str] = field(default_factory=set)  # numIds already used

    @classmethod
    def from_parts(cls, numbering: etree._Element | None, styles: etree._Element | None) -> ListNumbering:
        state = cls()
        if numbering is not None:
            for abstract in numbering.findall(_W + "abstractNum"):
                state.levels[abstract.get(_W + "abstractNumId", "")] = _parse_levels(abstract)
            for num in numbering.findall(_W + "num"):
                num_id = num.get(_W + "numId", "")
                state.abstract_of[num_id] = _val(num.find(_W + "abstractNumId"))
                for override in num.findall(_W + "lvlOverride"):
                    start = override.find(_W + "startOverride")
                    if start is not None:
                        try:
                            state.start_override[(num_id, int(override.get(_W + "ilvl", "0")))] = int(
                                _val(start, "1"))
                        except ValueError:
                            continue
        if styles is not None:
            for style in styles.findall(_W + "style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    num_id = _val(num_pr.find(_W + "numId"))
                    ilvl = int(_val(num_pr.find(_W + "ilvl"), "0") or 0)
                    state.style_num[style.get(_W + "styleId", "")] = (num_id, ilvl)
        return state

    def _num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        p_pr = p.find(_W + "pPr")
        if p_pr is None:
            return None
        num_pr = p_pr.find(_W + "numPr")
        if num_pr is not None:
            num_id = _val(num_pr.find(_W + "numId"))
            style = self.style_num.get(_val(p_pr.find(_W + "pStyle")))
            ilvl_el = num_pr.find(_W + "ilvl")
            if ilvl_el is None and style is not None:
                ilvl = style[1]
            else:
                ilvl = int(_val(ilvl_el, "0") or 0)
            return num_id, ilvl
        return self.style_num.get(_val(p_pr.find(_W + "pStyle")))

    def prefix(self, p: etree._Element) -> str:
        """The number Word prints before paragraph ``p`` ("" when it has none); advances the count."""
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        abstract_id = self.abstract_of.get(num_id)
        if num_id == "0" or abstract_id is None or abstract_id not in self.levels:
            return ""
        levels = self.levels[abstract_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:  # a list instance with a start override restarts the count
            self.started.add(num_id)
            for (override_num, override_lvl), start in self.start_override.items():
                if override_num == num_id:
                    counters[override_lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.num_fmt == "bullet":
            return ""
        text = level.text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in text:
                shown = counters.get(k, levels[k].start if k in levels else 1)
                fmt = levels[k].num_fmt if k in levels else "decimal"
                text = text.replace(f"%{k + 1}", format_number(shown, fmt))
        return text
