"""A picture in a Word or HTML report (a table pasted as an image) → text and table blocks, by the
same OCR path as a scanned PDF page (:func:`gongkai.extractors.ocr.page.read_image`).

A picture has no physical size: it is scaled to the OCR resolution (the ruling-line and cell
thresholds are tuned for a page rendered at it) for the width it is shown at (Word's extent,
``<img width>``; else its pixels at 96 per inch, at most an A4 page wide), read, and every box is
given back in the picture's own pixels. A picture without a ruled grid is not read
at all (a logo, a seal, a photo): only tables are wanted from pictures, and detection on a whole
picture costs seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

import cv2
import numpy as np

from gongkai.extractors.ocr.engine import OcrEngine
from gongkai.extractors.ocr.grid import find_grids
from gongkai.extractors.ocr.image import Gray, PageImage, deskew
from gongkai.extractors.ocr.page import read_image
from gongkai.extractors.ocr.scans import UNSURE_LOW_SCORE, UNSURE_NO_TEXT
from gongkai.extractors.readers.pdf_rows import drop_page_number_rows, merge_fragment_rows
from gongkai.extractors.readers.pdf_tables import BBox
from gongkai.model.document import Block, Cell, Locator, Picture, TableBlock, TextBlock
from gongkai.model.settings import PictureOptions

# Width of an A4 page in points: no picture stands for a wider table.
A4_WIDTH_PT = 595.0
# Pixels per inch of a picture whose shown size is unknown (a screenshot).
SCREEN_DPI = 96.0


@dataclass(slots=True)
class PictureRead:
    """What OCR read in one picture: its blocks (locators name the picture, boxes in its pixels),
    the locators of the table cells read, and why some readings are not trusted."""

    blocks: list[Block] = field(default_factory=list)
    cells: set[str] = field(default_factory=set)
    unsure: dict[str, str] = field(default_factory=dict)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: str | None = None  # why the picture was not read (too small, no grid, not an image)
    unreadable: bool = False  # skipped because it could not be decoded (not merely not a table)


NOT_AN_IMAGE = "not an image OpenCV can decode"
BOMB_SIZE = (1 << 16, 1 << 16)  # what a picture past Pillow's decompression-bomb limit counts as
TOO_LARGE = "more pixels than the limit (PictureOptions.max_pixels)"


def declared_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image's header, without decoding its pixels (Pillow reads only
    the header); None when Pillow does not know the format."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own limit (far above ours) is passed
        return BOMB_SIZE
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return int(width), int(height)


def decode_picture(data: bytes, options: PictureOptions) -> tuple[Gray, str | None]:
    """The picture as a gray image, or an empty array and why it is not read."""
    empty: Gray = np.empty((0, 0), np.uint8)
    if len(data) > options.max_bytes:
        return empty, TOO_LARGE
    size = declared_size(data)
    if size is not None and size[0] * size[1] > options.max_pixels:  # a decompression bomb: never decoded
        return empty, TOO_LARGE
    gray = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        return empty, NOT_AN_IMAGE
    height, width = gray.shape[:2]
    if width < options.min_width_px or height < options.min_height_px:
        return empty, f"{width}×{height} px: too small to hold a table"
    if width * height > options.max_pixels:
        return empty, TOO_LARGE
    return np.ascontiguousarray(gray, dtype=np.uint8), None


def shown_width_pt(picture: Picture, width_px: int) -> float:
    """The width (points) the picture stands for on a page: as the report shows it, else its
    pixels at 96 per inch (a screenshot), at most an A4 page's width (a page scan)."""
    if picture.width_pt is not None and picture.width_pt > 0:
        return min(picture.width_pt, A4_WIDTH_PT)
    return min(width_px * 72.0 / SCREEN_DPI, A4_WIDTH_PT)


def _pixels(box: BBox, factor: float) -> tuple[float, float, float, float]:
    """A box in points of the scaled picture → pixels of the original picture."""
    return (round(box[0] * factor, 1), round(box[1] * factor, 1),
            round(box[2] * factor, 1), round(box[3] * factor, 1))


def read_picture(picture: Picture, data: bytes, first_table: int, engine: OcrEngine,
                 options: PictureOptions) -> PictureRead:
    """OCR of one picture; its tables are numbered from ``first_table`` (after the text's tables)."""
    gray, why = decode_picture(data, options)
    if why is not None:
        return PictureRead(skipped=why, unreadable=why in (NOT_AN_IMAGE, TOO_LARGE))
    scale = options.ocr.dpi / 72.0
    resize = shown_width_pt(picture, gray.shape[1]) * scale / gray.shape[1]
    if abs(resize - 1.0) > 0.05:
        gray = np.asarray(cv2.resize(gray, None, fx=resize, fy=resize,
                                     interpolation=cv2.INTER_CUBIC if resize > 1 else cv2.INTER_AREA), dtype=np.uint8)
    image = deskew(PageImage(np.ascontiguousarray(gray, dtype=np.uint8), scale))
    if not find_grids(image, 1)[0]:
        return PictureRead(skipped="no ruled table in the picture")
    page = read_image(image, 1, engine)
    factor = scale / resize  # points of the scaled picture → original pixels
    out = PictureRead()
    items: list[tuple[float, Block]] = []
    for line in page.lines:
        top = line.top or 0.0
        items.append((top, TextBlock(line.text, Locator(line=picture.locator.line, image=picture.name))))
    table = first_table
    for grid in page.grids:
        drop_page_number_rows(grid)
        merge_fragment_rows(grid)
        if grid.n_rows == 0:
            continue
        cells: list[Cell] = []
        for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
            loc = Locator(line=picture.locator.line, image=picture.name, table=table, row=c.row, col=c.col,
                          bbox=_pixels(c.bbox, factor))
            cells.append(Cell(text=c.text, row=c.row, col=c.col, rowspan=c.rowspan, colspan=c.colspan, locator=loc))
            key = loc.describe()
            out.cells.add(key)
            read = page.reads.get(c.bbox)
            if read is None or not read.ink:
                continue
            if read.alternatives:
                out.alternatives[key] = read.alternatives
            if not read.text:
                out.unsure[key] = UNSURE_NO_TEXT
            elif read.score < options.ocr.min_confidence:
                out.unsure[key] = UNSURE_LOW_SCORE.format(score=read.score, threshold=options.ocr.min_confidence)
        block = TableBlock(cells=cells, n_rows=grid.n_rows, n_cols=grid.n_cols,
                           locator=Locator(line=picture.locator.line, image=picture.name, table=table,
                                           bbox=_pixels(grid.bbox, factor)))
        items.append((grid.bbox[1] - 0.01, block))
        table += 1
    items.sort(key=lambda item: item[0])
    out.blocks = [block for _top, block in items]
    return out
