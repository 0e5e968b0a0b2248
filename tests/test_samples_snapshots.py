"""Real text samples: hand-checked values (tests/data/hand_checked/, copied from the spec's gold/) and
snapshots of the full output (tests/data/snapshots/, written by gongkai itself).

Regenerate the snapshots in tests/data/snapshots/ with ``GONGKAI_REGEN_SNAPSHOTS=1 pytest tests/test_samples_snapshots.py``
after a deliberate change, and review the diff.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from gongkai.convert.stages import extract_file
from gongkai.model.result import ReportResult

DATA = Path(__file__).parent / "data"
SNAPSHOTS = DATA / "snapshots"
REGEN = os.environ.get("GONGKAI_REGEN_SNAPSHOTS") == "1"
SAMPLES = ["hb-zhuozhou-district-gov-2024.txt", "fj-pingtan-zone-gov-2019.txt"]


def _snapshot(result: ReportResult) -> dict[str, object]:
    return {
        "issuer": result.issuer, "year": result.year, "template": result.template, "status": str(result.status),
        "cells": {c.cell: [c.value, c.flag, c.raw] for c in result.cells},
        "checks": sorted(f"{k.rule}:{k.scope}:{k.status}" for k in result.checks),
        "sections": [s.heading for s in result.sections],
        "errors": sorted(e.code for e in result.errors),
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_hand_checked_values(name: str) -> None:
    gold = json.loads((DATA / "hand_checked" / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_file(DATA / name)
    assert result.issuer == gold["issuer"] and result.year == gold["year"] and result.template == gold["template"]
    got = {c.cell: c for c in result.cells}
    wrong, missing, abstained = [], [], []
    for code, want in gold["cells"].items():
        cell = got.get(code)
        if cell is None:
            missing.append(code)
        elif cell.value is None and want is not None:
            (abstained if cell.flag == "ambiguous" else missing).append(code)
        elif (cell.value is None) != (want is None) or (want is not None and not math.isclose(cell.value, want)):
            wrong.append((code, cell.value, want))
    assert wrong == [] and missing == []
    if name.startswith("hb-zhuozhou"):
        assert abstained == []


def test_pingtan_dump_abstains_only_on_table_two() -> None:
    """二 has no sums: '规范性文件898989' cannot be split with certainty, so it must be null, not guessed."""
    result = extract_file(DATA / "fj-pingtan-zone-gov-2019.txt")
    ambiguous = {c.cell for c in result.cells if c.flag == "ambiguous"}
    assert ambiguous and all(code.startswith("active.") for code in ambiguous)
    cells = result.cell_map()
    assert cells["active.regulations.issued"].value == 0  # "规章000" has one reading
    assert cells["applications.new_received@natural_person"].value == 23  # "230 000023" fixed by A3
    assert cells["applications.result.total@total"].value == 23
    assert all(c.status == "pass" for c in result.checks)


def test_zhuozhou_all_checks_pass_and_sections_found() -> None:
    result = extract_file(DATA / "hb-zhuozhou-district-gov-2024.txt")
    assert result.status == "ok"
    assert len(result.checks) == 7 + 7 + 25 + 3 and all(c.status == "pass" for c in result.checks)
    assert [s.section for s in result.sections] == [1, 2, 3, 4, 5, 6]
    assert "没有产生信息公开处理费" in result.sections[5].text


def test_legacy_2018_report_is_a_report_not_forced_into_tables() -> None:
    result = extract_file(DATA / "fj-pingtan-zone-gov-2018-legacy.txt")
    assert result.template == "PRE2019" and result.status == "ok"  # issue 13: pre-2019 reports are reports
    assert {c.table for c in result.cells} == {"legacy"}  # its 统计表, not tables 二–四 (tests/test_legacy.py)
    assert "pre2019_format" in {e.code for e in result.errors}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_snapshot(name: str) -> None:
    path = SNAPSHOTS / f"{name}.json"
    snapshot = _snapshot(extract_file(DATA / name))
    if REGEN or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        if not REGEN:
            pytest.fail(f"snapshot {path.name} was missing and has been written; rerun")
    assert snapshot == json.loads(path.read_text(encoding="utf-8"))
