"""CPU of the batch supervisor alone, per document, without the workers' noise.

``run_batch`` over a real corpus (the scan hashes the real files; parts are written as in a real
run), but the workers run ``canned_work``: it answers each document with one of N real outcomes
extracted beforehand (picked by report_id, so years and table sizes are realistic), after an
optional sleep that stands for the extraction (``--sleep-ms``, default 3: two workers then hand
in a document every ≈1.5 ms, as with real HTML). Prints the supervisor's CPU per document
(``time.process_time`` around ``run_batch``: user + system, start-up excluded), parts written and
peak resident memory (it includes the extraction stack loaded to make the canned outcomes). The
machine's speed drifts: compare two checkouts alternately, e.g. with
``PYTHONPATH=OTHER/build/typecheck``. Run from the repository root:
``python benchmarks/bench_supervisor.py /path/to/html-corpus [--canned 300]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.batch import runner
from gongkai.batch.executors import LocalProcessExecutor
from gongkai.batch.inputs import iter_input_files
from gongkai.batch.outcome import DocumentOutcome, Task, current_rss, process_document
from gongkai.batch.pandas_guard import keep_pandas_out_of_pyarrow
from gongkai.model.settings import ExtractSettings

_CANNED_ENV = "GONGKAI_BENCH_CANNED"  # path of the pickled outcomes (read by each worker)
_SLEEP_ENV = "GONGKAI_BENCH_SLEEP_MS"
_canned: list[DocumentOutcome] = []


def canned_work(task: Task, settings: ExtractSettings) -> DocumentOutcome:
    """A worker's answer: a canned real outcome, relabelled as ``task``'s."""
    if not _canned:
        with open(os.environ[_CANNED_ENV], "rb") as fh:
            _canned.extend(pickle.load(fh))
    time.sleep(float(os.environ.get(_SLEEP_ENV, "0")) / 1000)
    base = _canned[int(task.report_id[:8], 16) % len(_canned)]
    return dataclasses.replace(base, report_id=task.report_id, source_path=task.path, worker=str(os.getpid()),
                               worker_rss=current_rss(), worker_cpu_s=time.process_time())


def _make_canned(corpus: Path, count: int, path: Path) -> None:
    files = list(iter_input_files([corpus]))
    step = max(1, len(files) // count)
    outcomes = [process_document(Task(str(p), f"{i:064x}"), ExtractSettings())
                for i, p in enumerate(files[::step][:count])]
    with open(path, "wb") as fh:
        pickle.dump(outcomes, fh, protocol=pickle.HIGHEST_PROTOCOL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--canned", type=int, default=300, help="real outcomes extracted beforehand")
    parser.add_argument("--sleep-ms", type=float, default=3.0, help="a worker's time per document")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunk-docs", type=int, default=0, help="documents per part (0: the default)")
    args = parser.parse_args()
    keep_pandas_out_of_pyarrow()
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-supervisor-"))
    try:
        canned = work / "canned.pkl"
        _make_canned(args.corpus, args.canned, canned)
        os.environ[_CANNED_ENV], os.environ[_SLEEP_ENV] = str(canned), str(args.sleep_ms)
        runner._make_executor = lambda settings, options, n, manifest: LocalProcessExecutor(  # type: ignore[assignment]
            settings, options, work=canned_work)
        chunk = {"chunk_docs": args.chunk_docs} if args.chunk_docs else {}
        options = runner.BatchOptions(jobs=args.jobs, **chunk)  # type: ignore[arg-type]
        before, cpu = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
        summary = runner.run_batch([args.corpus], work / "out", options=options)
        cpu, after = time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF)
        docs = max(1, summary.documents)
        print(json.dumps({"documents": summary.documents, "supervisor_ms_per_doc": round(cpu / docs * 1000, 4),
                          "user_ms": round((after.ru_utime - before.ru_utime) / docs * 1000, 4),
                          "system_ms": round((after.ru_stime - before.ru_stime) / docs * 1000, 4),
                          "parts": summary.parts_written,
                          "supervisor_rss_mb": summary.as_dict()["supervisor_rss_mb"]}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
