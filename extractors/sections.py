"""Section locator (stub: filled in by the foundation work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.document import Document
from pipeline.result import SectionText


@dataclass(slots=True)
class LocatedSections:
    found: dict[int, str] = field(default_factory=dict)

    def texts(self) -> list[SectionText]:
        return []

    def missing(self) -> list[int]:
        return [n for n in range(1, 7) if n not in self.found]


def locate_sections(document: Document) -> LocatedSections:
    return LocatedSections()
