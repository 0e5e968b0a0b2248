"""Where a crawled input came from: the crawl records in a ``_crawl/`` folder beside or above it.

``gongkai crawl`` writes ``_crawl/ledger.sqlite`` with a ``files`` table: for every file it saved,
its path (relative to the crawl's --out), the sha256 of its bytes (= report_id), the URL, the WARC
file (relative to ``_crawl/``) and WARC-Record-ID of the response, and when it was fetched. The
``sources`` table gets those as nullable columns: a row matches by its absolute path, else by
report_id (the same bytes fetched from another URL, or moved). Only sqlite3 is needed here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

CRAWL_RECORDS_DIR = "_crawl"
CRAWL_LEDGER = "ledger.sqlite"
PROVENANCE_COLUMNS = ("url", "warc_file", "warc_record_id", "fetched_at")


@dataclass(frozen=True, slots=True)
class CrawledFile:
    url: str
    warc_file: str | None  # path of the WARC file relative to the input folder
    warc_record_id: str | None
    fetched_at: datetime | None


@dataclass(slots=True)
class CrawlProvenance:
    by_path: dict[str, CrawledFile] = field(default_factory=dict)
    by_sha256: dict[str, CrawledFile] = field(default_factory=dict)

    def find(self, source_path: str, report_id: str) -> CrawledFile | None:
        return self.by_path.get(os.path.abspath(source_path)) or self.by_sha256.get(report_id)

    def annotate(self, rows: list[dict[str, object]]) -> list[dict[str, object]]:
        """``rows`` (sources table rows) with the provenance columns filled where known."""
        known = bool(self.by_path or self.by_sha256)  # no crawl records: no lookup per row
        for row in rows:
            found = self.find(str(row["source_path"]), str(row["report_id"])) if known else None
            row["url"] = found.url if found else None
            row["warc_file"] = found.warc_file if found else None
            row["warc_record_id"] = found.warc_record_id if found else None
            row["fetched_at"] = found.fetched_at if found else None
        return rows


def _timestamp(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _read_ledger(ledger: Path, provenance: CrawlProvenance) -> None:
    folder = ledger.parent.parent
    try:
        db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=30.0)
        try:
            rows = db.execute("SELECT path, sha256, url, warc_file, warc_record_id, fetched_at FROM files "
                              "ORDER BY fetched_at").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return  # not a crawl ledger, or unreadable: no provenance from it
    for path, sha256, url, warc_file, record_id, fetched_at in rows:
        warc = f"{CRAWL_RECORDS_DIR}/{warc_file}" if warc_file else None
        crawled = CrawledFile(url, warc, record_id, _timestamp(fetched_at))
        provenance.by_path[os.path.abspath(folder / path)] = crawled
        provenance.by_sha256[sha256] = crawled


def _ledger_above(directory: str, cache: dict[str, str | None]) -> str | None:
    """The nearest ``_crawl/ledger.sqlite`` in ``directory`` or a folder above it."""
    trail = []
    current = directory
    found: str | None = None
    while current not in cache:
        trail.append(current)
        candidate = os.path.join(current, CRAWL_RECORDS_DIR, CRAWL_LEDGER)
        if os.path.isfile(candidate):
            found = candidate
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    else:
        found = cache[current]
    for visited in trail:
        cache[visited] = found
    return found


def load_crawl_provenance(source_paths: Iterable[str]) -> CrawlProvenance:
    """The crawl records that cover ``source_paths``: every ``_crawl/ledger.sqlite`` in a folder
    holding one of them or above it (so a parent of several crawl outputs works as the input)."""
    provenance = CrawlProvenance()
    cache: dict[str, str | None] = {}
    ledgers = {_ledger_above(os.path.dirname(os.path.abspath(p)), cache) for p in source_paths}
    for ledger in sorted(ledger for ledger in ledgers if ledger):
        _read_ledger(Path(ledger), provenance)
    return provenance
