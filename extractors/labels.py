"""Normalising printed labels for matching (docs/form.md § Reading a cell; D2–D4, D7, D23). Pure functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# a parenthetical with two or more characters inside is an annotation, not an item number
_ANNOTATION = re.compile(r"[(（][^()（）]{2,}[)）]")
_PUNCT = re.compile(r"[\"'“”‘’「」『』《》〈〉<>,，;；:：。、.．·•!！?？\[\]【】]")
_LEADING_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d))"
)


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """NFKC and all whitespace removed ("结果 维持" → "结果维持", "（一）" → "(一)")."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def strip_annotations(text: str) -> str:
    """Drop parenthetical annotations like "(区分处理的，只计这一情形…)" or "(单位:万元)"."""
    previous = None
    while previous != text:
        previous, text = text, _ANNOTATION.sub("", text)
    return text


def strip_numbering(text: str) -> str:
    """Drop leading item numbers: "三、", "(六)", "1.", "2、" (repeatedly)."""
    previous = None
    while previous != text:
        previous, text = text, _LEADING_NUMBERING.sub("", text)
    return text


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """The key used for label matching: compact, annotations and punctuation removed."""
    return _PUNCT.sub("", strip_annotations(compact(text)))


@lru_cache(maxsize=8192)
def bare_label(text: str) -> str:
    """``match_key`` without leading item numbers ("(七)总计" → "总计")."""
    return _PUNCT.sub("", strip_numbering(strip_annotations(compact(text))))
