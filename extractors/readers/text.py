"""Plain-text reader: tab-separated table dumps and one-line crawler dumps (docs/form.md § Deviations, D5).

Encoding is detected (BOM, UTF-8, UTF-16, GB18030). Consecutive lines that contain a tab form one
TableBlock (cells as split on tabs: flattened merged cells stay as empty strings, shifted label
columns are left for the table extractor to sort out). Every other non-empty line is a TextBlock.
A crawler dump that holds the whole report on one line is simply one long TextBlock; the table
extractors read it as a stream. Consecutive lines that are Markdown pipe rows (``| a | b |``; at
least two lines, or one that starts with a pipe) form a TableBlock too, read like the Markdown
reader reads them (separator rows dropped): a Markdown report saved as ``.txt``.
"""

from __future__ import annotations

from gongkai.extractors.encoding import decode_bytes
from gongkai.extractors.readers.markdown import is_generic_header, is_pipe_row, is_separator_row, split_row
from gongkai.model.document import Block, Document, Locator, TableBlock, TextBlock


def text_to_blocks(text: str, first_line: int = 1) -> list[Block]:
    """Blocks of ``text``; line numbers (1-based) start at ``first_line``."""
    blocks: list[Block] = []
    pending: list[list[str]] = []
    pending_start = 0
    piped: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(TableBlock.from_rows(pending, Locator(line=pending_start)))
            pending = []

    def flush_pipes() -> None:
        nonlocal piped
        if len(piped) == 1 and not piped[0][1].lstrip().startswith("|"):
            number, line = piped[0]
            blocks.append(TextBlock(line.strip(), Locator(line=number)))  # a lone "a | b" line is prose
        elif piped:
            rows = [split_row(line) for _n, line in piped]
            kept = [(n, row) for (n, _line), row in zip(piped, rows, strict=True) if not is_separator_row(row) and not is_generic_header(row)]
            if kept:
                blocks.append(TableBlock.from_rows([row for _n, row in kept], Locator(line=kept[0][0])))
        piped = []

    for index, line in enumerate(text.splitlines()):
        number = first_line + index
        if "\t" not in line and is_pipe_row(line):
            flush()
            piped.append((number, line))
            continue
        flush_pipes()
        if "\t" in line:
            if not pending:
                pending_start = number
            pending.append([cell.strip() for cell in line.split("\t")])
            continue
        flush()
        stripped = line.strip()
        if stripped:
            blocks.append(TextBlock(stripped, Locator(line=number)))
    flush_pipes()
    flush()
    return blocks


def read(data: bytes, source: str) -> Document:
    text, _encoding = decode_bytes(data)
    return Document(source_path=source, format="txt", blocks=text_to_blocks(text.replace("\r\n", "\n")))
