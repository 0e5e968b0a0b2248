"""Find the input files of a batch, pick this shard's share, and decide what needs processing.

A file's identity is its content: ``report_id`` = sha256 of the bytes. The scan hashes each file
unless the manifest already knows this path with the same size, mtime and ctime. A file that
cannot be read at all is keyed by ``unreadable_report_id`` (sha256 of ``unreadable:`` + its
absolute path) and recorded as failed with ``file_unreadable`` without being sent to a worker.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import PIPELINE_VERSION
from gongkai.batch.manifest import DoneDocument, SourceRecord
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome, unreadable_report_id
from gongkai.batch.provenance import CRAWL_RECORDS_DIR
from gongkai.convert.formats import KNOWN_SUFFIXES


@dataclass(frozen=True, slots=True)
class Shard:
    """Static share ``index`` of ``count`` (0-based): a file belongs by the hash of its listed path."""

    index: int = 0
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"i/N"`` with 0 <= i < N; ValueError otherwise."""
        try:
            left, right = text.split("/")
            index, count = int(left), int(right)
        except ValueError as err:
            raise ValueError(f"--shard must look like i/N (e.g. 0/4), not {text!r}") from err
        if count < 1 or not 0 <= index < count:
            raise ValueError(f"--shard {text}: need 0 <= i < N")
        return cls(index, count)

    def holds(self, listed_path: str) -> bool:
        if self.count == 1:
            return True
        digest = hashlib.sha1(listed_path.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index


@dataclass(frozen=True, slots=True)
class ScanRules:
    """What counts as done: skip documents processed by this pipeline version unless told not to."""

    force: bool = False
    retry_failed: bool = False
    shard: Shard = field(default_factory=Shard)
    pipeline_version: str = PIPELINE_VERSION


@dataclass(slots=True)
class BatchPlan:
    tasks: list[Task] = field(default_factory=list)  # documents for the workers
    immediate: list[DocumentOutcome] = field(default_factory=list)  # failed before a worker (unreadable)
    sources: list[SourceRecord] = field(default_factory=list)  # every listed path of this shard
    listed: int = 0
    skipped: int = 0  # already done
    duplicates: int = 0  # same content as an earlier path of this run

    @property
    def to_process(self) -> int:
        return len(self.tasks) + len(self.immediate)


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and files with a known suffix found under folders (sorted); a crawl's
    records folder (``_crawl/``: ledger, WARC files) is not an input."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if CRAWL_RECORDS_DIR in child.relative_to(path).parts[:-1]:
                    continue
                if child.suffix.lower() in KNOWN_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def _hash_file(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_done(done: DoneDocument | None, rules: ScanRules) -> bool:
    if done is None or rules.force or done.pipeline_version != rules.pipeline_version:
        return False
    return not (rules.retry_failed and done.status == "failed")


def plan_batch(paths: Iterable[Path], known: dict[str, SourceRecord], done: dict[str, DoneDocument],
               rules: ScanRules) -> BatchPlan:
    """List, hash and classify the inputs of this shard."""
    plan = BatchPlan()
    seen: set[str] = set()
    for path in iter_input_files(paths):
        listed = str(path)
        if not rules.shard.holds(listed):
            continue
        plan.listed += 1
        absolute = os.path.abspath(listed)
        unreadable: str | None = None
        size = mtime = ctime = None
        try:
            st = os.stat(listed)
            size, mtime, ctime = st.st_size, st.st_mtime_ns, st.st_ctime_ns
            cached = known.get(absolute)
            if cached and (cached.size, cached.mtime_ns, cached.ctime_ns) == (size, mtime, ctime):
                report_id = cached.report_id
            else:
                report_id = _hash_file(listed)
        except OSError as err:
            report_id = unreadable_report_id(listed)
            unreadable = f"{type(err).__name__}: {err.strerror or err}"
        plan.sources.append(SourceRecord(absolute, listed, report_id, size, mtime, ctime))
        if report_id in seen:
            plan.duplicates += 1
            continue
        seen.add(report_id)
        if _is_done(done.get(report_id), rules):
            plan.skipped += 1
        elif unreadable is not None:
            plan.immediate.append(failure_outcome(Task(listed, report_id), "file_unreadable", unreadable,
                                                  stage="read"))
        else:
            plan.tasks.append(Task(listed, report_id))
    return plan
