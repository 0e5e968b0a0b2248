"""Feedback while a batch runs: a rich progress bar, plain log lines, or JSON lines.

All three write to stderr, so stdout carries only the final summary. ``make_reporter('auto')``
picks the progress bar on a terminal and plain lines otherwise (a cron job, a CI log, a file).
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any, Protocol, TextIO

from gongkai.batch.outcome import DocumentOutcome

LOG_FORMATS = ("auto", "rich", "plain", "json")
# Plain mode prints a progress line at most this often (failures are printed as they happen).
PLAIN_PROGRESS_EVERY_S = 10.0
_FAILED = {"failed"}


class Reporter(Protocol):
    def start(self, to_process: int, skipped: int, duplicates: int) -> None: ...
    def document(self, outcome: DocumentOutcome) -> None: ...
    def note(self, message: str) -> None: ...
    def finish(self, summary: dict[str, Any]) -> None: ...


class _Counts:
    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()

    def add(self, outcome: DocumentOutcome) -> None:
        self.done += 1
        self.failed += outcome.status in _FAILED

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


def _fmt_eta(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# C0/C1 control characters, DEL, line/paragraph separators, and lone surrogates (undecodable bytes).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape decoded it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe for one log line: control characters (a newline in a file name would forge
    a log line; ESC would drive the terminal) and undecodable bytes become ``\\xNN`` escapes."""
    return _UNPRINTABLE.sub(_escape, text)


def _describe(outcome: DocumentOutcome) -> str:
    codes = ",".join(outcome.error_codes) or "-"
    return f"{outcome.status:>12}  {outcome.template:8} {printable(outcome.source_path)}  [{codes}]"


class SilentReporter:
    def start(self, to_process: int, skipped: int, duplicates: int) -> None:
        pass

    def document(self, outcome: DocumentOutcome) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def finish(self, summary: dict[str, Any]) -> None:
        pass


class PlainReporter:
    """Log lines: every failure and not-a-report at once, a progress line every few seconds."""

    def __init__(self, stream: TextIO | None = None, verbose: bool = False,
                 every_s: float = PLAIN_PROGRESS_EVERY_S) -> None:
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.every_s = every_s
        self.counts = _Counts()
        self._last = time.monotonic()

    def _line(self, text: str) -> None:
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} gongkai: {text}", file=self.stream, flush=True)

    def start(self, to_process: int, skipped: int, duplicates: int) -> None:
        self.counts.total = to_process
        self._line(f"{to_process} documents to process; {skipped} already done (skipped); "
                   f"{duplicates} duplicate paths")

    def document(self, outcome: DocumentOutcome) -> None:
        self.counts.add(outcome)
        if self.verbose or outcome.status in {"failed", "not_a_report"}:
            self._line(_describe(outcome))
        now = time.monotonic()
        if now - self._last >= self.every_s:
            self._last = now
            c = self.counts
            pct = 100.0 * c.done / c.total if c.total else 100.0
            self._line(f"{c.done}/{c.total} documents ({pct:.1f}%), {c.rate:.1f} docs/s, "
                       f"ETA {_fmt_eta(c.eta_s)}, failed {c.failed}")

    def note(self, message: str) -> None:
        self._line(printable(message))

    def finish(self, summary: dict[str, Any]) -> None:
        c = self.counts
        self._line(f"finished: {c.done} documents in {time.monotonic() - c.started:.1f} s, failed {c.failed}")


class JsonReporter:
    """One JSON object per line: start, document (one per document), note, finish."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.counts = _Counts()

    def _emit(self, event: str, **fields: Any) -> None:
        record = {"ts": round(time.time(), 3), "event": event, **fields}
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")  # one write per line
        self.stream.flush()

    def start(self, to_process: int, skipped: int, duplicates: int) -> None:
        self.counts.total = to_process
        self._emit("start", to_process=to_process, skipped=skipped, duplicates=duplicates)

    def document(self, outcome: DocumentOutcome) -> None:
        self.counts.add(outcome)
        self._emit("document", path=outcome.source_path, report_id=outcome.report_id, status=outcome.status,
                   template=outcome.template, format=outcome.format, year=outcome.year,
                   codes=list(outcome.error_codes), checks_failed=outcome.checks_failed,
                   seconds=round(outcome.seconds, 4), done=self.counts.done, total=self.counts.total)

    def note(self, message: str) -> None:
        self._emit("note", message=message)

    def finish(self, summary: dict[str, Any]) -> None:
        self._emit("finish", **summary)


class RichReporter:
    """A live progress bar on the terminal: documents/s, ETA, failures so far."""

    def __init__(self, verbose: bool = False) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(stderr=True)
        self.verbose = verbose
        self.counts = _Counts()
        self.progress = Progress(
            TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} docs/s"), TimeRemainingColumn(),
            TextColumn("[red]failed {task.fields[failed]}"), console=self.console, transient=False)
        self._task: Any = None

    def start(self, to_process: int, skipped: int, duplicates: int) -> None:
        self.counts.total = to_process
        self.console.print(f"{to_process} documents to process; {skipped} already done; "
                           f"{duplicates} duplicate paths")
        self.progress.start()
        self._task = self.progress.add_task("extract", total=to_process, rate=0.0, failed=0)

    def document(self, outcome: DocumentOutcome) -> None:
        self.counts.add(outcome)
        if self.verbose or outcome.status in {"failed", "not_a_report"}:
            self.progress.console.print(_describe(outcome), markup=False, highlight=False)
        self.progress.update(self._task, completed=self.counts.done, rate=self.counts.rate,
                             failed=self.counts.failed)

    def note(self, message: str) -> None:
        self.progress.console.print(printable(message), markup=False, highlight=False)

    def finish(self, summary: dict[str, Any]) -> None:
        if self._task is not None:
            self.progress.stop()


def make_reporter(log_format: str, verbose: bool = False) -> Reporter:
    """The reporter for ``--log-format`` (auto: rich on a terminal, plain otherwise)."""
    if log_format == "auto":
        log_format = "rich" if sys.stderr.isatty() else "plain"
    if log_format == "rich":
        return RichReporter(verbose=verbose)
    if log_format == "json":
        return JsonReporter()
    if log_format == "plain":
        return PlainReporter(verbose=verbose)
    raise ValueError(f"unknown log format {log_format!r}; choose one of {', '.join(LOG_FORMATS)}")
