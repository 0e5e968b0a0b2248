"""Scanned copies of PDFs for the OCR tests: pages rendered at a scan resolution, turned a little,
speckled with noise and saved as JPEG images in a PDF without a text layer (Pillow's PDF writer)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from io import BytesIO

import pypdfium2 as pdfium
from PIL import Image, ImageFilter


@dataclass(frozen=True, slots=True)
class ScanStyle:
    dpi: int = 200
    skew: float = 0.0  # degrees, counter-clockwise
    noise: float = 0.0  # share of pixels flipped to a random gray (salt and pepper)
    jpeg_quality: int = 75
    blur: float = 0.0  # Gaussian blur radius (pixels)


def scan_image(image: Image.Image, style: ScanStyle, rng: random.Random) -> Image.Image:
    gray = image.convert("L")
    if style.blur:
        gray = gray.filter(ImageFilter.GaussianBlur(style.blur))
    if style.skew:
        gray = gray.rotate(style.skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    if style.noise:
        pixels = gray.load()
        assert pixels is not None
        width, height = gray.size
        for _ in range(int(width * height * style.noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 60, 200, 255))
    return gray


def scan_pdf(data: bytes, style: ScanStyle, seed: int = 0, pages: tuple[int, ...] | None = None) -> bytes:
    """``data`` with every page (or the 1-based ``pages``) replaced by a JPEG scan of itself."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(data)
    images: list[Image.Image] = []
    try:
        for index in range(len(pdf)):
            if pages is not None and index + 1 not in pages:
                continue
            page = pdf[index]
            image = page.render(scale=style.dpi / 72).to_pil()
            page.close()
            scanned = scan_image(image, style, rng)
            buffer = BytesIO()
            scanned.save(buffer, "JPEG", quality=style.jpeg_quality)
            images.append(Image.open(BytesIO(buffer.getvalue())))
    finally:
        pdf.close()
    out = BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(style.dpi))
    return out.getvalue()


def blank_page_pdf(dpi: int = 150, text: str | None = None) -> bytes:
    """A scanned blank page (a little noise), or a photo-like page of plain text without a table."""
    from PIL import ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 250)
    rng = random.Random(1)
    scanned = scan_image(image, ScanStyle(noise=0.0005), rng)
    if text:
        draw = ImageDraw.Draw(scanned)
        draw.text((dpi, dpi), text, fill=20)
    out = BytesIO()
    scanned.save(out, "PDF", resolution=float(dpi))
    return out.getvalue()


@cache
def cjk_font_renders() -> bool:
    """Whether pdfium draws the synthetic PDFs' non-embedded CJK font (it needs a system CJK font,
    e.g. Debian's fonts-wqy-microhei); without one their scans have no Chinese text."""
    import numpy as np

    from tests.synth.render_pdf import render_pdf
    from tests.synth.truth import make_truth

    pdf = pdfium.PdfDocument(render_pdf(make_truth(0, "F2021")))
    try:
        page = pdf[0]
        width, _height = page.get_size()
        image = np.asarray(page.render(scale=1, crop=(0, 0, 0, 0)).to_pil().convert("L"))
        page.close()
    finally:
        pdf.close()
    title_band = image[60:110, int(width * 0.15):int(width * 0.85)]  # the title: Chinese only, no digits at its ends
    return bool((title_band < 128).sum() > 400)


def crop_pdf(data: bytes, page: int, box: tuple[float, float, float, float], style: ScanStyle, seed: int = 0) -> bytes:
    """A one-page scan of the ``box`` (fractions of width/height: left, top, right, bottom) of ``page``."""
    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[page - 1].render(scale=style.dpi / 72).to_pil()
    finally:
        pdf.close()
    width, height = image.size
    cut = image.crop((int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)))
    scanned = scan_image(cut, style, rng)
    buffer = BytesIO()
    scanned.save(buffer, "JPEG", quality=style.jpeg_quality)
    out = BytesIO()
    Image.open(BytesIO(buffer.getvalue())).save(out, "PDF", resolution=float(style.dpi))
    return out.getvalue()
