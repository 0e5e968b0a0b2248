"""``run_crawl``: fetch the new reports of the sites in a SITES file into ``--out``.

Runs Scrapy's Twisted reactor in this process, which cannot be restarted: call it once per
process (``gongkai crawl`` does; tests and ``gongkai nightly`` start a subprocess).

Exit codes (``CrawlSummary.exit_code``): 0 every site's first list page was reached (single
detail pages or attachments may still have failed: see the ledger); 1 at least one site is
blocked or unreachable at its first list page; 2 usage error (bad SITES file, bad option);
3 fatal (--out not writable, another crawl holds --out).
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gongkai import PIPELINE_VERSION
from gongkai.batch.inputs import Shard
from gongkai.crawl.ledger import LEDGER_NAME, Ledger
from gongkai.crawl.sites import SiteProfile

CRAWL_DIR = "_crawl"  # under --out: ledger, WARC files, Scrapy job state (JOBDIR job/), lock
EXIT_OK, EXIT_SITE_FAILED, EXIT_USAGE, EXIT_FATAL = 0, 1, 2, 3
USER_AGENT = f"gongkai-crawler/{PIPELINE_VERSION} (government information-disclosure annual reports; polite: robots.txt, 1 connection per host)"


class CrawlFatalError(Exception):
    """The crawl cannot run (output folder not writable, another crawl is writing to it)."""


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How politely and how far to crawl. Defaults are for real government sites."""

    delay_s: float = 2.0  # between two requests to one host (randomised 0.5x-1.5x), AutoThrottle start
    autothrottle_max_delay_s: float = 60.0
    timeout_s: float = 60.0
    retries: int = 3
    backoff_s: float = 5.0
    max_retry_after_s: float = 300.0
    max_bytes: int = 200 * 2**20  # larger downloads are abandoned (failed, too_large)
    redirect_max: int = 5
    refetch_failed_after_h: float = 7 * 24.0  # a failed or blocked report URL is retried after this
    contact: str = ""  # appended to the user agent (an e-mail or URL for site operators)
    shard: Shard = field(default_factory=Shard)
    log_level: str = "WARNING"


@dataclass(slots=True)
class CrawlSummary:
    run_id: str
    out_dir: str
    warc_file: str
    sites: list[str]
    counts: dict[str, int]
    failed_sites: dict[str, str]  # site id -> status of its first list page
    seconds: float = 0.0
    finish_reason: str = ""

    def exit_code(self) -> int:
        return EXIT_SITE_FAILED if self.failed_sites else EXIT_OK

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "out_dir": self.out_dir, "warc_file": self.warc_file,
                "sites": self.sites, "counts": dict(sorted(self.counts.items())),
                "failed_sites": self.failed_sites, "seconds": round(self.seconds, 3),
                "finish_reason": self.finish_reason, "exit_code": self.exit_code()}


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{time.time_ns() % 10**6:06d}"


def scrapy_settings(settings: CrawlSettings, crawl_dir: Path) -> dict[str, Any]:
    """The Scrapy settings for a polite, incremental, archived crawl."""
    agent = USER_AGENT + (f"; contact {settings.contact}" if settings.contact else "")
    return {
        "BOT_NAME": "gongkai",
        "USER_AGENT": agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_PARSER": "scrapy.robotstxt.ProtegoRobotParser",
        "CONCURRENT_REQUESTS": 8,  # across hosts
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": settings.delay_s,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # each delay is 0.5x-1.5x DOWNLOAD_DELAY
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": settings.delay_s,
        "AUTOTHROTTLE_MAX_DELAY": max(settings.delay_s, settings.autothrottle_max_delay_s),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": settings.timeout_s,
        "DOWNLOAD_MAXSIZE": settings.max_bytes,
        "DOWNLOAD_WARNSIZE": settings.max_bytes // 4,
        "REDIRECT_MAX_TIMES": settings.redirect_max,
        "RETRY_ENABLED": True,  # Scrapy's RetryMiddleware is replaced by PoliteRetryMiddleware
        "COOKIES_ENABLED": False,  # challenge cookies are never replayed
        "TELNETCONSOLE_ENABLED": False,
        "JOBDIR": str(crawl_dir / "job"),
        "LOG_LEVEL": settings.log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "gongkai.crawl.spider.HostGuardMiddleware": 40,
            "gongkai.crawl.spider.PoliteRetryMiddleware": 550,
            "gongkai.crawl.spider.ArchiveResponsesMiddleware": 950,
        },
    }


JOB_CLOSED_MARK = "job.closed"


def _discard_killed_job(crawl_dir: Path) -> None:
    """Scrapy writes its JOBDIR queue consistently only when it closes. A job folder without the
    mark of a graceful stop is from a killed crawl: its queue may be torn, so it is dropped and the
    run resumes from the ledger (reports already saved are not fetched again)."""
    job, mark = crawl_dir / "job", crawl_dir / JOB_CLOSED_MARK
    if job.exists() and not mark.exists():
        logging.getLogger("gongkai").warning("the last crawl into %s was killed: resuming from the ledger",
                                             crawl_dir.parent)
        shutil.rmtree(job, ignore_errors=True)
    mark.unlink(missing_ok=True)


def run_crawl(sites: list[SiteProfile], out_dir: Path, settings: CrawlSettings | None = None) -> CrawlSummary:
    """Crawl this shard's ``sites`` into ``out_dir``; raises CrawlFatalError when it cannot run."""
    from scrapy.crawler import CrawlerProcess

    from gongkai.crawl.archive import RunArchive
    from gongkai.crawl.spider import CrawlContext, ReportSpider, RetryPolicy

    settings = settings or CrawlSettings()
    started = time.monotonic()
    mine = [s for s in sites if settings.shard.holds(s.id)]
    crawl_dir = out_dir / CRAWL_DIR
    try:
        crawl_dir.mkdir(parents=True, exist_ok=True)
        lock = open(crawl_dir / "lock", "w")  # held for the whole run
    except OSError as err:
        raise CrawlFatalError(f"output folder {out_dir} is not writable: {err}") from err
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        lock.close()
        raise CrawlFatalError(f"another crawl is writing to {out_dir}") from err
    _discard_killed_job(crawl_dir)
    for site in mine:  # half-written files of a killed crawl (the ledger never recorded them)
        for partial in (out_dir / site.id).glob(".*.part"):
            partial.unlink(missing_ok=True)
    run_id = new_run_id()
    warc_name = f"warc/gongkai-{run_id}.warc.gz"
    ledger = Ledger(crawl_dir / LEDGER_NAME, run_id)
    archive = RunArchive(crawl_dir / warc_name, run_id, [s.id for s in mine])
    ledger.start_run(warc_name, [s.id for s in mine])
    retry = RetryPolicy(settings.retries, settings.backoff_s, settings.max_retry_after_s)
    context = CrawlContext(mine, out_dir, ledger, archive, warc_name, retry,
                           refetch_failed_after_s=settings.refetch_failed_after_h * 3600.0)
    finish: dict[str, str] = {}
    try:
        process = CrawlerProcess(scrapy_settings(settings, crawl_dir))
        logging.getLogger("scrapy").setLevel(settings.log_level)
        crawler = process.create_crawler(ReportSpider)
        process.crawl(crawler, context=context)
        process.start()
        finish["reason"] = str(crawler.stats.get_value("finish_reason") if crawler.stats else "")
        counts = dict(Counter(context.counts))
        ledger.finish_run(counts)
        failed = {s.id: status for s in mine
                  if (status := ledger.site_start_status(s.url) or "not_fetched") not in {"ok", "not_modified"}}
    finally:
        archive.close()
        ledger.close()
        lock.close()
    if finish.get("reason") == "finished":  # a finished job leaves no state to resume
        shutil.rmtree(crawl_dir / "job", ignore_errors=True)
    else:  # stopped gracefully (SIGINT/SIGTERM): Scrapy saved its queue in job/, trusted next time
        (crawl_dir / JOB_CLOSED_MARK).touch()
    return CrawlSummary(run_id, str(out_dir), warc_name, [s.id for s in mine], counts, failed,
                        time.monotonic() - started, finish.get("reason", ""))
