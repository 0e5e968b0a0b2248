"""The form's arithmetic choosing among the recogniser's readings of OCR'd number cells.

The recogniser reads a number cell once but gives several digit strings with their probabilities
(:func:`gongkai.extractors.ocr.engine.digit_beams`): ``14`` and ``34`` for a faint 3, ``105`` and
``108``. When a rule fails on the first readings, :func:`choose` looks for the combinations of
readings of the cells concerned under which every rule over them holds, as the digit splitting of
one-line dumps does with its candidates (gongkai.extractors.tables.splitting). A choice is taken
only when it is certain:

- it is the only combination (of every cell's readings, over a connected group of rules) under
  which every rule of the group holds;
- a cell whose value changes is confirmed twice: it is in two or more of those rules (in table
  三 its row rule A3 and its column rule A1 or A2), or it is the only changed cell of its rule
  (table 四's group sums: one cell fixed by one equation, never two that compensate).

Anything else (no combination, two or more, too many to try) changes nothing: the gate then nulls
the failing scopes as before. Pure: values in, chosen values out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gongkai.schemas.rules import Equation

# Same tolerance as the checks (gongkai.convert.checks).
TOLERANCE = 1e-6

# Assignments tried per connected group of rules before giving up (no choice).
MAX_NODES = 20_000

Value = float | None


def _holds(eq: Equation, value: Mapping[str, float]) -> bool:
    return abs(sum(value[c] for c in eq.lhs) - sum(value[c] for c in eq.rhs)) <= TOLERANCE


def _domains(values: Mapping[str, Value], alternatives: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for code, value in values.items():
        domain = [] if value is None else [value]
        for alt in alternatives.get(code, ()):
            if alt not in domain:
                domain.append(alt)
        out[code] = domain
    return out


def _groups(variables: set[str], eqs: list[Equation]) -> list[tuple[list[str], list[Equation]]]:
    """Variables connected through shared equations, each group with its equations."""
    parent = {v: v for v in variables}

    def root(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for eq in eqs:
        members = [c for c in eq.codes if c in variables]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[str, tuple[list[str], list[Equation]]] = {}
    for v in sorted(variables):
        groups.setdefault(root(v), ([], []))[0].append(v)
    for eq in eqs:
        touched = [c for c in eq.codes if c in variables]
        if touched:
            groups[root(touched[0])][1].append(eq)
    return list(groups.values())


def _solutions(variables: list[str], eqs: list[Equation], domains: Mapping[str, list[float]],
               fixed: Mapping[str, float]) -> list[dict[str, float]] | None:
    """Up to two assignments of ``variables`` under which every equation holds; None when the
    search passed MAX_NODES. Depth-first with propagation: an equation with one unset cell left
    sets it (or fails when the value it needs is not one of the cell's readings); otherwise the
    unset cell with the fewest readings is tried with each."""
    value: dict[str, float] = dict(fixed)
    found: list[dict[str, float]] = []
    nodes = 0

    def propagate(set_here: list[str]) -> bool:
        changed = True
        while changed:
            changed = False
            for eq in eqs:
                unset = [c for c in eq.codes if c not in value]
                if not unset:
                    if not _holds(eq, value):
                        return False
                    continue
                if len(unset) > 1:
                    continue
                (code,) = unset
                lhs = sum(value.get(c, 0.0) for c in eq.lhs)
                rhs = sum(value.get(c, 0.0) for c in eq.rhs)
                need = rhs - lhs if code in eq.lhs else lhs - rhs
                match = [v for v in domains[code] if abs(v - need) <= TOLERANCE]
                if not match:
                    return False
                value[code] = match[0]
                set_here.append(code)
                changed = True
        return True

    def walk() -> bool:  # False: give up
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            return False
        set_here: list[str] = []
        try:
            if not propagate(set_here):
                return True
            unset = [v for v in variables if v not in value]
            if not unset:
                found.append({v: value[v] for v in variables})
                return len(found) < 2
            pick = min(unset, key=lambda v: len(domains[v]))
            for candidate in domains[pick]:
                value[pick] = candidate
                if not walk():
                    return False
            del value[pick]
            return True
        finally:
            for code in set_here:
                del value[code]

    finished = walk()
    if not finished and len(found) < 2:
        return None
    return found


def choose(values: Mapping[str, Value], alternatives: Mapping[str, Sequence[float]],
           equations: Sequence[Equation]) -> dict[str, float]:
    """The cells (code → value) whose first reading (``values``; None: no number read) is
    replaced by one of their ``alternatives`` because it is the only combination of readings
    under which every rule concerned holds (module docstring). Cells not in ``values`` are not
    on the page or not read by OCR: equations with such cells are left out."""
    domains = _domains(values, alternatives)
    usable = [eq for eq in equations if all(domains.get(c) for c in eq.codes)]
    to_fix = [eq for eq in usable
              if any(values[c] is None for c in eq.codes)
              or not _holds(eq, {c: float(values[c] or 0.0) for c in eq.codes})]
    variables = {c for eq in to_fix for c in eq.codes if values[c] is None or len(domains[c]) > 1}
    constraints = [eq for eq in usable if any(c in variables for c in eq.codes)]
    chosen: dict[str, float] = {}
    for group, eqs in _groups(variables, constraints):
        fixed = {c: domains[c][0] for eq in eqs for c in eq.codes if c not in variables}
        found = _solutions(group, eqs, domains, fixed)
        if found is None or len(found) != 1:
            continue
        (solution,) = found
        changed = {c for c, v in solution.items() if values[c] != v}
        if all(_confirmed(c, changed, eqs) for c in changed):
            chosen.update({c: solution[c] for c in changed})
    return chosen


def _confirmed(code: str, changed: set[str], eqs: list[Equation]) -> bool:
    """A changed cell is in two or more of the rules, or the only changed cell of its one rule."""
    mine = [eq for eq in eqs if code in eq.codes]
    if len(mine) >= 2:
        return True
    return len(mine) == 1 and not any(c in changed and c != code for c in mine[0].codes)
