"""gongkai's one-pass cut gives exactly jieba's ``lcut(text, HMM=True)`` words (extractors/prose/cut.py)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.extractors.prose.cut import PrefixDict, cut, prefix_dict
from gongkai.extractors.prose.lexicon import import_jieba
from gongkai.extractors.prose.segmenter import _prefix_dict, segment, tokenizer
from tests.test_samples_snapshots import DATA

SAMPLES = ("hb-zhuozhou-district-gov-2024.txt", "fj-pingtan-zone-gov-2019.txt", "fj-pingtan-zone-gov-2018-legacy.txt")
# what texts are made of besides report prose: letters, digits, the symbols re_han_default keeps in
# a block (+#&._%-), whitespace and line ends, punctuation, a lone surrogate, a CJK extension B char
ODD = "abcXYZ0123456789０１２.%-_+#& \t\r\n\u3000，。、；：（）()《》“”\ud800\U00020000"


@cache
def report_text() -> str:
    return "".join((DATA / name).read_text(encoding="utf-8") for name in SAMPLES)


@cache
def jieba_tokenizer(dictionary: str) -> tuple[Any, dict[str, int]]:
    """A jieba tokenizer holding only ``dictionary`` (dict.txt lines), and its prefix dict."""
    jieba = import_jieba()
    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(dictionary.encode()))
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(freq), total, True
    return tk, freq


def report_like_texts() -> st.SearchStrategy[str]:
    """Stretches of the sample reports, as printed, shuffled, or mixed with odd characters."""
    text = report_text()

    @st.composite
    def build(draw: st.DrawFn) -> str:
        start = draw(st.integers(0, len(text) - 1))
        piece = text[start:start + draw(st.integers(0, 400))]
        how = draw(st.sampled_from(("as printed", "shuffled", "mixed")))
        if how == "shuffled":
            return "".join(draw(st.permutations(list(piece))))
        if how == "mixed":
            return "".join(draw(st.lists(st.sampled_from(piece + ODD) if piece else st.sampled_from(ODD),
                                         max_size=80)))
        return piece

    return build()


def test_the_samples_are_cut_as_jieba_cuts_them() -> None:
    tk = tokenizer()
    for line in report_text().splitlines():
        assert segment(line) == [w for w in tk.lcut(line, HMM=True) if w.strip()]
    assert cut(report_text(), _prefix_dict()) == tk.lcut(report_text(), HMM=True)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=report_like_texts())
def test_report_like_texts_are_cut_as_jieba_cuts_them(text: str) -> None:
    assert cut(text, _prefix_dict()) == tokenizer().lcut(text, HMM=True)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(entries=st.lists(st.tuples(st.text("甲乙丙丁", min_size=1, max_size=4), st.integers(0, 6)), max_size=12),
       text=st.text("甲乙丙丁戊a1 ，", max_size=30))
def test_small_dictionaries_with_ties_are_cut_as_jieba_cuts_them(entries: list[tuple[str, int]], text: str) -> None:
    """Few words, small frequencies: equal route scores are frequent, and both keep the longer first word."""
    dictionary = "".join(f"{word} {n}\n" for word, n in entries) + "戊 1\n"  # a total above 0
    tk, freq = jieba_tokenizer(dictionary)
    expected = tk.lcut(text, HMM=True)
    assert cut(text, prefix_dict(freq, tk.total)) == expected
    assert cut(text, PrefixDict({}, freq.get, tk.total)) == expected  # every entry from the lookup


def test_a_tie_takes_the_longer_first_word_as_jieba_does() -> None:
    # 甲+乙丙 and 甲乙+丙 score exactly the same (a + b == b + a); jieba's max keeps the later end
    tk, freq = jieba_tokenizer("甲 3\n丙 3\n乙丙 5\n甲乙 5\n")
    assert tk.lcut("甲乙丙", HMM=True) == cut("甲乙丙", prefix_dict(freq, tk.total)) == ["甲乙", "丙"]
