"""Plain-text reader: tab-separated table dumps and one-line crawler dumps (docs/form.md § Deviations, D5).

Encoding is detected (BOM, UTF-8, UTF-16, GB18030). Consecutive lines that contain a tab form one
TableBlock (cells as split on tabs: flattened merged cells stay as empty strings, shifted label
columns are left for the table extractor to sort out). Every other non-empty line is a TextBlock.
A crawler dump that holds the whole report on one line is simply one long TextBlock; the table
extractors read it as a stream.
"""

from __future__ import annotations

from gongkai.extractors.encoding import decode_bytes
from gongkai.model.document import Block, Document, Locator, TableBlock, TextBlock


def text_to_blocks(text: str, first_line: int = 1) -> list[Block]:
    """Blocks of ``text``; line numbers (1-based) start at ``first_line``."""
    blocks: list[Block] = []
    pending: list[list[str]] = []
    pending_start = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(TableBlock.from_rows(pending, Locator(line=pending_start)))
            pending = []

    for index, line in enumerate(text.splitlines()):
        number = first_line + index
        if "\t" in line:
            if not pending:
                pending_start = number
            pending.append([cell.strip() for cell in line.split("\t")])
            continue
        flush()
        stripped = line.strip()
        if stripped:
            blocks.append(TextBlock(stripped, Locator(line=number)))
    flush()
    return blocks


def read(data: bytes, source: str) -> Document:
    text, _encoding = decode_bytes(data)
    return Document(source_path=source, format="txt", blocks=text_to_blocks(text.replace("\r\n", "\n")))
