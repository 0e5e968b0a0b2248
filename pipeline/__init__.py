"""gongkai: China's government information-disclosure annual reports → a validated dataset.

The public API (see the README, "Python API"):

- :func:`read` — one file → the intermediate :class:`~gongkai.model.document.Document`
  (text blocks and table grids with spans and provenance), whatever its format.
- :func:`extract` — one file → a :class:`Report`: status, issuer, year, layout, every cell of
  tables 二–四 with its flag and locator, the arithmetic checks, the sections, the errors; its
  tables as pyarrow (``report.table("cells")``) or pandas (``report.to_pandas("cells")``).
- :func:`run_batch` — many files → the Parquet dataset (incremental, parallel, crash-safe).

Names are imported on first use, so ``import gongkai`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
PIPELINE_VERSION = __version__

__all__ = [
    "PIPELINE_VERSION",
    "BatchOptions",
    "BatchSummary",
    "Document",
    "ExtractSettings",
    "ExtractionError",
    "Report",
    "Status",
    "__version__",
    "extract",
    "read",
    "run_batch",
]

if TYPE_CHECKING:
    from gongkai.api import Report, extract, read, run_batch
    from gongkai.batch.runner import BatchOptions, BatchSummary
    from gongkai.model.document import Document
    from gongkai.model.errors import ExtractionError
    from gongkai.model.result import Status
    from gongkai.model.settings import ExtractSettings

_LAZY: dict[str, str] = {
    "Report": "gongkai.api",
    "extract": "gongkai.api",
    "read": "gongkai.api",
    "run_batch": "gongkai.api",
    "BatchOptions": "gongkai.batch.runner",
    "BatchSummary": "gongkai.batch.runner",
    "Document": "gongkai.model.document",
    "ExtractionError": "gongkai.model.errors",
    "Status": "gongkai.model.result",
    "ExtractSettings": "gongkai.model.settings",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
