"""Word documents through the whole pipeline: the blank official template and filled copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.convert.stages import extract_bytes, extract_file
from gongkai.extractors.readers.doc import find_libreoffice
from gongkai.model.result import ReportResult
from gongkai.model.settings import DocOptions
from tests.synth.compare import assert_matches_truth
from tests.synth.render_docx import build_docx, fill_official_template
from tests.synth.truth import Truth, make_truth

DATA = Path(__file__).parent / "data"
BLANK = DATA / "official-blank-template-2021-format.docx"
BLANK_DOC = DATA / "official-blank-template-2021-format.doc"
BLANK_GOLD = DATA / "hand_checked" / "official-blank-template-2021-format.docx.json"


def _assert_blank_template(result: ReportResult) -> None:
    gold = json.loads(BLANK_GOLD.read_text(encoding="utf-8"))
    assert result.template == gold["template"] == "F2021"
    assert len(gold["cells"]) == 200
    by_code = {c.cell: c for c in result.cells}
    assert set(gold["cells"]) <= set(by_code), sorted(set(gold["cells"]) - set(by_code))[:5]
    wrong = {code: (by_code[code].value, by_code[code].flag) for code in gold["cells"]
             if by_code[code].value is not None or by_code[code].flag != "blank"}
    assert wrong == {}


def test_blank_template_extracts_every_cell_null_and_blank() -> None:
    result = extract_file(BLANK)
    assert result.format == "docx"
    assert not [e for e in result.errors if e.code in {"corrupt_file", "internal_error", "table_absent"}]
    _assert_blank_template(result)


@pytest.mark.skipif(find_libreoffice(DocOptions()) is None, reason="LibreOffice is not installed")
def test_blank_template_saved_as_doc_extracts_the_same() -> None:
    result = extract_file(BLANK_DOC)
    assert result.format == "doc"
    _assert_blank_template(result)


def _assert_equals_truth(result: ReportResult, truth: Truth) -> None:
    assert_matches_truth(result, truth, check_issuer=True)


@pytest.mark.parametrize("seed", [1, 2, 3, 5, 8])
def test_filled_official_template_extracts_exactly_the_truth(seed: int) -> None:
    truth = make_truth(seed, "F2021", big=seed % 2 == 0)
    result = extract_bytes(fill_official_template(truth), f"filled-{seed}.docx")
    assert len(truth.values) == 200
    _assert_equals_truth(result, truth)


@pytest.mark.parametrize(("seed", "template"), [(4, "F2019"), (6, "F2019"), (9, "F2021")])
def test_built_docx_extracts_exactly_the_truth(seed: int, template: str) -> None:
    truth = make_truth(seed, template)
    result = extract_bytes(build_docx(truth), f"built-{seed}.docx")
    _assert_equals_truth(result, truth)


@pytest.mark.skipif(find_libreoffice(DocOptions()) is None, reason="LibreOffice is not installed")
def test_filled_template_saved_as_doc_extracts_exactly_the_truth(tmp_path: Path) -> None:
    import subprocess

    truth = make_truth(12, "F2021")
    (tmp_path / "filled.docx").write_bytes(fill_official_template(truth))
    binary = find_libreoffice(DocOptions())
    assert binary is not None
    subprocess.run([binary, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "out"), str(tmp_path / "filled.docx")],
                   check=True, capture_output=True, timeout=120)
    result = extract_file(tmp_path / "out" / "filled.doc")
    assert result.format == "doc"
    _assert_equals_truth(result, truth)


def test_blank_template_is_flagged_as_empty_tables() -> None:
    """D25: an unfilled template is not an error, but the dataset says so."""
    from pathlib import Path

    from gongkai.convert.stages import extract_file

    result = extract_file(Path(__file__).parent / "data" / "official-blank-template-2021-format.docx")
    assert "tables_empty" in {e.code for e in result.errors}
    assert all(c.value is None and c.flag == "blank" for c in result.cells)
