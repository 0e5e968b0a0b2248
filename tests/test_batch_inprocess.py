"""Runs of a few small files are extracted in the supervisor process, with the same time limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gongkai.batch import inprocess, runner
from gongkai.batch.inprocess import InProcessExecutor, small_enough
from gongkai.batch.outcome import DocumentOutcome, Task
from gongkai.batch.runner import BatchOptions, run_batch
from gongkai.model.settings import ExtractSettings

DATA = Path(__file__).parent / "data"
ZHUOZHOU = DATA / "hb-zhuozhou-district-gov-2024.txt"


def test_small_enough_by_count_and_size(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    tasks = [Task(str(ZHUOZHOU), "a")]
    assert small_enough(tasks)
    assert not small_enough(tasks * 5, max_docs=4)
    assert not small_enough([Task(str(big), "b")], max_bytes=99)


def test_containers_never_run_in_process(tmp_path: Path) -> None:
    """A zip bomb .docx (or any zip, OLE or PDF content, whatever its name) goes to the pool,
    where the memory watchdog applies."""
    for name, head in (("bomb.txt", b"PK\x03\x04rest"), ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                       ("scan.html", b"%PDF-1.7\n")):
        (tmp_path / name).write_bytes(head + b"\0" * 64)
        assert not small_enough([Task(str(tmp_path / name), "x")]), name
    assert small_enough([Task(str(DATA / "fj-pingtan-zone-gov-2019.html"), "y")])


def test_a_one_file_run_never_starts_a_worker_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the worker pool was started for a one-file run")

    monkeypatch.setattr(runner, "LocalProcessExecutor", no_pool)
    summary = run_batch([ZHUOZHOU], tmp_path / "out")
    assert dict(summary.by_status) == {"ok": 1} and summary.exit_code() == 0


def test_in_process_never_uses_the_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_inprocess(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("in-process was used although --in-process never")

    monkeypatch.setattr(runner, "InProcessExecutor", no_inprocess)
    summary = run_batch([ZHUOZHOU], tmp_path / "out", options=BatchOptions(jobs=1, in_process="never"))
    assert dict(summary.by_status) == {"ok": 1}


def test_an_overrunning_document_in_process_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(task: Task, settings: ExtractSettings) -> DocumentOutcome:
        time.sleep(30)
        raise AssertionError("not interrupted")

    monkeypatch.setattr(inprocess, "process_document", hang)
    started = time.monotonic()
    [outcome] = list(InProcessExecutor(ExtractSettings(), timeout_s=0.3).run([Task(str(ZHUOZHOU), "rid")]))
    assert outcome.status == "failed" and outcome.error_codes == ("timeout",)
    assert time.monotonic() - started < 10
