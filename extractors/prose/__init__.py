"""Facts and keywords read from the prose of the six sections (docs/output.md § facts, § keywords).

``prose_facts(sections)`` gives the section 一 figures and the 信息处理费 of section 六;
``section_keywords`` (in :mod:`keywords`) segments section 五 with jieba and a domain dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.extractors.prose.facts import FACT_KEYS, facts_in
from gongkai.extractors.prose.fee import FEE_KEY, InfoFee, fee_fact, info_fee
from gongkai.model.result import ProseFact, SectionText

__all__ = ["FACT_KEYS", "FEE_KEY", "InfoFee", "fee_fact", "info_fee", "prose_facts"]


def prose_facts(sections: Iterable[SectionText]) -> tuple[list[ProseFact], InfoFee]:
    """Facts of section 一 and the fee of section 六 (the fee also returned for reports.info_fee_*)."""
    by_number = {s.section: s.text for s in sections}
    facts = facts_in(1, by_number.get(1, ""))
    fee = info_fee(by_number.get(6, ""))
    fact = fee_fact(fee)
    if fact is not None:
        facts.append(fact)
    return facts, fee
