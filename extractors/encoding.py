"""Decode bytes of text-like documents: detected, not assumed.

Order: a byte-order mark (UTF-8/UTF-16); an encoding the caller found declared in the document
(HTML meta tag, saved-page header); strict UTF-8; charset-normalizer's best guess among the
encodings Chinese government sites use; GB18030 as the last resort when it decodes cleanly.
"""

from __future__ import annotations

import codecs
import re

from gongkai.model.errors import ExtractionError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Declared names that are really GB18030 supersets in practice.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030"}

_CJK = re.compile(r"[\u4e00-\u9fff]")


def normalize_encoding_name(name: str) -> str | None:
    """A Python codec name for a declared charset, or None when Python does not know it."""
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4 or sample.count(b"\x00") < len(sample) // 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    return "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for ``data``; raises ExtractionError(decode_failed) when hopeless."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break  # damaged bytes behind the BOM (found by fuzzing): detect as for any other text
    if declared:
        codec = normalize_encoding_name(declared)
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass  # the declaration lies (common); detect instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
        if _CJK.search(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    raise ExtractionError("decode_failed", "the bytes are not UTF-8, UTF-16 or GB18030 text")
