"""Fuzzing every reader with mutated samples (hypothesis): no exception other than the catalog's
``ExtractionError`` may escape a reader, and memory stays under the worker limit.

Slow (``-m slow``). ``GONGKAI_FUZZ_EXAMPLES`` inputs per reader (default 100,000), within
``GONGKAI_FUZZ_SECONDS`` per reader (default: no limit); the counts actually run are written to
``GONGKAI_FUZZ_REPORT`` (JSON) when it is set. The numbers of the last full run are in the README.
A mutation program (hypothesis-generated) flips bits, overwrites, inserts, deletes, duplicates and
truncates byte ranges; for .docx it mutates ``word/document.xml`` inside a valid zip half of the
time (raw bytes of a zip mostly fail at the zip layer). ``.doc`` is fuzzed up to LibreOffice
(its OLE2 checks; LibreOffice itself is fuzzed with ``GONGKAI_FUZZ_DOC_CONVERSIONS`` inputs).
"""

from __future__ import annotations

import io
import json
import os
import resource
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from gongkai.batch.executors import DEFAULT_WORKER_MEMORY_MB
from gongkai.convert.formats import READERS
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import DocOptions, ExtractSettings, OcrOptions, PdfOptions

DATA = Path(__file__).parent / "data"
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "100000"))
SECONDS = float(os.environ.get("GONGKAI_FUZZ_SECONDS", "0")) or None
DOC_CONVERSIONS = int(os.environ.get("GONGKAI_FUZZ_DOC_CONVERSIONS", "0"))
CHUNK = 2000  # examples per hypothesis run (each run has its own seed)

_OPS = ("flip", "set", "insert", "delete", "duplicate", "truncate", "zero")
mutations = st.lists(st.tuples(st.sampled_from(_OPS), st.integers(0, 2**32 - 1), st.integers(1, 64),
                               st.binary(min_size=1, max_size=16)), min_size=1, max_size=6)


def mutate(data: bytes, program: list[tuple[str, int, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, where, length, payload in program:
        if not buf:
            buf += payload
            continue
        at = where % len(buf)
        if op == "flip":
            buf[at] ^= 1 << (where >> 24) % 8
        elif op == "set":
            buf[at:at + len(payload)] = payload
        elif op == "insert":
            buf[at:at] = payload * length
        elif op == "delete":
            del buf[at:at + length]
        elif op == "duplicate":
            buf[at:at] = buf[at:at + length * 16]
        elif op == "truncate":
            del buf[at:]
        elif op == "zero":
            buf[at:at + length] = bytes(min(length, len(buf) - at))
    return bytes(buf)


def mutate_docx_xml(data: bytes, program: list[tuple[str, int, int, bytes]]) -> bytes:
    """Mutate ``word/document.xml`` and zip it again (structure-aware)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item.filename, mutate(body, program) if item.filename == "word/document.xml" else body)
    return out.getvalue()


def _samples() -> dict[str, list[bytes]]:
    from tests.synth.render_markdown import render_markdown
    from tests.synth.render_text import render_tab
    from tests.synth.truth import make_truth

    truth = make_truth(3)
    samples = {
        "text": [(DATA / "hb-zhuozhou-district-gov-2024.txt").read_bytes(), render_tab(truth, 3).encode("gbk")],
        "html": [(DATA / "sh-municipal-gov-office-2019.html").read_bytes()],
        "markdown": [render_markdown(truth)],
        "docx": [(DATA / "official-blank-template-2021-format.docx").read_bytes()],
        "doc": [(DATA / "official-blank-template-2021-format.doc").read_bytes()],
    }
    try:
        from tests.synth.render_pdf import render_pdf

        samples["pdf"] = [render_pdf(truth)]
    except ImportError:  # reportlab missing: the real sample only
        samples["pdf"] = [(DATA / "js-huaian-city-gov-2024.pdf").read_bytes()]
    return samples


@dataclass
class FuzzStats:
    reader: str
    inputs: int = 0
    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)  # "ok" or the ExtractionError code
    failures: list[str] = field(default_factory=list)  # unexpected exceptions (tracebacks)


def fuzz_reader(name: str, samples: list[bytes], examples: int, budget_s: float | None,
                extract_settings: ExtractSettings) -> FuzzStats:
    reader = READERS[{"text": "txt", "markdown": "md"}.get(name, name)]
    stats = FuzzStats(name)
    started = time.monotonic()

    def one(data: bytes) -> None:
        stats.inputs += 1
        try:
            reader(data, f"fuzz.{name}", extract_settings)
            stats.outcomes["ok"] += 1
        except ExtractionError as err:
            stats.outcomes[err.code] += 1
        except Exception:  # the finding: a reader let an unexpected exception out
            if len(stats.failures) < 20:
                stats.failures.append(traceback.format_exc(limit=6))
            stats.outcomes["UNHANDLED"] += 1

    run = 0
    while stats.inputs < examples and (budget_s is None or time.monotonic() - started < budget_s):
        chunk = min(CHUNK, examples - stats.inputs)

        @seed(run)
        @settings(max_examples=chunk, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(program=mutations, which=st.integers(0, 7))
        def case(program: list[tuple[str, int, int, bytes]], which: int) -> None:
            if budget_s is not None and time.monotonic() - started > budget_s:
                return
            sample = samples[which % len(samples)]
            data = mutate_docx_xml(sample, program) if name == "docx" and which % 2 else mutate(sample, program)
            one(data)

        before = stats.inputs
        case()
        run += 1
        if stats.inputs == before:
            break
    stats.seconds = time.monotonic() - started
    return stats


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.slow
@pytest.mark.parametrize("name", ["text", "markdown", "html", "docx", "pdf", "doc"])
def test_fuzz_reader(name: str) -> None:
    samples = _samples()[name]
    # .doc up to LibreOffice; PDF without OCR (a mutated page without text would be OCR'd, ≈10 s a
    # page: the OCR path is tested in tests/test_ocr*.py, the fuzz targets the reader's parsing)
    settings = {"doc": ExtractSettings(doc=DocOptions(libreoffice_binary="/nonexistent/soffice")),
                "pdf": ExtractSettings(pdf=PdfOptions(ocr=OcrOptions(enabled=False)))}
    stats = fuzz_reader(name, samples, EXAMPLES, SECONDS, settings.get(name, ExtractSettings()))
    if name == "doc" and DOC_CONVERSIONS:
        converted = fuzz_reader(name, samples, DOC_CONVERSIONS, None, ExtractSettings())
        stats.outcomes.update({f"soffice:{k}": v for k, v in converted.outcomes.items()})
        stats.failures += converted.failures
    record = {"reader": name, "inputs": stats.inputs, "seconds": round(stats.seconds, 1),
              "outcomes": dict(stats.outcomes.most_common()), "peak_rss_mb": round(_peak_rss_mb(), 1),
              "failures": stats.failures[:5]}
    report = os.environ.get("GONGKAI_FUZZ_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert stats.inputs > 0
    assert stats.failures == [], stats.failures[0]
    assert _peak_rss_mb() < DEFAULT_WORKER_MEMORY_MB


def test_mutations_change_the_sample_and_stay_deterministic() -> None:
    sample = b"0123456789" * 10
    program = [("flip", 5, 1, b"x"), ("insert", 50, 2, b"ab"), ("truncate", 90, 1, b"")]
    assert mutate(sample, program) == mutate(sample, program) != sample
    docx = (DATA / "official-blank-template-2021-format.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(mutate_docx_xml(docx, [("zero", 100, 8, b"x")]))) as zf:
        assert zf.read("word/document.xml") != zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


def test_damaged_bytes_behind_a_bom_fail_as_decode_failed() -> None:
    """Found by the text fuzzer: a UTF-16 BOM followed by a lone surrogate raised UnicodeDecodeError."""
    data = b"\xfe\xff" + "二、主动公开".encode("utf-16-be") + b"\xd8\x00\x00b"
    with pytest.raises(ExtractionError) as err:
        READERS["txt"](data, "fuzz.txt", ExtractSettings())
    assert err.value.code == "decode_failed"
