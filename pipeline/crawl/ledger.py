"""The crawl ledger: ``OUT/_crawl/ledger.sqlite`` (the contract with the extract step).

Tables:

- ``urls``: one row per URL ever requested: site, kind (list, detail, attachment, picture), status
  (``ok``, ``not_modified``, ``blocked``, ``failed``, ``disallowed``), reason, HTTP status, ETag,
  Last-Modified, sha256 of the body, fetched_at (UTC ISO), the run, the WARC record of the last
  response, and the links found on it (``children``, JSON) so an unchanged list page (304) or an
  already-fetched detail page can still lead to what it links.
- ``files``: one row per file saved under --out: path (relative to --out), sha256 of the saved
  bytes (= the extract step's report_id), url, warc_file (relative to ``_crawl/``), warc_record_id,
  fetched_at, site and title. ``gongkai.batch.provenance`` reads this table.
- ``runs``: one row per crawl run with its WARC file and counts.

Each response is committed in one transaction after its file is in place (a kill -9 loses at most
the response being handled, which the next run fetches again).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gongkai.crawl.pages import Link

LEDGER_NAME = "ledger.sqlite"
DONE = "ok"  # detail pages and attachments with this status are never fetched again

# The statuses of ``urls.status`` and the reasons of ``urls.reason`` (stable codes: append, never
# rename). ``http_NNN`` stands for any HTTP status the server answered with.
CRAWL_STATUSES: dict[str, str] = {
    "ok": "fetched (200); a detail page or attachment in this state is never fetched again",
    "not_modified": "a list page the server answered 304 to a conditional GET",
    "blocked": "an anti-bot wall or block; recorded, never circumvented; tried again after a wait",
    "failed": "an error (HTTP status, timeout, size, redirect loop); tried again after a wait",
    "disallowed": "robots.txt disallows the URL for this user agent",
    "offsite": "a redirect left the site's allowed hosts; not followed",
}
CRAWL_REASONS: dict[str, str] = {
    "anti_bot_412": "HTTP 412 from a WAF challenge (e.g. Ruishu)",
    "anti_bot_418": "HTTP 418 wall",
    "anti_bot_521": "HTTP 521 from a WAF challenge (e.g. Jiasule/Knownsec)",
    "forbidden_403 (firewall or geo-block)": "HTTP 403",
    "unavailable_451 (legal or geo-block)": "HTTP 451",
    "js_challenge": "a 200 with a tiny page that only runs a script setting a cookie or reloading",
    "redirect_to_home": "a report URL redirected to the site's home page",
    "http_NNN": "the server answered with this HTTP status (404, 500 after retries …)",
    "timeout": "no complete answer within --timeout, after retries",
    "too_large": "larger than --max-mb (by Content-Length or while downloading)",
    "redirect_loop": "more redirects than allowed (a loop)",
    "html_instead_of_document": "an attachment link answered with an HTML page",
    "unsafe_path": "the file name would leave --out (never written)",
    "not_an_image": "a picture of a report page answered with something that is not an image",
    "robots.txt": "disallowed by robots.txt",
    "offsite: HOST": "a redirect to HOST, which is not among the site's allowed hosts",
    "304": "not modified since the last fetch",
}


_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls(url TEXT PRIMARY KEY, site TEXT NOT NULL, kind TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT, http_status INTEGER, etag TEXT, last_modified TEXT, sha256 TEXT,
    fetched_at TEXT NOT NULL, run_id TEXT NOT NULL, warc_file TEXT, warc_record_id TEXT,
    children TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, url TEXT NOT NULL,
    warc_file TEXT, warc_record_id TEXT, fetched_at TEXT NOT NULL, site TEXT NOT NULL, title TEXT);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
CREATE TABLE IF NOT EXISTS runs(run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    warc_file TEXT, sites TEXT NOT NULL, counts TEXT);
"""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class UrlState:
    url: str
    kind: str
    status: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    fetched_at: str
    children: list[Link]


@dataclass(frozen=True, slots=True)
class Fetch:
    """What one response did, for the ledger."""

    url: str
    site: str
    kind: str
    status: str
    reason: str = ""
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    children: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class SavedFile:
    path: str  # relative to --out, with / separators
    sha256: str
    url: str
    warc_file: str | None
    warc_record_id: str | None
    site: str
    title: str


class Ledger:
    def __init__(self, path: Path, run_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.run_id = path, run_id
        self._db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def state(self, url: str) -> UrlState | None:
        row = self._db.execute("SELECT url, kind, status, etag, last_modified, sha256, fetched_at, children "
                               "FROM urls WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        children = [Link(*c) for c in json.loads(row[7] or "[]")]
        return UrlState(row[0], row[1], row[2], row[3], row[4], row[5], row[6], children)

    def record(self, fetch: Fetch, saved: SavedFile | None = None) -> None:
        """Record one response (and the file it saved) in one transaction. An unchanged list page
        (``not_modified``) keeps its validators, sha256 and children."""
        now = utc_now()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if fetch.status == "not_modified":
                self._db.execute(
                    "UPDATE urls SET status=?, reason=?, http_status=?, fetched_at=?, run_id=?, warc_file=?, "
                    "warc_record_id=?, etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified) "
                    "WHERE url=?",
                    (fetch.status, fetch.reason, fetch.http_status, now, self.run_id, fetch.warc_file,
                     fetch.warc_record_id, fetch.etag, fetch.last_modified, fetch.url))
            else:
                children = json.dumps([c.as_list() for c in fetch.children], ensure_ascii=False)
                self._db.execute(
                    "INSERT OR REPLACE INTO urls VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (fetch.url, fetch.site, fetch.kind, fetch.status, fetch.reason, fetch.http_status,
                     fetch.etag, fetch.last_modified, fetch.sha256, now, self.run_id, fetch.warc_file,
                     fetch.warc_record_id, children))
            if saved is not None:
                self._db.execute("INSERT OR REPLACE INTO files VALUES(?,?,?,?,?,?,?,?)",
                                 (saved.path, saved.sha256, saved.url, saved.warc_file, saved.warc_record_id,
                                  now, saved.site, saved.title))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def start_run(self, warc_file: str, sites: list[str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO runs VALUES(?,?,?,?,?,?)",
                         (self.run_id, utc_now(), None, warc_file, json.dumps(sites), None))

    def finish_run(self, counts: dict[str, int]) -> None:
        self._db.execute("UPDATE runs SET finished_at=?, counts=? WHERE run_id=?",
                         (utc_now(), json.dumps(counts, sort_keys=True), self.run_id))

    def run_counts(self) -> dict[str, int]:
        """Responses of this run by status, plus files saved by it."""
        rows = self._db.execute("SELECT status, COUNT(*) FROM urls WHERE run_id=? GROUP BY status",
                                (self.run_id,)).fetchall()
        counts = {str(r[0]): int(r[1]) for r in rows}
        counts["files_saved"] = int(self._db.execute(
            "SELECT COUNT(*) FROM files f JOIN urls u ON u.url = f.url WHERE u.run_id=? AND u.status='ok'",
            (self.run_id,)).fetchone()[0])
        return counts

    def site_start_status(self, url: str) -> str | None:
        row = self._db.execute("SELECT status FROM urls WHERE url=?", (url,)).fetchone()
        return str(row[0]) if row else None
