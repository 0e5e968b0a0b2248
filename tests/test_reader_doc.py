"""The old binary .doc reader (LibreOffice conversion) and content-based routing of ".doc" files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.convert.formats import detect_format
from gongkai.convert.stages import extract_bytes
from gongkai.extractors.readers import doc as doc_reader
from gongkai.extractors.readers import docx as docx_reader
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import DocOptions

DATA = Path(__file__).parent / "data"
BLANK_DOCX = DATA / "official-blank-template-2021-format.docx"
# the official blank template saved as Word 97–2003 by LibreOffice 7.4
BLANK_DOC = DATA / "official-blank-template-2021-format.doc"
MISSING_BINARY = DocOptions(libreoffice_binary="/nonexistent/bin/soffice")
HAS_LIBREOFFICE = doc_reader.find_libreoffice(DocOptions()) is not None
needs_soffice = pytest.mark.skipif(not HAS_LIBREOFFICE, reason="LibreOffice (soffice) is not installed")


def _grid(table: object) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells]  # type: ignore[attr-defined]


def test_doc_fixture_is_ole2_and_detected_as_doc() -> None:
    data = BLANK_DOC.read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert detect_format(data, ".doc") == "doc"


def test_doc_without_libreoffice_is_needs_libreoffice() -> None:
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(BLANK_DOC.read_bytes(), "old.doc", MISSING_BINARY)
    assert err.value.code == "needs_libreoffice"
    assert "install LibreOffice" in err.value.message


def test_doc_without_libreoffice_fails_the_document_with_needs_libreoffice() -> None:
    from gongkai.model.settings import ExtractSettings

    result = extract_bytes(BLANK_DOC.read_bytes(), "old.doc", ExtractSettings(doc=MISSING_BINARY))
    assert result.status.value == "failed"
    assert [e.code for e in result.errors] == ["needs_libreoffice"]
    assert result.format == "doc"


def test_ole2_without_word_stream_is_not_a_doc() -> None:
    # the real .doc with its WordDocument stream renamed: an intact OLE2 file of another kind
    word, other = "WordDocument".encode("utf-16-le"), "Workbook\0\0\0\0".encode("utf-16-le")
    data = BLANK_DOC.read_bytes().replace(word, other)
    assert word not in data
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(data, "sheet.doc")
    assert err.value.code == "unknown_format"


def test_password_protected_word_file_is_encrypted() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(data, "locked.docx")
    assert err.value.code == "encrypted"


def test_zero_byte_doc_is_empty_file() -> None:
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(b"", "empty.doc")
    assert err.value.code == "empty_file"


def _fake_soffice(tmp_path: Path, body: str) -> str:
    """An executable standing in for soffice; ``$OUT`` is its --outdir argument."""
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n"
                      'for a in "$@"; do if [ "$prev" = "--outdir" ]; then OUT="$a"; fi; prev="$a"; done\n'
                      + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_doc_is_converted_by_the_configured_binary_and_read_as_docx(tmp_path: Path) -> None:
    binary = _fake_soffice(tmp_path, f'mkdir -p "$OUT" && cp "{BLANK_DOCX}" "$OUT/input.docx"')
    document = doc_reader.read(BLANK_DOC.read_bytes(), "old.doc", DocOptions(libreoffice_binary=binary))
    assert document.format == "doc"
    assert [(t.n_rows, t.n_cols) for t in document.tables()] == [(14, 4), (28, 10), (4, 15)]


def test_conversion_without_output_is_corrupt_file(tmp_path: Path) -> None:
    binary = _fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2; exit 0')
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(BLANK_DOC.read_bytes(), "old.doc", DocOptions(libreoffice_binary=binary))
    assert err.value.code == "corrupt_file"
    assert err.value.message.endswith("Error: source file could not be loaded")


def test_hanging_conversion_times_out_and_its_children_are_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    # the child reports its pid as /proc sees it (the conversion may run in its own PID namespace)
    binary = _fake_soffice(tmp_path, "sh -c 'cut -d\" \" -f4 /proc/self/stat > \"$0\"; exec sleep 60' "
                                     f'"{pid_file}" >/dev/null 2>&1 & wait')
    with pytest.raises(ExtractionError) as err:
        doc_reader.convert_to_docx(BLANK_DOC.read_bytes(), binary, timeout=1.0)
    assert err.value.code == "timeout"
    status = Path(f"/proc/{pid_file.read_text().strip()}/status")
    # the forked child is gone (or a zombie awaiting its reaper), not still sleeping
    assert not status.exists() or "State:\tZ" in status.read_text()


@needs_soffice
def test_doc_reads_to_the_same_grids_as_the_docx() -> None:
    from_doc = doc_reader.read(BLANK_DOC.read_bytes(), "old.doc")
    from_docx = docx_reader.read(BLANK_DOCX.read_bytes(), "new.docx")
    assert from_doc.format == "doc"
    assert [_grid(t) for t in from_doc.tables()] == [_grid(t) for t in from_docx.tables()]
    assert [b.text for b in from_doc.text_blocks()] == [b.text for b in from_docx.text_blocks()]
    t3 = list(from_doc.tables())[1]
    assert next(c for c in t3.cells if c.text == "三、本年度办理结果").rowspan == 22


def test_truncated_doc_is_corrupt_file() -> None:
    data = BLANK_DOC.read_bytes()
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(data[:5000], "broken.doc")
    assert err.value.code == "corrupt_file"
    assert "truncated" in err.value.message


@needs_soffice
def test_damaged_doc_that_libreoffice_cannot_load_is_corrupt_file() -> None:
    data = BLANK_DOC.read_bytes()
    damaged = data[:512] + b"\0" * 20000 + data[20512:]  # header and directory intact, content gone
    with pytest.raises(ExtractionError) as err:
        doc_reader.read(damaged, "damaged.doc")
    assert err.value.code == "corrupt_file"
    assert "could not be loaded" in err.value.message


# ---- files that only carry a .doc suffix --------------------------------------------------------

HTML_AS_DOC = (
    "<html><head><meta charset=\"utf-8\"><title>某某县2024年政府信息公开工作年度报告</title></head>"
    "<body><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
).encode()


def test_html_page_saved_as_doc_is_detected_as_html() -> None:
    assert detect_format(HTML_AS_DOC, ".doc") == "html"


def test_word_html_export_saved_as_doc_is_detected_as_html() -> None:
    word_html = (
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\">\r\n<head><meta http-equiv=Content-Type "
        "content=\"text/html; charset=gb2312\"></head><body lang=ZH-CN><div class=WordSection1>"
        "<p class=MsoNormal>一、总体情况</p></div></body></html>"
    ).encode("gb2312")
    assert detect_format(word_html, ".doc") == "html"


def test_plain_text_saved_as_doc_is_detected_as_txt() -> None:
    assert detect_format("一、总体情况\n二、主动公开政府信息情况\n".encode(), ".doc") == "txt"


def test_docx_saved_as_doc_is_read_as_docx() -> None:
    data = BLANK_DOCX.read_bytes()
    assert detect_format(data, ".doc") == "docx"
    result = extract_bytes(data, "misnamed.doc", suffix=".doc")
    assert result.format == "docx"
    assert not any(e.code in {"needs_libreoffice", "corrupt_file", "internal_error"} for e in result.errors)
