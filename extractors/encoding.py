"""Decode bytes of text-like documents: detected, not assumed.

Order: a byte-order mark (UTF-8/UTF-16); an encoding the caller found declared in the document
(HTML meta tag, saved-page header); strict UTF-8; UTF-16 without a BOM; GB18030 when it decodes
cleanly into Chinese text; then a long Chinese text damaged in a few places (a stray byte, a cut
character) in the encoding that leaves the fewest U+FFFD — rather than losing the report; the
``damaged_text`` stage keeps any value near such a place out of the tables — and last
charset-normalizer's best guess.
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

# What an undecodable byte sequence reads as.
DAMAGED = "\ufffd"
# A text is decoded despite damaged bytes only when it has at least this many characters, at most
# this many damaged places per character and at most this share of damaged characters (a place in
# GB18030 text spoils the characters up to the next ASCII one); else it is not text in any
# encoding we know: decode_failed.
DAMAGED_MIN_CHARS = 200
DAMAGED_MAX_PLACES = 0.001
DAMAGED_MAX_SHARE = 0.2
_DAMAGED_PLACE = re.compile("\ufffd+")


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


# Codecs a damaged text is decoded with: UTF-8 (self-synchronising: a bad byte costs one
# character) and the GB family (after a bad byte its decoder may stay out of step, reading every
# following byte pair wrongly, until an ASCII byte: see _mark_misaligned).
_LENIENT_CODECS = frozenset({"utf-8", "gb18030"})
_MISALIGNED_RUN = re.compile("\ufffd[^\x00-\x7f]*")


def _mark_misaligned(text: str) -> str:
    """Every non-ASCII character after a U+FFFD, up to the next ASCII one, as U+FFFD too: a GB18030
    decoder that met a bad byte may pair the following bytes wrongly (a trail byte read as a lead)
    and print other characters, which are not the report's; an ASCII byte puts it back in step."""
    return _MISALIGNED_RUN.sub(lambda m: DAMAGED * len(m.group(0)), text)


def _decode_damaged(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """A text damaged in a few places (a stray byte, a cut multi-byte character) in the encoding
    that decodes it with the fewest U+FFFD, when those are few (:data:`DAMAGED_MAX_SHARE`) and the
    text is long and Chinese. The damaged places read as U+FFFD: no value is read near one
    (:mod:`gongkai.convert.damage`)."""
    declared_codec = normalize_encoding_name(declared) if declared else None
    codecs_tried = dict.fromkeys(c for c in (declared_codec, "utf-8", "gb18030") if c in _LENIENT_CODECS)
    best: tuple[int, str, str] | None = None
    for codec in codecs_tried:
        text = data.decode(codec, errors="replace")
        if codec != "utf-8":
            text = _mark_misaligned(text)
        damaged = text.count(DAMAGED)
        if _CJK.search(text) and (best is None or damaged < best[0]):
            best = (damaged, text, codec)
    if best is None:
        return None
    _count, text, codec = best
    places = len(_DAMAGED_PLACE.findall(text))
    if len(text) < DAMAGED_MIN_CHARS or places > max(1, int(len(text) * DAMAGED_MAX_PLACES)) \
            or text.count(DAMAGED) > len(text) * DAMAGED_MAX_SHARE:
        return None
    return text, codec


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for ``data``; raises ExtractionError(decode_failed) when hopeless.

    Strict decodings first; then a decoding with a few damaged places (U+FFFD); then
    charset-normalizer's guess."""
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
    lenient = _decode_damaged(data, declared)
    if lenient is not None:
        return lenient
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    raise ExtractionError("decode_failed", "the bytes are not UTF-8, UTF-16 or GB18030 text")
