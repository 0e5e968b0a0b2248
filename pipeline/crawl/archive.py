"""One WARC file per crawl run: ``OUT/_crawl/warc/<run_id>.warc.gz``.

Every HTTP response the crawler receives is written as it arrives from the network (before
decompression, redirects or retries are handled): a ``response`` record, or a ``revisit`` record
when nothing changed: ``server-not-modified`` for a 304 answer to a conditional GET, and
``identical-payload-digest`` for a 200 whose body has the sha256 the ledger already holds. Records
are gzip members appended and flushed one by one, so a killed run leaves a readable file up to its
last complete record.
"""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from gongkai import PIPELINE_VERSION

SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.0/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"
_HTTP_REASONS = {200: "OK", 206: "Partial Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
                 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


def sha256_digest_label(hex_digest: str) -> str:
    """A WARC digest label (``sha256:BASE32``) for a sha256 given in hex."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode("ascii")


class RunArchive:
    """Appends records to this run's WARC file; ``record_*`` return the WARC-Record-ID."""

    def __init__(self, path: Path, run_id: str, sites: list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh: BinaryIO = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        info = {"software": f"gongkai {PIPELINE_VERSION} (Scrapy, warcio)", "format": "WARC File Format 1.0",
                "isPartOf": run_id, "description": "sites: " + " ".join(sites)}
        self._write(self._writer.create_warcinfo_record(path.name, info))

    def _write(self, record: object) -> str:
        self._writer.write_record(record)
        self._fh.flush()
        return str(record.rec_headers.get_header("WARC-Record-ID"))  # type: ignore[attr-defined]  # warcio declares no rec_headers

    @staticmethod
    def _http_headers(status: int, headers: list[tuple[str, str]]) -> StatusAndHeaders:
        return StatusAndHeaders(f"{status} {_HTTP_REASONS.get(status, 'Status')}", headers, protocol="HTTP/1.1")

    def record_response(self, url: str, status: int, headers: list[tuple[str, str]], body: bytes) -> str:
        record = self._writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                                 http_headers=self._http_headers(status, headers))
        return self._write(record)

    def record_revisit(self, url: str, status: int, headers: list[tuple[str, str]], sha256_hex: str,
                       refers_to_date: str, not_modified: bool) -> str:
        record = self._writer.create_revisit_record(
            url, sha256_digest_label(sha256_hex), url, refers_to_date,
            http_headers=self._http_headers(status, headers))
        record.rec_headers.replace_header("WARC-Profile", SERVER_NOT_MODIFIED if not_modified
                                          else IDENTICAL_PAYLOAD)
        return self._write(record)

    def close(self) -> None:
        self._fh.close()


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
