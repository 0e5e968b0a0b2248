"""The dataset card's plots (matplotlib, Agg backend, PNG without a timestamp or version)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("granted", "applications.result.granted@total"),
    ("partly granted", "applications.result.partial@total"),
    ("withheld", "applications.result.withheld."),
    ("unable to provide", "applications.result.unable."),
    ("not processed", "applications.result.not_processed."),
    ("other", "applications.result.other."),
)


def outcomes_by_year(applications: pa.Table) -> pd.DataFrame:
    """Applications handled per year by outcome (sums of the 总计 column over logical reports)."""
    frame = applications.to_pandas()
    out = pd.DataFrame({"year": frame["year"]})
    for label, prefix in OUTCOME_GROUPS:
        columns = [c for c in frame.columns if c.startswith(prefix) and c.endswith("@total")]
        out[label] = frame[columns].sum(axis=1, min_count=1) if columns else np.nan
    return out.dropna(subset=["year"]).groupby("year").sum(min_count=1).sort_index()


def _figure() -> tuple[Figure, Axes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "svg.hashsalt": "gongkai"})
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    return fig, ax


def _save(fig: Figure, path: Path) -> None:
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def _stacked(frame: pd.DataFrame, title: str, ylabel: str, path: Path) -> None:
    fig, ax = _figure()
    bottom = np.zeros(len(frame))
    x = [str(int(y)) for y in frame.index]
    for column in frame.columns:
        values = frame[column].fillna(0).to_numpy(dtype="float64")
        ax.bar(x, values, bottom=bottom, label=str(column))
        bottom += values
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    if len(frame.columns):
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _save(fig, path)


def write_plots(reports: pd.DataFrame, applications: pa.Table, folder: Path) -> dict[str, str]:
    """Write the three plots; returns file name → caption."""
    known = reports.dropna(subset=["year"])
    per_year = known.groupby(["year", "template"]).size().unstack(fill_value=0).sort_index()
    _stacked(per_year, "Logical reports per year and layout", "reports", folder / "reports_per_year.png")
    _stacked(outcomes_by_year(applications), "Applications handled, by outcome (sums of the total column)",
             "applications", folder / "application_outcomes.png")
    share = known.assign(failing=known["checks_failed"].fillna(0) > 0).groupby("year")["failing"].mean()
    fig, ax = _figure()
    ax.bar([str(int(y)) for y in share.index], (share * 100).to_numpy())
    ax.set_title("Share of reports failing at least one arithmetic check")
    ax.set_ylabel("% of logical reports")
    _save(fig, folder / "check_failures.png")
    return {
        "reports_per_year.png": "Logical reports per year and layout",
        "application_outcomes.png": "Applications handled per year, by outcome",
        "check_failures.png": "Share of logical reports failing at least one arithmetic check, per year",
    }
