"""Tables 二, 三, 四 (stub: filled in by the foundation work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.sections import LocatedSections
from pipeline.document import Document
from pipeline.result import CellValue, ErrorRecord
from pipeline.settings import ExtractSettings


@dataclass(slots=True)
class TableExtraction:
    cells: list[CellValue] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)
    template: str = "UNKNOWN"
    absent: list[str] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


def extract_tables(document: Document, sections: LocatedSections, year: int | None,
                   settings: ExtractSettings) -> TableExtraction:
    return TableExtraction()
