"""Extract a handful of documents in the supervisor process itself.

Starting worker processes (a fork server, imports of the reader stack) costs a second or more;
for a run of a few small files that is most of the time. :class:`InProcessExecutor` runs
``process_document`` right here, with the same time limit enforced by ``SIGALRM`` when the run is
in the main thread. A document hung inside native code (a PDF parser) cannot be interrupted
that way, and a crash would end the run: that is why only small runs of small files are taken
in-process (``BatchOptions.in_process``: ``auto`` decides by count, size and kind; ``never``
forces the pool). Containers whose content can expand far beyond their size or that are parsed
in native code (Word zip packages, OLE .doc files, PDFs) always go to the pool, where the memory
watchdog and the hard time limit apply.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Generator, Iterable
from types import FrameType

from gongkai.batch.defaults import IN_PROCESS_MAX_BYTES, IN_PROCESS_MAX_DOCS
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome, process_document
from gongkai.model.settings import ExtractSettings


class _Overrun(BaseException):
    """Raised by the alarm inside a document that overruns (BaseException: not caught as an error)."""


# Leading bytes of content that is never read in-process: zip (.docx), OLE2 (.doc), PDF.
_CONTAINER_MAGIC: tuple[bytes, ...] = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _is_container(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False  # recorded as unreadable either way
    return head.startswith(_CONTAINER_MAGIC) or b"%PDF-" in head


def small_enough(tasks: list[Task], max_docs: int = IN_PROCESS_MAX_DOCS,
                 max_bytes: int = IN_PROCESS_MAX_BYTES) -> bool:
    """Whether a run may be extracted in-process: a few small text, HTML or Markdown files (no
    container, see the module docstring)."""
    if len(tasks) > max_docs:
        return False
    for task in tasks:
        try:
            if os.stat(task.path).st_size > max_bytes:
                return False
        except OSError:
            continue  # the worker records the file as unreadable either way
        if _is_container(task.path):
            return False
    return True


class InProcessExecutor:
    """Runs each document in this process, one after the other."""

    def __init__(self, settings: ExtractSettings, timeout_s: float) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self.peak_worker_rss = 0

    def run(self, tasks: Iterable[Task]) -> Generator[DocumentOutcome, None, None]:
        for task in tasks:
            yield self._one(task)

    def _one(self, task: Task) -> DocumentOutcome:
        started = time.perf_counter()
        if threading.current_thread() is not threading.main_thread():
            return process_document(task, self.settings)

        def overrun(_signum: int, _frame: FrameType | None) -> None:
            raise _Overrun

        previous = signal.signal(signal.SIGALRM, overrun)
        signal.setitimer(signal.ITIMER_REAL, self.timeout_s)
        try:
            outcome = process_document(task, self.settings)
        except _Overrun:
            outcome = failure_outcome(task, "timeout", f"processing took longer than the {self.timeout_s:g} s "
                                      "limit; the document was stopped", seconds=time.perf_counter() - started)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        self.peak_worker_rss = max(self.peak_worker_rss, outcome.worker_rss)
        return outcome
