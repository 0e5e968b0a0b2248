"""Incremental runs: duplicates, changed files, --force, crash leftovers, shards, fatal errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from gongkai.batch.inputs import Shard
from gongkai.batch.outcome import unreadable_report_id
from gongkai.batch.runner import BatchFatalError, BatchOptions, _exclusive, run_batch
from gongkai.dataset.parts import DatasetFiles
from tests.batch_helpers import assert_same_tables, read_tables, write_tab_reports
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth

ONE_JOB = BatchOptions(jobs=1, chunk_docs=2)




def test_same_content_under_two_paths_gives_one_report_and_both_sources(tmp_path: Path) -> None:
    (a,) = write_tab_reports(tmp_path / "in", 1)
    shutil.copy(a, tmp_path / "in" / "zcopy.txt")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert summary.documents == 1 and summary.duplicates == 1
    reports = pd.read_parquet(tmp_path / "out" / "reports")
    assert len(reports) == 1
    assert reports["source_path"].iloc[0] == str(a)  # the first path in sorted order
    sources = pd.read_parquet(tmp_path / "out" / "sources.parquet").set_index("source_path")
    assert sources.loc[str(a), "primary"] and not sources.loc[str(tmp_path / "in" / "zcopy.txt"), "primary"]
    assert sources["report_id"].nunique() == 1


def test_changed_file_is_reprocessed_and_its_old_rows_dropped(tmp_path: Path) -> None:
    paths = write_tab_reports(tmp_path / "in", 3)
    run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    paths[1].write_text(render_tab(make_truth(99), 99), encoding="utf-8")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert summary.documents == 1 and summary.skipped == 2
    assert summary.parts_rewritten == 1  # the part holding the old content was rewritten without it
    reports = pd.read_parquet(tmp_path / "out" / "reports")
    assert len(reports) == 3 and reports["source_path"].is_unique
    cells = pd.read_parquet(tmp_path / "out" / "cells")
    assert set(cells["report_id"]) == set(reports["report_id"])
    fresh = tmp_path / "fresh"
    run_batch([tmp_path / "in"], fresh, options=ONE_JOB)
    assert_same_tables(tmp_path / "out", fresh)


def test_force_reprocesses_everything_without_duplicate_rows(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 3)
    run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    before = read_tables(tmp_path / "out")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=BatchOptions(jobs=1, force=True))
    assert summary.documents == 3
    after = read_tables(tmp_path / "out")
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    assert len(list((tmp_path / "out" / "reports").glob("part-*.parquet"))) == 1


def test_uncommitted_part_files_and_temp_files_are_removed(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 2)
    run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    before = read_tables(tmp_path / "out")
    stray = tmp_path / "out" / "cells" / "year=2020" / "part-deadbeef0000-00001.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(next((tmp_path / "out" / "reports").glob("part-*.parquet")), stray)
    temp = tmp_path / "out" / "reports" / ".part-x.parquet.tmp-123"
    temp.write_bytes(b"half")
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    assert summary.exit_code() == 99
    assert not stray.exists() and not temp.exists()
    after = read_tables(tmp_path / "out")
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def test_unreadable_file_is_keyed_by_its_path(tmp_path: Path) -> None:
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    summary = run_batch([dangling], tmp_path / "out", options=ONE_JOB)
    assert summary.exit_code() == 1
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert list(errors["code"]) == ["file_unreadable"]
    assert errors["report_id"].iloc[0] == unreadable_report_id(str(dangling))
    assert errors["year"].isna().all()  # the typed year column: null, never made up
    assert len(list((tmp_path / "out" / "errors" / "unknown").glob("part-*.parquet"))) == 1


def test_retry_failed_reprocesses_only_failed_documents(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
    summary = run_batch([tmp_path / "in"], tmp_path / "out", options=BatchOptions(jobs=1, retry_failed=True))
    assert summary.documents == 1 and summary.by_error["empty_file"] == 1


def test_shards_split_the_inputs_without_overlap(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 8)
    ids = []
    for i in range(3):
        options = BatchOptions(jobs=1, shard=Shard(i, 3))
        summary = run_batch([tmp_path / "in"], tmp_path / f"out{i}", options=options)
        if summary.documents:  # a shard may hold none of 8 files
            ids += list(pd.read_parquet(tmp_path / f"out{i}" / "reports")["report_id"])
    assert len(ids) == len(set(ids)) == 8
    whole = run_batch([tmp_path / "in"], tmp_path / "whole", options=ONE_JOB)
    assert whole.documents == 8


@pytest.mark.parametrize("text", ["3/3", "a/b", "1", "-1/2"])
def test_bad_shard_spec_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        Shard.parse(text)


def test_output_that_is_a_file_is_fatal(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 1)
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(BatchFatalError, match="not writable"):
        run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    write_tab_reports(tmp_path / "in", 1)
    held = _exclusive(DatasetFiles(tmp_path / "out"))
    with held, pytest.raises(BatchFatalError, match="another gongkai run"):
        run_batch([tmp_path / "in"], tmp_path / "out", options=ONE_JOB)
