"""The PDF reader's own ``intersections_to_cells`` gives exactly pdfplumber's cells."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from pdfplumber.table import edges_to_intersections
from pdfplumber.table import intersections_to_cells as pdfplumber_cells

from gongkai.extractors.readers.pdf_layout import Edge
from gongkai.extractors.readers.pdf_tables import intersections_to_cells


def _ruled_grid(rng: random.Random) -> list[Edge]:
    """Edges of a ruled table with random merged cells (missing inner rule pieces) and strays."""
    xs = sorted(rng.sample(range(50, 550, 10), rng.randint(2, 8)))
    ys = sorted(rng.sample(range(50, 750, 10), rng.randint(2, 10)))
    edges: list[Edge] = []
    for i, y in enumerate(ys):
        for x0, x1 in pairwise(xs):
            if i in (0, len(ys) - 1) or rng.random() > 0.2:
                edges.append({"x0": float(x0), "x1": float(x1), "top": float(y), "bottom": float(y),
                              "orientation": "h"})
    for j, x in enumerate(xs):
        for y0, y1 in pairwise(ys):
            if j in (0, len(xs) - 1) or rng.random() > 0.2:
                edges.append({"x0": float(x), "x1": float(x), "top": float(y0), "bottom": float(y1),
                              "orientation": "v"})
    for _ in range(rng.randint(0, 3)):  # stray rules crossing the grid
        x = float(rng.randint(40, 560))
        edges.append({"x0": x, "x1": x, "top": float(rng.randint(40, 400)), "bottom": float(rng.randint(400, 760)),
                      "orientation": "v"})
    return edges


@pytest.mark.parametrize("seed", range(40))
def test_same_cells_as_pdfplumber(seed: int) -> None:
    intersections = edges_to_intersections(_ruled_grid(random.Random(seed)), 3, 3)
    expected = pdfplumber_cells(intersections)
    assert expected  # the grid has cells
    assert intersections_to_cells(intersections) == expected


def test_merged_cell_spans_the_missing_rule() -> None:
    # a 2x2 grid whose middle vertical rule is missing in the top row: the top row is one cell
    h = [{"x0": 0.0, "x1": 100.0, "top": float(y), "bottom": float(y), "orientation": "h"} for y in (0, 10, 20)]
    v = [{"x0": 0.0, "x1": 0.0, "top": 0.0, "bottom": 20.0, "orientation": "v"},
         {"x0": 100.0, "x1": 100.0, "top": 0.0, "bottom": 20.0, "orientation": "v"},
         {"x0": 50.0, "x1": 50.0, "top": 10.0, "bottom": 20.0, "orientation": "v"}]
    cells = intersections_to_cells(edges_to_intersections(h + v, 3, 3))
    assert cells == [(0.0, 0.0, 100.0, 10.0), (0.0, 10.0, 50.0, 20.0), (50.0, 10.0, 100.0, 20.0)]
