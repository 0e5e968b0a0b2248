"""The run manifest: what is done, where its rows are, and which paths hold which content.

A SQLite database at ``OUT/_gongkai/manifest.sqlite`` (the ``_`` prefix hides it from Parquet
readers). Tables:

- ``documents``: one row per report_id (sha256 of the content) with the pipeline version that
  processed it, its status, and the part that holds its rows. A document counts as done when it
  is here with the current pipeline version.
- ``parts`` / ``members``: every committed part (a set of Parquet files written together) and the
  report_ids whose rows it holds. A part file on disk that is not in ``parts`` is an orphan from a
  crash and is deleted; a part holding a report_id whose current part is another one is stale and
  is rewritten without it.
- ``sources``: every input path seen, its stat signature (so an unchanged file is not hashed
  again) and its report_id. Several paths may share one report_id (the same content twice).

- ``part_files``: the row count and size of every file of a part (checked at the start of a run).
- ``dirty_parts``: parts some of whose rows were retired (superseded) and whose files are being
  rewritten in place without them; a run killed meanwhile finishes the rewrite at its next start.
- ``temp.queue`` (connection-local, gone with the run): the scan's decision for every distinct
  report_id listed (task, refused unread, or done), read back in batches, so the supervisor holds
  no list of the run's documents in memory.

A part is recorded only after its files were renamed into place, in one transaction, so a crash
at any point leaves either a committed part or an orphan that the next run removes.

Paths are stored losslessly: a path that is not valid UTF-8 (a file name in another encoding)
goes in as the BLOB of its bytes and comes back as the same ``str`` (``os.fsdecode``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.batch.outcome import DocumentOutcome
from gongkai.dataset.parts import PartFile, PartRecord

MANIFEST_FORMAT = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    report_id TEXT PRIMARY KEY, pipeline_version TEXT NOT NULL, status TEXT NOT NULL,
    template TEXT, format TEXT, year INTEGER, checks_failed INTEGER NOT NULL DEFAULT 0,
    error_codes TEXT NOT NULL DEFAULT '', source_path TEXT NOT NULL, part TEXT NOT NULL,
    done_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS documents_part ON documents(part);
CREATE TABLE IF NOT EXISTS parts(part TEXT PRIMARY KEY, years TEXT NOT NULL, n_docs INTEGER NOT NULL,
    created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS members(part TEXT NOT NULL, report_id TEXT NOT NULL,
    PRIMARY KEY(part, report_id));
CREATE INDEX IF NOT EXISTS members_report ON members(report_id);
CREATE TABLE IF NOT EXISTS sources(path TEXT PRIMARY KEY, source_path TEXT NOT NULL,
    report_id TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, seen_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sources_report ON sources(report_id);
CREATE TABLE IF NOT EXISTS part_files(part TEXT NOT NULL, path TEXT NOT NULL, rows INTEGER NOT NULL,
    size INTEGER NOT NULL, PRIMARY KEY(part, path));
CREATE TABLE IF NOT EXISTS dirty_parts(part TEXT PRIMARY KEY);
"""

# This run's decisions, one row per distinct report_id listed (a second path of one is a
# duplicate): kind task | refused | done.
_QUEUE_SCHEMA = """
DROP TABLE IF EXISTS temp.queue;
CREATE TEMP TABLE queue(seq INTEGER PRIMARY KEY, report_id TEXT NOT NULL UNIQUE, path NOT NULL,
    kind TEXT NOT NULL, code TEXT, message TEXT);
CREATE INDEX temp.queue_kind ON queue(kind, seq);
"""
_BATCH_ROWS = 2000  # rows per read of a streamed query


def _db_path(path: str) -> str | bytes:
    """A path as SQLite stores it: text when it is valid UTF-8, else the BLOB of its bytes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _py_path(value: str | bytes) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else value


class ManifestError(Exception):
    """The manifest cannot be opened or written (fatal for the run)."""


@dataclass(frozen=True, slots=True)
class DoneDocument:
    pipeline_version: str
    status: str
    source_path: str


@dataclass(frozen=True, slots=True)
class QueuedDocument:
    """An entry of this run's queue: a document for a worker, or one refused unread."""

    seq: int
    path: str  # as listed
    report_id: str
    code: str | None  # refused: the error code and message
    message: str | None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    path: str  # absolute path: the identity of an input
    source_path: str  # the path as listed for the run
    report_id: str
    size: int | None
    mtime_ns: int | None
    ctime_ns: int | None


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES('format', ?)", (MANIFEST_FORMAT,))
            elif row[0] != MANIFEST_FORMAT:
                raise ManifestError(f"{path}: manifest format {row[0]}, "
                                    f"this gongkai writes {MANIFEST_FORMAT}")
        except (sqlite3.Error, OSError) as err:
            raise ManifestError(f"cannot open the manifest {path}: {err}; no file was changed. If it is "
                                f"damaged, move it aside (keep it) and run again: the manifest is then "
                                f"rebuilt from the part files") from err

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around the block (no statement in it opens its own)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            yield
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise ManifestError(f"cannot write the manifest {self.path}: {err}") from err
        except BaseException:  # a signal (Ctrl-C, SIGTERM) mid-transaction: leave none open
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _write(self, statements: Iterable[tuple[str, Iterable[tuple[object, ...]]]]) -> None:
        with self.transaction():
            for sql, params in statements:
                self._db.executemany(sql, params)

    # sources ---------------------------------------------------------------------------------
    def source(self, path: str) -> SourceRecord | None:
        """The record of absolute ``path`` from an earlier listing, if any."""
        row = self._db.execute("SELECT path, source_path, report_id, size, mtime_ns, ctime_ns FROM sources "
                               "WHERE path = ?", (_db_path(path),)).fetchone()
        return SourceRecord(_py_path(row[0]), *row[1:]) if row else None

    def record_sources(self, records: Iterable[SourceRecord]) -> None:
        """Upsert ``records`` (inside the caller's :meth:`transaction`)."""
        now = time.time()
        self._db.executemany(
            "INSERT INTO sources VALUES(?,?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET "
            "source_path=excluded.source_path, report_id=excluded.report_id, size=excluded.size, "
            "mtime_ns=excluded.mtime_ns, ctime_ns=excluded.ctime_ns, seen_at=excluded.seen_at",
            ((_db_path(r.path), r.source_path, r.report_id, r.size, r.mtime_ns, r.ctime_ns, now)
             for r in records))

    def iter_source_paths(self) -> Iterator[str]:
        """Every listed path (as listed), streamed."""
        for batch in self._batches("SELECT source_path FROM sources"):
            yield from (r[0] for r in batch)

    def iter_sources_table_rows(self, batch_rows: int = _BATCH_ROWS) -> Iterator[list[dict[str, object]]]:
        """The rows of ``sources.parquet`` in batches: one per path seen, with whether it is the
        path the report row was written for (streamed: no list of every path is held)."""
        query = ("SELECT s.source_path, s.report_id, s.size, d.source_path IS NOT NULL AND d.source_path = "
                 "s.source_path, d.report_id IS NOT NULL FROM sources s LEFT JOIN documents d "
                 "ON d.report_id = s.report_id ORDER BY s.source_path")
        for batch in self._batches(query, batch_rows):
            yield [{"source_path": r[0], "report_id": r[1], "size": r[2], "primary": bool(r[3]),
                    "extracted": bool(r[4])} for r in batch]

    def _batches(self, query: str, batch_rows: int = _BATCH_ROWS) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of a read-only ``query`` in lists of ``batch_rows`` (nothing may write meanwhile)."""
        cursor = self._db.execute(query)
        try:
            while batch := cursor.fetchmany(batch_rows):
                yield batch
        finally:
            cursor.close()

    # this run's queue (a temporary table: the scan's decisions, kept on disk, not in memory) ---
    def start_queue(self) -> None:
        """An empty queue for this run (connection-local; gone when the manifest is closed)."""
        self._db.executescript(_QUEUE_SCHEMA)

    def enqueue(self, report_id: str, listed: str, kind: str, refusal: tuple[str, str] | None = None) -> bool:
        """Put ``report_id`` in this run's queue (inside the caller's :meth:`transaction`): ``kind``
        ``task`` (for a worker), ``refused`` (failed unread, with ``refusal`` = code, message) or
        ``done`` (skipped). False, and nothing changes, when this run has seen it already."""
        code, message = refusal if refusal else (None, None)
        cursor = self._db.execute("INSERT OR IGNORE INTO temp.queue(report_id, path, kind, code, message) "
                                  "VALUES(?,?,?,?,?)", (report_id, _db_path(listed), kind, code, message))
        return cursor.rowcount == 1

    def queued(self, kind: str, after: int = 0, limit: int = _BATCH_ROWS) -> list[QueuedDocument]:
        """The next ``limit`` entries of ``kind`` after position ``after``, in listing order."""
        rows = self._db.execute("SELECT seq, path, report_id, code, message FROM temp.queue WHERE kind = ? "
                                "AND seq > ? ORDER BY seq LIMIT ?", (kind, after, limit)).fetchall()
        return [QueuedDocument(r[0], _py_path(r[1]), r[2], r[3], r[4]) for r in rows]

    # documents -------------------------------------------------------------------------------
    def done_document(self, report_id: str) -> DoneDocument | None:
        row = self._db.execute("SELECT pipeline_version, status, source_path FROM documents WHERE report_id = ?",
                               (report_id,)).fetchone()
        return DoneDocument(*row) if row else None

    def commit_part(self, part: PartRecord, outcomes: list[DocumentOutcome], pipeline_version: str,
                    stats: list[PartFile]) -> None:
        """Record a part whose files are in place, and the documents it holds, in one transaction."""
        now = time.time()
        self._write([
            ("INSERT INTO parts VALUES(?,?,?,?)", [(part.part, json.dumps(part.years), len(outcomes), now)]),
            ("INSERT OR REPLACE INTO part_files VALUES(?,?,?,?)",
             [(part.part, f.path, f.rows, f.size) for f in stats]),
            ("INSERT OR IGNORE INTO members VALUES(?,?)", [(part.part, o.report_id) for o in outcomes]),
            ("INSERT OR REPLACE INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?)",
             [(o.report_id, pipeline_version, o.status, o.template, o.format, o.year, o.checks_failed,
               ",".join(o.error_codes), o.source_path, part.part, now) for o in outcomes]),
        ])

    def drop_unreferenced_documents(self) -> int:
        """Forget documents no known path holds any more (their file changed); returns how many."""
        where = "WHERE report_id NOT IN (SELECT report_id FROM sources)"
        count = self._db.execute(f"SELECT COUNT(*) FROM documents {where}").fetchone()[0]
        if count:
            self._write([(f"DELETE FROM documents {where}", [()])])
        return int(count)

    # parts -----------------------------------------------------------------------------------
    def parts(self) -> dict[str, PartRecord]:
        rows = self._db.execute("SELECT part, years FROM parts").fetchall()
        return {r[0]: PartRecord(r[0], tuple(json.loads(r[1]))) for r in rows}

    def part_files(self, part: str) -> list[PartFile]:
        rows = self._db.execute("SELECT path, rows, size FROM part_files WHERE part = ?", (part,))
        return [PartFile(*r) for r in rows]

    def member_count(self, part: str) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM members WHERE part = ?", (part,)).fetchone()[0])

    def members_of(self, part: str) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT report_id FROM members WHERE part = ?", (part,))}

    def retire(self, report_ids: Iterable[str]) -> int:
        """Before new rows of ``report_ids`` are committed: take them out of the parts that hold
        them (those parts become dirty: their files are rewritten in place) and mark them not done,
        in one transaction. Returns how many parts became dirty."""
        ids = [(rid,) for rid in report_ids]
        self._write([
            ("INSERT OR IGNORE INTO dirty_parts SELECT part FROM members WHERE report_id = ?", ids),
            ("DELETE FROM members WHERE report_id = ?", ids),
            ("DELETE FROM documents WHERE report_id = ?", ids),
        ])
        return int(self._db.execute("SELECT COUNT(*) FROM dirty_parts").fetchone()[0])

    def retire_stale_members(self) -> int:
        """Members whose document is gone or lives in another part: drop them, the part is dirty."""
        stale = ("SELECT m.part, m.report_id FROM members m LEFT JOIN documents d ON d.report_id = m.report_id "
                 "WHERE d.part IS NULL OR d.part != m.part")
        rows = self._db.execute(stale).fetchall()
        if rows:
            self._write([
                ("INSERT OR IGNORE INTO dirty_parts VALUES(?)", [(r[0],) for r in rows]),
                ("DELETE FROM members WHERE part = ? AND report_id = ?", rows),
            ])
        return len(rows)

    def dirty_parts(self) -> list[PartRecord]:
        rows = self._db.execute("SELECT p.part, p.years FROM parts p JOIN dirty_parts d ON d.part = p.part "
                                "ORDER BY p.part").fetchall()
        return [PartRecord(r[0], tuple(json.loads(r[1]))) for r in rows]

    def finish_rewrite(self, part: str, new: PartRecord | None, stats: list[PartFile]) -> None:
        """Part ``part`` was rewritten in place (``new``: its years now) or emptied (None)."""
        statements: list[tuple[str, Iterable[tuple[object, ...]]]] = [
            ("DELETE FROM part_files WHERE part = ?", [(part,)]),
            ("DELETE FROM dirty_parts WHERE part = ?", [(part,)]),
        ]
        if new is None:
            statements += [("DELETE FROM parts WHERE part = ?", [(part,)]),
                           ("DELETE FROM members WHERE part = ?", [(part,)])]
        else:
            statements += [
                ("UPDATE parts SET years = ?, n_docs = (SELECT COUNT(*) FROM members WHERE part = ?) "
                 "WHERE part = ?", [(json.dumps(new.years), part, part)]),
                ("INSERT INTO part_files VALUES(?,?,?,?)", [(part, f.path, f.rows, f.size) for f in stats]),
            ]
        self._write(statements)

    def forget_part(self, part: str) -> int:
        """Drop a part (quarantined): its documents are no longer done. Returns how many."""
        count = int(self._db.execute("SELECT COUNT(*) FROM documents WHERE part = ?", (part,)).fetchone()[0])
        self._write([(f"DELETE FROM {table} WHERE part = ?", [(part,)])
                     for table in ("documents", "members", "part_files", "dirty_parts", "parts")])
        return count

    def adopt_part(self, part: PartRecord, documents: list[dict[str, object]], stats: list[PartFile],
                   created: float) -> None:
        """Record a part found on disk with no manifest (see ``gongkai.batch.recovery``)."""
        ids = [(part.part, d["report_id"]) for d in documents]
        self._write([
            ("INSERT INTO parts VALUES(?,?,?,?)", [(part.part, json.dumps(part.years), len(ids), created)]),
            ("INSERT OR IGNORE INTO members VALUES(?,?)", ids),
            ("INSERT OR REPLACE INTO part_files VALUES(?,?,?,?)",
             [(part.part, f.path, f.rows, f.size) for f in stats]),
            ("INSERT OR REPLACE INTO documents(report_id, pipeline_version, status, template, format, year, "
             "checks_failed, error_codes, source_path, part, done_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
             [(d["report_id"], d["pipeline_version"], d["status"], d["template"], d["format"], d["year"],
               d["checks_failed"] or 0, d["error_codes"] or "", d["source_path"], part.part, created)
              for d in documents]),
            ("INSERT OR IGNORE INTO sources(path, source_path, report_id, seen_at) VALUES(?,?,?,?)",
             [(_db_path(os.path.abspath(str(d["source_path"]))), d["source_path"], d["report_id"], created)
              for d in documents]),
        ])
