"""The library API behind ``import gongkai`` (the CLI is a thin layer over these functions)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.convert.formats import READERS, format_of
from gongkai.convert.stages import extract_bytes, extract_file
from gongkai.model.document import Document
from gongkai.model.result import CellValue, CheckResult, ErrorRecord, ReportResult, SectionText, Status
from gongkai.model.settings import ExtractSettings

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from gongkai.batch.progress import Reporter
    from gongkai.batch.runner import BatchOptions, BatchSummary

PathLike = str | os.PathLike[str]


def read(path: PathLike, settings: ExtractSettings | None = None) -> Document:
    """Read one file into the intermediate :class:`Document` (text blocks and table grids).

    The format is recognised from the content (the suffix only breaks ties). Raises
    ``FileNotFoundError``/``OSError`` for a file that cannot be opened, and
    :class:`~gongkai.model.errors.ExtractionError` (with a catalog ``code``) for one that cannot
    be read: ``unknown_format``, ``corrupt_file``, ``needs_ocr`` …
    """
    source = Path(path)
    data = source.read_bytes()
    return READERS[format_of(data, source.suffix)](data, str(source), settings or ExtractSettings())


@dataclass(frozen=True, slots=True)
class Report:
    """What :func:`extract` returns for one document. Never raised for a bad document: look at
    ``status`` and ``errors``. ``result`` holds everything; the properties are shortcuts."""

    result: ReportResult

    @property
    def report_id(self) -> str:
        return self.result.report_id

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def reasons(self) -> list[str]:
        """Why ``status`` is not ``ok`` (codes of ``gongkai.model.status.REASONS``); empty when ok."""
        return self.result.status_reasons()

    @property
    def format(self) -> str:
        return self.result.format

    @property
    def issuer(self) -> str | None:
        return self.result.issuer

    @property
    def year(self) -> int | None:
        return self.result.year

    @property
    def template(self) -> str:
        return self.result.template

    @property
    def cells(self) -> list[CellValue]:
        return self.result.cells

    @property
    def checks(self) -> list[CheckResult]:
        return self.result.checks

    @property
    def sections(self) -> list[SectionText]:
        return self.result.sections

    @property
    def errors(self) -> list[ErrorRecord]:
        return self.result.errors

    def value(self, code: str) -> float | None:
        """The value of cell ``code`` (e.g. ``"applications.new_received@total"``); None when the
        cell is null (see its flag) or not in this report's layout."""
        cell = self.result.cell_map().get(code)
        return None if cell is None else cell.value

    def tables(self) -> dict[str, pa.Table]:
        """The dataset rows of this report, per table (reports, cells, checks, sections, errors),
        typed as in the Parquet dataset (docs/output.md)."""
        from gongkai.schemas.tables import SCHEMAS, columns_for, table_from_columns

        return {name: table_from_columns(name, columns)
                for name, columns in columns_for(self.result).items() if name in SCHEMAS}

    def table(self, name: str) -> pa.Table:
        """One table of :meth:`tables` (KeyError for an unknown name)."""
        return self.tables()[name]

    def to_pandas(self, name: str = "cells") -> pd.DataFrame:
        """One table of :meth:`tables` as a pandas DataFrame (``pip install 'gongkai[pandas]'``)."""
        try:
            import pandas  # noqa: F401
        except ImportError as err:
            raise ImportError("Report.to_pandas needs pandas: pip install 'gongkai[pandas]'") from err
        frame: pd.DataFrame = self.table(name).to_pandas()
        return frame


def extract(source: PathLike | bytes, settings: ExtractSettings | None = None,
            source_path: str = "<bytes>") -> Report:
    """Extract one report from a path (or from ``bytes``, named ``source_path``).

    Never raises for a bad document: a file that cannot be read or is not a report gives a
    :class:`Report` whose ``status`` says so, with the reasons in ``errors``.
    """
    if isinstance(source, bytes):
        return Report(extract_bytes(source, source_path, settings))
    return Report(extract_file(Path(source), settings))


def run_batch(paths: Iterable[PathLike], out: PathLike, options: BatchOptions | None = None,
              settings: ExtractSettings | None = None, reporter: Reporter | None = None) -> BatchSummary:
    """Extract every new or changed report under ``paths`` (files or folders) into the dataset at
    ``out``: incremental, parallel, crash-safe (README "Batch runs"). Returns what this run did;
    ``summary.exit_code()`` gives the CLI's exit code. Raises ``BatchFatalError`` only when the run
    cannot go on at all (output not writable, another run holds it)."""
    from gongkai.batch.runner import run_batch as _run_batch

    return _run_batch([Path(p) for p in paths], Path(out), settings=settings, options=options,
                      reporter=reporter)


