"""Facts from the prose (issue 13): every sample's section 一 and 六 facts, hand-checked against the text."""

from __future__ import annotations

from functools import cache

import pytest

from gongkai.convert.stages import extract_file
from gongkai.extractors.prose.facts import facts_in
from gongkai.extractors.prose.fee import info_fee
from gongkai.extractors.prose.numerals import NormalizedText, number_value, qualifier_of
from gongkai.model.result import ReportResult
from gongkai.schemas.tables import rows_for
from tests.test_samples_snapshots import DATA


@cache
def _extract(name: str) -> ReportResult:
    return extract_file(DATA / name)


# (key, value, unit, qualifier, the phrase the span points at) — read off each sample by hand
SAMPLE_FACTS: dict[str, list[tuple[str, float, str, str | None, str]]] = {
    # 一: "我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条"
    # — the posts are a breakdown after 其中, so only the account count is a fact; 六 is the 统计表 (no fee)
    "fj-pingtan-zone-gov-2018-legacy.txt": [
        ("new_media_accounts", 70, "个", None, "新媒体数量70个"),
    ],
    # 一: "我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条…)"; 六: "无其他需要报告的事项"
    "fj-pingtan-zone-gov-2019.html": [
        ("items_published", 2599, "条", None, "公布政府信息2599条"),
    ],
    "fj-pingtan-zone-gov-2019.txt": [
        ("items_published", 2599, "条", None, "公布政府信息2599条"),
    ],
    # 一: "通过“中国上海”门户网站发布政策解读共132件" (the gazette's "政策解读83件" has no verb of its
    # own: a list of what the gazette carried); "全年共编发公报24期"; 六: "无。"
    "sh-municipal-gov-office-2019.html": [
        ("policy_interpretations", 132, "件", None, "发布政策解读共132件"),
        ("gazette_issues", 24, "期", None, "公报24期"),
    ],
    # 一: "在区政府网站主动公开信息 5749 条，其中…"; 六: "本年度没有产生信息公开处理费"
    "hb-zhuozhou-district-gov-2024.txt": [
        ("website_items_published", 5749, "条", None, "网站主动公开信息 5749 条"),
        ("info_fee", 0, "元", None, "没有产生信息公开处理费"),
    ],
    # 一: "市政府网站主动公开各类政府信息 5500 余条" (the website's, not all channels'), "制作政策解读
    # 21 个", "制作《淮安市人民政府公报》6 期", "新闻发布会12场", "政务新媒体共计 95 个";
    # 六: "全年收取政府信息公开信息处理费 3940 元"
    "js-huaian-city-gov-2024.pdf": [
        ("website_items_published", 5500, "条", "more_than", "网站主动公开各类政府信息 5500 余条"),
        ("new_media_accounts", 95, "个", None, "新媒体共计 95个"),
        ("press_conferences", 12, "场", None, "新闻发布会12场"),
        ("policy_interpretations", 21, "个", None, "制作政策解读21 个"),
        ("gazette_issues", 6, "期", None, "公报》6 期"),
        ("info_fee", 3940, "元", None, "3940 元"),
    ],
    # the blank form: "（文字描述）" and "（文字描述，收取信息处理费情况在此处报告。）"
    "official-blank-template-2021-format.docx": [],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_FACTS))
def test_every_sample_fact_of_sections_one_and_six(name: str) -> None:
    facts = _extract(name).facts
    got = [(f.key, f.value, f.unit, f.qualifier, f.sentence[f.span[0]:f.span[1]]) for f in facts]
    assert got == SAMPLE_FACTS[name]
    assert all(f.section == (6 if f.key == "info_fee" else 1) for f in facts)


def test_facts_rows_keep_the_sentence_and_span() -> None:
    rows = rows_for(_extract("js-huaian-city-gov-2024.pdf"))["facts"]
    fee = next(r for r in rows if r["key"] == "info_fee")
    assert fee["sentence"] == "2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 3940 元"
    start, end = map(int, fee["span"].split(":"))
    assert fee["sentence"][start:end] == "3940 元" and fee["section"] == 6


def test_deprecated_fee_columns_agree_with_the_fact() -> None:
    result = _extract("hb-zhuozhou-district-gov-2024.txt")
    fact = next(f for f in result.facts if f.key == "info_fee")
    assert result.info_fee_yuan == fact.value == 0.0 and result.info_fee_text == fact.sentence


@pytest.mark.parametrize(("text", "key", "value"), [
    ("全年召开新闻发布会十二场，回应社会关切。", "press_conferences", 12.0),
    ("举办两场新闻发布会。", "press_conferences", 2.0),
    ("本年度主动公开政府信息1,234条。", "items_published", 1234.0),
    ("通过微信公众号发布信息3.2万条。", "new_media_posts", 32000.0),
    ("全年召开新闻发布会十余场。", "press_conferences", 10.0),
    ("区政府网站共发布政务信息１２３４条。", "website_items_published", 1234.0),
])
def test_figures_in_chinese_numerals_separators_and_wan(text: str, key: str, value: float) -> None:
    facts = {f.key: f for f in facts_in(1, text)}
    assert facts[key].value == value


@pytest.mark.parametrize("text", [
    "主动公开政府信息100条。主动公开政府信息120条。",  # two different totals: unknown, not guessed
    "各部门（其中主动公开政府信息100条）做好公开。",  # a figure in parentheses is a breakdown
    "全区主动公开信息多条，其中主动公开政府信息50条。",  # after 其中: part of a total
    "召开新闻发布会若干场。",  # no number
    "全年召开新闻发布会数十场。",  # 数十: not a number
    "主动公开政府信息增加15条。",  # a change, not a count
    "政府网站发布信息较上年多120条。",
    "政务新媒体矩阵覆盖12个部门。",  # departments, not accounts
    "政府公报2024年第3期刊发了解读。",  # an issue number, not a count of issues
])
def test_no_fact_when_not_certain(text: str) -> None:
    assert facts_in(1, text) == []


def test_fee_in_chinese_numerals() -> None:
    fee = info_fee("本年度共收取信息处理费三千九百四十元。")
    assert fee.yuan == 3940.0 and fee.text is not None and fee.span is not None
    assert fee.text[fee.span[0]:fee.span[1]] == "三千九百四十元"


def test_numbers_and_qualifiers() -> None:
    assert number_value("三万五千") == 35000.0 and number_value("两千") == 2000.0
    assert number_value("一二") is None  # a digit list, not one number
    assert number_value("1,20") is None and number_value("0.38", wan=True) == 3800.0
    assert qualifier_of("共", " 余条") == "more_than" and qualifier_of("近", "条") == "about"
    assert qualifier_of("共", "条") is None
    normal = NormalizedText.of("共１２３条")
    assert normal.text == "共123条" and normal.span(1, 4) == (1, 4)
