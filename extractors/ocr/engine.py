"""RapidOCR with the models inside its wheel: offline, CPU by default, CUDA when present.

The ``rapidocr`` wheel carries PP-OCR detection, recognition and orientation models
(``rapidocr/models/*.onnx``); the engine is built with explicit paths to them, so rapidocr never
takes its download branch (it only downloads when no ``model_path`` is given and a file is
missing). The recognition model holds its character list in its ONNX metadata (no dict file).
One engine per process, built on first use (loading takes about a second).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

# Model files inside the rapidocr wheel (rapidocr 3.x).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

# Crops recognised per onnxruntime call (crops are sorted by width first, so padding stays small).
REC_BATCH = 16


@dataclass(frozen=True, slots=True)
class TextLine:
    """One text line found on an image: its box (x0, top, x1, bottom in pixels), text and score."""

    box: tuple[float, float, float, float]
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class Reading:
    """The text of one line image and the recogniser's confidence (0–1)."""

    text: str
    score: float


@dataclass(frozen=True, slots=True)
class NumberReading:
    """A line image read twice from one pass of the recogniser: as any text, and as digits only.

    ``digits`` are the most probable digit strings (CTC prefix beam search over blank + 0–9,
    the probabilities renormalised over those 11 symbols), best first, with their probabilities.
    """

    text: str
    score: float
    digits: tuple[tuple[str, float], ...]


def model_dir() -> Path:
    """Where the wheel keeps its models."""
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def gpu_present() -> bool:
    """Whether onnxruntime offers its CUDA provider (onnxruntime-gpu with a visible GPU)."""
    import onnxruntime

    return "CUDAExecutionProvider" in onnxruntime.get_available_providers()


class OcrEngine:
    """Detection + recognition on page images, recognition alone on line crops."""

    def __init__(self, use_gpu: bool = True) -> None:
        from rapidocr import RapidOCR

        models = model_dir()
        for name in (DET_MODEL, REC_MODEL, CLS_MODEL):
            if not (models / name).is_file():
                raise FileNotFoundError(f"the rapidocr wheel has no {name} in {models}; "
                                        "gongkai does not download models (install rapidocr 3.x)")
        cuda = use_gpu and gpu_present()
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Global.use_cls": False,  # pages are upright; the orientation model is not needed
            "Global.model_root_dir": str(models),
            "Det.model_path": str(models / DET_MODEL),
            "Rec.model_path": str(models / REC_MODEL),
            "Cls.model_path": str(models / CLS_MODEL),
            "Rec.rec_batch_num": REC_BATCH,
            "Det.limit_type": "max",
            "Det.limit_side_len": 1600,
            "EngineConfig.onnxruntime.use_cuda": cuda,
        }
        self.uses_gpu = cuda
        self._ocr: Any = RapidOCR(params=params)

    def lines(self, image: Image) -> list[TextLine]:
        """Every text line of ``image`` (BGR or gray), top to bottom."""
        result = self._ocr(_bgr(image), use_cls=False)
        if result.boxes is None or result.txts is None:
            return []
        out: list[TextLine] = []
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            out.append(TextLine((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
        out.sort(key=lambda ln: (ln.box[1], ln.box[0]))
        return out

    def read(self, crops: list[Image]) -> list[Reading]:
        """The text of each single-line crop (recognition only, batched)."""
        if not crops:
            return []
        result = self._ocr.recognize_txt([_bgr(c) for c in crops])
        return [Reading(str(t), float(s)) for t, s in zip(result.txts, result.scores, strict=True)]


    def read_numbers(self, crops: list[Image]) -> list[NumberReading]:
        """Each single-line crop read as any text and as its most probable digit strings."""
        rec: Any = self._ocr._load_rec_model()
        characters: list[str] = list(rec.postprocess_op.character)
        digit_index = [characters.index(str(d)) for d in range(10)]
        _channels, height, width = rec.rec_image_shape[:3]
        images = [_bgr(c) for c in crops]
        order = sorted(range(len(images)), key=lambda i: images[i].shape[1] / images[i].shape[0])
        out: list[NumberReading | None] = [None] * len(images)
        for start in range(0, len(order), REC_BATCH):
            batch = order[start:start + REC_BATCH]
            ratio = max([width / height, *(images[i].shape[1] / images[i].shape[0] for i in batch)])
            tensor = np.concatenate([rec.resize_norm_img(images[i], ratio)[np.newaxis] for i in batch])
            probs = np.asarray(rec.session(tensor.astype(np.float32)))
            for i, matrix in zip(batch, probs, strict=True):
                text, score = _greedy(matrix, characters)
                digits = matrix[:, [0, *digit_index]]
                digits = digits / np.maximum(digits.sum(axis=1, keepdims=True), 1e-12)
                out[i] = NumberReading(text, score, digit_beams(digits))
        return [r for r in out if r is not None]


def _greedy(matrix: npt.NDArray[np.float32], characters: list[str]) -> tuple[str, float]:
    """Best-path CTC decoding (as rapidocr does it): the text and the mean probability of its characters."""
    best = matrix.argmax(axis=1)
    keep = [t for t in range(len(best)) if best[t] != 0 and (t == 0 or best[t] != best[t - 1])]
    if not keep:
        return "", 0.0
    text = "".join(characters[int(best[t])] for t in keep)
    return text, float(np.mean([matrix[t, best[t]] for t in keep]))


# Digit strings kept by the beam search, and the least probability (share of the best) of one kept.
DIGIT_BEAMS = 8
DIGIT_MIN_SHARE = 0.01


def digit_beams(probs: npt.NDArray[np.float32]) -> tuple[tuple[str, float], ...]:
    """CTC prefix beam search over ``probs`` (time × [blank, 0, …, 9]): the most probable digit
    strings with their probabilities, best first (those below DIGIT_MIN_SHARE of the best dropped)."""
    beams: dict[str, tuple[float, float]] = {"": (1.0, 0.0)}  # prefix -> (ends in blank, ends in a digit)
    for row in probs:
        symbols = [s for s in range(11) if row[s] > 1e-4]
        grown: dict[str, list[float]] = {}
        for prefix, (blank, digit) in beams.items():
            for s in symbols:
                p = float(row[s])
                if s == 0:
                    grown.setdefault(prefix, [0.0, 0.0])[0] += (blank + digit) * p
                    continue
                char = str(s - 1)
                longer = grown.setdefault(prefix + char, [0.0, 0.0])
                if prefix.endswith(char):
                    longer[1] += blank * p
                    grown.setdefault(prefix, [0.0, 0.0])[1] += digit * p
                else:
                    longer[1] += (blank + digit) * p
        ranked = sorted(grown.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:DIGIT_BEAMS]
        beams = {prefix: (b, d) for prefix, (b, d) in ranked}
    total = sorted(((prefix, b + d) for prefix, (b, d) in beams.items() if prefix), key=lambda kv: -kv[1])
    if not total:
        return ()
    best = total[0][1]
    return tuple((prefix, p) for prefix, p in total if p >= DIGIT_MIN_SHARE * best)


def _bgr(image: Image) -> Image:
    if image.ndim == 2:
        return np.ascontiguousarray(np.repeat(image[:, :, None], 3, axis=2))
    return image


@cache
def shared_engine(use_gpu: bool = True) -> OcrEngine:
    """The process's engine (built once; readers in a batch worker reuse it)."""
    return OcrEngine(use_gpu)
