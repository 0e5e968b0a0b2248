"""Helpers for the batch tests: read an output folder back as sorted DataFrames."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from gongkai.schemas.tables import TABLE_NAMES
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of ``out`` as a DataFrame sorted on all columns (text), for comparisons."""
    tables = {name: pd.read_parquet(out / name) for name in TABLE_NAMES}
    tables["sources"] = pd.read_parquet(out / "sources.parquet")
    return {name: _canonical(df) for name, df in tables.items()}


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    text = df.astype("object").where(df.notna(), None).astype(str)
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def assert_same_tables(left: Path, right: Path) -> None:
    a, b = read_tables(left), read_tables(right)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def committed_parts(out: Path) -> int:
    db = out / "_gongkai" / "manifest.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM parts").fetchone()[0])
    except sqlite3.Error:
        return 0


def write_tab_reports(folder: Path, n: int, seed: int = 0, name: str = "r{i}.txt") -> list[Path]:
    """``n`` synthetic tab-dump reports (seeds ``seed`` …) in ``folder``, named by ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / name.format(i=i)
        path.write_text(render_tab(make_truth(seed + i), seed + i), encoding="utf-8")
        paths.append(path)
    return paths
