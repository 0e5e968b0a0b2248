"""Property tests: splitting run-together digits never returns a wrong single reading."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.extractors.tables.splitting import (
    ColumnRule,
    RowSum,
    SlotSpec,
    TooManyReadings,
    agreed_values,
    narrow,
    split_candidates,
)

INT = SlotSpec()
ROW_SUM = RowSum(parts=(0, 1, 2, 3, 4, 5), total=6)
small = st.integers(min_value=0, max_value=300)


@settings(max_examples=200, deadline=None)
@given(st.lists(small, min_size=6, max_size=6), st.randoms(use_true_random=False))
def test_t3_row_truth_is_always_among_the_readings(parts: list[int], rnd: object) -> None:
    values = [*parts, sum(parts)]
    run = "".join(str(v) for v in values)
    try:
        readings = split_candidates(run, [INT] * 7, [ROW_SUM])
    except TooManyReadings:
        return  # the pipeline then flags the whole row ambiguous
    assert tuple(float(v) for v in values) in readings
    agreed = agreed_values(readings, 7)
    for got, want in zip(agreed, values, strict=True):
        assert got is None or got == want  # an agreed value is always the true one


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=99), min_size=3, max_size=3))
def test_table_two_rows_without_rules(parts: list[int]) -> None:
    run = "".join(map(str, parts))
    readings = split_candidates(run, [INT] * 3)
    assert tuple(map(float, parts)) in readings
    if len(run) == 3:
        assert readings == [tuple(map(float, parts))]


def test_issue_examples() -> None:
    assert len(split_candidates("898989", [INT] * 3)) > 1  # 89|89|89 or 8|9|8989 …: ambiguous
    signed = [INT, SlotSpec(signed=True), INT]
    assert len(split_candidates("26480430", signed)) > 1  # 2648|0|430 is one of many
    assert split_candidates("000", [INT] * 3) == [(0.0, 0.0, 0.0)]
    assert split_candidates("230 000023", [INT] * 7, [ROW_SUM]) == [(23.0, 0, 0, 0, 0, 0, 23.0)]
    assert split_candidates("0 0 0 0 0 00", [INT] * 7, [ROW_SUM]) == [(0.0,) * 7]


def test_leading_zeros_are_not_numbers() -> None:
    assert split_candidates("0012", [INT] * 2) == []
    assert split_candidates("100", [INT] * 2) == [(10.0, 0.0)]


def test_column_rules_narrow_readings_across_rows() -> None:
    readings = {
        "a": [(1.0, 2.0), (12.0, 0.0)],
        "b": [(3.0, 4.0)],
        "t": [(4.0, 6.0)],
    }
    rules = [ColumnRule(col, (("t", 1), ("a", -1), ("b", -1))) for col in range(2)]
    assert narrow(readings, rules)["a"] == [(1.0, 2.0)]


def test_rule_that_would_empty_a_row_is_not_applied() -> None:
    readings = {"a": [(1.0,), (2.0,)], "t": [(9.0,)]}
    rules = [ColumnRule(0, (("t", 1), ("a", -1)))]
    assert narrow(readings, rules)["a"] == [(1.0,), (2.0,)]
