"""Splitting run-together digits into a row's values — only when the rules leave one reading.

A crawler dump prints "规范性文件898989" for 89 | 89 | 89 and "行政处罚26480430" for 2648 | 0 | 430.
``split_candidates`` enumerates every way to cut a run into the row's values (numbers are printed
without leading zeros; only 本年增/减 cells may carry a sign; only amount cells a decimal point),
keeping those that satisfy the row's own sums. ``narrow`` then applies rules across rows (column
sums) until nothing changes. A cell is known only when every remaining reading agrees on it;
otherwise it is null with flag ``ambiguous``. Never guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

Reading = tuple[float, ...]

_INT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SIGNED_DECIMAL = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")
_DROP = re.compile(r"[\s,，、\u00a0\u3000]")

# Largest product of candidate counts examined when checking a rule across several open rows.
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
    return _DROP.sub("", run.replace("－", "-"))


def split_candidates(run: str, specs: Sequence[SlotSpec], sums: Sequence[RowSum] = (),
                     limit: int = 50_000) -> list[Reading]:
    """Every reading of ``run`` as ``len(specs)`` values that satisfies ``sums``.

    Raises TooManyReadings past ``limit`` explored partial readings.
    """
    text = clean_run(run)
    k = len(specs)
    patterns = [s.pattern() for s in specs]
    checks_at: dict[int, list[RowSum]] = {}
    for rule in sums:
        checks_at.setdefault(max((*rule.parts, rule.total)), []).append(rule)
    out: list[Reading] = []
    values: list[float] = [0.0] * k
    explored = 0

    def ok_at(j: int) -> bool:
        for rule in checks_at.get(j, ()):
            if abs(sum(values[p] for p in rule.parts) - values[rule.total]) > 1e-9:
                return False
        return True

    tail_sum = any(r.total == k - 1 and set(r.parts) == set(range(k - 1)) for r in sums)

    def walk(pos: int, j: int) -> None:
        nonlocal explored
        explored += 1
        if explored > limit:
            raise TooManyReadings(run)
        remaining = k - j
        if tail_sum and 0 < j < k - 1:
            # the last value is the sum of the others, so it has at least as many digits as the sum so far
            partial = int(sum(values[:j]))
            if len(text) - pos < (k - 1 - j) + len(str(partial)):
                return
        if j == k - 1:
            piece = text[pos:]
            if piece and patterns[j].fullmatch(piece):
                values[j] = float(piece)
                if ok_at(j):
                    out.append(tuple(values))
            return
        for end in range(pos + 1, len(text) - remaining + 2):
            piece = text[pos:end]
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


def _satisfied(rule: ColumnRule, pick: dict[str, Reading]) -> bool:
    return abs(sum(coef * pick[row][rule.column] for row, coef in rule.terms)) < 1e-9


def narrow(readings: dict[str, list[Reading]], rules: Sequence[ColumnRule]) -> dict[str, list[Reading]]:
    """Drop readings that cannot satisfy a rule given the other rows' readings (to a fixpoint).

    ``readings`` holds every row a rule mentions (fixed rows have one reading). Rules that mention
    a row not in ``readings`` are ignored. A rule that would leave a row with no reading at all is
    not applied (the report itself may break it; the checks stage reports that).
    """
    current = {row: list(options) for row, options in readings.items()}
    usable = [r for r in rules if all(row in current for row, _ in r.terms)]
    changed = True
    while changed:
        changed = False
        for rule in usable:
            rows = list(dict.fromkeys(row for row, _ in rule.terms))
            open_rows = [row for row in rows if len(current[row]) > 1]
            if not open_rows:
                continue
            size = 1
            for row in rows:
                size *= len(current[row])
            if size > MAX_JOINT_PRODUCT:
                continue
            keep: dict[str, set[Reading]] = {row: set() for row in rows}
            for combo in product(*(current[row] for row in rows)):
                pick = dict(zip(rows, combo, strict=True))
                if _satisfied(rule, pick):
                    for row, reading in pick.items():
                        keep[row].add(reading)
            if not any(keep.values()) or any(not keep[row] for row in rows):
                continue
            for row in open_rows:
                filtered = [r for r in current[row] if r in keep[row]]
                if len(filtered) < len(current[row]):
                    current[row] = filtered
                    changed = True
    return current


def agreed_values(readings: Sequence[Reading], width: int) -> list[float | None]:
    """Per position: the value every reading agrees on, else None."""
    if not readings:
        return [None] * width
    out: list[float | None] = []
    for i in range(width):
        seen = {r[i] for r in readings}
        out.append(seen.pop() if len(seen) == 1 else None)
    return out
