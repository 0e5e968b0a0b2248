"""Word (.docx) reader: body paragraphs and tables in document order.

The body XML is walked directly (``w:p`` and ``w:tbl`` children, through content controls), so
text and tables keep their relative order. Tables become :class:`TableBlock` grids of anchor
cells: horizontal merges (``w:gridSpan``, legacy ``w:hMerge``) give the colspan, vertical merges
(``w:vMerge`` restart/continue) the rowspan, and ``w:gridBefore`` shifts a row's first cell. A
table whose cells hold other tables is a layout table: its cell contents are read as if they
stood in the body.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.parts.document import DocumentPart
from lxml import etree

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.docx_numbering import ListNumbering
from gongkai.model.document import Block, Cell, Document, Locator, Picture, TableBlock, TextBlock
from gongkai.model.errors import ExtractionError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "{" + W_NS + "}"
# A picture: DrawingML's a:blip (r:embed) or VML's v:imagedata (r:id).
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
_FALLBACK = "{" + MC_NS + "}Fallback"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_INLINE, _ANCHOR, _EXTENT = _WP + "inline", _WP + "anchor", _WP + "extent"
EMU_PER_POINT = 12700

# Subtrees whose text is not printed: deletions, field instructions, the fallback copy of a
# drawing (its text also sits in mc:Choice), footnote references.
_SKIPPED = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delText", _W + "rPr", _W + "pPr",
            "{" + MC_NS + "}Fallback", _W + "footnoteReference", _W + "endnoteReference"}
# Run children that print as a line break or as white space.
_BREAKS = {_W + "br", _W + "cr"}
_SPACES = {_W + "tab", _W + "ptab"}


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: whitespace collapsed, no space between two CJK characters."""
    return join_fragments(" ".join(line.split()) for line in lines)


def _paragraph_lines(p: etree._Element, numbering: ListNumbering | None = None) -> list[str]:
    """The printed text of one ``w:p`` (with its list number, if any), split at its line breaks."""
    lines: list[str] = [numbering.prefix(p) if numbering is not None else ""]

    def walk(el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _W + "t":
                lines[-1] += child.text or ""
            elif tag in _SPACES:
                lines[-1] += " "
            elif tag in _BREAKS:
                lines.append("")
            elif tag == _W + "noBreakHyphen":
                lines[-1] += "-"
            elif tag == _W + "tbl":
                continue  # a table inside a text box: not part of this paragraph's text
            else:
                walk(child)

    walk(p)
    return lines


def paragraph_text(p: etree._Element, numbering: ListNumbering | None = None) -> str:
    """The text of one paragraph with whitespace collapsed (line breaks joined CJK-aware)."""
    return join_lines(_paragraph_lines(p, numbering))


def _block_children(el: etree._Element) -> Iterator[etree._Element]:
    """``w:p`` and ``w:tbl`` children of a body or cell, looking through content controls."""
    for child in el:
        tag = child.tag
        if tag in (_W + "p", _W + "tbl"):
            yield child
        elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _block_children(child)


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    """Children named ``w:<name>``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == _W + name:
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _children(child, name)


def _int_val(parent: etree._Element | None, name: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(_W + name)
    if el is None:
        return default
    try:
        return max(0, int(el.get(_W + "val", default)))
    except ValueError:
        return default


def _vmerge(tc_pr: etree._Element | None) -> str | None:
    """``restart``, ``continue`` or None (not vertically merged)."""
    if tc_pr is None:
        return None
    el = tc_pr.find(_W + "vMerge")
    if el is None:
        return None
    return el.get(_W + "val") or "continue"  # an absent val means continue (ECMA-376 17.4.85)


def _hmerge_continues(tc_pr: etree._Element | None) -> bool:
    if tc_pr is None:
        return False
    el = tc_pr.find(_W + "hMerge")
    return el is not None and (el.get(_W + "val") or "continue") == "continue"


def _has_nested_table(tbl: etree._Element) -> bool:
    for tr in _children(tbl, "tr"):
        for tc in _children(tr, "tc"):
            if any(child.tag == _W + "tbl" for child in _block_children(tc)):
                return True
    return False


def cell_text(tc: etree._Element, numbering: ListNumbering | None = None) -> str:
    """A cell's paragraphs joined (no space between two CJK characters), whitespace collapsed."""
    lines: list[str] = []
    for child in _block_children(tc):
        if child.tag == _W + "p":
            lines.extend(_paragraph_lines(child, numbering))
    return join_lines(lines)


@dataclass(slots=True)
class _Anchor:
    cell: Cell
    bottom: int  # last grid row covered so far


def table_grid(tbl: etree._Element, table_index: int, numbering: ListNumbering | None = None) -> TableBlock:
    """One ``w:tbl`` as a grid of anchor cells with row/col spans resolved from the XML."""
    anchors: list[_Anchor] = []
    # grid column -> the anchor whose rectangle currently ends at the row above, for vMerge
    open_by_col: dict[int, _Anchor] = {}
    n_cols = 0
    rows = list(_children(tbl, "tr"))
    for r, tr in enumerate(rows):
        tr_pr = tr.find(_W + "trPr")
        col = _int_val(tr_pr, "gridBefore", 0)
        last: _Anchor | None = None
        next_open: dict[int, _Anchor] = {}
        for tc in _children(tr, "tc"):
            tc_pr = tc.find(_W + "tcPr")
            span = max(1, _int_val(tc_pr, "gridSpan", 1))
            merge = _vmerge(tc_pr)
            above = open_by_col.get(col)
            if merge == "continue" and above is not None and above.bottom == r - 1:
                above.bottom = r
                above.cell.rowspan = r - above.cell.row + 1
                next_open[col] = above
                last = above
            elif _hmerge_continues(tc_pr) and last is not None and last.cell.row == r:
                last.cell.colspan += span
            else:
                loc = Locator(table=table_index, row=r, col=col)
                cell = Cell(text=cell_text(tc, numbering), row=r, col=col, colspan=span, locator=loc)
                anchor = _Anchor(cell, bottom=r)
                anchors.append(anchor)
                next_open[col] = anchor
                last = anchor
            col += span
        col += _int_val(tr_pr, "gridAfter", 0)
        n_cols = max(n_cols, col)
        open_by_col = next_open
    if not rows:
        grid = tbl.find(_W + "tblGrid")
        n_cols = len(grid.findall(_W + "gridCol")) if grid is not None else 0
    cells = sorted((a.cell for a in anchors), key=lambda c: (c.row, c.col))
    return TableBlock(cells=cells, n_rows=len(rows), n_cols=n_cols, locator=Locator(table=table_index))


def _shown_width_pt(el: etree._Element) -> float | None:
    """The width (points) a DrawingML picture is shown at: its ``wp:extent``, in EMU."""
    for ancestor in el.iterancestors(_INLINE, _ANCHOR):
        extent = ancestor.find(_EXTENT)
        try:
            cx = int(extent.get("cx", "0")) if extent is not None else 0
        except ValueError:
            return None
        return cx / EMU_PER_POINT if cx > 0 else None
    return None


def picture_refs(p: etree._Element) -> list[tuple[str, float | None]]:
    """Relationship ids of the pictures in one paragraph, in order, with the width they are shown
    at (the mc:Fallback copy of a drawing skipped, each id once)."""
    refs: list[tuple[str, float | None]] = []
    for el in p.iter(_BLIP, _IMAGEDATA):
        rid = el.get("{" + R_NS + "}embed") if el.tag == _BLIP else el.get("{" + R_NS + "}id")
        if rid and all(rid != seen for seen, _ in refs) and not any(a.tag == _FALLBACK for a in el.iterancestors()):
            refs.append((rid, _shown_width_pt(el) if el.tag == _BLIP else None))
    return refs


@dataclass(slots=True)
class _BodyReader:
    """Walks the body in document order, numbering paragraphs and tables."""

    numbering: ListNumbering | None = None
    part: DocumentPart | None = None  # resolves the pictures' relationship ids
    blocks: list[Block] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def read_container(self, el: etree._Element) -> None:
        for child in _block_children(el):
            if child.tag == _W + "p":
                self.read_paragraph(child)
            else:
                self.read_table(child)

    def read_paragraph(self, p: etree._Element) -> None:
        self.paragraphs += 1
        text = paragraph_text(p, self.numbering)
        if text:
            self.blocks.append(TextBlock(text=text, locator=Locator(line=self.paragraphs)))
        for rid, width_pt in picture_refs(p) if self.part is not None else ():
            self.add_picture(rid, width_pt)

    def add_picture(self, rid: str, width_pt: float | None) -> None:
        """Keep the picture behind ``rid`` for the pictures stage (a damaged or external one is skipped)."""
        assert self.part is not None
        try:
            image = self.part.related_parts[rid]
            name, data = str(image.partname).lstrip("/"), image.blob
        except Exception:  # an external link, a missing part: nothing to read
            return
        if data and not any(pic.name == name for pic in self.pictures):
            self.pictures.append(Picture(name=name, data=data, position=len(self.blocks),
                                         locator=Locator(line=self.paragraphs, image=name), width_pt=width_pt))

    def read_table(self, tbl: etree._Element) -> None:
        if _has_nested_table(tbl):  # a layout table: read what its cells hold, in row order
            for tr in _children(tbl, "tr"):
                for tc in _children(tr, "tc"):
                    self.read_container(tc)
            return
        block = table_grid(tbl, self.tables, self.numbering)
        self.tables += 1
        if block.cells:
            self.blocks.append(block)


def _list_numbering(word: WordDocument) -> ListNumbering | None:
    """The document's list numbering, or None when its numbering or styles part cannot be read."""
    try:
        part = word.part
        numbering = part.numbering_part.element if _has_part(part, RT.NUMBERING) else None
        styles = part.styles.element if _has_part(part, RT.STYLES) else None
        return ListNumbering.from_parts(numbering, styles)
    except Exception:  # numbering is decoration: a damaged numbering part must not fail the document
        return None


def _has_part(part: DocumentPart, reltype: str) -> bool:
    return any(rel.reltype == reltype and not rel.is_external for rel in part.rels.values())


def _open(data: bytes) -> tuple[etree._Element, ListNumbering | None, DocumentPart]:
    """The ``w:body`` element, list numbering and main part of a .docx (ExtractionError for a
    damaged package)."""
    try:
        word = docx.Document(BytesIO(data))
        body = word.element.body
    except (zipfile.BadZipFile, PackageNotFoundError) as err:
        raise ExtractionError("corrupt_file", f"the .docx package is damaged or truncated ({err})") from err
    except KeyError as err:
        raise ExtractionError("corrupt_file", f"the .docx package lacks a part: {err}") from err
    except etree.XMLSyntaxError as err:
        raise ExtractionError("corrupt_file", f"the .docx XML is malformed: {err}") from err
    except Exception as err:  # any other failure to open the package means a damaged file
        raise ExtractionError("corrupt_file",
                              f"the .docx could not be opened: {type(err).__name__}: {err}") from err
    if body is None:
        raise ExtractionError("corrupt_file", "the .docx has no document body")
    return body, _list_numbering(word), word.part


def read(data: bytes, source: str) -> Document:
    """Read a .docx: a TextBlock per non-empty paragraph and a TableBlock per table, in order;
    the pictures of the body are kept in ``Document.pictures`` for the pictures stage."""
    if not data:
        raise ExtractionError("empty_file", "the .docx file is empty (0 bytes)")
    body, numbering, part = _open(data)
    reader = _BodyReader(numbering=numbering, part=part)
    reader.read_container(body)
    return Document(source_path=source, format="docx", blocks=reader.blocks, pictures=reader.pictures)
