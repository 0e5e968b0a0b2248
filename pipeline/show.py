"""Print one ReportResult in the terminal (stub: filled in by the foundation work)."""

from __future__ import annotations

from pipeline.result import ReportResult


def render_result(result: ReportResult) -> None:
    print(result.source_name, result.status, result.template)
