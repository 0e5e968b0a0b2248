"""Title, issuer and report year (stub: filled in by the foundation work)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.sections import LocatedSections
from pipeline.document import Document


@dataclass(slots=True)
class ReportMetadata:
    title: str | None = None
    issuer: str | None = None
    year: int | None = None

    def is_pre2019(self, sections: LocatedSections) -> bool:
        return self.year is not None and self.year <= 2018

    def is_report(self, sections: LocatedSections) -> bool:
        return self.title is not None or len(sections.found) >= 3


def read_metadata(document: Document) -> ReportMetadata:
    return ReportMetadata()
