"""Arithmetic rules A1–A6 on synthetic truths: consistent reports pass, a broken cell fails its rule."""

from __future__ import annotations

import pytest

from gongkai.convert.checks import run_checks
from gongkai.model.result import CellValue
from tests.synth.truth import make_truth


def _cells(values: dict[str, float | None]) -> list[CellValue]:
    return [CellValue("x", code, value, "件", "", None) for code, value in values.items()]


@pytest.mark.parametrize("seed", range(20))
def test_consistent_reports_pass_every_rule(seed: int) -> None:
    truth = make_truth(seed)
    checks = run_checks(_cells(truth.values), truth.template)
    assert len(checks) == 7 + 7 + len(truth.t3_rows()) + 3
    assert {c.status for c in checks} == {"pass"}


@pytest.mark.parametrize(("code", "rules"), [
    ("applications.new_received@legal_research", {("A1", "legal_research"), ("A3", "applications.new_received")}),
    ("applications.result.partial@natural_person", {("A2", "natural_person"), ("A3", "applications.result.partial")}),
    ("review.pending", {("A4", "review")}),
    ("litigation.after_review.total", {("A6", "litigation.after_review")}),
])
def test_one_broken_cell_fails_exactly_its_rules(code: str, rules: set[tuple[str, str]]) -> None:
    truth = make_truth(5, "F2021")
    values = dict(truth.values)
    values[code] = (values[code] or 0) + 1
    failed = {(c.rule, c.scope) for c in run_checks(_cells(values), "F2021") if c.status == "fail"}
    assert failed == rules


def test_blank_input_makes_rule_not_assessable_not_failed() -> None:
    truth = make_truth(6, "F2019")
    values = dict(truth.values)
    values["applications.result.granted@total"] = None
    checks = run_checks(_cells(values), "F2019")
    by_key = {(c.rule, c.scope): c for c in checks}
    assert by_key[("A3", "applications.result.granted")].status == "not_assessable"
    assert by_key[("A2", "total")].status == "not_assessable"
    assert by_key[("A2", "natural_person")].status == "pass"
