"""The public API: the README's "Python API" examples run as written, and the package namespace."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai

ROOT = Path(__file__).resolve().parent.parent


def _readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_has_the_api_examples() -> None:
    examples = _readme_examples()
    assert len(examples) == 2
    assert "gongkai.extract(" in examples[0] and "gongkai.run_batch(" in examples[1]


@pytest.mark.parametrize("index", [0, 1])
def test_readme_example_runs_and_prints_what_it_says(index: int, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = _readme_examples()[index].replace("/tmp/gongkai-readme-out", str(tmp_path / "out"))
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"README example {index}", "exec"), {})
    printed = capsys.readouterr().out
    if index == 0:
        assert printed.splitlines()[0] == "ok 淮安市人民政府 2024 F2021"
        assert printed.splitlines()[1] == "3119.0"
    else:
        assert printed.splitlines()[0].startswith("txt 22 ")
        assert (tmp_path / "out" / "reports").is_dir()


def test_extract_returns_a_report_with_tables() -> None:
    report = gongkai.extract(ROOT / "tests/data/hb-zhuozhou-district-gov-2024.txt")
    assert report.status == gongkai.Status.OK
    cells = report.table("cells")
    assert cells.num_rows == len(report.cells) == 200
    assert report.value("no.such.code") is None


def test_extract_from_bytes_never_raises_for_a_bad_document() -> None:
    report = gongkai.extract(b"\x00\x01 not a report", source_path="junk.bin")
    assert report.status == "failed"
    assert [e.code for e in report.errors] == ["unknown_format"]


def test_read_raises_a_catalog_error_for_an_unreadable_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(gongkai.ExtractionError) as caught:
        gongkai.read(junk)
    assert caught.value.code == "unknown_format"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        gongkai.no_such_name  # noqa: B018


def test_import_gongkai_does_not_load_the_heavy_stack() -> None:
    probe = ("import sys, gongkai; heavy = [m for m in ('pyarrow', 'pdfplumber', 'pandas', 'lxml') "
             "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
