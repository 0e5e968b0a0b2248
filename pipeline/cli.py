"""The ``gongkai`` command: a thin layer over the library.

Exit codes (for schedulers):
  0  all documents extracted, no arithmetic check failed
  1  some documents failed, or some report broke an arithmetic check
  2  usage error (bad option, path does not exist)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline import PIPELINE_VERSION

app = typer.Typer(
    name="gongkai",
    help=(
        "Extract the tables of China's government information-disclosure annual reports "
        "(政府信息公开工作年度报告) into a validated Parquet dataset.\n\n"
        "Exit codes: 0 all good; 1 some documents failed or broke an arithmetic check; 2 usage error."
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
) -> None:
    """Extract every report under PATHS and write the dataset tables to --out.

    Tables written: reports, cells, checks, sections, errors (see OUTPUT.md). A document that
    cannot be processed is recorded in `errors` and `reports` (status failed); the rest go on.
    """
    from pipeline.batch import run_batch

    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or folder: {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(2)

    def progress(result: object) -> None:
        from pipeline.result import ReportResult

        assert isinstance(result, ReportResult)
        codes = ",".join(e.code for e in result.errors) or "-"
        typer.echo(f"{result.status:>12}  {result.template:8} {result.source_name}  [{codes}]", err=True)

    summary = run_batch(paths, out, on_result=progress)
    parts = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items()))
    typer.echo(f"{summary.documents} documents: {parts}; checks failed: {summary.checks_failed}; "
               f"written to {out}")
    raise typer.Exit(summary.exit_code())


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="One report file.", exists=True, dir_okay=False)],
) -> None:
    """Extract one report and print its three tables and the check results."""
    from pipeline.converter import extract_file
    from pipeline.show import render_result

    result = extract_file(file)
    render_result(result)
    raise typer.Exit(1 if result.status == "failed" or result.checks_failed else 0)


def run() -> None:  # pragma: no cover - entry for `python -m pipeline.cli`
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
