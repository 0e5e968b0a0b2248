"""Typed settings objects (no loose kwargs). Defaults are module-level constants."""

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


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """Options for the format readers."""

    pdf_bad_char_ratio: float = PDF_BAD_CHAR_RATIO
    pdf_min_page_chars: int = PDF_MIN_PAGE_CHARS
    # only analyse tables on pages whose text mentions tables 二–四 (fast path, see issue 4)
    pdf_table_pages_only: bool = True
    libreoffice_binary: str | None = None  # None: look for soffice/libreoffice on PATH


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Options for extracting one document."""

    reader: ReaderSettings = field(default_factory=ReaderSettings)
    max_split_candidates: int = MAX_SPLIT_CANDIDATES
