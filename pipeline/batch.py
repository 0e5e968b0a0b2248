"""Run the pipeline over many files (sequential first version; see issue 5 for the full runner)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.converter import extract_file
from pipeline.formats import KNOWN_SUFFIXES
from pipeline.result import ReportResult, Status
from pipeline.settings import ExtractSettings
from pipeline.writer import write_dataset


@dataclass(slots=True)
class BatchSummary:
    by_status: Counter[str] = field(default_factory=Counter)
    by_template: Counter[str] = field(default_factory=Counter)
    by_format: Counter[str] = field(default_factory=Counter)
    checks_failed: int = 0
    reports_with_failed_checks: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return sum(self.by_status.values())

    def exit_code(self) -> int:
        """0 all good; 1 some documents failed or broke a check."""
        if self.by_status.get(str(Status.FAILED), 0) or self.reports_with_failed_checks:
            return 1
        return 0


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and files with a known suffix found under folders (sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in KNOWN_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def run_batch(paths: Iterable[Path], out_dir: Path, settings: ExtractSettings | None = None,
              on_result: Callable[[ReportResult], None] | None = None) -> BatchSummary:
    results: list[ReportResult] = []
    summary = BatchSummary()
    for path in iter_input_files(paths):
        result = extract_file(path, settings)
        results.append(result)
        summary.by_status[str(result.status)] += 1
        summary.by_template[result.template] += 1
        summary.by_format[result.format or "?"] += 1
        summary.checks_failed += result.checks_failed
        summary.reports_with_failed_checks += 1 if result.checks_failed else 0
        if on_result:
            on_result(result)
    summary.rows = write_dataset(results, out_dir)
    return summary
