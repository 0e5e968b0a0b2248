"""A regex-only reader of tables 二, 三 and 四: a yardstick for ``bench_documents.py``, not a peer.

It does what a minimal regex parser of these reports does (the kind issue 15 compares gongkai
with): decode the bytes, cut the page into rows (tab-separated lines, or ``<tr>``/``<td>`` by
regex), read every number of a row, and name the rows of 三 by their key words, 二 by its row
labels, and 四 as the row with fifteen numbers. No spans, no header binding, no rules, no
provenance, no checks: it measures how cheap reading the same tables can be, and its values are
not used anywhere.
"""

from __future__ import annotations

import html
import re

from gongkai.schemas.layouts import T3_ROW_KEYS

_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*$")
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w-]+)", re.I)
_T2_LABELS = ("规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
_T4_WIDTH = 15


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else the declared charset, else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096])
        name = declared.group(1).decode("ascii") if declared else "gb18030"
        try:
            return data.decode("gb18030" if name.lower() in ("gbk", "gb2312") else name, errors="replace")
        except LookupError:
            return data.decode("gb18030", errors="replace")


def text_rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def html_rows(page: str) -> list[list[str]]:
    return [[html.unescape(_TAG.sub("", cell)).strip() for cell in _CELL.findall(row)]
            for row in _ROW.findall(page)]


def read_tables(rows: list[list[str]]) -> dict[str, list[float]]:
    """Row name → its numbers: 三 rows by key word, 二 rows by label, 四 as ``review_litigation``."""
    out: dict[str, list[float]] = {}
    for cells in rows:
        numbers = [float(m.group(1)) for cell in cells if (m := _NUMBER.match(cell))]
        if not numbers:
            continue
        label = "".join(cell for cell in cells if not _NUMBER.match(cell))
        if len(numbers) == _T4_WIDTH:
            out.setdefault("review_litigation", numbers)
            continue
        for key, code in T3_ROW_KEYS:
            if key in label:
                out.setdefault(code, numbers)
                break
        else:
            for word in _T2_LABELS:
                if word in label:
                    out.setdefault("active." + word, numbers)
                    break
    return out


def read_document(data: bytes, suffix: str) -> dict[str, list[float]]:
    text = decode(data)
    return read_tables(html_rows(text) if suffix == ".html" else text_rows(text))
