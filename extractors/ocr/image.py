"""Page images for OCR: rendering, binarisation, ruling-line masks and deskew (OpenCV).

Coordinates: pixels of the rendered page, ``scale`` pixels per PDF point (dpi / 72). Ruling
lines are found by morphological opening of the inverted binary image with long thin kernels;
the page is deskewed first by the median angle of its long near-horizontal lines, so the lines
are axis-aligned when the table finder sees them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium

Gray = npt.NDArray[np.uint8]

# A horizontal ruling line is at least this share of the page width; a vertical one this share
# of the page height (a table row is short, but a column rule crosses several rows).
MIN_HLINE_SHARE = 0.04
MIN_VLINE_SHARE = 0.012

# Skew estimation (half resolution): opening length and the shortest line piece used (share of width).
SKEW_KERNEL = 25
SKEW_MIN_LINE_SHARE = 0.2

# Otsu's threshold above this means it split white paper from light-gray shaded cells (it lies
# between ink and paper otherwise); then gray levels above INK_MAX_GRAY are not ink.
SHADING_OTSU = 200.0
INK_MAX_GRAY = 185.0

# Skews smaller than this (degrees) are left alone; larger than MAX_SKEW are not skew.
MIN_SKEW = 0.08
MAX_SKEW = 5.0


@dataclass(slots=True)
class PageImage:
    """A rendered page (gray, deskewed) and its scale (pixels per point)."""

    gray: Gray
    scale: float
    skew: float = 0.0  # degrees the scan was turned by (corrected)

    @property
    def size_points(self) -> tuple[float, float]:
        height, width = self.gray.shape
        return width / self.scale, height / self.scale


def render_page(page: pdfium.PdfPage, dpi: int) -> PageImage:
    """The page as a gray image at ``dpi``."""
    scale = dpi / 72.0
    bitmap = page.render(scale=scale, grayscale=True)
    array = np.asarray(bitmap.to_numpy())
    gray = array[:, :, 0] if array.ndim == 3 else array
    return PageImage(np.ascontiguousarray(gray, dtype=np.uint8), scale)


def binarise(gray: Gray) -> Gray:
    """Ink as 255 on 0 (inverted), Otsu's threshold after a light blur against scan noise.

    Where shaded cells (light gray) cover much of the image, Otsu splits white from the shading
    (its threshold is above :data:`SHADING_OTSU`) and every shaded cell would become ink: then
    the threshold is :data:`INK_MAX_GRAY`.
    """
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    otsu, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if otsu > SHADING_OTSU:  # Otsu split white from light-gray shading, not paper from ink
        _, binary = cv2.threshold(blurred, INK_MAX_GRAY, 255, cv2.THRESH_BINARY_INV)
    return np.asarray(binary, dtype=np.uint8)


def line_masks(binary: Gray) -> tuple[Gray, Gray]:
    """(horizontal, vertical) ruling-line masks of an inverted binary image."""
    height, width = binary.shape
    h_len = max(10, int(width * MIN_HLINE_SHARE))
    v_len = max(10, int(height * MIN_VLINE_SHARE))
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return np.asarray(horizontal, dtype=np.uint8), np.asarray(vertical, dtype=np.uint8)


def estimate_skew(binary: Gray) -> float:
    """The page's skew in degrees from its long near-horizontal lines (0.0 when it has none).

    At half resolution, a short horizontal opening keeps the pieces of ruling lines (and of text
    baselines) even when they are turned a few degrees; the long pieces are fitted with a line
    each and their angles combined, weighted by length.
    """
    small = cv2.resize(binary, (binary.shape[1] // 2, binary.shape[0] // 2), interpolation=cv2.INTER_AREA)
    _, small = cv2.threshold(small, 64, 255, cv2.THRESH_BINARY)
    opened = cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (SKEW_KERNEL, 1)))
    opened = cv2.dilate(opened, cv2.getStructuringElement(cv2.MORPH_RECT, (SKEW_KERNEL, 3)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    min_width = SKEW_MIN_LINE_SHARE * small.shape[1]
    angles: list[float] = []
    weights: list[float] = []
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        if w < min_width or h > w * math.tan(math.radians(MAX_SKEW)) + 8:
            continue
        ys, xs = np.nonzero((labels[y:y + h, x:x + w] == index) & (small[y:y + h, x:x + w] > 0))
        if len(xs) < 10:
            continue
        slope = float(np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0])
        angles.append(math.degrees(math.atan(slope)))
        weights.append(float(w))
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][int(np.searchsorted(cumulative, cumulative[-1] / 2))])


def deskew(image: PageImage) -> PageImage:
    """The page turned upright when its ruling lines show a skew (white fills the corners)."""
    angle = estimate_skew(binarise(image.gray))
    if abs(angle) < MIN_SKEW:
        return image
    height, width = image.gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(image.gray, matrix, (width, height), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return PageImage(np.asarray(turned, dtype=np.uint8), image.scale, angle)


def ink_ratio(binary: Gray) -> float:
    """Share of ink pixels in an inverted binary image."""
    return float(np.count_nonzero(binary)) / max(1, binary.size)
