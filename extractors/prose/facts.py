"""Figures stated in the prose of section 一 (docs/output.md § facts).

Each :data:`FACT_PATTERNS` key has a few phrasings, each a regex with one ``num`` group (Arabic
or Chinese numerals, via :mod:`numerals`) and one ``unit`` group. A match counts only when it
states the body's own total, so matches are dropped when they sit inside a parenthesis or after
``其中`` in the same sentence (a breakdown, not the total). A key is emitted only when all its
remaining matches in the section agree on one value: two different figures for the same key make
it unknown rather than guessed (never invent a number).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.extractors.prose.numerals import CN_DIGITS, NUMBER, number_value, qualifier_of
from gongkai.model.result import ProseFact

_SENTENCE = re.compile(r"[^。！!？?]+[。！!？?]?")
_CLAUSE_START = re.compile(r"[，,；;：:]")
_GAP = r"[^，,。；;、\d]"  # a few characters of the same clause, no number in between
_NUM = rf"(?P<num>{NUMBER})\s*(?P<wan>万)?\s*(?:余|多)?\s*"
# where a pattern starts with the number: a match starts at a digit (the same matches; the regex
# engine skips other characters quickly instead of trying the number's alternatives at each one)
_AT_DIGIT = rf"(?=[\d{CN_DIGITS}])"
_VERB = r"(?:主动公开|公开|公布|发布|推送|更新)了?"
_KIND = r"(?:各类|各种|全部|相关)?"  # what may stand between the verb and 信息
_TOTAL = r"(?:共|共计|总计|合计|总数|总量)?\s*(?:为|达到?)?\s*"  # what may stand between 信息 and the number
# words that make a figure a change or a share, not a count: 增加15条, 同比, 较上年, 占
_CHANGE = re.compile(r"增|减|同比|较|比上|占|下降|上升|提高")


@dataclass(frozen=True, slots=True)
class FactKey:
    key: str
    description: str
    patterns: tuple[re.Pattern[str], ...]
    not_in_clause: re.Pattern[str] | None = None  # words that make the clause another key's


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text)


FACT_KEYS: tuple[FactKey, ...] = (
    FactKey("items_published", "government information proactively published (政府信息 … 条)", (
        _p(rf"{_VERB}{_KIND}政府信息{_TOTAL}{_NUM}(?P<unit>条)"),
    ), not_in_clause=_p(r"网站|微博|微信|新媒体|公众号")),
    FactKey("website_items_published", "items published on the government website (网站 … 信息 … 条)", (
        _p(rf"网站{_GAP}{{0,8}}?{_VERB}{_KIND}(?:政府|政务)?信息{_TOTAL}{_NUM}(?P<unit>条)"),
    )),
    FactKey("new_media_accounts", "government new-media accounts run (政务新媒体 … 个)", (
        _p(rf"新媒体(?:账号|平台)?(?:数量)?{_TOTAL}{_NUM}(?P<unit>个)(?![部单乡镇街村区县市局])"),
        _p(rf"{_AT_DIGIT}(?<![\d.]){_NUM}(?P<unit>个)(?:政务)?新媒体"),
    )),
    FactKey("new_media_posts", "posts on government new media (微博/微信/新媒体 … 发布 … 条)", (
        _p(rf"(?:新媒体|微博|微信|公众号){_GAP}{{0,8}}?(?:发布|推送){_GAP}{{0,6}}?{_NUM}(?P<unit>条)"),
    )),
    FactKey("press_conferences", "press conferences held (新闻发布会 … 场/次)", (
        _p(rf"新闻发布会\s*(?:共|共计)?\s*{_NUM}(?P<unit>场|次)"),
        _p(rf"(?:召开|举办|举行){_GAP}{{0,4}}?{_NUM}(?P<unit>场|次)(?:新闻)?发布会"),
    )),
    FactKey("policy_interpretations", "policy interpretations published (发布/制作 … 政策解读 … 件/篇/条/个)", (
        _p(rf"(?:发布|制作|推出|撰写|开展|编发|刊发)(?:各类)?政策解读(?:材料|稿件)?\s*(?:共|共计)?\s*{_NUM}(?P<unit>件|篇|条|个|期)"),
    )),
    FactKey("gazette_issues", "issues of the government gazette (公报 … 期)", (
        _p(rf"公报》?\s*(?:共|共计)?\s*{_NUM}(?P<unit>期)"),
    )),
)


def sentences(text: str, pattern: re.Pattern[str] = _SENTENCE) -> Iterator[tuple[str, int]]:
    """Sentences of ``text`` with line breaks removed (PDF lines wrap mid-word), and their offsets.

    A sentence ends at 。！？ (not at ；: a breakdown after 其中 often runs on past a semicolon).
    """
    joined = text.replace("\n", "")
    for match in pattern.finditer(joined):
        if match.group(0).strip():
            yield match.group(0), match.start()


def _inside_parentheses(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return depth > 0


def _is_breakdown(text: str, pos: int) -> bool:
    """A figure after 其中 (in the same sentence) or in parentheses is part of a total."""
    return "其中" in text[:pos] or _inside_parentheses(text, pos)


def facts_in(section: int, text: str, keys: tuple[FactKey, ...] = FACT_KEYS) -> list[ProseFact]:
    """The facts of ``keys`` stated in ``text`` (the prose of section ``section``).

    Each pattern runs once over the whole section (``\\d`` also matches full-width digits, which
    are NFKC-normalised only for reading the value); a match is then judged within its sentence.
    """
    joined = text.replace("\n", "")
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(joined)]
    starts = [start for start, _ in spans]
    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]{0,80}》", joined)]
    found: dict[str, list[tuple[int, ProseFact]]] = {}  # key → (offset in the section, fact)
    for fact_key in keys:
        for pattern in fact_key.patterns:
            for match in pattern.finditer(joined):
                index = bisect_right(starts, match.start()) - 1
                first, last = spans[index]
                sentence = joined[first:last]
                begin, num = match.start() - first, match.start("num") - first
                if _is_breakdown(sentence, begin) or _CHANGE.search(joined, match.start(), match.start("num")):
                    continue
                clause_start = max((m.end() for m in _CLAUSE_START.finditer(sentence, 0, begin)), default=0)
                if fact_key.not_in_clause and fact_key.not_in_clause.search(sentence, clause_start, num):
                    continue
                if any(a <= match.start("num") < b for a, b in titles):
                    continue
                value = number_value(unicodedata.normalize("NFKC", match.group("num")),
                                     wan=match.group("wan") is not None)
                if value is None:
                    continue
                qualifier = qualifier_of(sentence[:num], sentence[match.end("num") - first:])
                found.setdefault(fact_key.key, []).append((match.start(), ProseFact(
                    section, fact_key.key, value, match.group("unit"), qualifier, sentence,
                    (begin, match.end() - first))))
    out: list[ProseFact] = []
    for fact_key in keys:
        candidates = [fact for _, fact in sorted(found.get(fact_key.key, []), key=lambda pair: pair[0])]
        if len({(f.value, f.unit) for f in candidates}) == 1:
            out.append(candidates[0])  # the first statement in the section
    return out
