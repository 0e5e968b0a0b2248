"""The body of ``gongkai crawl``: options -> CrawlSettings -> run_crawl -> summary and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gongkai.batch.inputs import Shard
from gongkai.crawl.runner import EXIT_FATAL, EXIT_USAGE, CrawlFatalError, CrawlSettings, run_crawl
from gongkai.crawl.sites import SitesFileError, load_sites


def crawl_command(sites: Path, out: Path, *, delay: float, timeout: float, retries: int, backoff: float,
                  max_retry_after: float, max_mb: float, contact: str,
                  retry_failed_after: float, shard: str, log_format: str) -> int:
    """Run one crawl and print its summary; returns the exit code."""
    try:
        import scrapy  # noqa: F401
        import warcio  # noqa: F401
    except ImportError as err:
        typer.echo(f"error: the crawl needs the `crawl` extra (pip install 'gongkai[crawl]'): {err}", err=True)
        return EXIT_USAGE
    if log_format not in {"plain", "json"}:
        typer.echo(f"error: --log-format must be plain or json, not {log_format!r}", err=True)
        return EXIT_USAGE
    try:
        profiles = load_sites(sites)
        shard_spec = Shard.parse(shard)
    except (SitesFileError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        return EXIT_USAGE
    settings = CrawlSettings(delay_s=delay, timeout_s=timeout, retries=retries, backoff_s=backoff,
                             max_retry_after_s=max_retry_after, max_bytes=int(max_mb * 2**20), contact=contact,
                             refetch_failed_after_h=retry_failed_after, shard=shard_spec)
    try:
        summary = run_crawl(profiles, out, settings)
    except CrawlFatalError as err:
        typer.echo(f"fatal: {err}", err=True)
        return EXIT_FATAL
    data = summary.as_dict()
    if log_format == "json":
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        counts = ", ".join(f"{k} {v}" for k, v in data["counts"].items()) or "-"
        typer.echo(f"crawled {len(summary.sites)} sites in {summary.seconds:.1f} s: {counts}\n"
                   f"  WARC {out / '_crawl' / summary.warc_file}; finish {summary.finish_reason}; "
                   f"failed sites: {', '.join(f'{k} ({v})' for k, v in summary.failed_sites.items()) or '-'}; "
                   f"exit {summary.exit_code()}")
    return summary.exit_code()
