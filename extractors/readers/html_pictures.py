"""The pictures of an HTML report's article (a table is sometimes pasted as an image), kept for
the pictures stage (:mod:`gongkai.convert.pictures`), which reads them by OCR only when the
tables are not in the page's text.

Nothing is fetched here. A picture's bytes come from a ``data:`` URI, from a file next to a saved
page (a relative ``src`` that resolves inside the page's folder), or from the page's picture
folder, ``<page file>.pictures/``, where the crawler saves the pictures of a report page whose
text lacks tables (named by :func:`picture_key` of the ``src`` as written). Any other picture is
kept without bytes, so the stage can say which pictures were not available.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from gongkai.model.document import Block, Locator, Picture
from gongkai.model.settings import PICTURE_MAX_BYTES

_DATA_URI = re.compile(r"data:image/[\w.+-]+;base64,", re.IGNORECASE)
_PX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", re.IGNORECASE)
_STYLE_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)\s*px", re.IGNORECASE)
# CSS pixels per point.
PX_PER_PT = 96 / 72


def shown_width_pt(img: etree._Element) -> float | None:
    """The width an ``<img>`` is shown at (its width attribute or style, in CSS pixels), in points."""
    match = _PX.match(img.get("width") or "") or _STYLE_WIDTH.search(img.get("style") or "")
    if match is None:
        return None
    width = float(match.group(1)) / PX_PER_PT
    return width if width > 0 else None


def _from_data_uri(src: str) -> bytes | None:
    match = _DATA_URI.match(src)
    if match is None:
        return None
    payload = src[match.end():]
    if len(payload) > PICTURE_MAX_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode("".join(payload.split()), validate=False)
    except (binascii.Error, ValueError):
        return None


def _local_file(src: str, base: Path) -> Path | None:
    """The file a relative ``src`` names inside the page's folder ``base``, or None (remote,
    outside, absent)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    try:
        path = (base / unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(base) or not path.is_file():
        return None
    try:
        return path if path.stat().st_size <= PICTURE_MAX_BYTES else None
    except OSError:
        return None


# The folder beside a saved page that holds its pictures (the crawler writes it).
PICTURE_FOLDER_SUFFIX = ".pictures"


def picture_key(src: str) -> str:
    """The file name stem of a picture in a page's picture folder: a hash of its ``src`` as written."""
    return hashlib.sha1(src.strip().encode("utf-8")).hexdigest()[:16]


def picture_folder(page: Path) -> Path:
    return page.with_name(page.name + PICTURE_FOLDER_SUFFIX)


def _saved_picture(src: str, folder: Path) -> Path | None:
    """The picture the crawler saved for ``src`` in the page's picture folder, if any."""
    key = picture_key(src)
    return next((p for p in sorted(folder.glob(key + "*")) if p.is_file()
                 and p.stat().st_size <= PICTURE_MAX_BYTES), None)


def _page_places(source: str) -> tuple[Path | None, Path | None]:
    """The saved page's folder and its picture folder (None when the page is not a local file, or
    has no picture folder)."""
    page = Path(source)
    if not page.is_file():
        return None, None
    folder = picture_folder(page)
    return page.parent.resolve(), folder if folder.is_dir() else None


def _position(blocks: list[Block], line: int | None) -> int:
    """Blocks before a picture on source line ``line`` (all of them when the line is unknown)."""
    if line is None:
        return len(blocks)
    for index, block in enumerate(blocks):
        if block.locator.line is not None and block.locator.line > line:
            return index
    return len(blocks)


def article_pictures(article: etree._Element, source: str, blocks: list[Block],
                     line_offset: int = 0) -> list[Picture]:
    """Pictures of the article, each placed among ``blocks`` (those not available offline without
    bytes: ``Picture.available`` is False)."""
    pictures: list[Picture] = []
    places: tuple[Path | None, Path | None] | None = None  # looked up once, at the first <img> that needs it
    for number, img in enumerate(article.iter("img"), start=1):
        src = (img.get("src") or "").strip()
        if not src:
            continue
        line = None if img.sourceline is None else img.sourceline + line_offset
        data = _from_data_uri(src)
        if data is not None:
            name = f"<img {number}> (data: URI)"
            pictures.append(Picture(name=name, position=_position(blocks, line), data=data,
                                    locator=Locator(line=line, image=name), width_pt=shown_width_pt(img)))
            continue
        if places is None:
            places = _page_places(source)
        base, folder = places
        path = (_local_file(src, base) if base is not None else None) or \
            (_saved_picture(src, folder) if folder is not None else None)
        pictures.append(Picture(name=src, position=_position(blocks, line),
                                path=None if path is None else str(path),
                                locator=Locator(line=line, image=src), width_pt=shown_width_pt(img)))
    return pictures
