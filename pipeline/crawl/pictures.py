"""Pictures of a report page: a report published as a web page sometimes has tables 二–四 pasted
as images. When a saved report page's text lacks those tables, the crawler fetches the pictures
of its article (politely, like any request: robots.txt, delays, allowed hosts, WARC) into the
page's picture folder, ``<page file>.pictures/<picture_key(src)><suffix>``, where the HTML reader
looks for them (:mod:`gongkai.extractors.readers.html_pictures`). A page whose text holds all
three tables has none of its pictures fetched.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from gongkai.convert.pictures import pictures_needed
from gongkai.extractors.readers.html_pictures import picture_folder, picture_key
from gongkai.model.errors import ExtractionError

# At most this many pictures of one page are fetched (a page of icons is not a report's tables).
MAX_PICTURES_PER_PAGE = 20

# Leading bytes of the image formats OpenCV decodes, and the suffix a saved picture gets.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"),
    (b"BM", ".bmp"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"),
)


def image_suffix(body: bytes) -> str | None:
    """The suffix of an image by its leading bytes (``.webp`` by its RIFF header), None for anything else."""
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return ".webp"
    return next((suffix for magic, suffix in _MAGIC if body.startswith(magic)), None)


def wanted_pictures(body: bytes, saved: Path, page_url: str) -> list[tuple[str, str]]:
    """``(src, absolute URL)`` of the pictures to fetch for the report page saved at ``saved``:
    none when its text holds tables 二–四, else those of its article not available offline."""
    from gongkai.extractors.readers import html

    try:
        document = html.read(body, str(saved))
    except ExtractionError:
        return []
    if not pictures_needed(document):
        return []
    out: list[tuple[str, str]] = []
    for picture in document.pictures:
        if picture.available:
            continue
        url = urljoin(page_url, picture.name.strip())
        if urlsplit(url).scheme in {"http", "https"} and all(url != u for _src, u in out):
            out.append((picture.name, url))
    return out[:MAX_PICTURES_PER_PAGE]


def picture_path(saved: Path, src: str, suffix: str) -> Path:
    """Where the picture ``src`` of the page saved at ``saved`` goes."""
    return picture_folder(saved) / (picture_key(src) + suffix)
