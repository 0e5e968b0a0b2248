"""Characters and ruling edges of one PDF page, read with pdfium (fast, C).

Coordinates follow pdfplumber's convention so that pdfplumber's table finder can run on them:
``x`` grows to the right from the page's left edge, ``top``/``bottom`` grow downwards from the
page's top edge (points). Characters carry their loose (font-size) box; edges are the
axis-aligned segments of every path object (lines, rectangles, polygons), like pdfplumber's
``page.edges``.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A segment is vertical/horizontal when its two ends differ by less than this (points).
AXIS_TOLERANCE = 0.01

# Descend this deep into nested form XObjects when collecting path objects.
MAX_FORM_DEPTH = 8


class PdfChar:
    """One printed character with its loose box (pdfplumber-style coordinates).

    Its centre (``x_mid``, ``y_mid``) and ``size`` (height) are computed once: grouping lines and
    cells reads them many times. (A plain slotted class: a frozen dataclass took twice as long
    to make, and pages have thousands of characters.)
    """

    __slots__ = ("bottom", "size", "text", "top", "x0", "x1", "x_mid", "y_mid")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float) -> None:
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.x_mid = (x0 + x1) / 2
        self.y_mid = (top + bottom) / 2
        self.size = bottom - top

    def __repr__(self) -> str:
        return f"PdfChar({self.text!r}, {self.x0}, {self.top}, {self.x1}, {self.bottom})"


Edge = dict[str, Any]  # pdfplumber's edge representation (x0, x1, top, bottom, orientation …)


def page_origin(page: pdfium.PdfPage) -> tuple[float, float]:
    """(left, top) of the page's media box in PDF user space."""
    left, _bottom, _right, top = page.get_mediabox()
    return float(left), float(top)


def page_chars(textpage: pdfium.PdfTextPage, origin: tuple[float, float]) -> list[PdfChar]:
    """Every printed (non-generated, non-whitespace) character of the page, in stream order."""
    left, top = origin
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    chars: list[PdfChar] = []
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, index)
        if code <= 32 or code in (0xA0, 0x3000, 0xFEFF) or is_generated(raw, index) == 1:
            continue
        if not get_box(raw, index, rect):
            continue
        try:
            text = chr(code)
        except ValueError:
            text = "\ufffd"
        chars.append(PdfChar(text, rect.left - left, top - rect.top, rect.right - left, top - rect.bottom))
    return chars


def _transform(matrix: pdfium_c.FS_MATRIX, x: float, y: float) -> tuple[float, float]:
    return (matrix.a * x + matrix.c * y + matrix.e, matrix.b * x + matrix.d * y + matrix.f)


def _compose(inner: pdfium_c.FS_MATRIX, outer: pdfium_c.FS_MATRIX) -> pdfium_c.FS_MATRIX:
    """The matrix applying ``inner`` then ``outer``."""
    return pdfium_c.FS_MATRIX(
        inner.a * outer.a + inner.b * outer.c,
        inner.a * outer.b + inner.b * outer.d,
        inner.c * outer.a + inner.d * outer.c,
        inner.c * outer.b + inner.d * outer.d,
        inner.e * outer.a + inner.f * outer.c + outer.e,
        inner.e * outer.b + inner.f * outer.d + outer.f,
    )


def _edge(x_a: float, y_a: float, x_b: float, y_b: float, origin: tuple[float, float]) -> Edge | None:
    left, top = origin
    if abs(x_a - x_b) < AXIS_TOLERANCE:
        orientation = "v"
    elif abs(y_a - y_b) < AXIS_TOLERANCE:
        orientation = "h"
    else:
        return None
    x0, x1 = sorted((x_a - left, x_b - left))
    t0, t1 = sorted((top - y_a, top - y_b))
    if orientation == "v":
        x1 = x0
    else:
        t1 = t0
    return {"object_type": "path_edge", "x0": x0, "x1": x1, "top": t0, "bottom": t1, "doctop": t0,
            "width": x1 - x0, "height": t1 - t0, "orientation": orientation}


def _path_edges(obj: Any, matrix: pdfium_c.FS_MATRIX, origin: tuple[float, float]) -> list[Edge]:
    """Axis-aligned straight segments of one path object (closing segments included)."""
    edges: list[Edge] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = _transform(matrix, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            edge = _edge(prev[0], prev[1], point[0], point[1], origin)
            if edge is not None:
                edges.append(edge)
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            edge = _edge(point[0], point[1], start[0], start[1], origin)
            if edge is not None:
                edges.append(edge)
            prev = start
    return edges


def _collect_edges(parent: Any, is_form: bool, matrix: pdfium_c.FS_MATRIX | None,
                   origin: tuple[float, float], depth: int, out: list[Edge]) -> None:
    count = pdfium_c.FPDFFormObj_CountObjects(parent) if is_form else pdfium_c.FPDFPage_CountObjects(parent)
    for i in range(max(count, 0)):
        obj = pdfium_c.FPDFFormObj_GetObject(parent, i) if is_form else pdfium_c.FPDFPage_GetObject(parent, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        own = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, own):
            own = pdfium_c.FS_MATRIX(1, 0, 0, 1, 0, 0)
        full = own if matrix is None else _compose(own, matrix)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out.extend(_path_edges(obj, full, origin))
        elif depth < MAX_FORM_DEPTH:
            _collect_edges(obj, True, full, origin, depth + 1, out)


def page_edges(page: pdfium.PdfPage, origin: tuple[float, float]) -> list[Edge]:
    """pdfplumber-style edges of every straight axis-aligned path segment on the page."""
    edges: list[Edge] = []
    _collect_edges(page.raw, False, None, origin, 0, edges)
    return edges


def page_has_image(page: pdfium.PdfPage) -> bool:
    """Whether the page draws at least one image (top level or inside a form)."""
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=MAX_FORM_DEPTH):
        del obj
        return True
    return False


def has_degenerate_text(page: pdfium.PdfPage) -> bool:
    """Whether pdfium laid out a text object with no extent (it then drops its characters from
    the text page, e.g. one-character strings in some non-embedded CID fonts)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw = page.raw
    for i in range(max(pdfium_c.FPDFPage_CountObjects(raw), 0)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if not obj or pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) \
                and right.value - left.value == 0 and top.value - bottom.value == 0:
            return True
    return False
