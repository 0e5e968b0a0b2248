"""jieba's precise-mode cut with HMM (``Tokenizer.lcut(text, HMM=True)``), with its hot loop in one pass.

jieba cuts each run of Chinese characters, letters and digits (``re_han_default``) by building a
DAG of the dictionary words starting at each character (``get_DAG``: ``frag in FREQ`` and
``FREQ[frag]`` per fragment), then the best route from right to left (``calc``: ``max`` over a
generator of ``(log(freq) - log(total) + route[x + 1][0], x)``), then joins single characters
the route leaves into runs, which it cuts with the HMM of ``jieba.finalseg`` when the run is not
a dictionary word (``__cut_DAG``). With gongkai's on-disk dictionary each fragment costs two or
three Python-level mapping calls (:class:`lexicon.PrefixFreq`), and these calls and the generator
were most of a section's segmentation time.

:func:`cut` gives the same words from the same tables: one right-to-left pass walks the fragments
starting at each character (a C-level ``dict.get`` in the entries looked up so far, the lexicon
only for new ones) and keeps the best candidate as it goes. Candidates are visited in jieba's
order (growing end) and a later one replaces the best when its score is ``>=``, which is what
``max`` over ``(score, end)`` tuples picks; scores are the same float expression, evaluated in
the same order. ``tests/test_prose_cut.py`` compares it with jieba on many texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from math import log
from types import ModuleType

from gongkai.extractors.prose.lexicon import import_jieba

_MISSING = object()


@dataclass(frozen=True, slots=True)
class PrefixDict:
    """What a cut reads of jieba's prefix dict: a word's frequency, 0 for a word prefix, None for neither."""

    known: Mapping[str, int | None]  # entries looked up so far (None: absent); read first, C-level
    lookup: Callable[[str], int | None]  # the entry of a word not in ``known``
    total: int  # the tokenizer's total frequency


def _absent(word: str) -> None:
    return None


def prefix_dict(freq: Mapping[str, int], total: int) -> PrefixDict:
    """A complete in-memory prefix dict (jieba's own ``FREQ``): what it does not hold is absent."""
    return PrefixDict(freq, _absent, total)


def _entry(words: PrefixDict, fragment: str) -> int | None:
    found = words.known.get(fragment, _MISSING)
    return words.lookup(fragment) if found is _MISSING else found  # type: ignore[return-value]


def _route(block: str, words: PrefixDict) -> list[int]:
    """jieba's ``calc(block, get_DAG(block))``: for each start, the end of the best route's first word."""
    known_get, lookup = words.known.get, words.lookup
    logtotal = log(words.total)
    n = len(block)
    score = [0.0] * (n + 1)
    end = list(range(n))
    for start in range(n - 1, -1, -1):
        best: float | None = None
        i = start
        fragment = block[start]
        while True:
            freq = known_get(fragment, _MISSING)
            if freq is _MISSING:
                freq = lookup(fragment)
            if freq is None:
                break
            if freq:  # a word (0: only a prefix of words)
                candidate = log(freq) - logtotal + score[i + 1]  # type: ignore[arg-type]
                if best is None or candidate >= best:
                    best, end[start] = candidate, i
            i += 1
            if i == n:
                break
            fragment = block[start:i + 1]
        if best is None:  # no word starts here: the character alone, frequency 1 (log 1 = 0)
            best = log(1) - logtotal + score[start + 1]
        score[start] = best
    return end


def _run_words(run: str, words: PrefixDict, finalseg: ModuleType) -> Iterator[str]:
    """A run of characters the route leaves single: one character, the HMM's words, or (a word) its characters."""
    if len(run) == 1:
        yield run
    elif not _entry(words, run):
        yield from (finalseg.cut(run) if finalseg.Force_Split_Words else _hmm_words(run, finalseg))
    else:
        yield from run


@lru_cache(maxsize=8192)
def _hmm_words(run: str, finalseg: ModuleType) -> tuple[str, ...]:
    """``finalseg.cut(run)``, cached: while no word is forced apart (``jieba.del_word``; gongkai's
    dictionary forces none), the HMM's words depend on the run alone, and runs recur across reports."""
    return tuple(finalseg.cut(run))


def _cut_block(block: str, words: PrefixDict, finalseg: ModuleType) -> Iterator[str]:
    """jieba's ``__cut_DAG``: the route's words of two or more characters, and the runs between them."""
    end = _route(block, words)
    n = len(block)
    x = run_start = 0
    while x < n:
        y = end[x] + 1
        if y - x > 1:
            if run_start < x:
                yield from _run_words(block[run_start:x], words, finalseg)
            yield block[x:y]
            run_start = y
        x = y
    if run_start < n:
        yield from _run_words(block[run_start:], words, finalseg)


def cut(text: str, words: PrefixDict) -> list[str]:
    """``jieba.Tokenizer.lcut(text, HMM=True)`` of a tokenizer whose ``FREQ`` and ``total`` are ``words``."""
    jieba = import_jieba()
    re_han, re_skip, finalseg = jieba.re_han_default, jieba.re_skip_default, jieba.finalseg
    out: list[str] = []
    for block in re_han.split(text):
        if not block:
            continue
        if re_han.match(block):
            out.extend(_cut_block(block, words, finalseg))
        else:
            for part in re_skip.split(block):
                if re_skip.match(part):
                    out.append(part)
                else:
                    out.extend(part)
    return out
