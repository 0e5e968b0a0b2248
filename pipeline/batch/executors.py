"""Executors that run ``process_document`` over many tasks: a supervised process pool, and Dask.

Both yield one :class:`DocumentOutcome` per task, in completion order, whatever happens to the
document: a document over the time limit becomes ``timeout``, a worker that dies (segfault,
killed, out of memory) becomes ``internal_error``, and the run goes on.

The process pool is supervised by hand rather than with ``ProcessPoolExecutor`` because a running
future cannot be cancelled there: here each worker has its own pipe and gets one document at a
time, so the supervisor knows which document a worker is on, kills exactly that worker when the
document overruns, and starts a fresh one. Workers are also recycled after
``max_tasks_per_worker`` documents. Memory is watched *during* a document: the supervisor reads
the resident memory of a worker busy for ``_MEMORY_POLL_S`` or more, again every ``_MEMORY_POLL_S``
while it stays busy, and stops a worker past ``worker_memory_mb`` (the document becomes
``too_large``). A document that takes less is not polled at all: its worker reports its resident
memory with the outcome.

Workers die with their supervisor: each asks the kernel for SIGTERM when its parent dies
(``PR_SET_PDEATHSIG``), and on SIGTERM a worker unwinds (its LibreOffice is killed and its
temporary files removed). Workers keep their temporary files under one folder per run, which the
supervisor removes at the end whatever happened to the workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import multiprocessing as mp
import os
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from gongkai.batch.defaults import DEFAULT_MAX_TASKS_PER_WORKER, DEFAULT_TIMEOUT_S, DEFAULT_WORKER_MEMORY_MB
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome, process_document
from gongkai.model.settings import ExtractSettings

# How long a retiring worker gets to exit by itself before it is killed.
_RETIRE_GRACE_S = 5.0
# How long a worker stopped mid-document gets to clean up after SIGTERM before SIGKILL.
_TERM_GRACE_S = 2.0
# How often the resident memory of busy workers is read.
_MEMORY_POLL_S = 0.1
_PR_SET_PDEATHSIG = 1
# A new worker says so once it has started (imports done); until then its document's clock has
# this much extra time, so a slow start on a loaded machine is not a document timeout.
_READY = "ready"
# gc thresholds of a worker process (generation 0, 1, 2; Python's defaults are 700/2000, 10, 10).
WORKER_GC_THRESHOLDS = (20_000, 20, 20)
_START_GRACE_S = 30.0


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """Limits of the local process pool."""

    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_tasks_per_worker: int = DEFAULT_MAX_TASKS_PER_WORKER
    worker_memory_mb: int = DEFAULT_WORKER_MEMORY_MB


# The function a worker runs per task (a module-level function, so that it can be pickled).
WorkFn = Callable[[Task, ExtractSettings], DocumentOutcome]


class WorkerStartError(RuntimeError):
    """Worker processes die as soon as they start: the run cannot go on."""


class Executor(Protocol):
    def run(self, tasks: Iterable[Task]) -> Iterator[DocumentOutcome]: ...


def die_with_parent(supervisor_pid: int) -> None:
    """SIGTERM this process when the supervisor dies. The kernel does it when the parent dies
    (``PR_SET_PDEATHSIG``); with the forkserver start method the parent is the fork server, so a
    daemon thread also waits on the supervisor itself (a pidfd; polling where there is none)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if not _alive(supervisor_pid):  # the supervisor died before the request took effect
        os._exit(143)
    threading.Thread(target=_watch_supervisor, args=(supervisor_pid,), daemon=True,
                     name="gongkai-supervisor-watch").start()


def _watch_supervisor(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        select.select([fd], [], [])  # readable when the process has exited
    else:
        while _alive(pid):
            time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: LibreOffice is killed, temporary folders removed


def tune_gc() -> None:
    """Garbage collection for a worker process: what is loaded by now (modules, the reader and
    table machinery) is frozen out of the collector's scans, and the young generation is
    collected less often. A report makes many short-lived, acyclic objects; with the defaults
    the collector's full scans of the long-lived ones cost ≈40% of a text or HTML report's CPU
    (benchmarks/bench_documents.py --gc). Workers are recycled and watched for memory anyway."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def _worker_main(conn: Connection, settings: ExtractSettings, work: WorkFn, supervisor_pid: int = 0,
                 tmp_dir: str | None = None) -> None:
    """Loop of one pool worker: receive a task, send back its outcome; ``None`` ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's business
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if supervisor_pid:
        die_with_parent(supervisor_pid)
    if tmp_dir:
        from gongkai.extractors.prose.segmenter import CACHE_BASE_ENV

        # caches that outlive the run (the jieba lexicon) stay where they were
        os.environ.setdefault(CACHE_BASE_ENV, tempfile.gettempdir())
        tempfile.tempdir = tmp_dir
    tune_gc()
    conn.send(_READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(work(task, settings))


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None
    started: float = 0.0
    ready: bool = False  # the worker has reported that it started
    done: int = 0
    rss: int = 0
    rss_due: float = 0.0  # when its resident memory is to be read next (while it is busy)
    conn_fd: int = -1  # the file descriptors waited on: its pipe and its process sentinel
    sentinel: int = -1


def _mp_context() -> Any:
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["gongkai.batch.outcome", "gongkai.convert.stages"])
        return ctx
    return mp.get_context("spawn")


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the worker stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (likely out of memory)" if name == "SIGKILL" else ""
        return f"the worker process was killed by {name}{hint}"
    return f"the worker process exited with code {code}"


def process_rss(pid: int | None) -> int:
    """Resident memory of process ``pid`` in bytes (Linux /proc; 0 when unknown)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class LocalProcessExecutor:
    """A pool of supervised worker processes on this machine."""

    def __init__(self, settings: ExtractSettings, pool: PoolSettings | None = None,
                 work: WorkFn = process_document) -> None:
        self.settings = settings
        self.pool = pool or PoolSettings()
        self.work = work
        self._ctx = _mp_context()
        self.peak_worker_rss = 0
        self.workers_started = 0
        self._documents_done = 0  # documents a worker finished (any status) in this run
        self._fresh_deaths = 0  # workers that died on their first document
        self._tmp_dir: str | None = None  # temporary files of this run's workers

    def _check_environment(self, worker: _Worker) -> None:
        """Stop the run when new workers keep dying before finishing any document: the
        environment is broken (e.g. the main module cannot be imported), not the documents."""
        if worker.done == 0:
            self._fresh_deaths += 1
        if self._documents_done == 0 and self._fresh_deaths >= max(3, self.pool.jobs + 2):
            raise WorkerStartError(f"{self._fresh_deaths} worker processes died before finishing any "
                                   f"document ({_describe_exit(worker.process.exitcode)}); "
                                   "the Python environment of the workers is broken")

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main, daemon=True, name="gongkai-worker",
                                    args=(child, self.settings, self.work, os.getpid(), self._tmp_dir))
        process.start()
        child.close()
        self.workers_started += 1
        return _Worker(process=process, conn=parent, conn_fd=parent.fileno(), sentinel=process.sentinel)

    def _stop(self, worker: _Worker, kill: bool) -> None:
        """Retire an idle worker, or stop a busy one: SIGTERM (it kills its LibreOffice and
        removes its temporary files), then SIGKILL if it has not exited after a grace period."""
        if kill:
            worker.process.terminate()
            worker.process.join(_TERM_GRACE_S)
        else:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
        worker.process.join(None if kill else _RETIRE_GRACE_S)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def _allowed(self, worker: _Worker) -> float:
        return self.pool.timeout_s + (0.0 if worker.ready else _START_GRACE_S)

    def _worn_out(self, worker: _Worker) -> bool:
        limit = self.pool.worker_memory_mb * 1024 * 1024
        return worker.done >= self.pool.max_tasks_per_worker or (limit > 0 and worker.rss > limit)

    def run(self, tasks: Iterable[Task]) -> Generator[DocumentOutcome, None, None]:
        queue = iter(tasks)
        workers: list[_Worker] = []
        exhausted = False
        self._tmp_dir = tempfile.mkdtemp(prefix="gongkai-run-")
        try:
            while True:
                while not exhausted:
                    worker = next((w for w in workers if w.task is None), None)
                    if worker is None and len(workers) >= max(1, self.pool.jobs):
                        break
                    task = next(queue, None)
                    if task is None:
                        exhausted = True
                        break
                    if worker is None:
                        worker = self._spawn()
                        workers.append(worker)
                    worker = self._assign(worker, task, workers)
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    return
                yield from self._collect(busy, workers)
        finally:
            busy = [w for w in workers if w.task is not None]
            for worker in busy:  # all at once: each gets its grace period in parallel
                worker.process.terminate()
            for worker in workers:
                self._stop(worker, kill=worker.task is not None)
            shutil.rmtree(self._tmp_dir, ignore_errors=True)

    def _assign(self, worker: _Worker, task: Task, workers: list[_Worker]) -> _Worker:
        """Send ``task`` to ``worker``; a worker that died while idle is replaced first."""
        try:
            worker.conn.send(task)
        except (OSError, ValueError):
            self._stop(worker, kill=True)
            workers.remove(worker)
            worker = self._spawn()
            workers.append(worker)
            try:
                worker.conn.send(task)
            except (OSError, ValueError) as err:
                raise WorkerStartError(f"a new worker process died at start "
                                       f"({_describe_exit(worker.process.exitcode)})") from err
        worker.task, worker.started = task, time.monotonic()
        worker.rss_due = worker.started + _MEMORY_POLL_S
        return worker

    @staticmethod
    def _poll_rss(worker: _Worker, now: float) -> int:
        """The resident memory of a busy worker, read now; the next read is due in _MEMORY_POLL_S."""
        worker.rss_due = now + _MEMORY_POLL_S
        return process_rss(worker.process.pid)

    def _collect(self, busy: list[_Worker], workers: list[_Worker]) -> Iterator[DocumentOutcome]:
        """Wait for the first worker to finish, die or overrun; yield what came of it."""
        now = time.monotonic()
        wake = min(w.started + self._allowed(w) for w in busy)
        limit = self.pool.worker_memory_mb * 2**20
        if limit > 0:
            wake = min(wake, min(w.rss_due for w in busy))
        ready = _readable([fd for w in busy for fd in (w.conn_fd, w.sentinel)], max(0.0, wake - now))
        now = time.monotonic()
        for worker in busy:
            task = worker.task
            assert task is not None
            elapsed = now - worker.started
            outcome: DocumentOutcome | None = None
            replace = False
            if worker.conn_fd in ready or worker.sentinel in ready:
                try:  # a readable pipe holds a message or is closed (recv raises EOFError)
                    message = worker.conn.recv() if worker.conn_fd in ready or worker.conn.poll() else None
                except (EOFError, OSError):
                    message = None
                if message == _READY:  # the clock of its document starts now
                    worker.ready, worker.started = True, now
                    worker.rss_due = now + _MEMORY_POLL_S
                    continue
                outcome = message
                if outcome is None:
                    worker.process.join(1.0)
                    self._check_environment(worker)
                    outcome = failure_outcome(task, "internal_error",
                                              f"{_describe_exit(worker.process.exitcode)} while "
                                              f"processing this document", seconds=elapsed)
                    replace = True
                else:
                    self._documents_done += 1
                    worker.done += 1
                    worker.rss = outcome.worker_rss
                    self.peak_worker_rss = max(self.peak_worker_rss, outcome.worker_rss)
                    replace = self._worn_out(worker)
            elif limit > 0 and now >= worker.rss_due and (rss := self._poll_rss(worker, now)) > limit:
                outcome = failure_outcome(task, "too_large",
                                          f"processing needed more than the {self.pool.worker_memory_mb} MB "
                                          f"worker memory limit ({rss / 2**20:.0f} MB resident); the worker "
                                          "was stopped", seconds=elapsed)
                self.peak_worker_rss = max(self.peak_worker_rss, rss)
                worker.process.kill()  # memory is short: no grace period
                replace = True
            elif elapsed >= self._allowed(worker):
                outcome = failure_outcome(task, "timeout",
                                          f"processing took longer than the {self.pool.timeout_s:g} s "
                                          f"limit; the worker was stopped", seconds=elapsed)
                replace = True
            if outcome is None:
                continue
            worker.task = None
            if replace:
                self._stop(worker, kill=not outcome.worker_rss)
                workers.remove(worker)
            yield outcome


def _readable(fds: list[int], timeout_s: float) -> set[int]:
    """The file descriptors among ``fds`` that are readable, closed or in error, waiting up to
    ``timeout_s`` for one (``multiprocessing.connection.wait`` on descriptors, without building a
    ``selectors`` object and registering each descriptor in Python on every call)."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, _POLL_READ)
    return {fd for fd, _event in poller.poll(math.ceil(timeout_s * 1000))}


_POLL_READ = select.POLLIN  # as multiprocessing.connection.wait (hang-up and errors are reported too)


class DaskExecutor:
    """Run documents on a Dask distributed cluster (``pip install 'gongkai[dask]'``).

    The time limit is enforced by the client: an overrunning document is recorded as ``timeout``
    and its future cancelled, but Dask cannot kill a running thread, so a truly hung document
    keeps its worker thread busy until the worker is restarted (use the nanny's memory limits
    and ``--lifetime`` on the workers for recycling).
    """

    def __init__(self, settings: ExtractSettings, scheduler: str | None = None, client: Any = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, work: WorkFn = process_document) -> None:
        self.settings = settings
        self.work = work
        self.scheduler = scheduler
        self.client = client
        self.timeout_s = timeout_s
        self.peak_worker_rss = 0

    def run(self, tasks: Iterable[Task]) -> Generator[DocumentOutcome, None, None]:
        from distributed import Client
        from distributed import wait as dask_wait

        client = self.client or Client(self.scheduler)  # type: ignore[no-untyped-call]  # distributed is unannotated
        owns_client = self.client is None
        window = max(2, 2 * sum(client.nthreads().values()))
        queue = iter(tasks)
        inflight: dict[Any, tuple[Task, float]] = {}
        try:
            while True:
                while len(inflight) < window:
                    task = next(queue, None)
                    if task is None:
                        break
                    future = client.submit(self.work, task, self.settings, pure=False)
                    inflight[future] = (task, time.monotonic())
                if not inflight:
                    return
                oldest = min(started for _task, started in inflight.values())
                try:
                    dask_wait(  # type: ignore[no-untyped-call]  # distributed is unannotated
                        list(inflight), timeout=max(0.05, oldest + self.timeout_s - time.monotonic()),
                        return_when="FIRST_COMPLETED")
                except TimeoutError:
                    pass
                yield from self._harvest(inflight)
        finally:
            for future in inflight:
                future.cancel()
            if owns_client:
                client.close()

    def _harvest(self, inflight: dict[Any, tuple[Task, float]]) -> Iterator[DocumentOutcome]:
        now = time.monotonic()
        for future, (task, started) in list(inflight.items()):
            outcome: DocumentOutcome | None = None
            if future.status == "finished":
                outcome = future.result()
                self.peak_worker_rss = max(self.peak_worker_rss, outcome.worker_rss)
            elif future.status in {"error", "cancelled", "lost"}:
                try:
                    exc = future.exception()
                    detail = f"{type(exc).__name__}: {exc}"
                except Exception as err:  # report whatever the cluster says
                    detail = f"{type(err).__name__}: {err}"
                outcome = failure_outcome(task, "internal_error", f"the Dask task failed ({detail})",
                                          seconds=now - started)
            elif now - started >= self.timeout_s:
                future.cancel()
                message = (f"processing took longer than the {self.timeout_s:g} s limit on the Dask "
                           f"cluster; the task was cancelled")
                outcome = failure_outcome(task, "timeout", message, seconds=now - started)
            if outcome is not None:
                del inflight[future]
                yield outcome
