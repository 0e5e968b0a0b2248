"""Typed settings objects (no loose kwargs): one options object per input format, gathered in
:class:`ExtractSettings`. Defaults are module-level constants."""

from __future__ import annotations

from dataclasses import dataclass, field

# Largest number of candidate splits of one run-together digit string that we enumerate; past it
# the row is marked ambiguous rather than searched further.
MAX_SPLIT_CANDIDATES = 50_000

# PDF text-quality gate: share of bad characters ((cid:…), U+FFFD, private use) above which a
# page's text layer is considered unusable.
PDF_BAD_CHAR_RATIO = 0.10

# Fewer real characters than this on a page means it has no text layer (a scan).
PDF_MIN_PAGE_CHARS = 20


# OCR of scanned pages (the ``ocr`` extra, gongkai.extractors.ocr): render resolution, and the
# recogniser confidence below which a value read is not trusted (null, flag ocr_unsure).
OCR_DPI = 200
OCR_MIN_CONFIDENCE = 0.9
OCR_TEXT_PAGES = "tables"
# Seconds of OCR one document may spend (scanned pages and pictures together); past it the pages
# and pictures left are not read (ocr_budget_spent) rather than the document failing as a timeout.
# The command line sets it from --timeout (OCR_BUDGET_SHARE of it) unless --ocr-budget is given.
OCR_MAX_SECONDS = 72.0
OCR_BUDGET_SHARE = 0.6
OCR_TEXT_PAGE_CHOICES: tuple[str, ...] = ("tables", "all")


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """OCR of pages without a usable text layer (used only when the ``ocr`` extra is installed)."""

    enabled: bool = True  # False: a scan fails with needs_ocr even when the extra is installed
    dpi: int = OCR_DPI
    min_confidence: float = OCR_MIN_CONFIDENCE
    use_gpu: bool = True  # onnxruntime's CUDA provider when it is present
    # Whose text is read: "tables" — the first page (title, year, issuer) and every page with a
    # ruled table (its headings); "all" — every page (sections and prose too, seconds per page more).
    text_pages: str = OCR_TEXT_PAGES
    max_seconds: float = OCR_MAX_SECONDS  # the OCR time budget of one document (wall clock)


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """Options of the PDF reader."""

    bad_char_ratio: float = PDF_BAD_CHAR_RATIO
    min_page_chars: int = PDF_MIN_PAGE_CHARS
    # only analyse tables on pages whose text mentions tables 二–四 (schemas.headings.PAGE_MARKERS)
    table_pages_only: bool = True
    ocr: OcrOptions = field(default_factory=OcrOptions)


# Pictures in Word and HTML reports (a table pasted as an image): smaller pictures are logos,
# seals and icons, never a table of the form; larger ones are not decoded (a bomb or a photo).
PICTURE_MIN_WIDTH_PX = 300
PICTURE_MIN_HEIGHT_PX = 120
PICTURE_MAX_PIXELS = 40_000_000
PICTURE_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PictureOptions:
    """OCR of pictures in Word and HTML reports, used when the tables 二–四 are not all in the
    report's text (a table pasted as a picture) and the ``ocr`` extra is installed."""

    ocr: OcrOptions = field(default_factory=OcrOptions)
    min_width_px: int = PICTURE_MIN_WIDTH_PX
    min_height_px: int = PICTURE_MIN_HEIGHT_PX
    max_pixels: int = PICTURE_MAX_PIXELS
    max_bytes: int = PICTURE_MAX_BYTES


@dataclass(frozen=True, slots=True)
class DocOptions:
    """Options of the old binary Word (.doc) reader, which converts through LibreOffice."""

    libreoffice_binary: str | None = None  # None: look for soffice/libreoffice on PATH


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Options for extracting one document: the readers' options and the table stage's limits."""

    pdf: PdfOptions = field(default_factory=PdfOptions)
    doc: DocOptions = field(default_factory=DocOptions)
    pictures: PictureOptions = field(default_factory=PictureOptions)
    max_split_candidates: int = MAX_SPLIT_CANDIDATES
