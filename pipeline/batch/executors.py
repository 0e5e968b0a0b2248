"""Executors that run ``process_document`` over many tasks: a supervised process pool, and Dask.

Both yield one :class:`DocumentOutcome` per task, in completion order, whatever happens to the
document: a document over the time limit becomes ``timeout``, a worker that dies (segfault,
killed, out of memory) becomes ``internal_error``, and the run goes on.

The process pool is supervised by hand rather than with ``ProcessPoolExecutor`` because a running
future cannot be cancelled there: here each worker has its own pipe and gets one document at a
time, so the supervisor knows which document a worker is on, kills exactly that worker when the
document overruns, and starts a fresh one. Workers are also recycled after
``max_tasks_per_worker`` documents or when their resident memory passes ``worker_memory_mb``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from gongkai.batch.defaults import DEFAULT_MAX_TASKS_PER_WORKER, DEFAULT_TIMEOUT_S, DEFAULT_WORKER_MEMORY_MB
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome, process_document
from gongkai.model.settings import ExtractSettings

# How long a retiring worker gets to exit by itself before it is killed.
_RETIRE_GRACE_S = 5.0


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


def _worker_main(conn: Connection, settings: ExtractSettings, work: WorkFn) -> None:
    """Loop of one pool worker: receive a task, send back its outcome; ``None`` ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's business
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
    done: int = 0
    rss: int = 0


def _mp_context() -> Any:
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["gongkai.batch.outcome"])
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
        process = self._ctx.Process(target=_worker_main, args=(child, self.settings, self.work), daemon=True,
                                    name="gongkai-worker")
        process.start()
        child.close()
        self.workers_started += 1
        return _Worker(process=process, conn=parent)

    def _stop(self, worker: _Worker, kill: bool) -> None:
        if kill:
            worker.process.kill()
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

    def _worn_out(self, worker: _Worker) -> bool:
        limit = self.pool.worker_memory_mb * 1024 * 1024
        return worker.done >= self.pool.max_tasks_per_worker or (limit > 0 and worker.rss > limit)

    def run(self, tasks: Iterable[Task]) -> Iterator[DocumentOutcome]:
        queue = iter(tasks)
        workers: list[_Worker] = []
        exhausted = False
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
            for worker in workers:
                self._stop(worker, kill=worker.task is not None)

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
        return worker

    def _collect(self, busy: list[_Worker], workers: list[_Worker]) -> Iterator[DocumentOutcome]:
        """Wait for the first worker to finish, die or overrun; yield what came of it."""
        now = time.monotonic()
        next_deadline = min(w.started for w in busy) + self.pool.timeout_s
        waitables: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(waitables, timeout=max(0.0, next_deadline - now)))
        now = time.monotonic()
        for worker in busy:
            task = worker.task
            assert task is not None
            elapsed = now - worker.started
            outcome: DocumentOutcome | None = None
            replace = False
            if worker.conn in ready or worker.process.sentinel in ready:
                try:
                    outcome = worker.conn.recv() if worker.conn.poll() else None
                except (EOFError, OSError):
                    outcome = None
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
            elif elapsed >= self.pool.timeout_s:
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

    def run(self, tasks: Iterable[Task]) -> Iterator[DocumentOutcome]:
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
