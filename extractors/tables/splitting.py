"""Splitting run-together digits into a row's values — only when the rules leave one reading.

A crawler dump prints "规范性文件898989" for 89 | 89 | 89 and "行政处罚26480430" for 2648 | 0 | 430.
``split_candidates`` enumerates every way to cut a run into the row's values (numbers are printed
without leading zeros; only 本年增/减 cells may carry a sign; only amount cells a decimal point),
keeping those that satisfy the row's own sums. ``narrow`` then applies rules across rows (column
sums) until nothing changes. A cell is known only when every remaining reading agrees on it;
otherwise it is null with flag ``ambiguous``. Never guess.

A blank cell leaves no trace in a dump (``行政规范性文件03529`` may be blank | 0 | 3529), so with
``blanks=True`` a reading may leave any value empty (None; 0 in the sums). A footnote mark or note
separated from the digits is kept as a ``|`` boundary: no value runs across it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

Reading = tuple[float | None, ...]

_INT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SIGNED_DECIMAL = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")
_DROP = re.compile(r"[\s,，、\u00a0\u3000]")
BOUNDARY = "|"  # a footnote mark or note stood here: a value ends or starts at it

# Largest number of partial sums tracked when checking a rule across several open rows.
MAX_JOINT_PRODUCT = 20_000


@dataclass(frozen=True, slots=True)
class SlotSpec:
    signed: bool = False
    decimal: bool = False

    def pattern(self) -> re.Pattern[str]:
        if self.signed:
            return _SIGNED_DECIMAL if self.decimal else _SIGNED
        return _DECIMAL if self.decimal else _INT


@dataclass(frozen=True, slots=True)
class RowSum:
    """values[parts] sum to values[total] (indexes into one row)."""

    parts: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """For one column: Σ coef · row[column] = 0 over the named rows (e.g. A1, A2)."""

    column: int
    terms: tuple[tuple[str, int], ...]  # (row code, coefficient)


class TooManyReadings(Exception):
    """The run has more readings than we are willing to enumerate."""


def clean_run(run: str) -> str:
    return _DROP.sub("", run.replace("－", "-")).strip(BOUNDARY)


def _zero(value: float | None) -> float:
    return 0.0 if value is None else value


def split_candidates(run: str, specs: Sequence[SlotSpec], sums: Sequence[RowSum] = (),
                     limit: int = 50_000, blanks: bool = False) -> list[Reading]:
    """Every reading of ``run`` as ``len(specs)`` values that satisfies ``sums``.

    With ``blanks`` a value may also be empty (None, counted as 0 in the sums). A ``|`` in the run
    is a boundary no value crosses. Raises TooManyReadings past ``limit`` explored partial readings.
    """
    text = clean_run(run)
    k = len(specs)
    patterns = [s.pattern() for s in specs]
    checks_at: dict[int, list[RowSum]] = {}
    for rule in sums:
        checks_at.setdefault(max((*rule.parts, rule.total)), []).append(rule)
    out: list[Reading] = []
    values: list[float | None] = [None] * k
    explored = 0

    def ok_at(j: int) -> bool:
        for rule in checks_at.get(j, ()):
            if abs(sum(_zero(values[p]) for p in rule.parts) - _zero(values[rule.total])) > 1e-9:
                return False
        return True

    tail_sum = any(r.total == k - 1 and set(r.parts) == set(range(k - 1)) for r in sums)
    per_value = 0 if blanks else 1
    dead: set[tuple[object, ...]] = set()  # states from which no reading was found

    def state(pos: int, j: int) -> tuple[object, ...]:
        """What the rest of a walk depends on: the position, and the open sums' partial values."""
        key: list[object] = [pos, j]
        for rule in sums:
            if max((*rule.parts, rule.total)) >= j:
                key.append(sum(_zero(values[p]) for p in rule.parts if p < j))
                key.append(_zero(values[rule.total]) if rule.total < j else None)
        return tuple(key)

    def walk(pos: int, j: int) -> None:
        key = state(pos, j)
        if key in dead:
            return
        found = len(out)
        search(pos, j)
        if len(out) == found:
            dead.add(key)

    def search(pos: int, j: int) -> None:
        nonlocal explored
        explored += 1
        if explored > limit:
            raise TooManyReadings(run)
        while pos < len(text) and text[pos] == BOUNDARY:
            pos += 1
        remaining = k - j
        if tail_sum and 0 < j < k - 1:
            # the last value is the sum of the others, so it has at least as many digits as the sum so far
            partial = int(sum(_zero(v) for v in values[:j]))
            if len(text) - pos < (k - 1 - j) * per_value + (len(str(partial)) if partial or not blanks else 0):
                return
        if blanks:
            values[j] = None
            if j == k - 1:
                if pos == len(text) and ok_at(j):
                    out.append(tuple(values))
            elif ok_at(j):
                walk(pos, j + 1)
        if j == k - 1:
            piece = text[pos:]
            if piece and patterns[j].fullmatch(piece):
                values[j] = float(piece)
                if ok_at(j):
                    out.append(tuple(values))
            return
        for end in range(pos + 1, len(text) - (remaining - 1) * per_value + 1):
            piece = text[pos:end]
            if BOUNDARY in piece:
                break
            if not patterns[j].fullmatch(piece):
                digits = piece.lstrip("+-")
                if len(digits) >= 2 and digits[0] == "0" and digits[1].isdigit():
                    break  # a leading zero only gets worse
                continue
            values[j] = float(piece)
            if ok_at(j):
                walk(end, j + 1)

    if k == 0 or not text:
        return []
    walk(0, 0)
    return out


def _key(value: float) -> float:
    return round(value, 6)


def _supported(options: list[set[float]], limit: int) -> list[set[float]] | None:
    """Per term: the values that some choice of the other terms' values complements to a zero sum.

    A prefix/suffix table of reachable partial sums (instead of every combination of readings);
    None when a table would exceed ``limit`` sums.
    """
    prefix: list[set[float]] = [{0.0}]
    for values in options:
        nxt = {_key(p + v) for p in prefix[-1] for v in values}
        if len(nxt) > limit:
            return None
        prefix.append(nxt)
    suffix: list[set[float]] = [{0.0}]
    for values in reversed(options):
        nxt = {_key(q + v) for q in suffix[-1] for v in values}
        if len(nxt) > limit:
            return None
        suffix.append(nxt)
    suffix.reverse()
    out: list[set[float]] = []
    for i, values in enumerate(options):
        before, after = prefix[i], suffix[i + 1]
        small, large = (before, after) if len(before) <= len(after) else (after, before)
        out.append({v for v in values if any(_key(-(s + v)) in large for s in small)})
    return out


def narrow(readings: dict[str, list[Reading]], rules: Sequence[ColumnRule]) -> dict[str, list[Reading]]:
    """Drop readings that cannot satisfy a rule given the other rows' readings (to a fixpoint).

    ``readings`` holds every row a rule mentions (fixed rows have one reading). Rules that mention
    a row not in ``readings`` are ignored. A rule that would leave a row with no reading at all is
    not applied (the report itself may break it; the checks stage reports that). A rule touches
    one column, so each row's readings are projected onto that column's values (blank = 0).
    """
    current = {row: list(options) for row, options in readings.items()}
    usable = [r for r in rules if all(row in current for row, _ in r.terms)]
    changed = True
    while changed:
        changed = False
        for rule in usable:
            coefs: dict[str, int] = {}
            for row, coef in rule.terms:
                coefs[row] = coefs.get(row, 0) + coef
            rows = list(coefs)
            if not any(len(current[row]) > 1 for row in rows):
                continue
            options = [{_key(coefs[row] * _zero(r[rule.column])) for r in current[row]} for row in rows]
            kept = _supported(options, MAX_JOINT_PRODUCT)
            if kept is None or any(not values for values in kept):
                continue
            for row, values in zip(rows, kept, strict=True):
                filtered = [r for r in current[row] if _key(coefs[row] * _zero(r[rule.column])) in values]
                if len(filtered) < len(current[row]):
                    current[row] = filtered
                    changed = True
    return current


def agreed_values(readings: Sequence[Reading], width: int) -> list[float | None]:
    """Per position: the value every reading agrees on, else None (also when they agree on blank)."""
    if not readings:
        return [None] * width
    out: list[float | None] = []
    for i in range(width):
        seen = {r[i] for r in readings}
        out.append(seen.pop() if len(seen) == 1 else None)
    return out
