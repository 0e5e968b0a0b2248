"""The ``gongkai`` command: a thin layer over the library.

Exit codes (for schedulers):
  0   all documents extracted, no arithmetic check failed
  1   some documents failed, broke an arithmetic check, or yielded no value (reason no_values)
  2   usage error (bad option, path does not exist, no report file found under PATHS)
  3   fatal: the output folder is not writable, another run is writing to it, or the manifest is unusable
  99  extract found nothing new to process (everything already done: "skipped")
  130 / 143  extract was stopped by Ctrl-C / SIGTERM (finished documents were committed)
release: 0 built; 2 usage error (bad option, not a dataset, no date for --version); 3 output not writable
`crawl` and `nightly` document their own codes (0 ok, 1 partial, 2 usage, 3 fatal).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from gongkai import PIPELINE_VERSION
from gongkai.batch.defaults import (
    DEFAULT_CHUNK_DOCS,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_TASKS_PER_WORKER,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WORKER_MEMORY_MB,
)
from gongkai.model.settings import (
    OCR_BUDGET_SHARE,
    OCR_DPI,
    OCR_TEXT_PAGE_CHOICES,
    OCR_TEXT_PAGES,
    ExtractSettings,
    OcrOptions,
    PdfOptions,
    PictureOptions,
)

app = typer.Typer(
    name="gongkai",
    help=(
        "Extract the tables of China's government information-disclosure annual reports "
        "(政府信息公开工作年度报告) into a validated Parquet dataset.\n\n"
        "Exit codes: 0 all good; 1 some documents failed, broke an arithmetic check or yielded no value; "
        "2 usage error (or no report file found); 3 fatal (output not writable); 99 nothing new to process; "
        "130/143 stopped by Ctrl-C/SIGTERM."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {PIPELINE_VERSION}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """gongkai: annual reports → tables."""


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Report files, or folders to search for them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the Parquet tables.")] = Path(
        "data/out"),
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: all cores).")] = os.cpu_count() or 1,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, help="Seconds one document may take; past it the document fails as `timeout`.")
    ] = DEFAULT_TIMEOUT_S,
    max_tasks_per_worker: Annotated[int, typer.Option(
        min=1, help="Restart a worker process after this many documents.")] = DEFAULT_MAX_TASKS_PER_WORKER,
    worker_memory_mb: Annotated[int, typer.Option(
        min=0, help="Memory limit of a worker (MB of resident memory; 0: no limit), watched while a "
                    "document is processed: past it the worker is stopped and the document fails as "
                    "`too_large`.")
    ] = DEFAULT_WORKER_MEMORY_MB,
    max_file_mb: Annotated[float, typer.Option(
        min=0, help="Refuse input files larger than this (MB) without reading them (`too_large`; 0: no "
                    "limit).")] = DEFAULT_MAX_FILE_MB,
    force: Annotated[bool, typer.Option("--force", help="Reprocess documents already done.")] = False,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Reprocess documents that failed in an earlier run.")] = False,
    shard: Annotated[str, typer.Option(
        help="Process only share i of N (e.g. 0/4), chosen by a hash of each file path; give every "
             "shard the same PATHS and its own --out.")] = "0/1",
    executor: Annotated[str, typer.Option(help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:8786); default: a local cluster.")] = None,
    log_format: Annotated[str, typer.Option(
        help="auto (progress bar on a terminal, plain lines otherwise), rich, plain or json.")] = "auto",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every document, not only failures.")
                       ] = False,
    in_process: Annotated[str, typer.Option(
        help="auto: a run of a few small files is extracted in this process (no worker start-up); "
             "never: always use worker processes (crash isolation, hard time limits).")] = "auto",
    chunk_docs: Annotated[int, typer.Option(
        min=1, help="Documents per part file (a killed run redoes at most this many).")
    ] = DEFAULT_CHUNK_DOCS,
    ocr: Annotated[bool, typer.Option(
        "--ocr/--no-ocr", help="Read scanned PDF pages and tables pasted as pictures (Word, HTML) by OCR "
                               "when the ocr extra is installed (seconds per page). --no-ocr: a scan fails "
                               "with needs_ocr, pictures are recorded as pictures_not_read.")] = True,
    ocr_dpi: Annotated[int, typer.Option(
        min=72, max=600, help="Resolution (dpi) scanned pages are rendered at, and pictures scaled to, for OCR.")
    ] = OCR_DPI,
    ocr_budget: Annotated[float, typer.Option(
        min=0, help="Seconds of OCR one document may spend; past it the scanned pages or pictures left are not "
                    "read (error ocr_budget_spent) instead of the document failing as a timeout. 0: "
                    "60% of --timeout.")] = 0.0,
    ocr_text_pages: Annotated[str, typer.Option(
        help="Which scanned pages have their text read by OCR: tables (the first page, for the title, and "
             "the pages with a ruled table) or all (every page: sections and prose too, seconds per page more)."
    )] = OCR_TEXT_PAGES,
) -> None:
    """Extract every new or changed report under PATHS into the dataset at --out.

    Tables written: reports, cells, checks, sections, errors (see docs/output.md), plus sources
    (every input path). A document that cannot be processed is recorded in `errors` and
    `reports` (status failed); the rest go on. Documents already done by this version are
    skipped (see --force). Exit codes: 0 all good; 1 some documents failed, broke an
    arithmetic check or yielded no value; 2 usage error, or no report file found under PATHS;
    3 fatal (output not writable, another run on --out, unusable manifest); 99 nothing new to
    process; 130/143 stopped by Ctrl-C/SIGTERM (workers stopped, finished documents committed).
    """
    from gongkai.batch.inputs import Shard
    from gongkai.batch.progress import LOG_FORMATS, make_reporter
    from gongkai.batch.runner import BatchFatalError, BatchInterrupted, BatchOptions, run_batch

    missing = [p for p in paths if not p.exists()]
    if missing:
        _usage_error(f"no such file or folder: {', '.join(map(str, missing))}")
    if executor not in {"local", "dask"}:
        _usage_error(f"--executor must be local or dask, not {executor!r}")
    if in_process not in {"auto", "never"}:
        _usage_error(f"--in-process must be auto or never, not {in_process!r}")
    if log_format not in LOG_FORMATS:
        _usage_error(f"--log-format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    try:
        shard_spec = Shard.parse(shard)
    except ValueError as err:
        _usage_error(str(err))
    options = BatchOptions(jobs=jobs, timeout_s=timeout, max_tasks_per_worker=max_tasks_per_worker,
                           worker_memory_mb=worker_memory_mb, force=force, retry_failed=retry_failed,
                           shard=shard_spec, executor=executor, scheduler=scheduler,
                           chunk_docs=chunk_docs, in_process=in_process, max_file_mb=max_file_mb)
    if ocr_text_pages not in OCR_TEXT_PAGE_CHOICES:
        _usage_error(f"--ocr-text-pages must be one of {', '.join(OCR_TEXT_PAGE_CHOICES)}, not {ocr_text_pages!r}")
    ocr_options = OcrOptions(enabled=ocr, dpi=ocr_dpi, text_pages=ocr_text_pages,
                             max_seconds=ocr_budget or OCR_BUDGET_SHARE * timeout)
    settings = ExtractSettings(pdf=PdfOptions(ocr=ocr_options), pictures=PictureOptions(ocr=ocr_options))
    reporter = make_reporter(log_format, verbose=verbose)
    try:
        summary = run_batch(paths, out, settings, options=options, reporter=reporter)
    except BatchFatalError as err:
        typer.echo(f"fatal: {err}", err=True)
        raise typer.Exit(3) from err
    except BatchInterrupted as stop:
        typer.echo(f"{stop}: workers stopped; {stop.summary.committed} documents of this run committed "
                   f"in {stop.summary.parts_written} parts to {out}; run the same command again to "
                   "continue", err=True)
        raise typer.Exit(stop.exit_code) from None
    if log_format == "json":
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        typer.echo(format_summary(summary.as_dict()))
    raise typer.Exit(summary.exit_code())


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def format_summary(summary: dict[str, Any]) -> str:
    """The end-of-run summary for a person."""

    def counts(name: str) -> str:
        return ", ".join(f"{k} {v}" for k, v in summary[name].items()) or "-"

    rate = summary["docs_per_s"]
    lines = [
        f"{summary['processed']} documents processed in {summary['seconds']:.1f} s"
        + (f" ({rate:.1f}/s)" if rate else "")
        + f"; {summary['skipped']} already done; {summary['duplicates']} duplicate paths",
        f"  by status:   {counts('by_status')}",
        f"  by template: {counts('by_template')}",
        f"  by format:   {counts('by_format')}",
        f"  errors:      {counts('by_error')}",
        f"  checks failed: {summary['checks_failed']} in {summary['reports_with_failed_checks']} reports; "
        f"{summary['reports_without_values']} reports without any value",
        f"  written to {summary['out_dir']} ({summary['parts_written']} parts); "
        f"peak worker memory {summary['peak_worker_rss_mb']} MB; exit {summary['exit_code']}",
    ]
    return "\n".join(lines)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="One report file.", exists=True, dir_okay=False)],
) -> None:
    """Extract one report and print its three tables and the check results."""
    from gongkai.cli.show import not_a_file_result, render_result
    from gongkai.convert.stages import extract_file

    result = not_a_file_result(file) or extract_file(file)
    render_result(result)
    bad = result.status == "failed" or bool({"checks_failed", "no_values"} & set(result.reasons))
    raise typer.Exit(1 if bad else 0)


@app.command()
def release(
    dataset: Annotated[Path, typer.Argument(help="A dataset folder written by `gongkai extract`.")],
    version: Annotated[str, typer.Option("--version", help="Release version, e.g. 2026.12 (YYYY.MM gives the "
                                                           "release date unless SOURCE_DATE_EPOCH is set).")],
    to: Annotated[Path, typer.Option("--to", help="Release folder to write (replaced as a whole).")],
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="An earlier release folder: CHANGELOG.md lists reports added, removed and changed.")
    ] = None,
) -> None:
    """Build a citable dataset release from DATASET: Parquet, CSV, XLSX, DuckDB, codebook, datapackage.json,
    CITATION.cff, SHA256SUMS, a dataset card with coverage and plots, and a CHANGELOG.

    The same dataset gives byte-identical files (the DuckDB file excepted). Exit codes: 0 built;
    2 usage error (not a dataset, bad --previous, no release date); 3 the release folder cannot be written.
    """
    from gongkai.release.build import build_release
    from gongkai.release.settings import ReleaseError, ReleaseSettings

    if not dataset.is_dir():
        _usage_error(f"no such folder: {dataset}")
    try:
        summary = build_release(dataset, to, ReleaseSettings(version=version, previous=previous))
    except ReleaseError as err:
        _usage_error(str(err))
    except OSError as err:
        typer.echo(f"fatal: {err}", err=True)
        raise typer.Exit(3) from err
    typer.echo(f"release {summary.version}: {summary.logical_reports} logical reports from {summary.documents} "
               f"files ({summary.multi_copy_reports} with several copies, {summary.conflicts} conflicts); "
               f"{summary.files} files in {summary.release_dir} in {summary.seconds:.1f} s")
    raise typer.Exit(0)


@app.command()
def crawl(
    sites: Annotated[Path, typer.Argument(help="SITES file (.yaml/.yml or .csv): one row per 年报 column.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the fetched reports (+ _crawl/).")
                   ] = Path("data/raw"),
    delay: Annotated[float, typer.Option(min=0, help="Seconds between requests to one host.")] = 2.0,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds one download may take.")] = 60.0,
    retries: Annotated[int, typer.Option(min=0, help="Retries of 408/429/5xx and network errors.")] = 3,
    backoff: Annotated[float, typer.Option(min=0, help="First retry wait in seconds (doubles).")] = 5.0,
    max_retry_after: Annotated[float, typer.Option(min=0, help="Cap on a server's Retry-After.")] = 300.0,
    max_mb: Annotated[float, typer.Option(min=0.001, help="Abandon downloads larger than this (MB).")] = 200.0,
    contact: Annotated[str, typer.Option(help="E-mail or URL added to the user agent.")] = "",
    retry_failed_after: Annotated[float, typer.Option(
        min=0, help="Hours before a failed or blocked report URL is tried again.")] = 168.0,
    shard: Annotated[str, typer.Option(help="Crawl only share i of N of the sites (e.g. 0/4).")] = "0/1",
    log_format: Annotated[str, typer.Option(help="plain or json (the end-of-run summary).")] = "plain",
) -> None:
    """Fetch new annual reports from the sites in SITES into --out (needs the `crawl` extra).

    Polite (robots.txt, one connection per host, delay + AutoThrottle, Retry-After) and
    incremental (a ledger in OUT/_crawl/: list pages re-checked with conditional GET, reports
    fetched once); every response is archived in OUT/_crawl/warc/ (one WARC per run). Exit
    codes: 0 every site reached; 1 a site blocked or unreachable; 2 usage error; 3 fatal.
    """
    from gongkai.crawl.command import crawl_command

    raise typer.Exit(crawl_command(sites, out, delay=delay, timeout=timeout, retries=retries, backoff=backoff,
                                   max_retry_after=max_retry_after, max_mb=max_mb, contact=contact,
                                   retry_failed_after=retry_failed_after, shard=shard, log_format=log_format))


@app.command()
def nightly(
    sites: Annotated[Path, typer.Argument(help="SITES file for the crawl.")],
    raw: Annotated[Path, typer.Option(help="Folder the crawl fills (extract input).")] = Path("data/raw"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder (extract output).")] = Path("data/out"),
    release_to: Annotated[Path | None, typer.Option(
        help="Build a release here when `gongkai release` exists (else the step is skipped).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract worker processes.")] = 1,
    crawl_option: Annotated[list[str] | None, typer.Option(
        help="An option passed to the crawl, e.g. --crawl-option=--delay=5 (repeatable).")] = None,
) -> None:
    """Crawl -> extract -> release, for cron/systemd/Airflow (see docs/nightly.md).

    Exit codes: 0 all steps fine (nothing new is fine); 1 finished with partial failures (a site
    blocked, a document failed); 2 usage error; 3 a step was fatal and the chain stopped.
    """
    from gongkai.crawl.nightly import NightlyPlan, run_nightly

    if not sites.is_file():
        _usage_error(f"no such SITES file: {sites}")
    report = run_nightly(NightlyPlan(sites, raw, out, release_to, crawl_args=tuple(crawl_option or ()),
                                     jobs=jobs))
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    raise typer.Exit(report.exit_code())


# Commands whose process is the batch supervisor and ends with the run: pandas is kept out of it
# (see gongkai.batch.pandas_guard). Done here, in the process's entry point, not in the commands,
# so that calling the app in a Python process (tests, notebooks) never changes that process.
SUPERVISOR_COMMANDS = frozenset({"extract", "nightly"})


def run() -> None:  # pragma: no cover - entry for `python -m gongkai.cli.app`
    if SUPERVISOR_COMMANDS.intersection(sys.argv[1:2]):
        from gongkai.batch.pandas_guard import keep_pandas_out_of_pyarrow

        keep_pandas_out_of_pyarrow()
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
