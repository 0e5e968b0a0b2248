"""HTML reader: a whole government web page → Document (text blocks and span-aware tables).

Steps: decode the bytes (saved-page header, declared charset, detection: html_charset), parse
with lxml, read the title, drop page chrome and pick the article (html_body), then walk the
article in document order (html_flow): each paragraph becomes TextBlocks, each data table a
TableBlock whose grid honours rowspan/colspan (html_grid). The page title comes first when the
article does not start with it, so metadata can read the issuer and year.
"""

from __future__ import annotations

from lxml import etree

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.html_body import find_article, page_title, remove_chrome
from gongkai.extractors.readers.html_charset import decode_page
from gongkai.extractors.readers.html_flow import Paragraph, flow_items, flow_lines
from gongkai.extractors.readers.html_grid import build_table_block
from gongkai.extractors.readers.html_pictures import article_pictures
from gongkai.extractors.readers.html_text import paragraph_texts
from gongkai.model.document import Block, Document, Locator, TableBlock, TextBlock
from gongkai.model.errors import ExtractionError

# A title printed over more lines than this is not recognised as the page title.
TITLE_MAX_LINES = 3


def parse_html(markup: str | bytes) -> etree._Element:
    """The lxml tree of decoded markup, or of UTF-8 bytes (comments and processing instructions
    dropped).

    Plain ``lxml.etree`` elements (no ``lxml.html`` element classes: their per-element class
    lookup in Python dominated the reader's time); no table of ``id`` attributes (nothing looks
    elements up by id; the same tree, parsed with less work).
    """
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True,
                              collect_ids=False)
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    root: etree._Element | None = etree.fromstring(data, parser)
    if root is None:  # markup without any content
        raise ExtractionError("empty_file", "the page has no content (Document is empty)")
    return root


def _shift(line: int | None, offset: int) -> int | None:
    return None if line is None else line + offset


def _with_line_offset(table: TableBlock, offset: int) -> TableBlock:
    if not offset:
        return table
    for cell in table.cells:
        loc = cell.locator
        cell.locator = Locator(line=_shift(loc.line, offset), table=loc.table, row=loc.row, col=loc.col)
    loc = table.locator
    table.locator = Locator(line=_shift(loc.line, offset), table=loc.table)
    return table


def article_blocks(article: etree._Element, line_offset: int = 0) -> list[Block]:
    """Text and table blocks of the article in document order."""
    blocks: list[Block] = []
    table_index = 0
    for item in flow_items(article):
        if isinstance(item, Paragraph):
            line = _shift(item.sourceline, line_offset)
            blocks.extend(TextBlock(text, Locator(line=line)) for text in paragraph_texts(item.lines))
            continue
        caption = item.element.find("caption")
        if caption is not None:
            text = join_fragments(flow_lines(caption))
            if text:
                blocks.append(TextBlock(text, Locator(line=_shift(caption.sourceline, line_offset))))
        table = build_table_block(item.element, table_index)
        if any(cell.text for cell in table.cells):
            blocks.append(_with_line_offset(table, line_offset))
            table_index += 1
    return blocks


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _title_block_count(blocks: list[Block], title: str) -> int:
    """How many leading text blocks spell the title (a title is often printed on two lines), or 0."""
    target = _squeeze(title)
    seen = ""
    for count, block in enumerate(blocks[:TITLE_MAX_LINES], start=1):
        if not isinstance(block, TextBlock):
            return 0
        seen += _squeeze(block.text)
        if seen == target:
            return count
        if not target.startswith(seen):
            return 0
    return 0


def _put_title_first(blocks: list[Block], title: str, line: int | None) -> list[Block]:
    count = _title_block_count(blocks, title)
    if count == 0:
        return [TextBlock(title, Locator(line=line)), *blocks]
    if count == 1:
        return blocks
    return [TextBlock(title, blocks[0].locator), *blocks[count:]]


def read(data: bytes, source: str) -> Document:
    """Read an HTML page (bytes in any of the encodings Chinese government sites use)."""
    if not data or data.isspace():  # (not data.strip(), without copying the page)
        raise ExtractionError("empty_file", "the file is empty")
    page = decode_page(data)
    root = parse_html(page.text if page.utf8 is None else page.utf8)
    title = page_title(root)
    scan = remove_chrome(root)
    article = find_article(root, scan)
    blocks = article_blocks(article, page.line_offset)
    pictures = article_pictures(article, source, blocks, page.line_offset)
    if title is not None:
        before = len(blocks)
        blocks = _put_title_first(blocks, title[0], _shift(title[1], page.line_offset))
        for picture in pictures:
            picture.position = max(0, picture.position + len(blocks) - before)
    return Document(source_path=source, format="html", blocks=blocks, pictures=pictures)
