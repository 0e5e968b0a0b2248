"""Splitting run-together digits into a row's values — only when the rules leave one reading.

A crawler dump prints "规范性文件898989" for 89 | 89 | 89 and "行政处罚26480430" for 2648 | 0 | 430.
``split_candidates`` enumerates every way to cut a run into the row's values (numbers are printed
without leading zeros; only 本年增/减 cells may carry a sign; only amount cells a decimal point),
keeping those that satisfy the row's own sums. The search walks from the last value back (a row's
total comes after its parts, so it is set first and bounds what the parts may still add up to);
it is complete: the bounds only skip cuts that cannot satisfy a sum. ``narrow`` then applies rules across rows (column
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
from functools import lru_cache

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


PLAIN = SlotSpec()  # a whole number without sign (made once: a frozen dataclass is slow to build)


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
    Readings come in the order of their cuts (from the left, a blank before any printed value).
    """
    text = clean_run(run)
    k = len(specs)
    if k == 0 or not text:
        return []
    return _Walk(text, specs, sums, limit, blanks).readings(run)


_Layout = tuple[list[re.Pattern[str]], list[bool], list[list[int]], list[list[int]], list[list[int]],
                list[list[int]], list[int], list[list[int]], list[int | None]]


@lru_cache(maxsize=256)
def _layout(specs: tuple[SlotSpec, ...], sums: tuple[RowSum, ...]) -> _Layout:
    """What the walk needs to know of a row's values and sums (the same for every run of a row):
    patterns, which values are plain whole numbers, the rules to check when value j is set (all
    their values set then), the rules still open at j, the rules j is a part / the total of, the
    rules that bound their parts, the bounding rules j is a part of, and the rule that takes every
    value 0..j as its parts (its parts then take all digits left), if any."""
    k = len(specs)
    patterns = [s.pattern() for s in specs]
    plain = [not s.signed and not s.decimal for s in specs]
    rules = range(len(sums))
    first = [min((*r.parts, r.total)) for r in sums]
    checked_at = [[i for i in rules if first[i] == j] for j in range(k)]
    open_at = [[i for i in rules if first[i] <= j] for j in range(k)]
    part_of = [[i for i in rules for p in sums[i].parts if p == j] for j in range(k)]
    total_of = [[i for i in rules if sums[i].total == j] for j in range(k)]
    # rules whose parts are unsigned whole numbers bound those parts once the total is set
    bounded = [i for i in rules if all(plain[p] for p in sums[i].parts)]
    bounds_of = [[i for i in bounded if j in sums[i].parts] for j in range(k)]
    only_rule: list[int | None] = [
        next((i for i in bounded if set(sums[i].parts) == set(range(j + 1)) and len(sums[i].parts) == j + 1), None)
        for j in range(k)]
    return patterns, plain, checked_at, open_at, part_of, total_of, bounded, bounds_of, only_rule


class _Walk:
    """The search behind ``split_candidates``: values from the last one back to the first.

    A row total comes after its parts, so walking backwards sets the total first; with unsigned
    whole-number parts, what the total leaves then bounds the parts still to come (no part above
    it, no more than the digits left can make, at least what the digits left must make, and — when
    the digits left all go to its parts — the same remainder by 9 as their digit sum, whatever the
    cuts), which prunes almost every cut. Walks that found nothing are remembered by their state (the position
    and the open sums' partial values).
    """

    def __init__(self, text: str, specs: Sequence[SlotSpec], sums: Sequence[RowSum],
                 limit: int, blanks: bool) -> None:
        self.text = text
        self.run = text
        k = self.k = len(specs)
        self.sums = tuple(sums)
        self.limit = limit
        self.blanks = blanks
        (self.patterns, self.plain, self.checked_at, self.open_at, self.part_of, self.total_of,
         self.bounded, self.bounds_of, self.only_rule) = _layout(tuple(specs), self.sums)
        self.chars = [0]  # non-boundary characters in text[:i]
        self.digit_sum = [0]  # the sum of the digits in text[:i] (while they are all digits)
        # the digits of text[:i] read as one number (None once a sign or point is among them)
        self.whole: list[int | None] = [0]
        for ch in text:
            self.chars.append(self.chars[-1] + (ch != BOUNDARY))
            self.digit_sum.append(self.digit_sum[-1] + (int(ch) if ch.isdecimal() else 0))
            last = self.whole[-1]
            if ch != BOUNDARY:
                last = last * 10 + int(ch) if last is not None and ch.isdecimal() else None
            self.whole.append(last)
        self.values: list[float | None] = [None] * k
        self.ends: list[int | None] = [None] * k
        self.part_sum = [0.0] * len(self.sums)
        self.saved: list[list[float]] = [[] for _ in range(k)]
        self.total: list[float | None] = [None] * len(self.sums)
        self.found: list[tuple[tuple[int, ...], Reading]] = []
        self.dead: set[tuple[object, ...]] = set()
        self.explored = 0

    def readings(self, run: str) -> list[Reading]:
        self.run = run
        self.walk(len(self.text), self.k - 1)
        self.found.sort(key=lambda item: item[0])
        return [reading for _cuts, reading in self.found]

    def set(self, j: int, value: float | None, end: int | None) -> None:
        self.values[j], self.ends[j] = value, end
        number = _zero(value)
        self.saved[j] = [self.part_sum[i] for i in self.part_of[j]]
        for i in self.part_of[j]:
            self.part_sum[i] += number
        for i in self.total_of[j]:
            self.total[i] = number  # set (a blank total counts as 0)

    def unset(self, j: int) -> None:
        self.values[j], self.ends[j] = None, None
        for i, before in zip(self.part_of[j], self.saved[j], strict=True):
            self.part_sum[i] = before  # restored, not subtracted: no rounding drift
        for i in self.total_of[j]:
            self.total[i] = None

    def cap(self, j: int) -> float | None:
        """The largest value slot ``j`` may take under the bounded rules (None: no bound)."""
        best: float | None = None
        for i in self.bounds_of[j]:
            total = self.total[i]
            if total is not None:
                left = total - self.part_sum[i]
                if best is None or left < best:
                    best = left
        return best

    def fits(self, pos_end: int, j: int) -> bool:
        """Whether text[:pos_end] can still be cut into values 0..j under the set totals."""
        whole = self.whole[pos_end]
        for i in self.bounded:
            total = self.total[i]
            if total is None:
                continue
            left = total - self.part_sum[i]
            if left < -1e-9:
                return False
            if whole is not None and left > whole * (1 + 1e-12) + 0.5:
                return False  # pieces of a digit string never add up to more than the string
        i_only = self.only_rule[j]
        if i_only is not None and (total := self.total[i_only]) is not None:
            # every digit left goes to this rule's parts, so some of them are long
            left = total - self.part_sum[i_only]
            count = self.chars[pos_end]
            q, r = divmod(count, j + 1)
            low = r * 10 ** q + (j + 1 - r) * (10 ** (q - 1) if q >= 2 else 0) if q >= 1 else 0
            if left < low * (1 - 1e-12) - 0.5:
                return False
            # and a number leaves the same remainder by 9 as its digits' sum, however they are cut
            if whole is not None and left.is_integer() and abs(left) < 2 ** 53 and (int(left) - self.digit_sum[pos_end]) % 9:
                return False
        room = 0
        for i in range(j + 1):
            cap = self.cap(i) if self.plain[i] else None
            if cap is None:
                return True
            room += len(str(int(cap)))
        return self.chars[pos_end] <= room

    def ok_at(self, j: int) -> bool:
        values = self.values
        for i in self.checked_at[j]:
            rule = self.sums[i]
            if abs(sum(_zero(values[p]) for p in rule.parts) - _zero(values[rule.total])) > 1e-9:
                return False
        return True

    def walk(self, pos_end: int, j: int) -> None:
        if j < 0:
            if pos_end == 0:
                self.record()
            return
        key = (pos_end, j, *(self.part_sum[i] for i in self.open_at[j]), *(self.total[i] for i in self.open_at[j]))
        if key in self.dead:
            return
        before = len(self.found)
        self.search(pos_end, j)
        if len(self.found) == before:
            self.dead.add(key)

    def record(self) -> None:
        """Keep the current reading, keyed by its cuts as read from the left."""
        cuts: list[int] = []
        pos = 0
        text = self.text
        for end in self.ends:
            while pos < len(text) and text[pos] == BOUNDARY:
                pos += 1
            if end is not None:
                pos = end
            cuts.append(pos)
        self.found.append((tuple(cuts), tuple(self.values)))

    def search(self, pos_end: int, j: int) -> None:
        self.explored += 1
        if self.explored > self.limit:
            raise TooManyReadings(self.run)
        text = self.text
        while pos_end > 0 and text[pos_end - 1] == BOUNDARY:
            pos_end -= 1
        if not self.fits(pos_end, j):
            return
        if self.blanks:
            self.set(j, None, None)
            if self.ok_at(j):
                self.walk(pos_end, j - 1)
            self.unset(j)
        plain = self.plain[j]
        cap = self.cap(j) if plain else None
        pattern = self.patterns[j]
        lowest = 0 if j == 0 else (0 if self.blanks else j)  # leave a character for each earlier value
        highest = 0 if j == 0 else pos_end - 1  # the first value takes all that is left
        for start in range(highest, lowest - 1, -1) if j else (0,):
            if start >= pos_end:
                break
            ch = text[start]
            if j and (ch == BOUNDARY or (plain and not ch.isdecimal())):
                break
            piece = text[start:pos_end]
            if cap is not None and plain and piece.isdecimal() and int(piece) > cap + 1e-9:
                if j:
                    break  # a digit more on the left only makes it larger
                continue
            if not pattern.fullmatch(piece):
                continue
            self.set(j, float(piece), pos_end)
            if self.ok_at(j):
                self.walk(start, j - 1)
            self.unset(j)


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
    if all(len(options) <= 1 for options in current.values()):
        return current  # nothing to choose between (a table read from its grid)
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
