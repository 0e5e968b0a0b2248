"""Synthetic text reports in both layouts and many variants: extraction equals the known truth."""

from __future__ import annotations

import math

import pytest

from gongkai.convert.stages import extract_bytes
from gongkai.model.result import ReportResult
from tests.synth.compare import assert_matches_truth
from tests.synth.render_text import render_oneline, render_tab
from tests.synth.truth import Truth, make_truth


def _assert_exact(result: ReportResult, truth: Truth) -> None:
    assert_matches_truth(result, truth)


@pytest.mark.parametrize("seed", range(40))
def test_tab_separated_variants_extract_exactly(seed: int) -> None:
    truth = make_truth(seed)
    result = extract_bytes(render_tab(truth, seed).encode("utf-8"), f"synthetic-{seed}.txt")
    _assert_exact(result, truth)
    assert result.status == "ok"
    assert all(c.status == "pass" for c in result.checks)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "utf-8-sig"])
def test_text_encodings_are_detected(encoding: str) -> None:
    truth = make_truth(7, "F2021")
    result = extract_bytes(render_tab(truth, 7).encode(encoding), "synthetic.txt")
    _assert_exact(result, truth)


@pytest.mark.parametrize("seed", range(60))
def test_oneline_dump_never_guesses(seed: int) -> None:
    """Run-together digits: every value we output equals the truth; the rest are flagged ambiguous."""
    big = seed % 3 == 0
    truth = make_truth(seed, big=big)
    result = extract_bytes(render_oneline(truth, seed).encode("utf-8"), f"dump-{seed}.txt")
    got = {c.cell: c for c in result.cells}
    assert set(got) == set(truth.values)
    resolved = 0
    for code, want in truth.values.items():
        cell = got[code]
        if cell.value is None:
            assert cell.flag == "ambiguous", (code, cell)
        else:
            resolved += 1
            assert want is not None and math.isclose(cell.value, want, abs_tol=1e-9), (code, cell, want)
    # the rules fix most of table 三 and 四, which carry sums (fewer since issue 9: a blank cell
    # leaves no trace in a dump, so readings with blank cells count too; measured 74–100 %)
    t3_t4 = [c for c in truth.values if not c.startswith("active.")]
    if not big:
        assert sum(1 for c in t3_t4 if got[c].value is not None) >= len(t3_t4) * 0.7


def test_oneline_dump_single_digit_values_are_all_resolved() -> None:
    truth = make_truth(11, "F2019")
    for code, value in truth.values.items():
        if value is not None and not code.startswith("active."):
            truth.values[code] = float(int(value) % 1)  # zeros: every run has one reading
    for code in truth.values:
        if code.startswith("applications.") or code.startswith(("review.", "litigation.")):
            truth.values[code] = 0.0
    result = extract_bytes(render_oneline(truth, 11, spaces=False).encode("utf-8"), "zeros.txt")
    got = {c.cell: c.value for c in result.cells}
    assert all(got[c] == 0.0 for c in truth.values if not c.startswith("active."))
