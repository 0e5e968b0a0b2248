"""Run the pipeline over many files: incremental, parallel, crash-safe.

``run_batch`` lists the inputs (``inputs.plan_batch``), skips what the manifest says is done,
sends the rest to an executor (a supervised process pool, or Dask), and writes the outcomes in
small parts (``_PartSink``) that are committed to the manifest only once their files are in place.
The supervisor's memory does not grow with the number of documents: the scan's records and
decisions go to the manifest as they are made and the tasks are read back from it in batches;
only the outcomes of the part being filled are held.
A run killed at any point loses no committed part; the next run removes half-written files,
finishes rewriting parts holding superseded rows, quarantines damaged parts, and processes only
what is left. Superseded rows are taken out of their old parts (rewritten in place) *before* the
new rows are committed, so a reader never sees a report_id twice. SIGTERM and Ctrl-C stop the
workers, commit the documents already finished and raise :class:`BatchInterrupted`.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import PIPELINE_VERSION
from gongkai.batch.defaults import (
    DEFAULT_CHUNK_DOCS,
    DEFAULT_FLUSH_S,
    DEFAULT_MAX_FILE_MB,
    IN_PROCESS_MAX_DOCS,
)
from gongkai.batch.executors import (
    DaskExecutor,
    LocalProcessExecutor,
    PoolSettings,
    WorkerStartError,
)
from gongkai.batch.inprocess import InProcessExecutor, small_enough
from gongkai.batch.inputs import (
    ScanRules,
    Shard,
    iter_input_files,
    plan_batch,
    queued_tasks,
    refused_outcomes,
)
from gongkai.batch.manifest import Manifest, ManifestError
from gongkai.batch.outcome import DocumentOutcome
from gongkai.batch.progress import Reporter, SilentReporter, printable
from gongkai.batch.provenance import load_crawl_provenance
from gongkai.batch.recovery import adopt_lost_parts, finish_rewrites, verify_parts
from gongkai.convert.formats import KNOWN_SUFFIXES
from gongkai.dataset.parts import DatasetFiles, new_part_id, new_run_id
from gongkai.model.settings import ExtractSettings

__all__ = ["BatchFatalError", "BatchInterrupted", "BatchOptions", "BatchSummary", "iter_input_files", "run_batch"]


EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_FATAL, EXIT_NOTHING_TO_DO = 0, 1, 2, 3, 99


class BatchFatalError(Exception):
    """The run cannot go on (output not writable, manifest unusable, another run holds the lock)."""


class BatchInterrupted(Exception):
    """The run was stopped by SIGINT (Ctrl-C) or SIGTERM; finished documents were committed."""

    def __init__(self, signum: int, summary: BatchSummary) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.summary = summary

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # 130 for SIGINT, 143 for SIGTERM (the shell's convention)


class _Stop(BaseException):
    """Raised by the SIGTERM handler inside the run (a BaseException, like KeyboardInterrupt)."""


@dataclass(frozen=True, slots=True)
class BatchOptions(PoolSettings):
    """How a batch runs (everything but the per-document extraction settings): the pool's
    limits (jobs, timeout_s, max_tasks_per_worker, worker_memory_mb) and the run's choices."""

    force: bool = False
    retry_failed: bool = False
    shard: Shard = field(default_factory=Shard)
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None with executor=dask: a local cluster
    dask_client: Any = None  # an existing distributed.Client (tests, notebooks)
    chunk_docs: int = DEFAULT_CHUNK_DOCS
    flush_s: float = DEFAULT_FLUSH_S
    # auto: a run of a few small files is extracted in this process (batch/inprocess.py);
    # never: always on worker processes (isolation from crashes, hard time and memory limits)
    in_process: str = "auto"
    max_file_mb: float = DEFAULT_MAX_FILE_MB  # larger inputs are refused unread (too_large); 0: no limit


@dataclass(slots=True)
class BatchSummary:
    """What this run did (documents processed by it, not the whole dataset)."""

    by_status: Counter[str] = field(default_factory=Counter)
    by_template: Counter[str] = field(default_factory=Counter)
    by_format: Counter[str] = field(default_factory=Counter)
    by_error: Counter[str] = field(default_factory=Counter)
    checks_failed: int = 0
    reports_with_failed_checks: int = 0
    reports_without_values: int = 0  # processed as a report, but no cell holds a number (reason no_values)
    listed: int = 0
    skipped: int = 0
    duplicates: int = 0
    parts_written: int = 0
    parts_rewritten: int = 0
    committed: int = 0  # documents of this run committed to the dataset
    seconds: float = 0.0
    peak_worker_rss: int = 0
    out_dir: str = ""
    worker_cpu: dict[str, float] = field(default_factory=dict)  # worker id -> CPU seconds used

    @property
    def worker_cpu_s(self) -> float:
        return sum(self.worker_cpu.values())

    @property
    def documents(self) -> int:
        return sum(self.by_status.values())

    def add(self, outcome: DocumentOutcome) -> None:
        self.by_status[outcome.status] += 1
        self.by_template[outcome.template] += 1
        self.by_format[outcome.format or "?"] += 1
        self.by_error.update(outcome.error_codes)
        self.checks_failed += outcome.checks_failed
        self.reports_with_failed_checks += 1 if outcome.checks_failed else 0
        self.reports_without_values += "no_values" in outcome.reasons
        self.peak_worker_rss = max(self.peak_worker_rss, outcome.worker_rss)
        if outcome.worker:
            used = self.worker_cpu.get(outcome.worker, 0.0)
            self.worker_cpu[outcome.worker] = max(used, outcome.worker_cpu_s)

    def exit_code(self) -> int:
        """0 all good; 1 some documents failed, broke a check or yielded no value; 2 no input file
        was found at all; 99 nothing new was processed."""
        if not self.listed and not self.documents:
            return EXIT_USAGE
        if not self.documents:
            return EXIT_NOTHING_TO_DO
        if self.by_status.get("failed", 0) or self.reports_with_failed_checks or self.reports_without_values:
            return EXIT_FAILURES
        return EXIT_OK

    def as_dict(self) -> dict[str, Any]:
        return {
            "out_dir": self.out_dir, "listed": self.listed, "processed": self.documents,
            "skipped": self.skipped, "duplicates": self.duplicates,
            "by_status": dict(sorted(self.by_status.items())),
            "by_template": dict(sorted(self.by_template.items())),
            "by_format": dict(sorted(self.by_format.items())),
            "by_error": dict(sorted(self.by_error.items())),
            "checks_failed": self.checks_failed,
            "reports_with_failed_checks": self.reports_with_failed_checks,
            "reports_without_values": self.reports_without_values,
            "parts_written": self.parts_written, "parts_rewritten": self.parts_rewritten,
            "committed": self.committed,
            "seconds": round(self.seconds, 3),
            "docs_per_s": round(self.documents / self.seconds, 2) if self.seconds else None,
            "worker_cpu_s": round(self.worker_cpu_s, 3),
            "peak_worker_rss_mb": round(self.peak_worker_rss / 2**20, 1),
            "supervisor_rss_mb": round(_peak_rss_bytes() / 2**20, 1),
            "supervisor_cpu_s": round(_self_usage().ru_utime + _self_usage().ru_stime, 3),
            "exit_code": self.exit_code(),
        }


def _self_usage() -> resource.struct_rusage:
    return resource.getrusage(resource.RUSAGE_SELF)


def _peak_rss_bytes() -> int:
    """Peak resident memory of this process. /proc's VmHWM, because ru_maxrss survives execve
    on Linux (a supervisor started by a big parent would report the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _self_usage().ru_maxrss * 1024


class _PartSink:
    """Buffers outcomes and writes them as parts (files first, then the manifest commit)."""

    def __init__(self, files: DatasetFiles, manifest: Manifest, run_id: str, options: BatchOptions,
                 reporter: Reporter) -> None:
        self.files, self.manifest, self.run_id, self.options = files, manifest, run_id, options
        self.reporter = reporter
        self.buffer: list[DocumentOutcome] = []
        self.seq = 0
        self.parts_written = 0
        self.parts_rewritten = 0
        self.documents_committed = 0
        self._last_flush = time.monotonic()

    def next_part_id(self) -> str:
        self.seq += 1
        return new_part_id(self.run_id, self.seq)

    def add(self, outcome: DocumentOutcome) -> None:
        self.buffer.append(outcome)
        due = time.monotonic() - self._last_flush >= self.options.flush_s
        if len(self.buffer) >= max(1, self.options.chunk_docs) or due:
            self.flush()

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        if not self.buffer:
            return
        # Older rows of these documents leave their parts before the new rows arrive (no duplicates).
        if self.manifest.retire(o.report_id for o in self.buffer):
            self.parts_rewritten += finish_rewrites(self.files, self.manifest, self.reporter)
        part = self.files.write_part(self.next_part_id(), self.buffer)
        self.manifest.commit_part(part, self.buffer, PIPELINE_VERSION, self.files.file_stats(part))
        self.parts_written += 1
        self.documents_committed += len(self.buffer)
        self.buffer = []


def _collect_garbage(files: DatasetFiles, manifest: Manifest, reporter: Reporter) -> int:
    """Take rows of documents no path holds any more out of their parts; returns parts rewritten."""
    manifest.drop_unreferenced_documents()
    manifest.retire_stale_members()
    return finish_rewrites(files, manifest, reporter)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into an exception inside the run (main thread only), like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise _Stop(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _exclusive(files: DatasetFiles) -> Iterator[None]:
    """Hold the output folder's lock for the run (one writer per output folder)."""
    import fcntl

    try:
        files.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(files.lock_path, "w")  # held for the whole run
    except OSError as err:
        raise BatchFatalError(f"output folder {files.out} is not writable: {err}") from err
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            raise BatchFatalError(f"another gongkai run is writing to {files.out}") from err
        yield
    finally:
        handle.close()


def _make_executor(settings: ExtractSettings, options: BatchOptions, n_tasks: int,
                   manifest: Manifest) -> LocalProcessExecutor | DaskExecutor | InProcessExecutor:
    if options.executor == "local" and options.in_process == "auto" and n_tasks <= IN_PROCESS_MAX_DOCS:
        if small_enough(list(queued_tasks(manifest))):
            return InProcessExecutor(settings, options.timeout_s)
    if options.executor == "dask":
        return DaskExecutor(settings, scheduler=options.scheduler, client=options.dask_client,
                            timeout_s=options.timeout_s)
    if options.executor != "local":
        raise ValueError(f"unknown executor {options.executor!r} (local or dask)")
    return LocalProcessExecutor(settings, options)


def run_batch(paths: Iterable[Path], out_dir: Path, settings: ExtractSettings | None = None,
              options: BatchOptions | None = None, reporter: Reporter | None = None) -> BatchSummary:
    """Extract every new or changed document under ``paths`` into the dataset at ``out_dir``.

    Raises ``BatchFatalError`` when the run cannot go on; a bad document never raises.
    """
    settings = settings or ExtractSettings()
    options = options or BatchOptions()
    reporter = reporter or SilentReporter()
    started = time.monotonic()
    files = DatasetFiles(Path(out_dir))
    summary = BatchSummary(out_dir=str(out_dir))
    with _exclusive(files):
        try:
            manifest = Manifest(files.manifest_path)
        except ManifestError as err:
            raise BatchFatalError(str(err)) from err
        try:
            with _sigterm_raises():
                _run(paths, files, manifest, settings, options, reporter, summary)
        except (KeyboardInterrupt, _Stop) as stop:  # before any document was sent to a worker
            signum = stop.args[0] if isinstance(stop, _Stop) else signal.SIGINT
            raise BatchInterrupted(int(signum), summary) from None
        except (ManifestError, WorkerStartError) as err:
            raise BatchFatalError(str(err)) from err
        except OSError as err:
            raise BatchFatalError(f"cannot write the dataset under {out_dir}: {err}") from err
        finally:
            manifest.close()
    summary.seconds = time.monotonic() - started
    reporter.finish(summary.as_dict())
    return summary


def _run(paths: Iterable[Path], files: DatasetFiles, manifest: Manifest, settings: ExtractSettings,
         options: BatchOptions, reporter: Reporter, summary: BatchSummary) -> None:
    for legacy in files.remove_legacy_files():
        reporter.note(f"removed {legacy} of the old single-file layout")
    adopt_lost_parts(files, manifest, reporter)  # before orphans are removed: never delete data
    removed = files.remove_orphans(manifest.parts())
    if removed:
        reporter.note(f"removed {removed} files of parts an interrupted run did not commit")
    if moved := files.migrate_hive_folders():
        reporter.note(f"moved {moved} part files from year=<Y> folders to <Y> folders (typed year column)")
    summary.parts_rewritten += finish_rewrites(files, manifest, reporter)
    verify_parts(files, manifest, reporter)
    rules = ScanRules(force=options.force, retry_failed=options.retry_failed, shard=options.shard,
                      max_file_bytes=int(options.max_file_mb * 2**20))
    plan = plan_batch(paths, manifest, rules)
    summary.listed, summary.skipped, summary.duplicates = plan.listed, plan.skipped, plan.duplicates
    if not plan.listed:
        reporter.note("warning: no report files found under " + ", ".join(printable(str(p)) for p in paths)
                      + f" (suffixes: {', '.join(sorted(KNOWN_SUFFIXES))}); nothing was listed")
    sink = _PartSink(files, manifest, new_run_id(), options, reporter)
    summary.parts_rewritten += _collect_garbage(files, manifest, reporter)
    reporter.start(plan.to_process, plan.skipped, plan.duplicates)
    try:
        for outcome in refused_outcomes(manifest):
            _record(outcome, sink, summary, reporter)
        if plan.tasks:
            executor = _make_executor(settings, options, plan.tasks, manifest)
            with contextlib.closing(executor.run(queued_tasks(manifest))) as outcomes:  # closing stops the workers
                for outcome in outcomes:
                    _record(outcome, sink, summary, reporter)
    except (KeyboardInterrupt, _Stop) as stop:
        signum = stop.args[0] if isinstance(stop, _Stop) else signal.SIGINT
        with _signals_ignored():
            sink.flush()  # the documents finished before the signal are kept
            summary.parts_written, summary.parts_rewritten = sink.parts_written, sink.parts_rewritten
            summary.committed = sink.documents_committed
        raise BatchInterrupted(int(signum), summary) from None
    sink.flush()
    summary.parts_written = sink.parts_written
    summary.committed = sink.documents_committed
    summary.parts_rewritten += sink.parts_rewritten + _collect_garbage(files, manifest, reporter)
    provenance = load_crawl_provenance(manifest.iter_source_paths())
    files.write_sources(provenance.annotate(rows) for rows in manifest.iter_sources_table_rows())


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    """While the last finished documents are committed, a second Ctrl-C/SIGTERM does not cut it short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _record(outcome: DocumentOutcome, sink: _PartSink, summary: BatchSummary, reporter: Reporter) -> None:
    sink.add(outcome)
    summary.add(outcome)
    reporter.document(outcome)
