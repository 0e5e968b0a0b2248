"""A generated batch: good synthetic reports plus a share of bad files, with what to expect of each.

Good reports are rendered from random Truths (text now; HTML, Word and PDF when their renderers
are present beside this module). Bad files are the kinds a crawler brings home: a truncated PDF,
binary garbage, an empty file, text in an encoding that is not text, a page that is not a report,
and a 0-byte .docx. ``expected_codes`` gives the error code(s) each bad file may end with.
"""

from __future__ import annotations

import importlib
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.synth.render_text import render_tab
from tests.synth.truth import Truth, make_truth

Renderer = Callable[[Truth, int], bytes]

# suffix -> (module, function) of optional renderers written by other work streams
_OPTIONAL_RENDERERS: dict[str, tuple[str, str]] = {
    ".html": ("tests.synth.render_html", "render_html"),
    ".docx": ("tests.synth.render_docx", "render_docx"),
    ".pdf": ("tests.synth.render_pdf", "render_pdf"),
}

NOT_A_REPORT_TEXT = ("关于做好2024年春节期间安全生产工作的通知\n\n各乡镇人民政府，区直各部门：\n"
                     "春节将至，为切实做好节日期间安全生产工作，现就有关事项通知如下。\n一、高度重视。\n二、加强检查。\n")


def _text(truth: Truth, seed: int) -> bytes:
    return render_tab(truth, seed).encode("utf-8")


def available_renderers() -> dict[str, Renderer]:
    """Suffix -> renderer for every format whose renderer exists (text always)."""
    renderers: dict[str, Renderer] = {".txt": _text}
    for suffix, (module_name, func_name) in _OPTIONAL_RENDERERS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        func = getattr(module, func_name, None)
        if func is not None:
            renderers[suffix] = _adapt(func)
    return renderers


def _adapt(func: Callable[..., object]) -> Renderer:
    def render(truth: Truth, seed: int) -> bytes:
        data = func(truth)
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)  # type: ignore[arg-type]
    return render


def _truncated_pdf(rng: random.Random) -> bytes:
    body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids ["
    return body + bytes(rng.randrange(256) for _ in range(64))


# name suffix -> (bytes maker, codes the document may end with)
BAD_KINDS: dict[str, tuple[Callable[[random.Random], bytes], frozenset[str]]] = {
    "truncated.pdf": (_truncated_pdf, frozenset({"corrupt_file"})),
    "garbage.bin.txt": (lambda rng: bytes([0]) + bytes(rng.randrange(256) for _ in range(4000)),
                        frozenset({"unknown_format"})),
    "empty.txt": (lambda rng: b"", frozenset({"empty_file"})),
    "wrong-encoding.txt": (lambda rng: "年度报告".encode("utf-32-le") * 50,
                           frozenset({"decode_failed", "unknown_format", "not_a_report"})),
    "notice.txt": (lambda rng: NOT_A_REPORT_TEXT.encode("utf-8"), frozenset({"not_a_report"})),
    "zero-byte.docx": (lambda rng: b"", frozenset({"empty_file"})),
}


@dataclass
class GeneratedBatch:
    root: Path
    good: dict[str, Truth] = field(default_factory=dict)  # path -> truth
    bad: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> acceptable error codes


def make_batch(root: Path, n_good: int, bad_share: float = 0.02, seed: int = 0,
               formats: tuple[str, ...] | None = None) -> GeneratedBatch:
    """Write ``n_good`` good reports (cycling over ``formats``) and ~``bad_share`` bad files."""
    rng = random.Random(seed)
    renderers = available_renderers()
    suffixes = [s for s in (formats or tuple(renderers)) if s in renderers]
    batch = GeneratedBatch(root=root)
    for i in range(n_good):
        suffix = suffixes[i % len(suffixes)]
        truth = make_truth(seed * 1_000_003 + i)
        folder = root / f"{i % 10:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"report-{i:06d}{suffix}"
        path.write_bytes(renderers[suffix](truth, i))
        batch.good[str(path)] = truth
    n_bad = max(len(BAD_KINDS), round(n_good * bad_share))
    kinds = list(BAD_KINDS)
    for j in range(n_bad):
        kind = kinds[j % len(kinds)]
        make, codes = BAD_KINDS[kind]
        path = root / "bad" / f"bad-{j:04d}-{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make(rng) + (b"" if kind.startswith(("empty", "zero")) else str(j).encode()))
        batch.bad[str(path)] = codes
    return batch


def corpus_size(root: Path) -> int:
    return sum(len(files) for _dir, _dirs, files in os.walk(root))
