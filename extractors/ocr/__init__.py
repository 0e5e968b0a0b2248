"""Offline OCR of scanned pages (the optional extra ``gongkai[ocr]``), issue 14.

A scanned PDF page has no text layer; with the extra installed the PDF reader renders it with
pypdfium2 and reads it here into the same shapes a born-digital page gives (text lines and table
grids of anchor cells with page and bbox), so everything after the reader is unchanged:

- :mod:`.engine`  — RapidOCR (PP-OCR models shipped inside the ``rapidocr`` wheel, run by
  onnxruntime; the GPU provider when one is present); nothing is downloaded at run time;
- :mod:`.image`   — page rendering, binarisation, deskew from the ruling lines;
- :mod:`.grid`    — ruled tables found from the ruling lines (OpenCV morphology → edges →
  pdfplumber's table finder, as for digital pages), text read per cell;
- :mod:`.page`    — one page → text lines outside the tables + table grids;
- :mod:`.gate`    — the form's arithmetic (gongkai.schemas.rules) gates every value read by OCR:
  values in a failing scope are nulled (flag ``ocr_conflict``), unsure reads too (``ocr_unsure``);
- :mod:`.choice`  — where rules fail, the one combination of the recogniser's digit readings that
  every rule accepts, if there is exactly one (flag ``ocr_chosen``).

Without the extra, :func:`ocr_available` is False and a scan still fails with ``needs_ocr``.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec

# The modules the extra brings (import names).
OCR_MODULES: tuple[str, ...] = ("rapidocr", "onnxruntime", "cv2", "numpy")


@cache
def ocr_available() -> bool:
    """Whether the ``ocr`` extra is installed (checked without importing the heavy modules)."""
    return all(find_spec(name) is not None for name in OCR_MODULES)
