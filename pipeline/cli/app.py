"""The ``gongkai`` command: a thin layer over the library.

Exit codes (for schedulers):
  0   all documents extracted, no arithmetic check failed
  1   some documents failed, or some report broke an arithmetic check
  2   usage error (bad option, path does not exist, no report file found under PATHS)
  3   fatal: the output folder is not writable, or another run is writing to it
  99  extract found nothing new to process (everything already done: "skipped")
  130 / 143  extract was stopped by Ctrl-C / SIGTERM (finished documents were committed)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from gongkai import PIPELINE_VERSION
from gongkai.batch.executors import DEFAULT_MAX_TASKS_PER_WORKER, DEFAULT_TIMEOUT_S, DEFAULT_WORKER_MEMORY_MB
from gongkai.batch.runner import DEFAULT_CHUNK_DOCS, DEFAULT_MAX_FILE_MB

app = typer.Typer(
    name="gongkai",
    help=(
        "Extract the tables of China's government information-disclosure annual reports "
        "(政府信息公开工作年度报告) into a validated Parquet dataset.\n\n"
        "Exit codes: 0 all good; 1 some documents failed or broke an arithmetic check; 2 usage error "
        "(or no report file found); 3 fatal (output not writable); 99 nothing new to process; "
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
    chunk_docs: Annotated[int, typer.Option(
        min=1, help="Documents per part file (a killed run redoes at most this many).")
    ] = DEFAULT_CHUNK_DOCS,
) -> None:
    """Extract every new or changed report under PATHS into the dataset at --out.

    Tables written: reports, cells, checks, sections, errors (see docs/output.md), plus sources
    (every input path). A document that cannot be processed is recorded in `errors` and
    `reports` (status failed); the rest go on. Documents already done by this version are
    skipped (see --force). Exit codes: 0 all good; 1 some documents failed or broke an
    arithmetic check; 2 usage error, or no report file found under PATHS; 3 fatal (output not
    writable, another run on --out, unusable manifest); 99 nothing new to process; 130/143
    stopped by Ctrl-C/SIGTERM (workers stopped, finished documents committed).
    """
    from gongkai.batch.inputs import Shard
    from gongkai.batch.progress import LOG_FORMATS, make_reporter
    from gongkai.batch.runner import BatchFatalError, BatchInterrupted, BatchOptions, run_batch

    missing = [p for p in paths if not p.exists()]
    if missing:
        _usage_error(f"no such file or folder: {', '.join(map(str, missing))}")
    if executor not in {"local", "dask"}:
        _usage_error(f"--executor must be local or dask, not {executor!r}")
    if log_format not in LOG_FORMATS:
        _usage_error(f"--log-format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    try:
        shard_spec = Shard.parse(shard)
    except ValueError as err:
        _usage_error(str(err))
    options = BatchOptions(jobs=jobs, timeout_s=timeout, max_tasks_per_worker=max_tasks_per_worker,
                           worker_memory_mb=worker_memory_mb, force=force, retry_failed=retry_failed,
                           shard=shard_spec, executor=executor, scheduler=scheduler,
                           chunk_docs=chunk_docs, max_file_mb=max_file_mb)
    reporter = make_reporter(log_format, verbose=verbose)
    try:
        summary = run_batch(paths, out, options=options, reporter=reporter)
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
        f"  checks failed: {summary['checks_failed']} in {summary['reports_with_failed_checks']} reports",
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
    raise typer.Exit(1 if result.status == "failed" or result.checks_failed else 0)


def run() -> None:  # pragma: no cover - entry for `python -m gongkai.cli.app`
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
