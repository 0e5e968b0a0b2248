"""Tables pasted as pictures in Word and HTML reports (issue 14): kept by the readers, read by OCR
in the pictures stage only when the text lacks tables 二–四, gated by the form's arithmetic.

The pictures are cut out of the Huai'an PDF (its fonts are embedded, so no system font is
needed): each table's bounding box on its page, rendered at a scan resolution.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from io import BytesIO
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from docx.shared import Cm
from PIL import Image

import gongkai.convert.pictures as pictures_stage
from gongkai.convert.formats import READERS
from gongkai.convert.pictures import pictures_needed, table_kinds_in_text
from gongkai.convert.stages import extract_bytes
from gongkai.extractors.ocr import ocr_available
from gongkai.extractors.readers import html as html_reader
from gongkai.model.document import Document, TableBlock, TextBlock
from gongkai.model.result import Status
from gongkai.model.settings import ExtractSettings, OcrOptions, PictureOptions
from tests.test_ocr import T4_CODES, tally

DATA = Path(__file__).parent / "data"
HUAIAN = DATA / "js-huaian-city-gov-2024.pdf"
GOLD = json.loads((DATA / "hand_checked" / "js-huaian-city-gov-2024.pdf.json").read_text(encoding="utf-8"))

needs_ocr_extra = pytest.mark.skipif(not ocr_available(), reason="the ocr extra is not installed")


@cache
def huaian_document() -> Document:
    return READERS["pdf"](HUAIAN.read_bytes(), str(HUAIAN), ExtractSettings())


def table_picture(index: int, dpi: int = 200) -> bytes:
    """PNG of the ``index``-th table of the Huai'an PDF, cut out of its page at ``dpi``."""
    table = list(huaian_document().tables())[index]
    assert table.locator.page is not None and table.locator.bbox is not None
    pdf = pdfium.PdfDocument(HUAIAN.read_bytes())
    try:
        image = pdf[table.locator.page - 1].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        pdf.close()
    s = dpi / 72
    x0, y0, x1, y1 = table.locator.bbox
    out = BytesIO()
    image.crop((int(x0 * s) - 6, int(y0 * s) - 6, int(x1 * s) + 6, int(y1 * s) + 6)).save(out, "PNG")
    return out.getvalue()


def picture_docx(pictured: set[int], dpi: int = 200, extra: bytes | None = None) -> bytes:
    """The Huai'an report as a .docx: its text as paragraphs, its tables as real Word tables
    except those in ``pictured`` (pasted as pictures 16 cm wide); ``extra``: one more picture
    after the title (a logo, say)."""
    out = docx.Document()
    table_index = 0
    for number, block in enumerate(huaian_document().blocks):
        if isinstance(block, TextBlock):
            out.add_paragraph(block.text)
            if number == 0 and extra is not None:
                out.add_picture(BytesIO(extra), width=Cm(3))
            continue
        if table_index in pictured:
            out.add_picture(BytesIO(table_picture(table_index, dpi)), width=Cm(16))
        else:
            rows = block.rows()
            word = out.add_table(rows=len(rows), cols=block.n_cols)
            for r, row in enumerate(rows):
                for cell in row:
                    word.cell(r, cell.col).text = cell.text
        table_index += 1
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def small_png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("L", (width, height), 255).save(out, "PNG")
    return out.getvalue()


# --- readers keep the pictures -------------------------------------------------------------------

def test_docx_reader_keeps_each_picture_with_its_place_and_shown_width() -> None:
    data = picture_docx({4}, extra=small_png(40, 40))
    doc = READERS["docx"](data, "r.docx", ExtractSettings())
    logo, table4 = doc.pictures
    assert logo.position == 1 and logo.width_pt == pytest.approx(Cm(3).pt, abs=0.1)
    assert table4.name.startswith("word/media/") and table4.width_pt == pytest.approx(Cm(16).pt, abs=0.1)
    original = [i for i, b in enumerate(huaian_document().blocks) if isinstance(b, TableBlock)][4]
    assert table4.position == original  # where table 四 stood (a picture is not a block)
    assert table4.locator.image == table4.name and table4.data.startswith(b"\x89PNG")
    assert sum(1 for _ in doc.tables()) == 4  # the other tables stay Word tables


def test_html_reader_reads_data_uri_and_local_pictures_but_never_remote_or_outside_ones(tmp_path: Path) -> None:
    png = small_png(400, 200)
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "t3.png").write_bytes(png)
    (tmp_path / "secret.png").write_bytes(png)
    page = tmp_path / "site" / "page.html"
    page.parent.mkdir()
    (page.parent / "t4.png").write_bytes(png)
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    page.write_text(
        "<html><head><title>某县2024年政府信息公开工作年度报告</title></head><body><div class='article'>"
        "<p>一、总体情况</p>\n<p>本年度……</p>\n"
        f"<p><img src='{uri}'></p>\n<p>三、收到和处理政府信息公开申请情况</p>\n"
        "<p><img src='t4.png'></p>\n<img src='http://example.gov.cn/t.png'>\n"
        "<img src='../secret.png'>\n<img src='/etc/hosts'>\n<p>六、其他需要报告的事项</p>"
        "</div></body></html>", encoding="utf-8")
    doc = html_reader.read(page.read_bytes(), str(page))
    assert [(p.name, p.available) for p in doc.pictures] == [
        ("<img 1> (data: URI)", True), ("t4.png", True), ("http://example.gov.cn/t.png", False),
        ("../secret.png", False), ("/etc/hosts", False)]
    first, second = doc.pictures[:2]
    assert first.data == png and second.path == str((page.parent / "t4.png").resolve()) and not second.data
    assert all(not p.data and p.path is None for p in doc.pictures[2:])
    texts = [b.text for b in doc.blocks]
    assert texts[first.position - 1] == "本年度……" and texts[second.position] == "六、其他需要报告的事项"


def test_html_reader_finds_a_picture_the_crawler_saved_in_the_page_picture_folder(tmp_path: Path) -> None:
    from gongkai.extractors.readers.html_pictures import picture_folder, picture_key

    page = tmp_path / "site-1" / "0a1b2c3d4e-t20250115_1.html"
    page.parent.mkdir()
    src = "/uploads/2025/t4.png"
    page.write_text(f"<html><body><div><p>三、收到和处理政府信息公开申请情况</p><p><img src='{src}'></p>"
                    "</div></body></html>", encoding="utf-8")
    folder = picture_folder(page)
    folder.mkdir()
    (folder / (picture_key(src) + ".png")).write_bytes(small_png(400, 200))
    (picture,) = html_reader.read(page.read_bytes(), str(page)).pictures
    assert picture.available and picture.path == str(folder / (picture_key(src) + ".png"))


def test_pictures_not_available_offline_are_named_in_the_error() -> None:
    page = ("<html><head><title>某县人民政府2024年政府信息公开工作年度报告</title></head><body><div>"
            "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p><img src='http://x.gov.cn/t2.png'></p>"
            "<p>三、收到和处理政府信息公开申请情况</p><p><img src='/t3.png'></p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p>"
            "<p>六、其他需要报告的事项</p></div></body></html>")
    result = extract_bytes(page.encode("utf-8"), "page.html")
    (error,) = [e for e in result.errors if e.code == "pictures_not_read"]
    assert "not available offline" in error.message and "http://x.gov.cn/t2.png, /t3.png" in error.message


# --- the stage decides ----------------------------------------------------------------------------

def test_a_report_whose_text_holds_all_three_tables_never_reads_its_pictures() -> None:
    full = READERS["docx"](picture_docx(set(), extra=small_png(800, 400)), "r.docx", ExtractSettings())
    assert table_kinds_in_text(full) == {"active", "applications", "review_litigation"}
    assert full.pictures and not pictures_needed(full)
    missing = READERS["docx"](picture_docx({2, 3}), "r.docx", ExtractSettings())
    assert table_kinds_in_text(missing) == {"active", "review_litigation"} and pictures_needed(missing)


def test_without_ocr_the_pictures_are_reported_not_read_and_the_report_is_partial() -> None:
    settings = ExtractSettings(pictures=PictureOptions(ocr=OcrOptions(enabled=False)))
    result = extract_bytes(picture_docx({4}), "r.docx", settings)
    codes = [e.code for e in result.errors]
    assert "pictures_not_read" in codes and "table_absent" in codes
    assert result.status is Status.PARTIAL and "table_absent" in result.reasons


def test_without_the_extra_the_pictures_are_reported_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pictures_stage, "ocr_available", lambda: False)
    result = extract_bytes(picture_docx({4}), "r.docx")
    assert [e.stage for e in result.errors if e.code == "pictures_not_read"] == ["pictures"]


# --- OCR of the pictures ----------------------------------------------------------------------------

@needs_ocr_extra
def test_table_four_pasted_as_a_picture_is_read_flagged_ocr_and_traceable_to_the_picture() -> None:
    result = extract_bytes(picture_docx({4}, extra=small_png(40, 40)), "r.docx")
    got = result.cell_map()
    for code in T4_CODES:
        cell = got[code]
        assert cell.value == GOLD["cells"][code], cell
        assert cell.flag == "ocr" and cell.locator.startswith("image word/media/") and "bbox" in cell.locator
    assert not [c for c in result.cells if c.table != "review_litigation" and c.flag and c.flag.startswith("ocr")]
    assert result.status is Status.OK, result.reasons


@needs_ocr_extra
def test_a_damaged_picture_is_recorded_and_the_report_goes_on() -> None:
    damaged = table_picture(4)[:200] + b"\x00" * 5000
    data = picture_docx({4}, extra=None)
    doc = docx.Document(BytesIO(data))
    doc.add_paragraph("附图")
    run = doc.paragraphs[-1].add_run()
    run.add_picture(BytesIO(small_png(600, 300)), width=Cm(10))
    image_part = doc.part.related_parts[doc.inline_shapes[-1]._inline.graphic.graphicData.pic.blipFill.blip.embed]
    image_part._blob = damaged
    buffer = BytesIO()
    doc.save(buffer)
    result = extract_bytes(buffer.getvalue(), "r.docx")
    assert "picture_unreadable" in [e.code for e in result.errors]
    assert result.cell_map()["review.total"].value == GOLD["cells"]["review.total"]


@pytest.mark.slow
@needs_ocr_extra
@pytest.mark.parametrize("dpi", [150, 200])
def test_every_table_pasted_as_a_picture_gives_no_wrong_value(dpi: int) -> None:
    result = extract_bytes(picture_docx({0, 1, 2, 3, 4}, dpi), f"pictures-{dpi}.docx")
    correct, wrong, misses = tally(result, GOLD["cells"])
    print(f"{dpi} dpi: {correct}/{len(GOLD['cells'])} correct, {wrong} wrong")
    assert wrong == 0 and correct == len(GOLD["cells"]), misses


@pytest.mark.slow
@needs_ocr_extra
def test_tables_as_data_uri_pictures_in_an_html_page_are_read() -> None:
    parts = ["<html><head><meta charset='utf-8'><title>淮安市人民政府2024年政府信息公开工作年度报告</title></head>"
             "<body><div class='content'>"]
    table_index = 0
    for block in huaian_document().blocks:
        if isinstance(block, TextBlock):
            parts.append(f"<p>{block.text}</p>\n")
        elif isinstance(block, TableBlock):
            uri = base64.b64encode(table_picture(table_index)).decode()
            parts.append(f"<p><img src='data:image/png;base64,{uri}' width='600'></p>\n")
            table_index += 1
    parts.append("</div></body></html>")
    result = extract_bytes("".join(parts).encode("utf-8"), "huaian.html")
    correct, wrong, misses = tally(result, GOLD["cells"])
    assert wrong == 0 and correct == len(GOLD["cells"]), misses
    assert result.status is Status.OK


def test_extract_no_ocr_records_the_pictures_as_not_read(tmp_path: Path) -> None:
    import pandas as pd
    from typer.testing import CliRunner

    from gongkai.cli.app import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "pictured.docx").write_bytes(picture_docx({4}))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(src), "--out", str(out), "--no-ocr", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    errors = pd.read_parquet(out / "errors")
    assert list(errors["code"][errors["stage"] == "pictures"]) == ["pictures_not_read"]
    assert list(pd.read_parquet(out / "reports")["status"]) == ["partial"]


@needs_ocr_extra
def test_a_picture_declaring_a_billion_pixels_is_never_decoded() -> None:
    import struct
    import zlib

    from gongkai.extractors.ocr.pictures import TOO_LARGE, decode_picture

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # a 40 KB PNG that would inflate to 32768 × 32768 gray pixels (1 GB)
    rows = zlib.compress(b"\x00" * (32768 + 1) * 1024, 9)
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32768, 32768, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    gray, why = decode_picture(bomb, PictureOptions())
    assert why == TOO_LARGE and gray.size == 0
    assert decode_picture(small_png(400, 200), PictureOptions())[1] is None
    assert decode_picture(b"GIF89a-not-really", PictureOptions())[1] == "not an image OpenCV can decode"
    assert "too small" in str(decode_picture(small_png(40, 40), PictureOptions())[1])


def test_pictures_past_the_ocr_budget_are_listed_not_read() -> None:
    settings = ExtractSettings(pictures=PictureOptions(ocr=OcrOptions(max_seconds=0)))
    result = extract_bytes(picture_docx({4}), "r.docx", settings)
    if not ocr_available():
        pytest.skip("the ocr extra is not installed")
    (error,) = [e for e in result.errors if e.code == "ocr_budget_spent"]
    assert error.stage == "pictures" and "word/media/" in error.message
    assert "table_absent" in result.reasons
