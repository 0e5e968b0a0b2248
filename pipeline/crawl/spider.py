"""The Scrapy side: one spider for every site profile, and the downloader middlewares that keep
it polite (retry with backoff honouring Retry-After), inside its hosts, and archived (WARC).

Downloader middleware order (lower runs first on the way out, last on the way back):
``HostGuard`` 40 (no request leaves the site's allowed hosts, redirects included) ->
robots.txt 100 (Protego) -> ``PoliteRetry`` 550 (replaces Scrapy's RetryMiddleware) ->
redirects 600 -> ``ArchiveResponses`` 950 (every response, as it came off the wire, into the WARC).
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from gongkai.crawl.archive import RunArchive, body_sha256
from gongkai.crawl.ledger import DONE, Fetch, Ledger, SavedFile
from gongkai.crawl.pages import (
    ATTACHMENT,
    DETAIL,
    LIST,
    PICTURE,
    Link,
    attachment_links,
    decode_body,
    list_links,
    page_title,
)
from gongkai.crawl.pictures import image_suffix, picture_path, wanted_pictures
from gongkai.crawl.sites import SiteProfile
from gongkai.crawl.walls import wall_reason

# A report URL in one of these states is not requested again: ok, or an answer that will not change
# by asking again (off the allowed hosts). Failed and blocked ones wait refetch_failed_after_s.
TERMINAL = frozenset({"offsite"})
RETRY_HTTP_CODES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
_REDIRECTS = {301, 302, 303, 307, 308}
_PRIORITY = {ATTACHMENT: 20, PICTURE: 15, DETAIL: 10, LIST: 0}
_UNSAFE = re.compile(r"[^\w.\-]+")
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body)", re.I)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    retries: int = 3  # extra attempts after the first
    backoff_s: float = 5.0  # wait before retry n: backoff_s * 2**n (without Retry-After)
    max_retry_after_s: float = 300.0  # a longer Retry-After is capped to this


@dataclass(slots=True)
class CrawlContext:
    """What the spider and its middlewares share for one run."""

    sites: list[SiteProfile]
    out_dir: Path
    ledger: Ledger
    archive: RunArchive
    warc_name: str  # relative to OUT/_crawl/
    retry: RetryPolicy
    refetch_failed_after_s: float = 7 * 86400.0  # a failed/blocked report URL waits this long
    counts: Counter[str] = field(default_factory=Counter)
    crawl_delays: dict[str, float] = field(default_factory=dict)  # host:port -> robots.txt Crawl-delay

    def site(self, site_id: str) -> SiteProfile:
        return next(s for s in self.sites if s.id == site_id)


def _context(crawler: Any) -> CrawlContext:
    context: CrawlContext = crawler.spider.context  # the spider is built before the middlewares
    return context


class OffsiteRequest(IgnoreRequest):
    """A request for a host the site profile does not allow."""


class AlreadyFetched(IgnoreRequest):
    """A report URL the ledger already holds (a request restored from JOBDIR, or queued twice)."""


class HostGuardMiddleware:
    """Drop any request (a link, a redirect target) outside its site's allowed hosts, and any
    detail page or attachment the ledger already holds."""

    def __init__(self, context: CrawlContext) -> None:
        self.context = context
        self._owner: dict[str, str] = {}  # report URL -> the fetch (token) that owns it in this run

    @classmethod
    def from_crawler(cls, crawler: Any) -> HostGuardMiddleware:
        return cls(_context(crawler))

    def process_request(self, request: Request) -> None:
        site_id = request.meta.get("site")
        if site_id is None:  # robots.txt of a host already allowed
            return
        if not self.context.site(site_id).allows(request.url):
            self.context.counts["offsite"] += 1
            raise OffsiteRequest(f"offsite: {urlsplit(request.url).netloc}")
        if urlsplit(request.url).netloc in self.context.crawl_delays:
            request.meta["autothrottle_dont_adjust_delay"] = True  # AutoThrottle must not go below it
        if request.meta.get("kind") != LIST and "redirect_urls" not in request.meta:
            state = self.context.ledger.state(request.meta.get("gongkai_url", request.url))
            if state is not None and state.status == DONE:
                self.context.counts["already_fetched"] += 1
                raise AlreadyFetched(request.url)
            # one fetch per report URL per run: its retries share its token; a second request for
            # the URL (a JOBDIR-restored one beside the new walk's) is dropped
            url = request.meta.get("gongkai_url", request.url)
            token = request.meta.get("gongkai_fetch", "")
            if self._owner.setdefault(url, token) != token:
                self.context.counts["duplicate_dropped"] += 1
                raise AlreadyFetched(request.url)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), None if absent/bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteRetryMiddleware:
    """Retry 408/429/5xx and network errors with exponential backoff, waiting at least what the
    server's Retry-After says (capped); the wait holds only this request."""

    def __init__(self, context: CrawlContext, exceptions: tuple[type[BaseException], ...]) -> None:
        self.policy, self.exceptions, self.context = context.retry, exceptions, context

    @classmethod
    def from_crawler(cls, crawler: Any) -> PoliteRetryMiddleware:
        exceptions = tuple(load_object(e) for e in crawler.settings.getlist("RETRY_EXCEPTIONS"))
        return cls(_context(crawler), exceptions)

    async def _retry(self, request: Request, wait: float | None) -> Request | None:
        attempt = int(request.meta.get("gongkai_retries", 0))
        if attempt >= self.policy.retries:
            return None
        delay = self.policy.backoff_s * 2**attempt
        if wait is not None:
            delay = max(delay, min(wait, self.policy.max_retry_after_s))
        self.context.counts["retries"] += 1
        await asyncio.sleep(delay)
        retry = request.replace(dont_filter=True)
        retry.meta["gongkai_retries"] = attempt + 1
        return retry

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in RETRY_HTTP_CODES:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        return await self._retry(request, wait) or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, self.exceptions):
            return await self._retry(request, None)
        return None


def _header_list(response: Response) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]


class ArchiveResponsesMiddleware:
    """Write every response to the run's WARC (revisit records for unchanged content)."""

    def __init__(self, context: CrawlContext, crawler: Any) -> None:
        self.context, self.crawler = context, crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveResponsesMiddleware:
        return cls(_context(crawler), crawler)

    def _apply_crawl_delay(self, request: Request) -> None:
        """Hold the host's download slot to robots.txt's Crawl-delay (Scrapy reads it but does
        not apply it)."""
        delay = self.context.crawl_delays.get(urlsplit(request.url).netloc)
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        if delay and slot is not None and slot.delay < delay:
            slot.delay = delay

    def process_response(self, request: Request, response: Response) -> Response:
        self._apply_crawl_delay(request)
        known = self.context.ledger.state(request.meta.get("gongkai_url", request.url))
        headers = _header_list(response)
        sha = body_sha256(response.body)
        if response.status == 304 and known and known.sha256:
            record_id = self.context.archive.record_revisit(response.url, 304, headers, known.sha256,
                                                            known.fetched_at, not_modified=True)
        elif response.status == 200 and known and known.sha256 == sha:
            record_id = self.context.archive.record_revisit(response.url, 200, headers, sha,
                                                            known.fetched_at, not_modified=False)
        else:
            record_id = self.context.archive.record_response(response.url, response.status, headers,
                                                             response.body)
        request.meta["warc_record_id"] = record_id
        return response


class ReportSpider(Spider):
    """Walks each site's 年报 column: list pages -> report detail pages -> attachments."""

    name = "gongkai"
    handle_httpstatus_list: ClassVar[list[int]] = [s for s in range(300, 600) if s not in _REDIRECTS]

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        self._scheduled: set[str] = set()
        self._list_pages: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ReportSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Remember the host's Crawl-delay for our user agent (the politeness floor)."""
        delay = robotparser.crawl_delay(self.settings.get("USER_AGENT", ""))
        if delay:
            self.context.crawl_delays[urlsplit(request.url).netloc] = float(delay)

    async def start(self) -> AsyncIterator[Any]:
        for site in self.context.sites:
            for request in self._follow(site, Link(site.url, LIST, site.name)):
                yield request

    def _follow(self, site: SiteProfile, link: Link, extra: dict[str, str] | None = None) -> Iterator[Request]:
        """The request for ``link``, unless it is off-site, already scheduled, or (detail pages and
        attachments) already fetched: then the requests for what it linked."""
        if link.url in self._scheduled:
            return
        if not site.allows(link.url):
            self.context.counts["offsite"] += 1
            return
        self._scheduled.add(link.url)
        state = self.context.ledger.state(link.url)
        if link.kind != LIST and state is not None and state.status == DONE:
            self.context.counts["already_fetched"] += 1
            for child in state.children:
                yield from self._follow(site, child)
            return
        if link.kind != LIST and state is not None and state.status in TERMINAL:
            self.context.counts["skipped_" + state.status] += 1
            return
        if link.kind != LIST and state is not None and _age_s(state.fetched_at) < self.context.refetch_failed_after_s:
            self.context.counts["recently_failed"] += 1
            return
        headers: dict[str, str] = {}
        if link.kind == LIST:
            self._list_pages[site.id] += 1
            if self._list_pages[site.id] > site.max_pages:
                return
            if state is not None and state.status in {DONE, "not_modified"}:
                if state.etag:
                    headers["If-None-Match"] = state.etag
                if state.last_modified:
                    headers["If-Modified-Since"] = state.last_modified
        yield Request(link.url, callback=self.on_response, errback=self.on_error, headers=headers,
                      dont_filter=True, priority=_PRIORITY[link.kind],
                      meta={"site": site.id, "kind": link.kind, "title": link.title, "gongkai_url": link.url,
                            "gongkai_fetch": uuid.uuid4().hex, **(extra or {})})

    # responses --------------------------------------------------------------------------------
    def on_response(self, response: Response) -> Iterator[Request]:
        meta = response.meta
        site, kind, url = self.context.site(meta["site"]), meta["kind"], meta["gongkai_url"]
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        base = Fetch(url, site.id, kind, "ok", http_status=response.status,
                     warc_file=self.context.warc_name, warc_record_id=meta.get("warc_record_id"))
        reason = wall_reason(response.status, response.body, content_type, url, response.url,
                             bool(meta.get("redirect_urls")))
        if reason is not None:
            self._record(_replace(base, status="blocked", reason=reason))
            return
        if response.status == 304:
            self._record(_replace(base, status="not_modified", reason="304"))
            state = self.context.ledger.state(url)
            for child in state.children if state else []:
                yield from self._follow(site, child)
            return
        if response.status != 200:
            self._record(_replace(base, status="failed", reason=f"http_{response.status}"))
            return
        validators = {"etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified"),
                      "sha256": body_sha256(response.body)}
        if kind == LIST:
            text = decode_body(response.body, content_type)
            children = tuple(list_links(text, response.url, site, self._list_pages[site.id]))
            self._record(_replace(base, children=children, **validators))
            for child in children:
                yield from self._follow(site, child)
        elif kind == DETAIL:
            text = decode_body(response.body, content_type)
            title = meta.get("title") or page_title(text)
            attachments = tuple(Link(a.url, a.kind, title or a.title) for a in attachment_links(text, response.url))
            if attachments:
                self._record(_replace(base, children=attachments, **validators))
                for child in attachments:
                    yield from self._follow(site, child)
            else:  # the page itself is the report; its pictures when its text lacks the tables
                saved = self._save(site, _replace(base, **validators), response, title, ".html")
                for src, picture_url in wanted_pictures(response.body, saved, response.url) if saved else ():
                    yield from self._follow(site, Link(picture_url, PICTURE, title),
                                            {"gongkai_page": str(saved), "gongkai_src": src})
        elif kind == PICTURE:
            self._save_picture(_replace(base, **validators), response)
        elif _HTML_START.match(response.body[:512]) and "html" in content_type.lower():
            self._record(_replace(base, status="failed", reason="html_instead_of_document", **validators))
        else:
            self._save(site, _replace(base, **validators), response, meta.get("title") or "", "")

    def _save(self, site: SiteProfile, fetch: Fetch, response: Response, title: str, default_suffix: str
              ) -> Path | None:
        """Write a report file under --out and record it; its path (None when it was not written)."""
        relative = saved_file_name(site.id, fetch.url, default_suffix)
        target = (self.context.out_dir / relative).resolve()
        if not target.is_relative_to(self.context.out_dir.resolve()):  # never write outside --out
            self._record(_replace(fetch, status="failed", reason="unsafe_path"))
            return None
        write_atomic(target, response.body)
        self.context.counts["files_saved"] += 1
        saved = SavedFile(relative, fetch.sha256 or body_sha256(response.body), fetch.url, fetch.warc_file,
                          fetch.warc_record_id, site.id, title)
        self._record(fetch, saved)
        return target

    def _save_picture(self, fetch: Fetch, response: Response) -> None:
        """A report page's picture into the page's picture folder (not a report: no ``files`` row)."""
        suffix = image_suffix(response.body)
        if suffix is None:
            self._record(_replace(fetch, status="failed", reason="not_an_image"))
            return
        target = picture_path(Path(response.meta["gongkai_page"]), response.meta["gongkai_src"], suffix)
        if not target.resolve().is_relative_to(self.context.out_dir.resolve()):
            self._record(_replace(fetch, status="failed", reason="unsafe_path"))
            return
        write_atomic(target, response.body)
        self.context.counts["pictures_saved"] += 1
        self._record(fetch)

    def _record(self, fetch: Fetch, saved: SavedFile | None = None) -> None:
        self.context.counts[fetch.status] += 1
        if fetch.status in {"blocked", "failed"}:
            self.logger.warning("%s %s: %s", fetch.status, fetch.url, fetch.reason)
        self.context.ledger.record(fetch, saved)

    def on_error(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        meta = request.meta
        if "site" not in meta:
            return
        error = failure.value
        if isinstance(error, AlreadyFetched):
            return
        message = str(error)
        status = "failed"
        if isinstance(error, OffsiteRequest):
            status, reason = "offsite", message
        elif isinstance(error, IgnoreRequest) and "robots.txt" in message:
            status, reason = "disallowed", "robots.txt"
        elif isinstance(error, IgnoreRequest) and "redirections" in message:
            reason = "redirect_loop"
        elif isinstance(error, DownloadTimeoutError | TimeoutError) or "took longer than" in message:
            reason = "timeout"
        elif isinstance(error, DownloadCancelledError) or "max size" in message:
            reason = "too_large"
        else:
            reason = f"{type(error).__name__}: {message}"[:300]
        self._record(Fetch(meta["gongkai_url"], meta["site"], meta["kind"], status, reason,
                           warc_file=self.context.warc_name, warc_record_id=meta.get("warc_record_id")))


def _age_s(fetched_at: str) -> float:
    try:
        then = datetime.strptime(fetched_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return float("inf")
    return (datetime.now(UTC) - then).total_seconds()


def _replace(fetch: Fetch, **changes: Any) -> Fetch:
    return replace(fetch, **changes)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def saved_file_name(site_id: str, url: str, default_suffix: str) -> str:
    """``SITE/<10 hex of sha1(url)>-<safe basename>``: stable per URL, never leaving the site folder."""
    path = unquote(urlsplit(url).path)
    name = _UNSAFE.sub("_", path.rsplit("/", 1)[-1]).strip("._") or "index"
    if default_suffix and not name.lower().endswith((".html", ".htm", ".shtml")):
        name += default_suffix
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    return f"{site_id}/{digest}-{name[-120:]}"


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``target``, fsync, rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    with open(temporary, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, target)
