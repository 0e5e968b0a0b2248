"""Settings of a release build, and the error it raises for a person."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

_VERSION = re.compile(r"^(?P<year>\d{4})\.(?P<month>\d{1,2})(?:\.\d+)?$")


class ReleaseError(Exception):
    """The release cannot be built (bad input folder, bad option); the message says why."""


@dataclass(frozen=True, slots=True)
class ReleaseSettings:
    version: str  # e.g. 2026.12
    previous: Path | None = None  # an earlier release folder, for the CHANGELOG
    release_date: dt.date | None = None  # default: SOURCE_DATE_EPOCH, else the first of the version's month
    title: str = "gongkai: China government information-disclosure annual reports (政府信息公开工作年度报告)"
    authors: tuple[str, ...] = ("gongkai contributors",)
    license: str = "CC-BY-4.0"

    def date(self) -> dt.date:
        """The release date written into every file (fixed, so that rebuilds are byte-identical)."""
        if self.release_date is not None:
            return self.release_date
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        match = _VERSION.match(self.version)
        if match and 1 <= int(match["month"]) <= 12:
            return dt.date(int(match["year"]), int(match["month"]), 1)
        raise ReleaseError(f"cannot derive a release date from version {self.version!r}: "
                           "use a YYYY.MM version, set SOURCE_DATE_EPOCH, or give a date")

    def timestamp(self) -> dt.datetime:
        return dt.datetime.combine(self.date(), dt.time(0, 0), tzinfo=dt.UTC)
