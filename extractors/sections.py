"""Locating the six sections by their headings (docs/form.md § Sections; D1, D18, D27).

The document is flattened to one string (text blocks joined by newlines, each table replaced by
one placeholder character) so that the same search works on line-per-paragraph documents and on
crawler dumps that hold the whole report on one line. A heading is a Chinese numeral 一…六 with
``、`` followed by the section's keywords ("二、…主动公开…情况"); headings at the start of a line
are preferred, and the last candidate before the next section wins, so a preamble that lists the
section names, or a numbered table row like "三、本年度办理结果", is not taken for a heading. Leftover form instructions ("编写说明…", D23) are left out of the prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.model.document import Document, TextBlock
from gongkai.model.result import SectionText
from gongkai.schemas.headings import SECTION_HEADING_WORDS

TABLE_MARK = "\ufffc"

_SEP = r"\s*[、.．]\s*"
_ANY = r"[^\n。；;\ufffc]"


def _words(number: int) -> str:
    return "(?:" + "|".join(SECTION_HEADING_WORDS[number]) + ")"


# the shape around each section's heading words (schemas.headings holds the words themselves)
# (The numeral comes first and the "not after （, ( or 第" test looks back over it: a pattern that
# starts with a literal is searched for that character, not tried at every position of the text.)
HEADING_PATTERNS: dict[int, re.Pattern[str]] = {
    1: re.compile(rf"一(?<![（(第]一){_SEP}{_words(1)}"),
    2: re.compile(rf"二(?<![（(第]二){_SEP}{_ANY}{{0,12}}?{_words(2)}{_ANY}{{0,12}}?情况"),
    3: re.compile(rf"三(?<![（(第]三){_SEP}{_ANY}{{0,16}}?{_words(3)}{_ANY}{{0,10}}?情况"),
    4: re.compile(rf"四(?<![（(第]四){_SEP}{_ANY}{{0,20}}?{_words(4)}{_ANY}{{0,18}}?情况"),
    5: re.compile(rf"五(?<![（(第]五){_SEP}{_ANY}{{0,16}}?{_words(5)}{_ANY}{{0,12}}?(?:情况|措施)"),
    6: re.compile(rf"六(?<![（(第]六){_SEP}{_ANY}{{0,8}}?{_words(6)}{_ANY}{{0,12}}?事项"),
}
_MAX_LINE_HEADING = 40
# leftover instructions of the blank form, not the agency's prose (D23: "编写说明:可先适当综述…")
INSTRUCTION_PREFIXES: tuple[str, ...] = ("编写说明",)


@dataclass(slots=True)
class FlatDocument:
    """The document as one string, with the offset range of every block."""

    text: str
    spans: list[tuple[int, int]]  # per block: [start, end) in text

    @classmethod
    def of(cls, document: Document) -> FlatDocument:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for block in document.blocks:
            piece = block.text if isinstance(block, TextBlock) else TABLE_MARK
            parts.append(piece)
            spans.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        return cls(text="\n".join(parts), spans=spans)


@dataclass(frozen=True, slots=True)
class Heading:
    number: int
    text: str  # as printed
    start: int
    end: int


@dataclass(slots=True)
class LocatedSections:
    document: Document
    flat: FlatDocument
    found: dict[int, Heading] = field(default_factory=dict)

    def missing(self) -> list[int]:
        return [n for n in range(1, 7) if n not in self.found]

    def span(self, number: int) -> tuple[int, int] | None:
        """Content range of section ``number``: after its heading, up to the next found heading."""
        heading = self.found.get(number)
        if heading is None:
            return None
        later = [h.start for n, h in self.found.items() if h.start > heading.start]
        return heading.end, min(later, default=len(self.flat.text))

    def stream(self, number: int) -> tuple[str, int] | None:
        """The raw content of a section as one string, and its offset in the flat text."""
        span = self.span(number)
        if span is None:
            return None
        return self.flat.text[span[0]:span[1]], span[0]

    def texts(self) -> list[SectionText]:
        out: list[SectionText] = []
        for number in sorted(self.found):
            content = self.stream(number)
            text = content[0] if content else ""
            text = "\n".join(line.strip() for line in text.replace(TABLE_MARK, "").splitlines()
                             if line.strip() and not line.lstrip().startswith(INSTRUCTION_PREFIXES))
            out.append(SectionText(section=number, heading=self.found[number].text, text=text))
        return out


def _line_start(text: str, pos: int) -> bool:
    line_begin = text.rfind("\n", 0, pos) + 1
    return not text[line_begin:pos].strip()


def _candidates(text: str, number: int) -> list[Heading]:
    all_found: list[Heading] = []
    for match in HEADING_PATTERNS[number].finditer(text):
        heading_text, end = match.group(0), match.end()
        if _line_start(text, match.start()):
            line_end = text.find("\n", match.start())
            line_end = len(text) if line_end < 0 else line_end
            line = text[match.start():line_end].strip()
            if len(line) <= _MAX_LINE_HEADING and TABLE_MARK not in line:
                heading_text, end = line, line_end
        all_found.append(Heading(number, heading_text.strip(), match.start(), end))
    at_line_start = [h for h in all_found if _line_start(text, h.start)]
    return at_line_start or all_found


def locate_sections(document: Document) -> LocatedSections:
    flat = FlatDocument.of(document)
    located = LocatedSections(document=document, flat=flat)
    limit = len(flat.text) + 1
    for number in range(6, 0, -1):
        before = [h for h in _candidates(flat.text, number) if h.start < limit]
        if before:
            chosen = before[-1]
            located.found[number] = chosen
            limit = chosen.start
    return located
