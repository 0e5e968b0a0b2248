"""Throughput and memory of the batch runner on synthetic corpora.

usage: python benchmarks/bench_batch.py [--sizes 1000 10000] [--formats .txt,.html] [--jobs N]
                                        [--repeat R] [--baseline DIR]
Prints, per format, size and run: documents/s (wall clock), documents/s per core (wall / jobs),
documents per CPU-second (worker + supervisor CPU time: the per-core rate that does not depend
on what else runs on the machine), the supervisor's CPU seconds, and the peak resident memory
of a worker and of the supervisor.

``--baseline DIR``: a checkout of other code (e.g. ``git archive main | tar -x -C DIR``, then
``make typecheck-tree`` there) run on the same corpus, alternating with this checkout run by
run (``new``/``old`` rows), so both see the same machine load. Each corpus is generated once
per format and size.
Targets: text and HTML >= 500 reports per CPU-second; worker and supervisor memory flat as N grows.
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


def run_once(corpus: Path, out: Path, jobs: int, code: Path | None) -> dict[str, float]:
    """Run ``gongkai extract`` (of ``code``'s build tree, else this checkout) as a subprocess."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code / "build" / "typecheck")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "gongkai.cli.app", "extract", str(corpus), "--out", str(out),
                          "--jobs", str(jobs), "--log-format", "json"], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    seconds = time.perf_counter() - started
    summary = json.loads(run.stdout)
    docs = summary["processed"]
    cpu = summary["worker_cpu_s"] + summary["supervisor_cpu_s"]
    shutil.rmtree(out)
    return {
        "docs": docs, "ok": summary["by_status"].get("ok", 0), "seconds": seconds,
        "docs_per_s": docs / seconds, "per_core": docs / seconds / jobs,
        # documents per CPU-second of the supervisor and the workers (startup included)
        "per_cpu_s": docs / cpu, "supervisor_cpu_s": summary["supervisor_cpu_s"],
        "worker_rss_mb": summary["peak_worker_rss_mb"], "supervisor_rss_mb": summary["supervisor_rss_mb"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", default=",".join(available_renderers()))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per format and size (per code)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="checkout of the code to compare with (its build/typecheck tree is used)")
    args = parser.parse_args(argv)
    codes: list[tuple[str, Path | None]] = [("new", None)]
    if args.baseline is not None:
        codes.append(("old", args.baseline.resolve()))
    print(f"{'code':4} {'format':6} {'N':>6} {'docs':>6} {'ok':>6} {'s':>7} {'docs/s':>8} {'/core':>7} "
          f"{'/cpu-s':>7} {'sup. cpu':>8} {'worker MB':>9} {'superv. MB':>10}   (jobs={args.jobs}, "
          f"load {os.getloadavg()[0]:.1f})", flush=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        for fmt in args.formats.split(","):
            for n in args.sizes:
                corpus = Path(tmp) / f"in-{fmt.strip('.')}-{n}"
                make_batch(corpus, n, seed=n, formats=(fmt,))
                for rep in range(args.repeat):
                    order = codes if rep % 2 == 0 else codes[::-1]
                    for label, code in order:
                        r = run_once(corpus, Path(tmp) / "out", args.jobs, code)
                        print(f"{label:4} {fmt:6} {n:>6} {r['docs']:>6.0f} {r['ok']:>6.0f} {r['seconds']:>7.1f} "
                              f"{r['docs_per_s']:>8.1f} {r['per_core']:>7.1f} {r['per_cpu_s']:>7.1f} "
                              f"{r['supervisor_cpu_s']:>8.1f} {r['worker_rss_mb']:>9.1f} "
                              f"{r['supervisor_rss_mb']:>10.1f}   (load {os.getloadavg()[0]:.1f})", flush=True)
                shutil.rmtree(corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
