"""The nightly chain: crawl -> extract -> release, with exit codes for cron, systemd and Airflow.

1. ``crawl``: ``python -m gongkai.crawl SITES --out RAW …`` in a subprocess (Scrapy's reactor
   cannot be restarted in one process, and a crash there must not take the chain down).
2. ``extract``: ``run_batch([RAW], OUT)``: only new files are processed; the crawl records under
   ``RAW/_crawl/`` put URL and WARC record into ``sources``.
3. ``release``: ``gongkai release OUT --version YYYY.MM.DD --to RELEASE_TO``, only when
   ``--release-to`` is given and this gongkai has a ``release`` command; otherwise skipped.

Exit codes: 0 every step succeeded (an extract that found nothing new counts as success);
1 the chain finished but a step reported partial failure (a site blocked or unreachable, a
document failed or broke a check); 2 usage error; 3 a step was fatal and the chain stopped.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_FATAL = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class NightlyPlan:
    sites: Path
    raw: Path
    out: Path
    release_to: Path | None = None
    release_version: str = ""  # default: today's UTC date, YYYY.MM.DD
    crawl_args: tuple[str, ...] = ()  # extra options passed to `gongkai crawl`
    jobs: int = 1


@dataclass(slots=True)
class StepResult:
    name: str
    exit_code: int
    note: str = ""


@dataclass(slots=True)
class NightlyReport:
    steps: list[StepResult] = field(default_factory=list)

    def exit_code(self) -> int:
        codes = [s.exit_code for s in self.steps]
        if any(c in {EXIT_USAGE, EXIT_FATAL} or c not in {0, 1, 99} for c in codes):
            return EXIT_USAGE if EXIT_USAGE in codes else EXIT_FATAL
        return EXIT_PARTIAL if EXIT_PARTIAL in codes else EXIT_OK

    def as_dict(self) -> dict[str, object]:
        return {"steps": [{"step": s.name, "exit_code": s.exit_code, "note": s.note} for s in self.steps],
                "exit_code": self.exit_code()}


def release_available() -> bool:
    """True when this gongkai has a ``release`` command (built separately)."""
    from gongkai.cli.app import app

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    return "release" in names


def run_nightly(plan: NightlyPlan, run: Callable[[list[str]], int] | None = None) -> NightlyReport:
    """Run the chain; stops after a step that exits 2 or 3 (or any unknown code)."""
    run = run or _subprocess
    report = NightlyReport()
    crawl = [sys.executable, "-m", "gongkai.crawl", str(plan.sites), "--out", str(plan.raw), *plan.crawl_args]
    report.steps.append(StepResult("crawl", run(crawl)))
    if report.steps[-1].exit_code not in {0, 1}:
        return report
    report.steps.append(_extract(plan))
    if report.steps[-1].exit_code not in {0, 1, 99}:
        return report
    if plan.release_to is None:
        report.steps.append(StepResult("release", 0, "skipped: no --release-to"))
    elif not release_available():
        report.steps.append(StepResult("release", 0, "skipped: this gongkai has no release command"))
    else:
        version = plan.release_version or datetime.now(UTC).strftime("%Y.%m.%d")
        command = [sys.executable, "-m", "gongkai.cli.app", "release", str(plan.out), "--version", version,
                   "--to", str(plan.release_to)]
        report.steps.append(StepResult("release", run(command)))
    return report


def _extract(plan: NightlyPlan) -> StepResult:
    from gongkai.batch.runner import BatchFatalError, BatchOptions, run_batch

    try:
        summary = run_batch([plan.raw], plan.out, options=BatchOptions(jobs=plan.jobs))
    except BatchFatalError as err:
        return StepResult("extract", EXIT_FATAL, str(err))
    code = summary.exit_code()
    return StepResult("extract", code, f"{summary.documents} documents processed, {summary.skipped} skipped")


def _subprocess(command: list[str]) -> int:
    return subprocess.run(command, check=False).returncode
