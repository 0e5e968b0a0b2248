"""Plain-text reader (stub: filled in by the foundation work)."""

from __future__ import annotations

from pipeline.document import Document, Locator, TextBlock
from pipeline.settings import ReaderSettings


def read(data: bytes, source: str, settings: ReaderSettings) -> Document:
    text = data.decode("utf-8", errors="replace")
    blocks = [TextBlock(line, Locator(line=i + 1)) for i, line in enumerate(text.splitlines())]
    return Document(source_path=source, format="txt", blocks=list(blocks))
