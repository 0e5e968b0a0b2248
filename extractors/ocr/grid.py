"""Ruled tables of a scanned page: ruling lines → edges → cells (pdfplumber's finder) → text.

The ruling-line masks (:func:`gongkai.extractors.ocr.image.line_masks`) become pdfplumber-style
edges in PDF points, and the same table finder and grid builder as for a born-digital page
(:mod:`gongkai.extractors.readers.pdf_tables`) turn them into anchor cells with spans and bboxes.
Each cell's image, with the ruling lines whitened, is then read on its own: one line of ink
(every value cell) by the recogniser directly, several lines (wrapped labels) by detection +
recognition of the cell image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.ocr.engine import NumberReading, OcrEngine
from gongkai.extractors.ocr.image import Gray, PageImage, binarise, line_masks
from gongkai.extractors.readers.pdf_layout import Edge
from gongkai.extractors.readers.pdf_tables import (
    MIN_TABLE_COLS,
    BBox,
    GridCell,
    PageGrid,
    build_grid,
    find_table_cells,
)

# Ink components smaller than this many pixels are scan noise (a printed full stop is larger at 150 dpi).
MIN_INK_AREA = 6

# Small ink this close (pixels) to larger ink is a broken piece of a thin stroke, not noise.
SPECK_REACH = 3

# Gray below this (0–255) next to the ink is a faint stroke of the same characters.
FAINT_LEVEL = 215

# Pixels trimmed off each side of a cell image (what remains of the ruling lines).
CELL_INSET = 2

# White margin put around a crop before it is recognised (the models want some background).
CROP_PAD = 6

# A crop is padded to at least this width / height ratio.
MIN_CROP_ASPECT = 1.5

# Ink taller than this (points) is more than one line of text: detection is run on the cell.
SINGLE_LINE_MAX_PT = 13.0

# How far (pixels) the end of a rule may be from the rule it ends on (scan gaps at junctions).
END_REACH = 4

# A table needs at least this many rows to be read as one (a lone box is not a table).
MIN_TABLE_ROWS = 2


# Letters the recogniser reads for digits in a number cell.
_CONFUSABLE = str.maketrans({"I": "1", "l": "1", "|": "1", "O": "0", "o": "0", "D": "0"})
_DIGIT_LIKE = re.compile(r"[0-9IlO|oD]+")
_LETTERS_ONLY = re.compile(r"[Il|]{2,}|[Oo]")

# A reading made only of these (digits and the Latin letters, brackets and strokes a recogniser
# puts for thin digits: "6]" for 61, "N" for 8, "Ⅱ" for 11) is a number cell read badly; its
# digit-only reading is used instead (no CJK, no placeholder such as —, /, 无).
_NUMBER_LIKE = re.compile(r"[0-9A-Za-z\[\]|!()ⅠⅡⅢ]{1,8}")

_DIGITS = re.compile(r"[0-9]+")

# Digit readings kept as alternatives: at most this many, each at least this probable.
MAX_ALTERNATIVES = 6
MIN_ALTERNATIVE_P = 0.01


@dataclass(slots=True)
class CellRead:
    """How one cell was read: the text, the lowest line confidence, whether ink was seen, and the
    recogniser's other digit readings of a number cell (most probable first) for the OCR gate."""

    text: str
    score: float
    ink: bool
    alternatives: tuple[str, ...] = ()


@dataclass(slots=True)
class OcrTables:
    """The grids of one page and how each of their cells was read (keyed by the cell's bbox)."""

    grids: list[PageGrid] = field(default_factory=list)
    reads: dict[BBox, CellRead] = field(default_factory=dict)


def mask_edges(horizontal: Gray, vertical: Gray, scale: float) -> list[Edge]:
    """pdfplumber-style edges (points) of every ruling-line component of the masks."""
    edges: list[Edge] = []
    for mask, orientation in ((horizontal, "h"), (vertical, "v")):
        count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for index in range(1, count):
            x, y, w, h = (int(v) for v in stats[index, :4])
            if orientation == "h":
                mid = (y + h / 2) / scale
                x0, x1, top, bottom = x / scale, (x + w) / scale, mid, mid
            else:
                mid = (x + w / 2) / scale
                x0, x1, top, bottom = mid, mid, y / scale, (y + h) / scale
            edges.append({"object_type": "path_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                          "doctop": top, "width": x1 - x0, "height": bottom - top,
                          "orientation": orientation})
    return edges


def _rules_ending_on(mask: Gray, other: Gray, orientation: str) -> Gray:
    """The components of ``mask`` whose two ends both touch a line of ``other``.

    In a ruled table every rule ends on a rule across it (or on the frame); strokes of large
    bold characters that the masks pick up do not, so they are dropped here.
    """
    reach = cv2.dilate(other, np.ones((2 * END_REACH + 1, 2 * END_REACH + 1), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        if orientation == "h":
            ends = (reach[y:y + h, max(0, x - 1):x + END_REACH], reach[y:y + h, max(0, x + w - END_REACH):x + w + 1])
        else:
            ends = (reach[max(0, y - 1):y + END_REACH, x:x + w], reach[max(0, y + h - END_REACH):y + h + 1, x:x + w])
        if all(np.count_nonzero(end) for end in ends):
            keep[index] = 255
    return np.asarray(keep[labels], dtype=np.uint8)


def find_grids(image: PageImage, page: int) -> tuple[list[PageGrid], Gray]:
    """The ruled tables of the page (empty cells) and the mask of its ruling lines (pixels)."""
    binary = binarise(image.gray)
    closed_h = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    closed_v = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    horizontal, _ = line_masks(np.asarray(closed_h, dtype=np.uint8))
    _, vertical = line_masks(np.asarray(closed_v, dtype=np.uint8))
    horizontal, vertical = (_rules_ending_on(horizontal, vertical, "h"),
                            _rules_ending_on(vertical, horizontal, "v"))
    rules = np.asarray(cv2.bitwise_or(horizontal, vertical), dtype=np.uint8)
    edges = mask_edges(horizontal, vertical, image.scale)
    width, height = image.size_points
    grids: list[PageGrid] = []
    for boxes in find_table_cells(edges, (0.0, 0.0, width, height)):
        grid = build_grid(boxes, [], page)
        if grid.n_cols >= MIN_TABLE_COLS and grid.n_rows >= MIN_TABLE_ROWS:
            grids.append(grid)
    return grids, rules


def _clean_ink(binary: Gray) -> Gray:
    """The binary image without noise specks."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= MIN_INK_AREA).astype(np.uint8) * 255
    return np.asarray(keep[labels], dtype=np.uint8)


def cell_image(image: PageImage, rules: Gray, box: BBox) -> tuple[Gray, Gray] | None:
    """The cell's gray image (ruling lines whitened) cut to its ink, and that ink; None if empty.

    Lone noise specks are whitened; the crop keeps the strokes next to the ink that are fainter
    than the ink threshold: a thin serif 4 scanned at 150 dpi keeps only its stem above the
    threshold, and a crop cut to the stem alone reads "1" (447 → 147) with full confidence."""
    s = image.scale
    height, width = image.gray.shape
    x0 = max(0, int(box[0] * s) + CELL_INSET)
    y0 = max(0, int(box[1] * s) + CELL_INSET)
    x1 = min(width, int(box[2] * s) - CELL_INSET)
    y1 = min(height, int(box[3] * s) - CELL_INSET)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    gray = image.gray[y0:y1, x0:x1].copy()
    lines = cv2.dilate(rules[y0:y1, x0:x1], np.ones((3, 3), np.uint8))
    gray[lines > 0] = 255
    dark = binarise_crop(gray)
    ink = _clean_ink(dark)
    near_ink = cv2.dilate(ink, np.ones((2 * SPECK_REACH + 1, 2 * SPECK_REACH + 1), np.uint8))
    gray[(dark > 0) & (near_ink == 0)] = 255  # lone noise specks become paper (not the bits of a thin stroke)
    ys, xs = np.nonzero(ink)
    if len(ys) == 0:
        return None
    # strokes fainter than the ink threshold next to the ink (a thin 4's diagonal and bar) stay in the crop
    reach = max(SPECK_REACH, int(ys.max() - ys.min()) // 2)
    around = cv2.dilate(ink, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8))
    ys, xs = np.nonzero((ink > 0) | ((around > 0) & (gray < FAINT_LEVEL)))
    top, bottom, left, right = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    crop = gray[top:bottom, left:right]
    height, width = crop.shape
    side = CROP_PAD + max(0, int(height * MIN_CROP_ASPECT) - width) // 2  # a lone "1" is too narrow to read
    padded = cv2.copyMakeBorder(crop, CROP_PAD, CROP_PAD, side, side, cv2.BORDER_CONSTANT, value=255)
    return np.asarray(padded, dtype=np.uint8), ink


def binarise_crop(gray: Gray) -> Gray:
    """Ink of a small crop: a fixed threshold (Otsu on an almost empty cell picks noise)."""
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    level = min(float(otsu), 160.0)
    _, binary = cv2.threshold(gray, level, 255, cv2.THRESH_BINARY_INV)
    return np.asarray(binary, dtype=np.uint8)


def as_digits(text: str) -> str:
    """Letters a recogniser confuses with digits, read as those digits when the whole text is
    digits and such letters ("Il" → "11", "1O5" → "105"); any other text is left alone."""
    if (_DIGIT_LIKE.fullmatch(text) and any(ch.isdigit() for ch in text)) or _LETTERS_ONLY.fullmatch(text):
        return text.translate(_CONFUSABLE)
    return text


def read_cells(image: PageImage, rules: Gray, grids: list[PageGrid], engine: OcrEngine) -> OcrTables:
    """Fill every cell of ``grids`` with its text; return the grids and how each cell was read."""
    out = OcrTables(grids=grids)
    single: list[tuple[GridCell, Gray]] = []
    for grid in grids:
        for cell in grid.cells:
            cut = cell_image(image, rules, cell.bbox)
            if cut is None:
                out.reads[cell.bbox] = CellRead("", 1.0, False)
                continue
            crop, _ink = cut
            if crop.shape[0] - 2 * CROP_PAD <= SINGLE_LINE_MAX_PT * image.scale:
                single.append((cell, crop))
                continue
            found = engine.lines(crop)
            cell.text = join_fragments(ln.text for ln in found)
            score = min((ln.score for ln in found), default=0.0)
            out.reads[cell.bbox] = CellRead(cell.text, score, True)
    readings = engine.read_numbers([crop for _cell, crop in single])
    for (cell, _crop), reading in zip(single, readings, strict=True):
        read = number_read(reading)
        cell.text = read.text
        out.reads[cell.bbox] = read
    return out


def number_read(reading: NumberReading) -> CellRead:
    """A single-line cell's reading: the text as read, or — when it looks like a badly read number
    (``6]``, ``N``) — its most probable digit string with that string's probability as the score;
    a number's other digit readings become its alternatives."""
    text = as_digits(reading.text.strip())
    score = reading.score
    digits = [(d, p) for d, p in reading.digits if p >= MIN_ALTERNATIVE_P]
    if not _DIGITS.fullmatch(text):
        if not (_NUMBER_LIKE.fullmatch(text) and digits):  # kept as read ("300.1", "—", a label)
            return CellRead(text, score, True, tuple(d for d, _p in digits[:MAX_ALTERNATIVES]))
        text, score = digits[0][0], min(score, digits[0][1])
    alternatives = tuple(d for d, _p in digits if d != text)
    return CellRead(text, score, True, alternatives[:MAX_ALTERNATIVES])
