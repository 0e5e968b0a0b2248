"""jieba, loaded once per process, with the disclosure-terms dictionary shipped in the package.

jieba builds a prefix dictionary from its bundled ``dict.txt`` on first use (about 1 s) and keeps
it as a marshal cache file that each later process loads whole (~0.6 s CPU). gongkai instead
reads the dictionary word by word from a :mod:`lexicon` file (built once, about 3 s, then ~0 s
per process) in a private cache folder, ``<tempdir>/gongkai-jieba-<uid>`` (mode 0700, used only
when it belongs to this user; otherwise a fresh ``mkdtemp`` folder; ``$GONGKAI_CACHE_BASE`` moves
it). Nothing is written to the
home folder; when no temporary folder is writable jieba builds the dictionary in memory (its
failure to write a cache is silenced). Segmentation is the same either way. Everything is
offline: the dictionaries are files of the installed packages.

Only the sections that need segmentation call :func:`tokenizer`, so a run that never reads
section 五 never imports jieba (it is imported on the first call, see :func:`lexicon.import_jieba`).
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from gongkai.extractors.prose.cut import PrefixDict, cut, prefix_dict
from gongkai.extractors.prose.lexicon import Lexicon, PrefixFreq, import_jieba, open_lexicon

DICTIONARY_FILE = "disclosure_terms.txt"
CACHE_PREFIX = "gongkai-jieba-"
# The folder the private cache folder is made in, when set (else the temporary folder). A batch
# worker sets it to the temporary folder it started with before it moves its own temporary files
# into the run's folder, which is removed at the end: otherwise every worker of every run built
# the lexicon anew (~2 s CPU each).
CACHE_BASE_ENV = "GONGKAI_CACHE_BASE"


def cache_dir() -> Path | None:
    """This user's private jieba cache folder (created 0700), or None when no temp dir is writable."""
    try:
        base = Path(os.environ.get(CACHE_BASE_ENV) or tempfile.gettempdir())
    except (FileNotFoundError, OSError):
        return None
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = base / f"{CACHE_PREFIX}{uid}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
        if info.st_uid == uid and not info.st_mode & 0o022 and os.access(folder, os.W_OK):
            return folder
        return Path(tempfile.mkdtemp(prefix=CACHE_PREFIX))
    except OSError:
        return None


def disclosure_terms() -> list[str]:
    """The words of the shipped domain dictionary (one ``word freq tag`` per line)."""
    text = files("gongkai.extractors.prose").joinpath(DICTIONARY_FILE).read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def lexicon() -> Lexicon | None:
    """The process's :class:`Lexicon` of jieba's tables (built on first use), None without a cache folder."""
    return open_lexicon(cache_dir())


@cache
def tokenizer() -> Any:
    """The process's ``jieba.Tokenizer`` with the domain dictionary loaded (built on the first call)."""
    jieba = import_jieba()
    jieba.setLogLevel(logging.CRITICAL)
    tk = jieba.Tokenizer()
    words = lexicon()
    if words is not None:  # what Tokenizer.initialize would load, answered from the lexicon file
        tk.FREQ, tk.total, tk.initialized = PrefixFreq(words), words.total, True
    else:
        folder = cache_dir()
        # a folder that does not exist makes jieba skip the cache (its dump fails quietly)
        tk.tmp_dir = str(folder) if folder is not None else os.path.join(os.sep, "nonexistent-gongkai-jieba")
        tk.cache_file = f"jieba-{jieba.__version__}.cache"
    resource = files("gongkai.extractors.prose").joinpath(DICTIONARY_FILE)
    with as_file(resource) as path:
        tk.load_userdict(str(path))
    return tk


@cache
def _prefix_dict() -> PrefixDict:
    """The prefix dict of :func:`tokenizer` (domain terms loaded), as :func:`cut.cut` reads it."""
    tk = tokenizer()
    if isinstance(tk.FREQ, PrefixFreq):
        return PrefixDict(tk.FREQ.known, tk.FREQ.lookup, tk.total)
    return prefix_dict(tk.FREQ, tk.total)


def segment(text: str) -> list[str]:
    """The words of ``text``: jieba's ``tokenizer().lcut(text, HMM=True)`` (precise mode, HMM for unknown words)."""
    return [w for w in cut(text, _prefix_dict()) if w.strip()]
