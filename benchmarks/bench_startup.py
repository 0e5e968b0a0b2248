"""Start-up: wall and CPU time of `gongkai --help` and of extracting one small file (median of runs).

    python benchmarks/bench_startup.py [--gongkai PATH] [--runs 7]

Run it with the gongkai of a runtime-only install (`make extract`'s .venv, or `pip install .` in a
fresh venv): with the test extras installed, pyarrow also imports pandas on its first array.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "hb-zhuozhou-district-gov-2024.txt"


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: int, make_cmd: list[str], fresh_out: Path | None = None) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        if fresh_out is not None:
            shutil.rmtree(fresh_out, ignore_errors=True)
        wall, cpu = timed(make_cmd)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gongkai", default=shutil.which("gongkai") or str(Path(sys.executable).parent / "gongkai"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"gongkai: {args.gongkai}; load average {os.getloadavg()[0]:.2f}")
    wall, cpu = median_of(args.runs, [args.gongkai, "--help"])
    print(f"gongkai --help                     wall {wall:.3f} s   cpu {cpu:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        wall, cpu = median_of(args.runs, [args.gongkai, "extract", str(SAMPLE), "--out", str(out)], fresh_out=out)
        print(f"gongkai extract one.txt (new out)  wall {wall:.3f} s   cpu {cpu:.3f} s")


if __name__ == "__main__":
    main()
