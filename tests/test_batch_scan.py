"""The scan of a batch: inputs listed one folder at a time in sorted order, decisions streamed
into the manifest (this run's queue) instead of lists in memory."""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.batch.inputs import ScanRules, iter_inputs, plan_batch, queued_tasks, refused_outcomes
from gongkai.batch.manifest import Manifest
from gongkai.batch.outcome import unreadable_report_id


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")


def test_folders_are_listed_in_the_order_of_a_sort_of_every_path(tmp_path: Path) -> None:
    root = tmp_path / "in"
    # a folder named like the stem of a file, names that sort differently as paths and as text
    # ("a/…" before "a b.txt" although " " < "/"), case, digits, a crawl's records folder,
    # hidden files and unknown suffixes
    _touch(root, "a.txt", "a/z.txt", "a/b/c.html", "a-b.txt", "a b.txt", "B.txt", "10.txt", "9.txt",
           "_crawl/warc.txt", ".hidden.txt", "notes.json", "x/y/z/deep.md", "x.txt")
    os.symlink(root / "a", root / "link")  # a link to a folder is not followed
    listed = [p.relative_to(root).as_posix() for p in iter_inputs([root]) if isinstance(p, Path)]
    assert listed == ["10.txt", "9.txt", "B.txt", "a/b/c.html", "a/z.txt", "a b.txt", "a-b.txt", "a.txt",
                      "x/y/z/deep.md", "x.txt"]
    assert listed == sorted(listed, key=lambda p: Path(p).parts)


def test_the_scan_streams_its_decisions_into_the_manifest(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _touch(root, "a.txt", "b.txt", "c.txt")
    (root / "d-copy-of-a.txt").write_text("a.txt", encoding="utf-8")  # same content as a.txt
    os.mkfifo(root / "e.txt")  # not listed from the folder; named directly: refused unread
    manifest = Manifest(tmp_path / "manifest.sqlite")
    try:
        plan = plan_batch([root, root / "e.txt"], manifest, ScanRules(), chunk=2)  # chunk: several transactions
        assert (plan.listed, plan.tasks, plan.immediate, plan.duplicates, plan.skipped) == (5, 3, 1, 1, 0)
        assert [Path(t.path).name for t in queued_tasks(manifest)] == ["a.txt", "b.txt", "c.txt"]
        (refused,) = list(refused_outcomes(manifest))
        assert refused.report_id == unreadable_report_id(str(root / "e.txt"))
        assert refused.error_codes == ("not_a_file",)
        recorded = manifest.source(os.path.abspath(root / "d-copy-of-a.txt"))
        assert recorded is not None and recorded.report_id == next(iter(queued_tasks(manifest))).report_id
    finally:
        manifest.close()
