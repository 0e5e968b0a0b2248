"""Facts read from the prose: the information-processing fee reported in section 六 (docs/form.md § Deviations, D8, D15).

Since 国办函〔2020〕109号 agencies may charge 信息处理费 and report what they collected in section 六,
in 元 ("全年收取政府信息公开信息处理费 3940 元", also in Chinese numerals: "三千九百四十元") or as a
statement that none arose ("本年度没有产生信息公开处理费"). Only a sentence that names the fee is
read; book titles (《…处理费管理办法》) are ignored; two different amounts make the value unknown
rather than guessed. The result is the ``info_fee`` row of the ``facts`` table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.extractors.prose.facts import sentences
from gongkai.extractors.prose.numerals import NUMBER, NormalizedText, number_value
from gongkai.model.result import ProseFact

_CLAUSES = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
_TITLE = re.compile(r"《[^》]{0,60}》")
_FEE = re.compile(r"(?:信息)?(?:公开)?(?:信息)?处理费")
_AMOUNT = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>万元|元)")
# an amount counts only in a sentence that says fees were collected, and not as a rate (100元/件)
_COLLECTED = re.compile(r"收取|收缴|共收|累计收|合计收|实收|产生")
_RATE_AFTER = re.compile(r"\s*(?:/|每|一件|一页|／)")
_NONE = re.compile(r"没有产生|未产生|没有收取|未收取|不收取|免收|未发生|没有发生|无收取|未收费|均未收")

FEE_KEY = "info_fee"
FEE_SECTION = 6


@dataclass(frozen=True, slots=True)
class InfoFee:
    yuan: float | None  # None: not reported, or not readable with certainty
    text: str | None  # the sentence it was read from
    span: tuple[int, int] | None = None  # the amount's phrase (or the "none arose" words) in ``text``


def _blank_titles(text: str) -> str:
    """Titles replaced by spaces of the same length (offsets stay those of the sentence)."""
    return _TITLE.sub(lambda m: " " * len(m.group(0)), text)


def info_fee(section_text: str) -> InfoFee:
    """The 信息处理费 collected, in 元, from the text of section 六 (or of the whole report)."""
    amounts: list[tuple[float, str, tuple[int, int]]] = []
    zero: tuple[str, tuple[int, int]] | None = None
    for printed, _ in sentences(section_text, _CLAUSES):
        printed = printed.rstrip("。；;！!？?").strip()
        normal = NormalizedText.of(printed)
        sentence = _blank_titles(normal.text)
        fee = _FEE.search(sentence)
        if fee is None:
            continue
        found = [m for m in _AMOUNT.finditer(sentence)
                 if m.start() > fee.start() and not _RATE_AFTER.match(sentence, m.end())
                 and "每" not in sentence[max(0, m.start() - 3):m.start()]]
        if found and (_COLLECTED.search(sentence) is None or "标准" in sentence):
            continue  # a rate or a rule, not what was collected
        for m in found:
            value = number_value(m.group("num"), wan=m.group("unit") == "万元")
            if value is None:
                return InfoFee(None, printed)  # an amount that cannot be read: unknown, not guessed
            amounts.append((value, printed, normal.span(m.start(), m.end())))
        none_said = _NONE.search(sentence)
        if not found and none_said:
            zero = (printed, normal.span(none_said.start(), fee.end() if fee.end() > none_said.end()
                                         else none_said.end()))
    distinct = {round(value, 6) for value, _, _ in amounts}
    if len(distinct) == 1:
        return InfoFee(amounts[0][0], amounts[0][1], amounts[0][2])
    if len(distinct) > 1:
        return InfoFee(None, "；".join(dict.fromkeys(s for _, s, _ in amounts)))
    if zero is not None:
        return InfoFee(0.0, zero[0], zero[1])
    return InfoFee(None, None)


def fee_fact(fee: InfoFee) -> ProseFact | None:
    """The ``info_fee`` fact (元) of a fee that was read with certainty."""
    if fee.yuan is None or fee.text is None or fee.span is None:
        return None
    return ProseFact(FEE_SECTION, FEE_KEY, fee.yuan, "元", None, fee.text, fee.span)
