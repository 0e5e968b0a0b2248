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


def _bgr(image: Image) -> Image:
    if image.ndim == 2:
        return np.ascontiguousarray(np.repeat(image[:, :, None], 3, axis=2))
    return image


@cache
def shared_engine(use_gpu: bool = True) -> OcrEngine:
    """The process's engine (built once; readers in a batch worker reuse it)."""
    return OcrEngine(use_gpu)
