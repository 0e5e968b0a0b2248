"""Pre-2019 reports are reports (issue 13): the legacy 统计表's headline numbers as legacy.* cells."""

from __future__ import annotations

import pytest

from gongkai.convert.stages import extract_bytes, extract_file
from gongkai.extractors.legacy import LEGACY_ROWS, legacy_table, split_run
from gongkai.model.document import Document, TableBlock, TextBlock
from gongkai.schemas.codes import code_index, codes_for, legacy_codes
from tests.test_samples_snapshots import DATA

# The sample's table, as the crawler dumped it (one line, values run together):
#   主动公开文件数条206912106 其中：1.政府网站公开数条206912106 2.政府公报公开数条00
#   受理依申请公开信息总数条00 其中：1.当面申请数条00 2.网上申请数条00 3.信函、传真申请数条00
#   对申请的答复总数条00 其中：1.同意公开答复数条00 2.同意部分公开答复数条00 3.不予公开答复数条00
#   4.其他类型答复数条00 接受行政诉讼、举报数件00 行政复议数件00 行政诉讼数件00
# "206912106" could be 20|6912106, 206|912106 or 2069|12106; section 二 says "2018年全区主动公开
# 政府信息2069条", so 本年度 2069 and 历年累计 12106; 政府网站公开数 prints the same run and, as a
# part of the total, cannot exceed it: 2069 | 12106 as well. Every "00" is 0 | 0.
ZERO_ROWS = ("legacy.active.gazette", "legacy.applications.received", "legacy.applications.in_person",
             "legacy.applications.online", "legacy.applications.letter_fax", "legacy.applications.answered",
             "legacy.applications.granted", "legacy.applications.partly_granted", "legacy.applications.refused",
             "legacy.applications.other_reply", "legacy.litigation_and_complaints", "legacy.review",
             "legacy.litigation")


def test_the_2018_sample_gives_its_legacy_numbers() -> None:
    result = extract_file(DATA / "fj-pingtan-zone-gov-2018-legacy.txt")
    assert result.template == "PRE2019" and result.status == "ok" and result.year == 2018
    cells = result.cell_map()
    for row in ("legacy.active.total", "legacy.active.website"):
        assert (cells[f"{row}@year"].value, cells[f"{row}@cumulative"].value) == (2069, 12106)
        assert cells[f"{row}@year"].flag == "resolved_by_prose" and cells[f"{row}@year"].unit == "条"
    for row in ZERO_ROWS:
        assert (cells[f"{row}@year"].value, cells[f"{row}@cumulative"].value) == (0, 0), row
        assert cells[f"{row}@year"].flag is None
    assert len(cells) == 2 * (2 + len(ZERO_ROWS))
    assert cells["legacy.review@year"].unit == "件"
    assert cells["legacy.active.total@year"].raw == "主动公开文件数条206912106"
    assert "pre2019_format" in {e.code for e in result.errors}
    assert not result.checks  # rules A1–A6 are about tables 二–四


def test_without_the_prose_the_run_stays_ambiguous() -> None:
    text = ("某县2017年政府信息公开工作年度报告\n一、概述\n本年度工作。\n六、政府信息公开情况统计表\n"
            "指标名称计量单位2017年度历年累计主动公开文件数条206912106行政复议数件13")
    result = extract_bytes(text.encode("utf-8"), "x.txt")
    cells = result.cell_map()
    assert result.template == "PRE2019" and result.status == "partial"
    assert cells["legacy.active.total@year"].value is None and cells["legacy.active.total@year"].flag == "ambiguous"
    assert (cells["legacy.review@year"].value, cells["legacy.review@cumulative"].value) == (1, 3)


def test_a_pre2019_report_without_a_table_keeps_its_prose_facts() -> None:
    text = "某县2016年政府信息公开工作年度报告\n一、概述\n全年主动公开政府信息320条。\n"
    result = extract_bytes(text.encode("utf-8"), "x.txt")
    assert result.template == "PRE2019" and result.status == "partial" and result.cells == []
    assert [(f.key, f.value) for f in result.facts] == [("items_published", 320.0)]
    assert "table_absent" in {e.code for e in result.errors}


def test_a_dump_with_spaces_and_without_the_cumulative_column() -> None:
    spaced = ("某县2015年政府信息公开工作年度报告\n六、政府信息公开情况统计表\n指标名称 计量单位 本年度 历年累计\n"
              "主动公开政府信息数 条 2069 12106 其中：1.政府网站公开数 条 2000 12000 2.政府公报公开数 条 69 106")
    cells = extract_bytes(spaced.encode("utf-8"), "x.txt").cell_map()
    assert [cells[f"legacy.active.{row}@{col}"].value for row in ("total", "website", "gazette")
            for col in ("year", "cumulative")] == [2069, 12106, 2000, 12000, 69, 106]
    single = ("某县2015年政府信息公开工作年度报告\n六、政府信息公开情况统计表\n指标名称计量单位本年度\n"
              "主动公开政府信息数条2069行政复议数件3")
    cells = extract_bytes(single.encode("utf-8"), "x.txt").cell_map()
    assert set(cells) == {"legacy.active.total@year", "legacy.review@year"}
    assert (cells["legacy.active.total@year"].value, cells["legacy.review@year"].value) == (2069, 3)


def test_a_legacy_table_block() -> None:
    rows = [["指标名称", "计量单位", "2016年度", "历年累计"],
            ["主动公开政府信息数", "条", "1,024", "8800"],
            ["其中：1.政府网站公开数", "条", "1000", "8700"],
            ["行政复议数量", "件", "2", "-"],
            ["依申请公开收取的费用", "万元", "0.05", "0.3"]]
    doc = Document(source_path="x", format="txt", blocks=[TextBlock("政府信息公开情况统计表"), TableBlock.from_rows(rows)])
    cells = {c.cell: c for c in legacy_table(doc).cells}
    assert cells["legacy.active.total@year"].value == 1024 and cells["legacy.active.website@cumulative"].value == 8700
    assert cells["legacy.review@cumulative"].value is None and cells["legacy.review@cumulative"].flag == "dash"
    assert cells["legacy.fees@year"].value == 0.05 and cells["legacy.fees@year"].unit == "万元"


@pytest.mark.parametrize(("run", "readings"), [
    ("00", [(0, 0)]),
    ("13", [(1, 3)]),
    ("31", []),  # 3 > 1: the year cannot exceed the cumulative total
    ("2069 12106", [(2069, 12106)]),
    ("206912106", [(20, 6912106), (206, 912106), (2069, 12106)]),
    ("105", []),  # 1|05 has a leading zero, 10|5 is decreasing: none
])
def test_split_run(run: str, readings: list[tuple[float, ...]]) -> None:
    assert split_run(run) == readings


def test_legacy_codes_are_in_the_catalog_beside_the_national_ones() -> None:
    codes = {c.code for c in legacy_codes()}
    assert {f"{row.code}@{column}" for row in LEGACY_ROWS for column in ("year", "cumulative")} == codes
    assert codes <= set(code_index()) and all(c.table == "legacy" for c in legacy_codes())
    assert not any(code.startswith("legacy.") for t in ("active", "applications", "review_litigation")
                   for template in ("F2021", "F2019") for code in codes_for(t, template))
