"""Issue 9: ``ok`` is a promise (year and issuer known, every table found, every cell read, every
assessable check passing); every other report says why in ``reasons``; a batch in which a
processed document yields no value exits 1.

Fixtures are hostile variants of synthetic reports whose truth is known (tests/synth).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from gongkai.batch.outcome import Task, failure_outcome
from gongkai.batch.runner import BatchOptions, run_batch
from gongkai.convert.stages import extract_bytes
from gongkai.model.result import ReportResult, Status
from gongkai.model.status import REASONS, cell_is_read, ordered_reasons
from gongkai.schemas.tables import SCHEMAS, columns_for
from tests.synth.render_pdf import render_pdf
from tests.synth.render_text import render_tab
from tests.synth.truth import HEADINGS, Truth, make_truth

DATA = Path(__file__).parent / "data"
ONE_JOB = BatchOptions(jobs=1)


def _truth() -> Truth:
    truth = make_truth(3, "F2021")
    assert (truth.year, truth.issuer) == (2022, "某某镇人民政府")
    return truth


def _extract(text: str, name: str = "r.txt") -> ReportResult:
    return extract_bytes(text.encode("utf-8"), name)


def test_a_clean_report_is_ok_with_no_reasons() -> None:
    result = _extract(render_tab(_truth()))
    assert result.status is Status.OK
    assert result.reasons == []
    assert result.status_reasons() == []


def test_a_report_whose_checks_fail_is_not_ok() -> None:
    truth = _truth()
    truth.values["review.upheld"] = (truth.values["review.upheld"] or 0) + 7  # total no longer adds up
    result = _extract(render_tab(truth))
    assert result.cell_map()["review.upheld"].value == truth.values["review.upheld"]  # read as printed
    assert result.checks_failed == 1
    assert result.status is Status.PARTIAL
    assert result.reasons == ["checks_failed"]


def test_a_report_without_issuer_is_not_ok() -> None:
    text = render_tab(_truth()).replace("某某镇人民政府 2022 年", "2022 年", 1)
    result = _extract(text)
    assert (result.year, result.issuer) == (2022, None)
    assert result.status is Status.PARTIAL
    assert result.reasons == ["issuer_unknown"]


def test_a_report_without_year_is_not_ok() -> None:
    text = render_tab(_truth()).replace("某某镇人民政府 2022 年", "某某镇人民政府", 1)
    result = _extract(text)
    assert (result.year, result.issuer) == (None, "某某镇人民政府")
    assert result.template == "F2021"  # the labels still decide the layout
    assert result.status is Status.PARTIAL
    assert result.reasons == ["year_unknown"]


def _tableless_report() -> str:
    """A real-looking report whose tables were lost (e.g. pasted as images): title, six headings."""
    lines = ["某某镇人民政府2024年政府信息公开工作年度报告", ""]
    for heading in HEADINGS:
        lines += [heading, "本年度，本机关认真贯彻落实《条例》，详见下表。", ""]
    return "\n".join(lines)


def test_a_report_with_every_table_absent_yields_no_value_and_says_so() -> None:
    result = _extract(_tableless_report())
    assert (result.year, result.issuer) == (2024, "某某镇人民政府")
    assert result.cells and all(c.value is None and c.flag == "not_found" for c in result.cells)
    assert result.status is Status.PARTIAL
    assert result.reasons == ["table_absent", "no_values"]  # not_found cells of absent tables: no cells_unread


def test_an_unread_cell_is_a_reason_and_the_pingtan_dump_is_not_ok() -> None:
    result = extract_bytes((DATA / "fj-pingtan-zone-gov-2019.txt").read_bytes(), "fj-pingtan-zone-gov-2019.txt")
    assert sum(1 for c in result.cells if c.flag == "ambiguous") == 19
    assert result.status is Status.PARTIAL
    assert result.reasons == ["cells_unread"]


def test_an_unfilled_template_is_not_ok() -> None:
    result = extract_bytes((DATA / "official-blank-template-2021-format.docx").read_bytes(), "blank.docx")
    assert all(c.flag == "blank" for c in result.cells)
    assert result.status is Status.PARTIAL
    assert result.reasons == ["year_unknown", "issuer_unknown", "no_values"]


def test_stopped_documents_carry_their_reason() -> None:
    assert extract_bytes(b"", "empty.txt").reasons == ["document_failed"]
    not_report = extract_bytes("今天天气很好，我们去公园散步。\n".encode(), "note.txt")
    assert (not_report.status, not_report.reasons) == (Status.NOT_A_REPORT, ["not_a_report"])
    legacy = extract_bytes((DATA / "fj-pingtan-zone-gov-2018-legacy.txt").read_bytes(), "legacy.txt")
    assert (legacy.template, legacy.status, legacy.reasons) == ("PRE2019", Status.OK, [])  # a report (issue 13)
    crashed = failure_outcome(Task("x.pdf", "0" * 64), "timeout", "over the limit")
    assert crashed.table("reports")["reasons"].to_pylist() == [["document_failed"]]


@pytest.mark.parametrize(("value", "flag", "read"), [
    (12.0, None, True),
    (None, "blank", True),
    (None, "dash", True),
    (1204.0, "annotated", True),  # 1204① : the printed number, with a note
    (-3.0, "signed", True),
    (None, "ambiguous", False),
    (None, "unreadable", False),
    (None, "not_found", False),
    (None, "header_mismatch", False),
    (40.0, "header_mismatch", False),  # a number bound to a column its header contradicts
    (5.0, "some_future_flag", False),  # unknown flags are not taken as read
    (None, None, False),
])
def test_what_read_means(value: float | None, flag: str | None, read: bool) -> None:
    assert cell_is_read(value, flag) is read


def test_reason_codes_are_a_stable_ordered_catalog() -> None:
    assert list(REASONS)[:9] == ["document_failed", "not_a_report", "pre2019_format", "year_unknown",
                                 "issuer_unknown", "table_absent", "cells_unread", "checks_failed", "no_values"]
    assert ordered_reasons(["no_values", "year_unknown", "no_values"]) == ["year_unknown", "no_values"]
    with pytest.raises(ValueError):
        ordered_reasons(["made_up"])


def test_reasons_is_a_list_column_readers_query_exactly() -> None:
    truth = _truth()
    truth.values["review.upheld"] = (truth.values["review.upheld"] or 0) + 7
    bad = _extract(render_tab(truth))
    good = _extract(render_tab(_truth()))
    tables = [pa.Table.from_pydict(columns_for(r)["reports"], schema=SCHEMAS["reports"]) for r in (bad, good)]
    reports = pa.concat_tables(tables)
    assert reports.schema.field("reasons").type == pa.list_(pa.string())
    import duckdb
    import polars as pl

    hits = duckdb.sql("SELECT status FROM reports WHERE list_contains(reasons, 'checks_failed')").fetchall()
    assert hits == [("partial",)]
    frame = pl.from_arrow(reports)
    assert isinstance(frame, pl.DataFrame)
    assert frame.filter(pl.col("reasons").list.len() == 0)["status"].to_list() == ["ok"]
    exploded = reports.to_pandas().explode("reasons")
    assert exploded["reasons"].dropna().tolist() == ["checks_failed"]


def test_batch_exits_1_when_a_document_yields_no_value(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(render_tab(_truth()), encoding="utf-8")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert (summary.exit_code(), summary.reports_without_values) == (0, 0)
    (tmp_path / "in" / "tableless.txt").write_text(_tableless_report(), encoding="utf-8")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert summary.by_status == {"partial": 1}
    assert (summary.exit_code(), summary.reports_without_values) == (1, 1)


def test_batch_exits_1_for_a_damaged_pdf(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    data = render_pdf(_truth())
    (tmp_path / "in" / "damaged.pdf").write_bytes(data[: len(data) // 3])
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert summary.documents == 1 and summary.by_status.get("ok", 0) == 0
    assert summary.exit_code() == 1
