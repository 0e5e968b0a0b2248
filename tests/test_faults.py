"""Fault probes of issue 10 that concern the dataset and the inputs (each reproduces the fault).

1 lost manifest, 2 non-UTF-8 names, 5 FIFOs, 6 damaged parts, 8 unreadable folders, 9 control
characters in logs, 11 nothing listed. (Signals, memory, .doc isolation and --force duplicates:
tests/test_faults_process.py and tests/test_faults_doc.py.)
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gongkai.batch import inputs
from gongkai.batch.manifest import Manifest
from gongkai.batch.progress import PlainReporter, printable
from gongkai.batch.runner import BatchFatalError, BatchOptions, run_batch
from gongkai.dataset.parts import DatasetFiles
from tests.batch_helpers import assert_same_tables, read_tables, write_tab_reports
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth

ROOT = Path(__file__).resolve().parents[1]
ONE_JOB = BatchOptions(jobs=1, chunk_docs=2)


class Notes:
    """A reporter that keeps the notes (warnings) of a run."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def start(self, to_process: int, skipped: int, duplicates: int) -> None:
        pass

    def document(self, outcome: object) -> None:
        pass

    def note(self, message: str) -> None:
        self.notes.append(message)

    def finish(self, summary: dict[str, object]) -> None:
        pass




def _copy_tree(src: Path, dst: Path) -> None:
    import shutil

    shutil.copytree(src, dst)


# 1 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["deleted", "emptied"])
def test_lost_manifest_is_rebuilt_from_the_parts_and_nothing_is_deleted(tmp_path: Path, damage: str) -> None:
    write_tab_reports(tmp_path / "in", 5)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=ONE_JOB)
    _copy_tree(out, tmp_path / "before")
    manifest = out / "_gongkai" / "manifest.sqlite"
    if damage == "deleted":
        manifest.unlink()
    else:
        manifest.write_bytes(b"")
    notes = Notes()
    summary = run_batch([tmp_path / "in"], out, options=ONE_JOB, reporter=notes)
    assert len(pd.read_parquet(out / "reports")) == 5  # the fault: 5 reports became 1 (or 0)
    assert summary.exit_code() == 99 and summary.skipped == 5  # the rebuilt manifest knows them
    assert any("rebuilt it from 3 part(s)" in n for n in notes.notes), notes.notes
    assert_same_tables(out, tmp_path / "before")


def test_lost_manifest_with_other_inputs_keeps_the_old_documents(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "a", 3)
    write_tab_reports(tmp_path / "b", 2, seed=10)
    out = tmp_path / "out"
    run_batch([tmp_path / "a"], out, options=ONE_JOB)
    (out / "_gongkai" / "manifest.sqlite").unlink()
    summary = run_batch([tmp_path / "b"], out, options=ONE_JOB)
    assert summary.documents == 2
    assert len(pd.read_parquet(out / "reports")) == 5  # a/ is not listed this time, and still kept


def test_manifest_that_is_not_a_database_stops_the_run_without_touching_the_parts(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=ONE_JOB)
    parts = sorted(p for p in out.rglob("part-*.parquet"))
    (out / "_gongkai" / "manifest.sqlite").write_bytes(b"garbage, not sqlite" * 100)
    with pytest.raises(BatchFatalError, match="move it aside"):
        run_batch([tmp_path / "in"], out, options=ONE_JOB)
    assert sorted(p for p in out.rglob("part-*.parquet")) == parts


# 6 -------------------------------------------------------------------------------------------
def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "footer":  # same size, garbage where the footer is
        path.write_bytes(data[:-40] + b"\x00" * 40)
    elif how == "deleted":
        path.unlink()
    elif how == "other_rows":  # a valid Parquet file with different rows
        table = pq.read_table(path)
        pq.write_table(table.slice(0, max(0, table.num_rows - 1)), path)


@pytest.mark.parametrize("how", ["truncated", "footer", "deleted", "other_rows"])
def test_damaged_part_is_quarantined_and_its_documents_extracted_again(tmp_path: Path, how: str) -> None:
    write_tab_reports(tmp_path / "in", 4)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=ONE_JOB)
    reference = read_tables(out)
    victim = sorted((out / "cells").rglob("part-*.parquet"))[0]
    part_id = victim.name.removeprefix("part-").removesuffix(".parquet")
    _damage(victim, how)
    notes = Notes()
    summary = run_batch([tmp_path / "in"], out, options=ONE_JOB, reporter=notes)
    assert summary.documents == 2, notes.notes  # the two documents of the bad part, again
    assert (out / "_gongkai" / "quarantine" / part_id).is_dir()
    assert any(f"part {part_id} is damaged" in n for n in notes.notes)
    after = read_tables(out)  # readers work again (the fault: ArrowInvalid for every reader)
    for name, table in reference.items():
        pd.testing.assert_frame_equal(table, after[name], obj=name)
    again = run_batch([tmp_path / "in"], out, options=ONE_JOB)
    assert again.exit_code() == 99


# 2 -------------------------------------------------------------------------------------------
def test_file_name_that_is_not_utf8_is_processed_and_kept_losslessly(tmp_path: Path) -> None:
    (good,) = write_tab_reports(tmp_path / "in", 1)
    raw_name = os.fsdecode(b"gbk-\xd6\xd0\xce\xc4.txt")  # 中文 in GBK: not valid UTF-8
    odd = tmp_path / "in" / raw_name
    odd.write_text(render_tab(make_truth(7), 7), encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([tmp_path / "in"], out, options=ONE_JOB)
    assert summary.documents == 2 and summary.by_status["failed"] == 0
    reports = pd.read_parquet(out / "reports")
    assert sorted(reports["source_name"]) == ["gbk-\\xd6\\xd0\\xce\\xc4.txt", good.name]
    with sqlite3.connect(out / "_gongkai" / "manifest.sqlite") as db:
        stored = [r[0] for r in db.execute("SELECT path FROM sources")]
    assert os.fsencode(str(odd)) in stored  # the exact bytes, not an escaped copy
    assert run_batch([tmp_path / "in"], out, options=ONE_JOB).exit_code() == 99  # same identity next run


# 5 -------------------------------------------------------------------------------------------
def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongkai.cli.app", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_fifo_on_the_command_line_is_not_a_file_and_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (good,) = write_tab_reports(tmp_path / "in", 1)
    out = tmp_path / "out"
    result = _cli("extract", str(fifo), str(good), "--out", str(out), "--jobs", "1", "--log-format", "plain")
    assert result.returncode == 1, result.stderr
    errors = pd.read_parquet(out / "errors")
    assert list(errors["code"]) == ["not_a_file"]
    assert "FIFO" in errors["message"].iloc[0]
    assert len(pd.read_parquet(out / "reports")) == 2


def test_show_on_a_fifo_reports_not_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = _cli("show", str(fifo), timeout=30)
    assert result.returncode == 1
    assert "not_a_file" in result.stdout


# 11 ------------------------------------------------------------------------------------------
def test_folder_without_report_files_warns_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "photo.jpg").write_bytes(b"\xff\xd8")
    notes = Notes()
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB, reporter=notes)
    assert summary.exit_code() == 2  # the fault: 99 "nothing new", silently
    assert any("no report files found" in n for n in notes.notes)
    result = _cli("extract", str(tmp_path / "in"), "--out", str(tmp_path / "out2"), "--log-format", "plain")
    assert result.returncode == 2 and "no report files found" in result.stderr


# 8 -------------------------------------------------------------------------------------------
def test_unlisted_subfolder_is_an_error_row_and_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    write_tab_reports(tmp_path / "in", 1)
    locked = tmp_path / "in" / "locked"
    write_tab_reports(locked, 1, seed=3)
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:  # what os.walk meets in a folder without read permission
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    stream = io.StringIO()
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB,
                        reporter=PlainReporter(stream=stream))
    assert summary.exit_code() == 1
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert list(errors["code"]) == ["folder_unreadable"]
    assert "Permission denied" in errors["message"].iloc[0]
    reports = pd.read_parquet(tmp_path / "out" / "reports").set_index("source_path")
    assert reports.loc[str(locked), "status"] == "failed"
    assert f"failed  UNKNOWN  {locked}  [folder_unreadable]" in stream.getvalue()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_folder_without_read_permission_is_an_error_row(tmp_path: Path) -> None:  # pragma: no cover - root CI
    locked = tmp_path / "in" / "locked"
    write_tab_reports(locked, 1)
    locked.chmod(0)
    try:
        run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    finally:
        locked.chmod(0o755)
    assert list(pd.read_parquet(tmp_path / "out" / "errors")["code"]) == ["folder_unreadable"]


def test_iter_inputs_lists_unlisted_folders_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tab_reports(tmp_path / "in" / "a", 1)
    write_tab_reports(tmp_path / "in" / "b", 1)
    monkeypatch.setattr(os, "scandir", _failing_scandir(tmp_path / "in" / "b"))
    entries = list(inputs.iter_inputs([tmp_path / "in"]))
    assert [type(e).__name__ for e in entries] == ["PosixPath", "UnlistedFolder"]


def _failing_scandir(bad: Path) -> object:
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied", str(bad))
        return real(path)  # type: ignore[arg-type]

    return scandir


# 9 -------------------------------------------------------------------------------------------
def test_control_characters_in_file_names_cannot_forge_log_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    forged = folder / "x.pdf\n2026-01-01 00:00:00 gongkai: finished: 0 documents\x1b[2J.pdf"
    forged.write_bytes(b"%PDF-1.4 broken")
    stream = io.StringIO()
    run_batch([folder], tmp_path / "out", options=ONE_JOB, reporter=PlainReporter(stream=stream))
    lines = stream.getvalue().splitlines()
    assert all(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d gongkai: ", line) for line in lines), lines
    assert sum(bool(re.match(r"^\S+ \S+ gongkai: finished:", line)) for line in lines) == 1
    assert "x.pdf\\x0a2026-01-01" in stream.getvalue() and "\\x1b[2J" in stream.getvalue()
    assert "\x1b" not in stream.getvalue()


def test_printable_escapes_controls_and_undecodable_bytes_only() -> None:
    assert printable("a\tb\r\nc\x7f\u2028") == "a\\x09b\\x0d\\x0ac\\x7f\\u2028"
    assert printable(os.fsdecode(b"\xff.txt")) == "\\xff.txt"
    assert printable("政府信息公开 report.pdf") == "政府信息公开 report.pdf"


def test_damaged_manifest_file_records_are_checked_by_size(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, options=ONE_JOB)
    manifest = Manifest(DatasetFiles(out).manifest_path)
    try:
        (part,) = manifest.parts()
        recorded = {f.path: f for f in manifest.part_files(part)}
    finally:
        manifest.close()
    assert set(recorded) == {str(p.relative_to(out)) for p in out.rglob("part-*.parquet")}
    assert all(f.rows == pq.read_metadata(out / f.path).num_rows for f in recorded.values())
