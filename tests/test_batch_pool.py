"""The supervised process pool: time limit, worker crashes, recycling (with stand-in work functions)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from gongkai.batch.executors import LocalProcessExecutor, PoolSettings, WorkerStartError
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome
from gongkai.model.settings import ExtractSettings


def fake_work(task: Task, settings: ExtractSettings) -> DocumentOutcome:
    """Behaves by the task's path: hang, crash, raise MemoryError, or succeed."""
    if "hang" in task.path:
        time.sleep(60)
    if "segfault" in task.path:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "exit" in task.path:
        os._exit(7)
    outcome = failure_outcome(task, "not_a_report", "stand-in")
    outcome.status = "ok"
    outcome.worker = str(os.getpid())
    outcome.worker_rss = 1 << 30 if "fat" in task.path else 1 << 20
    return outcome


def _run(tasks: list[Task], **pool: float) -> tuple[dict[str, DocumentOutcome], LocalProcessExecutor]:
    executor = LocalProcessExecutor(ExtractSettings(), PoolSettings(**pool), work=fake_work)  # type: ignore[arg-type]
    outcomes = {o.source_path: o for o in executor.run(tasks)}
    return outcomes, executor


def test_hung_document_times_out_and_the_run_goes_on() -> None:
    tasks = [Task("a", "1"), Task("hang", "2"), Task("b", "3"), Task("c", "4")]
    outcomes, _ = _run(tasks, jobs=2, timeout_s=4.0)  # room for a slow worker start on a loaded CI
    assert set(outcomes) == {"a", "hang", "b", "c"}
    assert outcomes["hang"].status == "failed"
    assert outcomes["hang"].error_codes == ("timeout",)
    assert outcomes["hang"].report_id == "2"
    assert [outcomes[p].status for p in "abc"] == ["ok", "ok", "ok"]


def test_segfault_and_exit_become_internal_error_with_a_clear_message() -> None:
    tasks = [Task("segfault", "1"), Task("a", "2"), Task("exit", "3"), Task("b", "4")]
    outcomes, executor = _run(tasks, jobs=2, timeout_s=30.0)
    assert outcomes["segfault"].error_codes == ("internal_error",)
    message = outcomes["segfault"].table("errors")["message"][0].as_py()
    assert "SIGSEGV" in message
    assert "exited with code 7" in outcomes["exit"].table("errors")["message"][0].as_py()
    assert outcomes["a"].status == outcomes["b"].status == "ok"
    assert executor.workers_started >= 3  # the dead workers were replaced


def test_workers_are_recycled_after_max_tasks() -> None:
    tasks = [Task(f"doc{i}", str(i)) for i in range(9)]
    outcomes, executor = _run(tasks, jobs=1, max_tasks_per_worker=3)
    assert len(outcomes) == 9
    assert len({o.worker for o in outcomes.values()}) == 3
    assert executor.workers_started == 3


def test_worker_over_the_memory_ceiling_is_replaced() -> None:
    tasks = [Task("fat1", "1"), Task("fat2", "2"), Task("thin", "3")]
    outcomes, _ = _run(tasks, jobs=1, worker_memory_mb=512)
    assert len({o.worker for o in outcomes.values()}) == 3
    assert all(o.status == "ok" for o in outcomes.values())


def test_empty_task_list_starts_no_worker() -> None:
    outcomes, executor = _run([], jobs=2)
    assert outcomes == {}
    assert executor.workers_started == 0


def test_workers_that_always_die_at_start_stop_the_run() -> None:
    """A broken worker environment must be a fatal error (exit 3), not 10,000 failed documents."""
    tasks = [Task(f"exit{i}", str(i)) for i in range(50)]
    executor = LocalProcessExecutor(ExtractSettings(), PoolSettings(jobs=2, timeout_s=30.0), work=fake_work)
    seen = []
    with pytest.raises(WorkerStartError):
        for outcome in executor.run(tasks):
            seen.append(outcome)
    assert len(seen) < 5


def cache_dir_work(task: Task, settings: ExtractSettings) -> DocumentOutcome:
    """Reports where the worker keeps its jieba cache and its temporary files."""
    import tempfile

    from gongkai.extractors.prose.segmenter import cache_dir

    outcome = failure_outcome(task, "not_a_report", "stand-in")
    outcome.worker = f"{cache_dir()}|{tempfile.gettempdir()}"
    return outcome


def test_workers_keep_the_jieba_lexicon_outside_the_runs_temporary_folder(
        tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: workers moved tempfile.tempdir into the run's folder (removed at the end) before
    the lexicon's cache folder was chosen, so every worker of every run built it anew (~2 s)."""
    from gongkai.extractors.prose.segmenter import CACHE_BASE_ENV, cache_dir

    monkeypatch.delenv(CACHE_BASE_ENV, raising=False)
    executor = LocalProcessExecutor(ExtractSettings(), PoolSettings(jobs=1), work=cache_dir_work)
    (outcome,) = executor.run([Task("a", "1")])
    worker_cache, worker_temp = outcome.worker.split("|")
    assert worker_cache == str(cache_dir())
    assert "gongkai-run-" in worker_temp  # the worker's own temporary files do go to the run's folder
    assert not worker_cache.startswith(worker_temp)
