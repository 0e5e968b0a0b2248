"""End to end on the two real HTML pages: every gold cell extracted exactly (0 wrong, 0 missing)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gongkai.convert.stages import extract_file

DATA = Path(__file__).parent / "data"
SAMPLES = ["fj-pingtan-zone-gov-2019.html", "sh-municipal-gov-office-2019.html"]


@pytest.mark.parametrize("name", SAMPLES)
def test_html_sample_matches_gold(name: str) -> None:
    gold = json.loads((DATA / "hand_checked" / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_file(DATA / name)
    assert (result.issuer, result.year, result.template) == (gold["issuer"], gold["year"], gold["template"])
    assert result.status == "ok" and not result.errors
    got = {c.cell: c for c in result.cells}
    wrong = []
    for code, want in gold["cells"].items():
        cell = got.get(code)
        if cell is None:
            wrong.append((code, "missing", want))
        elif want is None:
            if cell.value is not None:
                wrong.append((code, cell.value, want))
        elif cell.value is None or not math.isclose(cell.value, want, abs_tol=1e-6):
            wrong.append((code, cell.value, want))
    assert wrong == []
    assert len(gold["cells"]) == 198


def test_shanghai_blank_cells_are_null_with_blank_flag() -> None:
    result = extract_file(DATA / "sh-municipal-gov-office-2019.html")
    got = {c.cell: c for c in result.cells}
    cell = got["applications.result.granted@total"]
    assert cell.value is None and cell.flag == "blank"
    assert got["active.central_procurement.amount"].value == 251000
