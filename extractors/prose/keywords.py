"""Keywords of section 五 (problems and improvements) by TF-IDF over jieba words (docs/output.md § keywords).

The section is segmented with :func:`segmenter.segment` (jieba + the disclosure-terms dictionary);
one-character words, numbers and the boilerplate every report repeats (:data:`STOP_WORDS`) are
dropped; a word's weight is its frequency in the section times its IDF from jieba's bundled
``analyse/idf.txt`` (words it does not know, such as the dictionary's terms, get the median IDF).
Ties are broken by the word, so the ranking is deterministic. The IDF values are looked up in the
:mod:`lexicon` file (only the section's words are read), or parsed whole when there is none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from importlib.resources import files

from gongkai.extractors.prose.lexicon import parse_idf
from gongkai.extractors.prose.segmenter import lexicon, segment
from gongkai.model.result import Keyword

KEYWORD_SECTION = 5
TOP_K = 10

# words every section 五 says: they describe the genre, not the body's problems
STOP_WORDS: frozenset[str] = frozenset("""
工作 进一步 加强 问题 存在 措施 改进 改进措施 主要 下一步 不断 持续 推进 提升 提高 做好 全面 切实
努力 我区 我市 我县 我局 我委 我办 我厅 本机关 本单位 年度 本年度 政府 信息 公开 政府信息公开 政务公开
情况 方面 一是 二是 三是 四是 五是 以及 有待 仍然 仍 还 将 进行 开展 相关 有关 各项 继续 不够 需要
部分 一定 较 工作人员 水平 能力 重点 同时 通过 结合 按照 根据 确保 坚持 落实 围绕 深入 积极 认真 严格
""".split())
_NOT_A_WORD = re.compile(r"^[\d\W_a-zA-Z]+$")


@cache
def _idf() -> tuple[Callable[[str], float | None], float]:
    """A word's IDF (None when jieba does not list it), and the median IDF."""
    words = lexicon()
    if words is not None:
        return words.idf, words.idf_median
    table, median = parse_idf(files("jieba").joinpath("analyse", "idf.txt").read_text(encoding="utf-8"))
    return table.get, median


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def keywords_of(text: str, section: int = KEYWORD_SECTION, top_k: int = TOP_K) -> list[Keyword]:
    """The ``top_k`` keywords of one section's prose (empty text: no keywords, jieba not loaded)."""
    if not text.strip():
        return []
    counts = Counter(w for w in segment(text)
                     if len(w) >= 2 and w not in STOP_WORDS and not _NOT_A_WORD.match(w))
    if not counts:
        return []
    idf, median = _idf()
    total = sum(counts.values())
    weights = {word: idf(word) for word in counts}
    weighted = sorted(((count * _or(weights[word], median) / total, word) for word, count in counts.items()),
                      key=lambda pair: (-pair[0], pair[1]))
    return [Keyword(section, rank, word, round(weight, 6), counts[word])
            for rank, (weight, word) in enumerate(weighted[:top_k], start=1)]
