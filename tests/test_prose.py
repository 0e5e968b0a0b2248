"""The 信息处理费 of section 六: read when the report states it, never guessed."""

from __future__ import annotations

import pytest

from gongkai.convert.stages import extract_file
from gongkai.extractors.prose import info_fee
from tests.test_samples_snapshots import DATA


@pytest.mark.parametrize(("text", "yuan"), [
    ("2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费 3940 元。", 3940.0),
    ("本年度没有产生信息公开处理费。", 0.0),
    ("本年度收取信息处理费0.38万元。", 3800.0),
    ("全年共收取信息处理费1,200元。", 1200.0),
    ("无。", None),
    ("按照信息处理费标准，超过10件的按100元/件收取。", None),  # a rate, not what was collected
    ("收取信息处理费100元，退还信息处理费50元。", None),  # two amounts: not certain
    ("《政府信息公开信息处理费管理办法》印发后，本机关加强了宣传。", None),  # only a title
])
def test_info_fee_from_section_six(text: str, yuan: float | None) -> None:
    assert info_fee(text).yuan == yuan


def test_info_fee_in_the_real_samples() -> None:
    assert extract_file(DATA / "js-huaian-city-gov-2024.pdf").info_fee_yuan == 3940.0
    zhuozhou = extract_file(DATA / "hb-zhuozhou-district-gov-2024.txt")
    assert zhuozhou.info_fee_yuan == 0.0 and "没有产生" in (zhuozhou.info_fee_text or "")
    assert extract_file(DATA / "sh-municipal-gov-office-2019.html").info_fee_yuan is None
