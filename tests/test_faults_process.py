"""Fault probes of issue 10 about processes: --force runs and readers (10), signals and dying
supervisors (4), memory during a document and oversized inputs (7)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from gongkai.batch import inputs
from gongkai.batch.executors import LocalProcessExecutor, PoolSettings
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome
from gongkai.batch.runner import BatchFatalError, BatchOptions, run_batch
from gongkai.dataset.parts import DatasetFiles
from gongkai.extractors.prose.segmenter import CACHE_PREFIX
from gongkai.model.settings import ExtractSettings
from tests.batch_helpers import assert_same_tables, write_tab_reports

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"



def _write_reports(folder: Path, n: int, seed: int = 0) -> list[Path]:
    return write_tab_reports(folder, n, seed, name="a{i:03d}.txt")


def _duplicates(out: Path) -> list[str]:
    """report_ids seen twice by pandas (reports, cells) and DuckDB/Polars (cells), as the README reads."""
    import duckdb
    import polars as pl

    found = []
    for _attempt in range(5):  # a part emptied by a rewrite may vanish between listing and reading
        try:
            reports = pd.read_parquet(out / "reports")
            cells = pd.read_parquet(out / "cells", columns=["report_id", "cell"])
            by_duckdb = duckdb.sql(f"SELECT report_id, cell FROM read_parquet('{out}/cells/**/*.parquet', "
                                   "hive_partitioning = true)").df()
            by_polars = pl.read_parquet(f"{out}/cells/**/*.parquet", hive_partitioning=True)
        except BaseException as err:  # Polars raises a PanicException (a BaseException)
            # a reader racing a rewrite may find a file replaced under it: a transient error, retried
            if not isinstance(err, (OSError, duckdb.Error, pl.exceptions.PolarsError)) and \
                    type(err).__name__ != "PanicException":
                raise
            time.sleep(0.01)
            continue
        found += list(reports["report_id"][reports["report_id"].duplicated()])
        for frame in (cells, by_duckdb, by_polars.select(["report_id", "cell"]).to_pandas()):
            found += list(frame["report_id"][frame.duplicated(["report_id", "cell"])])
        return found
    return found


def _new_parts(out: Path, since: float) -> int:
    try:
        with sqlite3.connect(out / "_gongkai" / "manifest.sqlite", timeout=0.5) as db:
            return int(db.execute("SELECT COUNT(*) FROM parts WHERE created > ?", (since,)).fetchone()[0])
    except sqlite3.Error:
        return 0


# 10 ------------------------------------------------------------------------------------------
def test_killed_force_run_never_shows_a_report_twice(tmp_path: Path) -> None:
    _write_reports(tmp_path / "in", 24)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=2, chunk_docs=5))
    shutil.copytree(out, tmp_path / "reference")
    started = time.time()
    cmd = [sys.executable, "-m", "gongkai.cli.app", "extract", str(tmp_path / "in"), "--out", str(out),
           "--jobs", "1", "--chunk-docs", "1", "--force", "--log-format", "plain"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    seen: list[str] = []
    checks = 0
    deadline = time.monotonic() + 120
    while _new_parts(out, started) < 8 and time.monotonic() < deadline and proc.poll() is None:
        seen += _duplicates(out)  # a reader during the --force run
        checks += 1
    assert proc.poll() is None, "the --force run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert checks > 3
    assert seen == [], f"readers saw duplicated report_ids during the --force run: {sorted(set(seen))[:3]}"
    assert _duplicates(out) == []  # after the kill (the fault: every re-extracted report twice)
    rerun = run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=2))
    assert rerun.exit_code() in (0, 1, 99)
    assert _duplicates(out) == []
    assert_same_tables(out, tmp_path / "reference")


def test_run_stopped_between_retiring_and_committing_leaves_no_duplicates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_reports(tmp_path / "in", 6)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1, chunk_docs=3))
    shutil.copytree(out, tmp_path / "reference")

    def disk_full(self: DatasetFiles, part_id: str, outcomes: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DatasetFiles, "write_part", disk_full)
    with pytest.raises(BatchFatalError, match="No space left"):
        run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1, chunk_docs=3, force=True))
    monkeypatch.undo()
    assert _duplicates(out) == []
    assert len(pd.read_parquet(out / "reports")) == 3  # 3 retired, not yet written again
    summary = run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1))
    assert summary.documents == 3
    assert_same_tables(out, tmp_path / "reference")


def test_rewrite_cut_short_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_reports(tmp_path / "in", 4)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1, chunk_docs=4))
    shutil.copytree(out, tmp_path / "reference")

    def killed(self: DatasetFiles, part: object, keep: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(DatasetFiles, "rewrite_part_in_place", killed)
    with pytest.raises(BatchFatalError):
        run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1, chunk_docs=2, force=True))
    monkeypatch.undo()
    assert _duplicates(out) == []
    run_batch([tmp_path / "in"], out, options=BatchOptions(jobs=1))
    assert_same_tables(out, tmp_path / "reference")


# 4 -------------------------------------------------------------------------------------------
def _hanging_run(tmp_path: Path) -> tuple[subprocess.Popen[str], dict[str, str], Path, Path]:
    """A CLI run whose third document (a .doc) hangs in a fake LibreOffice that forks a child."""
    _write_reports(tmp_path / "in", 2)
    shutil.copy(DATA / "official-blank-template-2021-format.doc", tmp_path / "in" / "z.doc")
    bin_dir, tmp_dir, pid_file = tmp_path / "bin", tmp_path / "tmp", tmp_path / "soffice.pid"
    bin_dir.mkdir()
    tmp_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n"  # the child's pid as /proc sees it (it may be in its own PID namespace)
                    f"sh -c 'cut -d\" \" -f4 /proc/self/stat > \"$0\"; exec sleep 120' \"{pid_file}\" &\n"
                    "wait\n")
    fake.chmod(0o755)
    tag = uuid.uuid4().hex
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TMPDIR": str(tmp_dir),
           "GONGKAI_TEST_TAG": tag}
    cmd = [sys.executable, "-m", "gongkai.cli.app", "extract", str(tmp_path / "in"), "--out",
           str(tmp_path / "out"), "--jobs", "1", "--chunk-docs", "1", "--timeout", "300", "--log-format", "plain"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not (pid_file.is_file() and pid_file.read_text().strip()) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    assert pid_file.is_file(), "the fake LibreOffice never started"
    time.sleep(0.2)
    return proc, env, pid_file, tmp_dir


def _tagged_processes(tag: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
                state = (entry / "status").read_text()
            except OSError:
                continue
            if f"GONGKAI_TEST_TAG={tag}".encode() in environ and "State:\tZ" not in state:
                found.append(int(entry.name))
    return found


def _wait_gone(tag: str, pid: int, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = _tagged_processes(tag)
        if not left and not _running(pid):
            return []
        time.sleep(0.1)
    return _tagged_processes(tag) + ([pid] if _running(pid) else [])


def _running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_workers_and_libreoffice_and_reports_what_was_committed(
        tmp_path: Path, signum: int, code: int) -> None:
    proc, env, pid_file, tmp_dir = _hanging_run(tmp_path)
    soffice_child = int(pid_file.read_text())
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # Ctrl-C reaches the whole foreground process group
    else:
        proc.send_signal(signum)  # SIGTERM from a scheduler reaches the supervisor only
    _stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code, stderr
    assert f"interrupted by {signal.Signals(signum).name}" in stderr
    assert "2 documents of this run committed" in stderr
    assert _wait_gone(env["GONGKAI_TEST_TAG"], soffice_child) == []
    # no gongkai-doc-* / gongkai-run-* left behind; the jieba lexicon cache stays, for later runs
    assert [p.name for p in tmp_dir.iterdir() if not p.name.startswith(CACHE_PREFIX)] == []
    assert len(pd.read_parquet(tmp_path / "out" / "reports")) == 2


def test_workers_and_libreoffice_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    proc, env, pid_file, tmp_dir = _hanging_run(tmp_path)
    soffice_child = int(pid_file.read_text())
    proc.kill()  # SIGKILL: the supervisor cannot clean up; the workers must notice on their own
    proc.communicate(timeout=30)
    assert _wait_gone(env["GONGKAI_TEST_TAG"], soffice_child) == []  # the fault: alive past --timeout
    assert not list(tmp_dir.rglob("gongkai-doc-*"))


# 7 -------------------------------------------------------------------------------------------
def greedy_work(task: Task, settings: ExtractSettings) -> DocumentOutcome:
    """Stand-in work: "greedy" allocates 20 MB every 10 ms (a zip bomb unpacking), others succeed."""
    if "greedy" in task.path:
        hoard = []
        for _ in range(500):  # up to 10 GB if nobody stops it
            hoard.append(b"x" * (20 << 20))
            time.sleep(0.01)
    outcome = failure_outcome(task, "not_a_report", "stand-in")
    outcome.status = "ok"
    return outcome


def test_memory_limit_is_enforced_during_a_document() -> None:
    executor = LocalProcessExecutor(ExtractSettings(), PoolSettings(jobs=1, worker_memory_mb=300),
                                    work=greedy_work)
    tasks = [Task("a", "1"), Task("greedy", "2"), Task("b", "3")]
    outcomes = {o.source_path: o for o in executor.run(tasks)}
    assert outcomes["greedy"].error_codes == ("too_large",)
    assert "300 MB worker memory limit" in outcomes["greedy"].table("errors")["message"][0].as_py()
    assert outcomes["a"].status == outcomes["b"].status == "ok"
    assert executor.peak_worker_rss < 600 << 20  # stopped near the limit, not at gigabytes


def _docx_bomb(path: Path, megabytes: int) -> None:
    paragraph = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>"
    template = DATA / "official-blank-template-2021-format.docx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body>')
            chunk = paragraph * (2**20 // len(paragraph))
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")


@pytest.mark.slow
def test_docx_zip_bomb_is_stopped_at_the_memory_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    _docx_bomb(bomb, 600)
    assert bomb.stat().st_size < 5 << 20
    summary = run_batch([bomb], tmp_path / "out", options=BatchOptions(jobs=1, worker_memory_mb=400))
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert summary.by_status["failed"] == 1
    assert list(errors["code"]) == ["too_large"]  # the fault: the worker grew to 5.5 GB
    resident = int(errors["message"].iloc[0].split("(")[1].split(" MB")[0])
    assert 400 < resident < 800


def test_input_above_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (small,) = _write_reports(tmp_path / "in", 1)
    big = tmp_path / "in" / "big.txt"
    big.write_bytes(b"0" * (2 << 20))

    def no_reading(path: str) -> str:
        if path == str(big):
            raise AssertionError("the oversized file was read")
        return real_hash(path)

    real_hash = inputs._hash_file
    monkeypatch.setattr(inputs, "_hash_file", no_reading)
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=BatchOptions(jobs=1, max_file_mb=1))
    assert summary.by_error["too_large"] == 1
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert "above the 1 MB input limit" in errors["message"].iloc[0]
    reports = pd.read_parquet(tmp_path / "out" / "reports").set_index("source_name")
    assert reports.loc["big.txt", "status"] == "failed" and reports.loc[small.name, "status"] != "failed"
