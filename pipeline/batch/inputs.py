"""Find the input files of a batch, pick this shard's share, and decide what needs processing.

A file's identity is its content: ``report_id`` = sha256 of the bytes. The scan hashes each file
unless the manifest already knows this path with the same size, mtime and ctime. A file that
cannot be read at all is keyed by ``unreadable_report_id`` (sha256 of ``unreadable:`` + its
absolute path) and recorded as failed with ``file_unreadable`` without being sent to a worker;
so is a path named on the command line that is not a regular file (a FIFO, a device: never
opened, ``not_a_file``), a file larger than the size limit (never read, ``too_large``), and a
folder that cannot be listed (``folder_unreadable``).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import PIPELINE_VERSION
from gongkai.batch.manifest import DoneDocument, Manifest, QueuedDocument, SourceRecord
from gongkai.batch.outcome import DocumentOutcome, Task, failure_outcome, printable_path, unreadable_report_id
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
    max_file_bytes: int = 0  # larger files are refused unread (too_large); 0: no limit


@dataclass(slots=True)
class BatchPlan:
    """What the scan found: counts only. The decisions themselves are in the manifest (its
    ``sources`` table and this run's queue), so nothing per document is held in memory."""

    tasks: int = 0  # documents for the workers
    immediate: int = 0  # failed before a worker (unreadable, not a file, too large)
    listed: int = 0
    skipped: int = 0  # already done
    duplicates: int = 0  # same content as an earlier path of this run

    @property
    def to_process(self) -> int:
        return self.tasks + self.immediate


@dataclass(frozen=True, slots=True)
class UnlistedFolder:
    """A folder under the inputs that could not be listed (its files are unknown)."""

    path: Path
    reason: str


def iter_inputs(paths: Iterable[Path]) -> Iterator[Path | UnlistedFolder]:
    """Paths named directly, files with a known suffix found under folders (sorted), and the
    folders that could not be listed; a crawl's records folder (``_crawl/``) is not an input."""
    for path in paths:
        if path.is_dir():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(top: Path) -> Iterator[Path | UnlistedFolder]:
    """Files with a known suffix under ``top`` and its sub-folders that could not be listed, in
    the order of sorted paths, listed one folder at a time (a folder's entries sorted by name put
    each sub-folder's files exactly where a sort of every path would). Symbolic links to folders
    are not followed."""
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as err:
        yield UnlistedFolder(Path(err.filename or top), err.strerror or str(err))
        return
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            # a crawl's records folder (``_crawl/``: ledger, WARC files) is not an input
            if entry.name != CRAWL_RECORDS_DIR and not entry.is_symlink():
                yield from _walk_folder(Path(top, entry.name))
            continue
        if (os.path.splitext(entry.name)[1].lower() in KNOWN_SUFFIXES and not entry.name.startswith(".")
                and _is_file(entry)):
            yield Path(top, entry.name)


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a symbolic link to one (the listing's file type: no stat of its own)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and files with a known suffix found under folders (sorted)."""
    for entry in iter_inputs(paths):
        if isinstance(entry, Path):
            yield entry


def _hash_file(path: str) -> str:
    """sha256 of the file's bytes, read unbuffered (a buffered file object's ioctl and lseek calls
    cost more than the read of a typical report)."""
    with open(path, "rb", buffering=0) as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_done(done: DoneDocument | None, rules: ScanRules) -> bool:
    if done is None or rules.force or done.pipeline_version != rules.pipeline_version:
        return False
    return not (rules.retry_failed and done.status == "failed")


def plan_batch(paths: Iterable[Path], manifest: Manifest, rules: ScanRules, chunk: int = 1000) -> BatchPlan:
    """List, hash and classify the inputs of this shard, streaming every path's record and every
    decision into the manifest (``sources``; this run's queue, read back with ``queued``)."""
    plan = BatchPlan()
    manifest.start_queue()
    entries = iter_inputs(paths)
    while True:
        with manifest.transaction():
            records = [_admit(entry, manifest, rules, plan) for entry in _shard_entries(entries, rules, chunk)]
            manifest.record_sources(records)
        if len(records) < chunk:
            return plan


def _shard_entries(entries: Iterator[Path | UnlistedFolder], rules: ScanRules,
                   chunk: int) -> Iterator[Path | UnlistedFolder]:
    """The next ``chunk`` entries of this shard."""
    taken = 0
    while taken < chunk:
        entry = next(entries, None)
        if entry is None:
            return
        if rules.shard.holds(str(entry.path if isinstance(entry, UnlistedFolder) else entry)):
            taken += 1
            yield entry


def _admit(entry: Path | UnlistedFolder, manifest: Manifest, rules: ScanRules, plan: BatchPlan) -> SourceRecord:
    """Identify one listed entry, queue it (task, refused or done) unless its content was listed
    before in this run; returns its ``sources`` record."""
    listed = str(entry.path if isinstance(entry, UnlistedFolder) else entry)
    plan.listed += 1
    absolute = os.path.abspath(listed)
    refused: tuple[str, str] | None = None  # (error code, message): recorded without a worker
    size = mtime = ctime = None
    if isinstance(entry, UnlistedFolder):
        report_id = unreadable_report_id(listed)
        refused = ("folder_unreadable", f"the folder could not be listed ({entry.reason}); "
                                        "its files were not processed")
    else:
        report_id, refused, size, mtime, ctime = _identify(listed, manifest.source(absolute), rules)
    record = SourceRecord(absolute, printable_path(listed), report_id, size, mtime, ctime)
    done = _is_done(manifest.done_document(report_id), rules)
    kind = "done" if done else "refused" if refused is not None else "task"
    if not manifest.enqueue(report_id, listed, kind, None if done else refused):
        plan.duplicates += 1
    elif done:
        plan.skipped += 1
    elif refused is not None:
        plan.immediate += 1
    else:
        plan.tasks += 1
    return record


def queued_tasks(manifest: Manifest) -> Iterator[Task]:
    """This run's documents for the workers, in listing order, read from the manifest in batches."""
    for queued in _queued(manifest, "task"):
        yield Task(queued.path, queued.report_id)


def refused_outcomes(manifest: Manifest) -> Iterator[DocumentOutcome]:
    """The failed outcome of every document of this run refused unread, in listing order."""
    for queued in _queued(manifest, "refused"):
        yield failure_outcome(Task(queued.path, queued.report_id), queued.code or "internal_error",
                              queued.message or "", stage="read")


def _queued(manifest: Manifest, kind: str) -> Iterator[QueuedDocument]:
    after = 0
    while batch := manifest.queued(kind, after):
        yield from batch
        after = batch[-1].seq


def _identify(listed: str, cached: SourceRecord | None, rules: ScanRules
              ) -> tuple[str, tuple[str, str] | None, int | None, int | None, int | None]:
    """(report_id, refusal, size, mtime_ns, ctime_ns) of one listed path. Only a regular file
    within the size limit is opened (a FIFO would block forever; a huge file is not read)."""
    try:
        st = os.stat(listed)
    except OSError as err:
        return unreadable_report_id(listed), ("file_unreadable", f"{type(err).__name__}: {err.strerror or err}"), \
            None, None, None
    size, mtime, ctime = st.st_size, st.st_mtime_ns, st.st_ctime_ns
    if not stat.S_ISREG(st.st_mode):
        kind = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
        return unreadable_report_id(listed), ("not_a_file", f"{kind}: not opened"), None, None, None
    if rules.max_file_bytes and size > rules.max_file_bytes:
        message = (f"{size / 2**20:.1f} MB is above the {rules.max_file_bytes / 2**20:g} MB input limit "
                   "(--max-file-mb); not read")
        return unreadable_report_id(listed), ("too_large", message), size, None, None  # never cached
    if cached and (cached.size, cached.mtime_ns, cached.ctime_ns) == (size, mtime, ctime):
        return cached.report_id, None, size, mtime, ctime
    try:
        return _hash_file(listed), None, size, mtime, ctime
    except OSError as err:
        return unreadable_report_id(listed), ("file_unreadable", f"{type(err).__name__}: {err.strerror or err}"), \
            size, mtime, ctime


_FILE_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}
