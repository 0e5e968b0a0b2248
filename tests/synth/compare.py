"""One comparison of an extraction result with the Truth it was rendered from (for every format)."""

from __future__ import annotations

import math
from collections.abc import Collection

from gongkai.model.result import ReportResult
from tests.synth.truth import Truth


def assert_matches_truth(result: ReportResult, truth: Truth, *, null_flags: Collection[str] = ("blank", "dash"),
                         skip: Collection[str] = (), check_year: bool = True, check_issuer: bool = False,
                         every_code: bool = True) -> None:
    """Every truth cell came out with its value (null, with one of ``null_flags``, where blank)."""
    assert result.template == truth.template
    if check_year:
        assert result.year == truth.year
    if check_issuer:
        assert result.issuer == truth.issuer
    got = result.cell_map()
    if every_code:
        assert set(got) == set(truth.values)
    for code, want in truth.values.items():
        if code in skip:
            continue
        cell = got[code]
        if want is None:
            assert cell.value is None and cell.flag in null_flags, (code, cell)
        else:
            assert cell.value is not None and math.isclose(cell.value, want, abs_tol=1e-9), (code, cell, want)
