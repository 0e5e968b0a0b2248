"""Arithmetic rules (stub: filled in by the foundation work)."""

from __future__ import annotations

from pipeline.result import CellValue, CheckResult


def run_checks(cells: list[CellValue], template: str) -> list[CheckResult]:
    return []
