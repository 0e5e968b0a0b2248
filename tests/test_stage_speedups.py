"""Edge cases of the speed-ups of the stages after reading (issue 15): each must give what the
plain form gave."""

from __future__ import annotations

import random
import re

import pytest

from gongkai.convert.checks import run_checks
from gongkai.extractors.sections import _ANY, _SEP, HEADING_PATTERNS, _words
from gongkai.model.document import Locator
from gongkai.model.result import CellValue, CheckStatus
from gongkai.schemas.rules import equations

# The heading patterns as they were written before (the look-behind first): the reference.
_PLAIN_HEADINGS: dict[int, re.Pattern[str]] = {
    1: re.compile(rf"(?<![（(第])一{_SEP}{_words(1)}"),
    2: re.compile(rf"(?<![（(第])二{_SEP}{_ANY}{{0,12}}?{_words(2)}{_ANY}{{0,12}}?情况"),
    3: re.compile(rf"(?<![（(第])三{_SEP}{_ANY}{{0,16}}?{_words(3)}{_ANY}{{0,10}}?情况"),
    4: re.compile(rf"(?<![（(第])四{_SEP}{_ANY}{{0,20}}?{_words(4)}{_ANY}{{0,18}}?情况"),
    5: re.compile(rf"(?<![（(第])五{_SEP}{_ANY}{{0,16}}?{_words(5)}{_ANY}{{0,12}}?(?:情况|措施)"),
    6: re.compile(rf"(?<![（(第])六{_SEP}{_ANY}{{0,8}}?{_words(6)}{_ANY}{{0,12}}?事项"),
}
_HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
             "六、其他需要报告的事项", "二. 主动公开情况", "五、 问题和改进措施"]
_NOISE = ["（", "(", "第", "\n", " ", "一", "、", "x", "。", "\ufffc", "情况", "；"]


def _texts() -> list[str]:
    rng = random.Random(15)
    out = [h for h in _HEADINGS] + [p + h for h in _HEADINGS for p in ("（", "(", "第", "\n", "a", "（一")]
    for _ in range(300):
        out.append("".join(rng.choice(_HEADINGS + _NOISE) for _ in range(rng.randint(1, 12))))
    return out


@pytest.mark.parametrize("number", range(1, 7))
def test_heading_patterns_find_what_the_look_behind_first_form_found(number: int) -> None:
    for text in _texts():
        new = [(m.start(), m.end(), m.group(0)) for m in HEADING_PATTERNS[number].finditer(text)]
        old = [(m.start(), m.end(), m.group(0)) for m in _PLAIN_HEADINGS[number].finditer(text)]
        assert new == old, text


@pytest.mark.parametrize("locator", [
    Locator(line=3, table=1, row=2, col=7),
    Locator(line=123_456, table=0, row=1, col=0),  # beyond the digits kept
    Locator(table=4, row=10, col=300),
    Locator(line=42, row=0, col=1),
    Locator(line=7, table=2, row=99_999, col=100_000),
    Locator(page=4, table=2, row=7, col=3),
    Locator(line=42),
    Locator(line=5, offset=17),
])
def test_locator_description_is_the_formatted_numbers(locator: Locator) -> None:
    for _ in range(2):  # the second time from the digits kept
        parts = [f"{name} {value}" for name, value in (("line", locator.line), ("table", locator.table),
                                                       ("row", locator.row), ("col", locator.col))
                 if value is not None]
        if locator.page is not None:
            parts.insert(0, f"p{locator.page}")
        if locator.offset is not None:
            parts.append(f"char {locator.offset}")
        assert locator.describe() == " ".join(parts)


def _cell(code: str, value: float | None) -> CellValue:
    return CellValue("applications", code, value, "件", "" if value is None else str(value), None)


def test_checks_use_the_last_cell_of_a_code_and_null_as_not_assessable() -> None:
    eq = next(e for e in equations("F2021") if e.rule == "A1")
    cells = [_cell(code, 1.0) for code in eq.codes]
    assert run_checks(cells, "F2021")[0].status is CheckStatus.PASS
    # a later cell of the same code that is null wins, as in a dict of code -> value
    assert run_checks([*cells, _cell(eq.codes[0], None)], "F2021")[0].status is CheckStatus.NOT_ASSESSABLE
    # a null first and a number later: the number counts
    assert run_checks([_cell(eq.codes[0], None), *cells], "F2021")[0].status is CheckStatus.PASS
    # a code without any cell is not assessable; the check lists its cells, lhs first
    check = run_checks(cells[1:], "F2021")[0]
    assert (check.status, check.lhs, check.rhs, check.cells) == (CheckStatus.NOT_ASSESSABLE, None, None,
                                                                 list(eq.codes))
    failing = run_checks([*cells[:-1], _cell(eq.codes[-1], 2.0)], "F2021")[0]
    assert (failing.status, failing.lhs, failing.rhs) == (CheckStatus.FAIL, 2.0, 3.0)


def test_cached_hmm_words_follow_a_word_forced_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HMM's words of a run are cached while no word is forced apart; once one is (jieba's
    ``del_word``), the cut is jieba's again."""
    from gongkai.extractors.prose.cut import cut, prefix_dict
    from gongkai.extractors.prose.lexicon import import_jieba

    finalseg = import_jieba().finalseg
    words = prefix_dict({"公开": 10}, 100)  # every other character is left to the HMM
    text = "公开张三丰收到申请公开"
    first = cut(text, words)
    assert cut(text, words) == first  # (now from the cache)
    forced = next(w for w in first if len(w) > 1 and w != "公开")
    monkeypatch.setattr(finalseg, "Force_Split_Words", {forced})
    again = cut(text, words)
    assert forced not in again and "".join(again) == text
    assert again == ["公开", *finalseg.cut(text[2:-2]), "公开"]
