"""Facts read from the prose: the information-processing fee reported in section 六 (docs/form.md § Deviations, D8, D15).

Since 国办函〔2020〕109号 agencies may charge 信息处理费 and report what they collected in section 六,
in 元 ("全年收取政府信息公开信息处理费 3940 元") or as a statement that none arose ("本年度没有产生信息
公开处理费"). Only a sentence that names the fee is read; book titles (《…处理费管理办法》) are
ignored; two different amounts make the value unknown rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TITLE = re.compile(r"《[^》]{0,60}》")
_SENTENCE = re.compile(r"[^。；;！!？?]+")
_FEE = re.compile(r"(?:信息)?(?:公开)?(?:信息)?处理费")
_AMOUNT = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)")
# an amount counts only in a sentence that says fees were collected, and not as a rate (100元/件)
_COLLECTED = re.compile(r"收取|收缴|共收|累计收|合计收|实收|产生")
_RATE_AFTER = re.compile(r"\s*(?:/|每|一件|一页|／)")
_NONE = re.compile(r"没有产生|未产生|没有收取|未收取|不收取|免收|未发生|没有发生|无收取|未收费|均未收")

WAN = 10_000.0


@dataclass(frozen=True, slots=True)
class InfoFee:
    yuan: float | None  # None: not reported, or not readable with certainty
    text: str | None  # the sentence it was read from


def info_fee(section_text: str) -> InfoFee:
    """The 信息处理费 collected, in 元, from the text of section 六 (or of the whole report)."""
    amounts: list[tuple[float, str]] = []
    zero: str | None = None
    for match in _SENTENCE.finditer(section_text.replace("\n", "")):
        printed = match.group(0).strip()
        sentence = _TITLE.sub("", unicodedata.normalize("NFKC", printed))
        fee = _FEE.search(sentence)
        if fee is None:
            continue
        found = [m for m in _AMOUNT.finditer(sentence)
                 if m.start() > fee.start() and not _RATE_AFTER.match(sentence, m.end())
                 and "每" not in sentence[max(0, m.start() - 3):m.start()]]
        if found and (_COLLECTED.search(sentence) is None or "标准" in sentence):
            continue  # a rate or a rule, not what was collected
        for m in found:
            value = float(m.group(1).replace(",", "").replace("，", ""))
            amounts.append((value * WAN if m.group(2) == "万元" else value, printed))
        if not found and _NONE.search(sentence):
            zero = printed
    distinct = {value for value, _ in amounts}
    if len(distinct) == 1:
        return InfoFee(distinct.pop(), amounts[0][1])
    if len(distinct) > 1:
        return InfoFee(None, "；".join(dict.fromkeys(s for _, s in amounts)))
    if zero is not None:
        return InfoFee(0.0, zero)
    return InfoFee(None, None)
