"""Title, issuer and report year (docs/form.md § Sections).

The title is the first line near the top that names a 政府信息公开 annual report; the year is
the one printed in the title (Arabic, full-width or Chinese numerals: 二〇二四), i.e. the year the
report is about, not the publication date. When the title has no year, the statistics period
("统计期限自2019年1月1日…") is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

from gongkai.extractors.sections import LocatedSections
from gongkai.model.document import Document

_TITLE_WORDS = re.compile(r"政府信息公开.{0,6}年度?报告|政务公开.{0,6}年度?报告|信息公开年报")
_CRAWLER_PREFIX = re.compile(r"^\s*(?:标题|题目|title)\s*[:：]\s*", re.IGNORECASE)
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = re.compile(r"((?:19|20)\s*\d\s*\d|[〇○零Ｏ一二][〇○零Ｏ一二三四五六七八九]{3})\s*年\s*度?")
_PERIOD = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-)\s*(?:20\d\d\s*年\s*)?12\s*月\s*31\s*日")
_ISSUER_PREFIX = re.compile(r"^(?:关于|《)")
_ISSUER_SUFFIX = re.compile(r"(?:关于|的)$")
_MAX_TITLE = 80
# a line that can be the first half of a two-line title: a short name, no sentence punctuation
_TITLE_HEAD = re.compile(r"[^\s，。：:；;、,（）()《》]{2,30}")
_TITLE_SEARCH_BLOCKS = 15
# a line that can continue a title wrapped over two or three lines ("告", "开工作年度报告"): short,
# no sentence punctuation
_TITLE_TAIL = re.compile(r"[^，。：:；;、,（）()《》]{1,20}")

MIN_SECTIONS_FOR_REPORT = 3
FIRST_NATIONAL_FORMAT_YEAR = 2019


@dataclass(slots=True)
class ReportMetadata:
    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    legacy_markers: bool = False  # 2008-era structure seen (统计表 rows, 概述/依申请公开 sections)

    def is_pre2019(self, sections: LocatedSections) -> bool:
        if self.year is not None:
            return self.year < FIRST_NATIONAL_FORMAT_YEAR
        return self.legacy_markers

    def is_report(self, sections: LocatedSections) -> bool:
        return self.title is not None or len(sections.found) >= MIN_SECTIONS_FOR_REPORT


def year_from_text(text: str) -> int | None:
    """The first plausible report year printed in ``text`` (2024, ２０２４, 二〇二四)."""
    for match in _YEAR.finditer(unicodedata.normalize("NFKC", text)):
        digits = "".join(_CN_DIGITS.get(ch, ch) for ch in match.group(1) if not ch.isspace())
        if digits.isdigit() and 2000 <= int(digits) <= 2100:
            return int(digits)
    return None


def _wrapped_title(lines: list[str], i: int) -> str | None:
    """A title wrapped over lines ``i`` … ``i+2`` (a PDF line break: "…2025年…年度报" / "告"): the
    title words start on line ``i`` and end on a short continuation line that is not a sentence."""
    joined = lines[i]
    for extra in lines[i + 1: i + 3]:
        if not _TITLE_TAIL.fullmatch(extra):
            return None
        joined += extra
        match = _TITLE_WORDS.search(joined)
        if match and match.start() < len(lines[i]) and match.end() > len(joined) - len(extra):
            return joined[: match.end()]
    return None


def _title_candidates(document: Document) -> list[str]:
    out: list[str] = []
    previous = ""
    lines = [_CRAWLER_PREFIX.sub("", block.text).strip()
             for block in islice(document.text_blocks(), _TITLE_SEARCH_BLOCKS)]
    for i, line in enumerate(lines):
        match = _TITLE_WORDS.search(line)
        if not match and len(line) <= _MAX_TITLE:
            wrapped = _wrapped_title(lines, i)
            if wrapped is not None:
                line = wrapped
                match = _TITLE_WORDS.search(line)
        if not match:
            previous = line
            continue
        title = line[: match.end()].strip()
        if issuer_from_title(title) is None and previous and _TITLE_HEAD.fullmatch(previous):
            title = f"{previous}{title}"  # title printed on two lines: "淮安市人民政府" / "2024 年…年度报告"
        if len(title) <= _MAX_TITLE:
            out.append(title)
        previous = line
    return out


def issuer_from_title(title: str) -> str | None:
    text = unicodedata.normalize("NFKC", title)
    match = _YEAR.search(text)
    if match is None:
        words = _TITLE_WORDS.search(text)
        issuer = text[: words.start()] if words else ""
    else:
        issuer = text[: match.start()]
        if not issuer.strip():  # "2019年上海市人民政府办公厅政府信息公开工作年度报告"
            words = _TITLE_WORDS.search(text, match.end())
            issuer = text[match.end(): words.start()] if words else ""
    issuer = _ISSUER_SUFFIX.sub("", _ISSUER_PREFIX.sub("", re.sub(r"\s+", "", issuer)))
    return issuer or None


def read_metadata(document: Document) -> ReportMetadata:
    titles = _title_candidates(document)
    title = titles[0] if titles else None
    meta = ReportMetadata(title=title)
    if title:
        meta.issuer = issuer_from_title(title)
        meta.year = year_from_text(title)
    if meta.year is None:
        head = "\n".join(b.text for b in islice(document.text_blocks(), 40))[:20000]
        period = _PERIOD.search(unicodedata.normalize("NFKC", head))
        if period:
            meta.year = int(period.group(1))
    if meta.year is None:  # only then do the 2008-era markers decide (is_pre2019)
        full = document.plain_text()
        meta.legacy_markers = "政府信息公开情况统计表" in full or (
            "第二十条" not in full and "本年新收" not in full and "依申请公开" in full and "概述" in full
        )
    return meta
