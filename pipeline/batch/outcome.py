"""What a worker sends back for one document: the table rows plus a small summary.

The rows travel as plain column lists (``schemas.tables.columns_for``), pickled per table:
cheaper for the worker than building and serialising typed Arrow tables per document, and about
half the bytes on the pipe. The supervisor keeps them pickled until it writes a part, then
builds the typed Arrow tables once per part, table and year (``dataset.parts``), so at most one
table's rows of one part are Python objects at a time.

``process_document`` is the one function every executor runs on a worker (process pool or Dask):
it never raises for a bad document. ``failure_outcome`` builds the outcome the supervisor records
itself when the worker could not produce one (timeout, crash, unreadable file).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from gongkai import PIPELINE_VERSION
from gongkai.model.result import ReportResult, Status
from gongkai.model.settings import ExtractSettings
from gongkai.schemas.tables import Columns, columns_for, table_from_columns


@dataclass(frozen=True, slots=True)
class Task:
    """One document to extract. ``report_id`` is the content hash the scan computed."""

    path: str
    report_id: str


@dataclass(slots=True)
class DocumentOutcome:
    report_id: str
    source_path: str
    status: str
    template: str
    format: str
    year: int | None
    checks_failed: int
    error_codes: tuple[str, ...]
    tables: dict[str, bytes] = field(repr=False)  # table name -> its column lists, pickled
    reasons: tuple[str, ...] = ()  # why the status is not ok (reports.reasons), for the run's summary
    seconds: float = 0.0
    worker_rss: int = 0  # bytes; resident memory of the worker after the document (0: unknown)
    worker_cpu_s: float = 0.0  # CPU seconds the worker process has used so far
    worker: str = ""

    def columns(self, name: str) -> Columns:
        """The rows of table ``name`` as column lists."""
        columns: Columns = pickle.loads(self.tables[name])
        return columns

    def table(self, name: str) -> pa.Table:
        """The rows of table ``name`` as a typed Arrow table (for people and tests)."""
        return table_from_columns(name, self.columns(name))



def encode_tables(columns: dict[str, Columns]) -> dict[str, bytes]:
    """Each table's column lists, pickled on their own (the supervisor unpickles one at a time)."""
    return {name: pickle.dumps(table_columns, protocol=pickle.HIGHEST_PROTOCOL)
            for name, table_columns in columns.items()}


def outcome_from_result(result: ReportResult, seconds: float = 0.0, worker_rss: int = 0,
                        worker: str = "", worker_cpu_s: float = 0.0) -> DocumentOutcome:
    return DocumentOutcome(
        report_id=result.report_id,
        source_path=result.source_path,
        status=str(result.status),
        template=result.template,
        format=result.format,
        year=result.year,
        checks_failed=result.checks_failed,
        error_codes=tuple(dict.fromkeys(e.code for e in result.errors)),
        tables=encode_tables(columns_for(result)),
        reasons=tuple(result.status_reasons()),
        seconds=seconds,
        worker_rss=worker_rss,
        worker_cpu_s=worker_cpu_s,
        worker=worker,
    )


def failure_outcome(task: Task, code: str, message: str, stage: str = "run",
                    seconds: float = 0.0, worker: str = "") -> DocumentOutcome:
    """A failed document recorded by the supervisor (timeout, worker crash, unreadable file)."""
    result = ReportResult(report_id=task.report_id, source_path=task.path, source_name=Path(task.path).name,
                          status=Status.FAILED, pipeline_version=PIPELINE_VERSION)
    result.add_error(stage, code, message)
    _printable_source(result)
    return outcome_from_result(result, seconds=seconds, worker=worker)


def printable_path(path: str) -> str:
    """``path`` as valid UTF-8 text for the dataset: bytes of a file name that are not UTF-8
    (``surrogateescape``-decoded by Python) become ``\\xNN``; any other path is unchanged."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def _printable_source(result: ReportResult) -> None:
    result.source_path = printable_path(result.source_path)
    result.source_name = printable_path(result.source_name)


def unreadable_report_id(path: str) -> str:
    """Key of a file that cannot be read at all: sha256 of ``unreadable:`` + its absolute path."""
    return hashlib.sha256(f"unreadable:{os.path.abspath(path)}".encode("utf-8", "surrogateescape")).hexdigest()


def current_rss() -> int:
    """Resident memory of this process in bytes (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def process_document(task: Task, settings: ExtractSettings) -> DocumentOutcome:
    """Extract one document on a worker; never raises for a bad document."""
    # imported here: the supervisor, which only collects outcomes, never loads the extraction
    # stack (the workers' fork server preloads it, see executors._mp_context)
    from gongkai.convert.stages import extract_file

    started = time.perf_counter()
    result = extract_file(task.path, settings)
    if not result.report_id:  # the file vanished or became unreadable after the scan
        result.report_id = task.report_id
    _printable_source(result)
    return outcome_from_result(result, seconds=time.perf_counter() - started,
                               worker_rss=current_rss(), worker=str(os.getpid()),
                               worker_cpu_s=time.process_time())
