"""Throughput and memory of the batch runner on synthetic corpora.

usage: python benchmarks/bench_batch.py [--sizes 1000 10000] [--formats .txt,.html] [--jobs N]
Prints, per format and size: documents/s (wall clock), documents/s per core (wall / jobs),
documents per CPU-second (worker + supervisor CPU time: the per-core rate that does not depend
on what else runs on the machine), peak resident memory of a worker and of the supervisor.
Targets: text and HTML >= 200 reports/s per core; worker memory flat as N grows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.synth.corpus import available_renderers, make_batch  # noqa: E402


def bench(fmt: str, n: int, jobs: int, work: Path) -> dict[str, float]:
    """Generate the corpus here, run ``gongkai extract`` as a subprocess, read its JSON summary."""
    corpus, out = work / f"in-{fmt.strip('.')}-{n}", work / f"out-{fmt.strip('.')}-{n}"
    batch = make_batch(corpus, n, seed=n, formats=(fmt,))
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "gongkai.cli.app", "extract", str(corpus), "--out", str(out),
                          "--jobs", str(jobs), "--log-format", "json"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = json.loads(run.stdout)
    docs = summary["processed"]
    result = {
        "docs": docs, "ok": summary["by_status"].get("ok", 0), "bad": len(batch.bad), "seconds": seconds,
        "docs_per_s": docs / seconds, "per_core": docs / seconds / jobs,
        # documents per CPU-second of the supervisor and the workers (startup included): the
        # per-core rate that does not depend on what else runs on the machine
        "per_cpu_s": docs / (summary["worker_cpu_s"] + summary["supervisor_cpu_s"]),
        "worker_rss_mb": summary["peak_worker_rss_mb"], "supervisor_rss_mb": summary["supervisor_rss_mb"],
    }
    shutil.rmtree(corpus)
    shutil.rmtree(out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", default=",".join(available_renderers()))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    print(f"{'format':6} {'N':>6} {'docs':>6} {'ok':>6} {'s':>7} {'docs/s':>8} {'/core':>7} {'/cpu-s':>7} "
          f"{'worker MB':>9} {'superv. MB':>10}   (jobs={args.jobs})")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        for fmt in args.formats.split(","):
            for n in args.sizes:
                r = bench(fmt, n, args.jobs, Path(tmp))
                print(f"{fmt:6} {n:>6} {r['docs']:>6.0f} {r['ok']:>6.0f} {r['seconds']:>7.1f} "
                      f"{r['docs_per_s']:>8.1f} {r['per_core']:>7.1f} {r['per_cpu_s']:>7.1f} "
                      f"{r['worker_rss_mb']:>9.1f} "
                      f"{r['supervisor_rss_mb']:>10.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
