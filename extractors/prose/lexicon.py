"""jieba's word frequencies and IDF table as an on-disk index, read word by word (start-up cost ~0).

jieba keeps its dictionary as a prefix dict of about 500 000 entries that every process loads
(from a marshal cache: ~0.6 s CPU; without the cache, ~1 s from ``dict.txt``), and keywords need
the 270 000 IDF values of ``analyse/idf.txt`` (~0.25 s CPU to parse). Segmenting one section 五
looks up only a few thousand of them. So gongkai builds, once per user and jieba installation,
one SQLite file (``lexicon-<stamp>.cache``) holding exactly what jieba would hold in memory —
the prefix dict as built by ``jieba.Tokenizer.gen_pfdict`` (words with their frequency, word
prefixes with 0) and its total, the IDF values and their median — and answers lookups from it (:class:`PrefixFreq`, a mapping
jieba's tokenizer uses as its ``FREQ``). Results are those of the in-memory tables by
construction; only the time changes.

The file lives in the private cache folder of :func:`segmenter.cache_dir`; its name carries a
stamp of jieba's version and the size and mtime of both source files, so a changed jieba builds
a new one. It is written to a temporary file and renamed (atomic; concurrent builders are
harmless). When no cache folder is usable, :func:`open_lexicon` gives None and the callers use
jieba's own in-memory tables.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any, cast

SCHEMA_VERSION = 1
LEXICON_PREFIX = "lexicon-"
_MISSING = object()


@cache
def import_jieba() -> ModuleType:
    """jieba, imported once, on first use, without ``pkg_resources``.

    jieba 0.42 imports setuptools' ``pkg_resources`` (~0.3 s, when setuptools is installed) only
    to open its own data files; when that import fails it opens the same files by path. A
    ``None`` entry in ``sys.modules`` makes the import fail (documented import-system behaviour);
    the entry is removed again right after.
    """
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = cast(ModuleType, None)
    try:
        import jieba  # untyped: see pyproject mypy overrides
    finally:
        if blocked and sys.modules.get("pkg_resources") is None:
            sys.modules.pop("pkg_resources", None)
    jieba_module: ModuleType = jieba
    return jieba_module


def jieba_resource(*parts: str) -> Path:
    """A data file of the installed jieba package (``dict.txt``, ``analyse/idf.txt``)."""
    resource = files("jieba").joinpath(*parts)
    if not isinstance(resource, Path):  # a zipped install: use jieba's in-memory tables
        raise OSError(f"jieba data file {'/'.join(parts)} is not a file")
    return resource


def parse_idf(text: str) -> tuple[dict[str, float], float]:
    """jieba's ``idf.txt`` (``word value`` lines) as a table, and the median of its values."""
    table: dict[str, float] = {}
    for line in text.splitlines():
        word, _, value = line.strip().partition(" ")
        if value:
            table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def _stamp(version: str, sources: Iterable[Path]) -> str:
    parts = [f"schema {SCHEMA_VERSION}", f"jieba {version}"]
    for path in sources:
        info = path.stat()
        parts.append(f"{path.name} {info.st_size} {info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class Lexicon:
    """Read-only lookups in a built lexicon file (one connection per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        meta = dict(self._connection().execute("SELECT key, value FROM meta").fetchall())
        self.total = int(meta["total"])
        self.idf_median = float(meta["idf_median"])
        self._idf: dict[str, float | None] = {}  # IDF lookups so far (a section's words recur across reports)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # never share a connection across fork
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                         check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def _row(self, sql: str, word: str) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._connection().execute(sql, (word,)).fetchone()
        except UnicodeEncodeError:  # a lone surrogate: no entry of a UTF-8 file can match it
            return None
        return row

    def freq(self, word: str) -> int | None:
        """The prefix dict's entry: a word's frequency, 0 for a prefix of a word, None if neither."""
        row = self._row("SELECT n FROM freq WHERE word = ?", word)
        return None if row is None else int(row[0])

    def idf(self, word: str) -> float | None:
        """The word's IDF in ``idf.txt``, None when it is not listed."""
        found = self._idf.get(word, _MISSING)
        if found is _MISSING:
            row = self._row("SELECT v FROM idf WHERE word = ?", word)
            found = self._idf[word] = None if row is None else float(row[0])
        return found  # type: ignore[return-value]  # not _MISSING here: a float or None


class PrefixFreq:
    """jieba's ``Tokenizer.FREQ`` (a dict) answered from a :class:`Lexicon`, with words added in memory.

    Implements the operations jieba 0.42 applies to ``FREQ``: ``in``, ``[]``, ``get`` and item
    assignment (``add_word``, e.g. from a user dictionary).
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self.known: dict[str, int | None] = {}  # lookups, added words (None: absent); others only read it

    def lookup(self, word: str) -> int | None:
        """The entry of ``word`` (frequency, 0 for a prefix, None for neither), memoized in :attr:`known`."""
        found = self.known.get(word, _MISSING)
        if found is _MISSING:
            value = self._lexicon.freq(word)
            self.known[word] = value
            return value
        return found  # type: ignore[return-value]  # not _MISSING here: an int or None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.lookup(word)
        if value is None:
            raise KeyError(word)
        return value

    def get(self, word: str, default: int | None = None) -> int | None:
        value = self.lookup(word)
        return default if value is None else value

    def __setitem__(self, word: str, value: int) -> None:
        self.known[word] = value


def build_lexicon(path: Path, dictionary: Path, idf_file: Path) -> None:
    """Write the lexicon of ``dictionary`` (jieba's dict.txt format) and ``idf_file`` to ``path``."""
    jieba = import_jieba()
    with dictionary.open("rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)  # jieba's own parse: the same prefix dict
    idf, median = parse_idf(idf_file.read_text(encoding="utf-8"))
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        conn = sqlite3.connect(temp)
        try:
            conn.executescript("""
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE idf (word TEXT PRIMARY KEY, v REAL NOT NULL) WITHOUT ROWID;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
            """)
            conn.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
            conn.executemany("INSERT INTO idf VALUES (?, ?)", idf.items())
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("total", total), ("idf_median", median)])
            conn.commit()
        finally:
            conn.close()
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def open_lexicon(folder: Path | None) -> Lexicon | None:
    """The lexicon of the installed jieba in ``folder`` (built there on first use), or None."""
    if folder is None:
        return None
    try:
        jieba = import_jieba()
        dictionary, idf_file = jieba_resource("dict.txt"), jieba_resource("analyse", "idf.txt")
        path = folder / f"{LEXICON_PREFIX}{_stamp(jieba.__version__, (dictionary, idf_file))}.cache"
        if path.is_file():
            try:
                return Lexicon(path)
            except (sqlite3.Error, KeyError, ValueError):  # damaged (e.g. a truncated copy): build anew
                pass
        build_lexicon(path, dictionary, idf_file)
        return Lexicon(path)
    except (OSError, sqlite3.Error, KeyError, ValueError):
        return None
