"""Logical reports: every copy of one report (HTML page, PDF attachment, DOCX …) grouped by (body, year).

The copy kept for a logical report is the best one by :func:`copy_rank`: status (ok, then
partial, then anything else), fewest failed checks, most values read, fewest flagged cells, then
the smallest report_id (so the choice is deterministic). Disagreements between the kept copy and
the other copies are listed cell by cell in ``conflicts``. Documents that are not annual reports
belong to no logical report; a report whose body or year is unknown is a logical report of its own
(``doc/<report_id>``), never merged with another on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from gongkai.release.identity import Body

STATUS_RANK: dict[str, int] = {"ok": 0, "partial": 1, "failed": 3}
EXCLUDED_STATUSES = frozenset({"not_a_report"})
CONFLICT_KINDS: dict[str, str] = {
    "value_differs": "both copies have a value and the values differ",
    "only_in_other": "the kept copy has no value (null) where another copy has one",
    "only_in_chosen": "the kept copy has a value where another copy has none (null)",
}
IDENTITY_COLUMNS = ("body_id", "body_name", "adcode", "division_id", "province", "city", "county", "level",
                    "body_type", "identity")


@dataclass(frozen=True, slots=True)
class LogicalReports:
    copies: pd.DataFrame  # one row per document: report_id, report_key, chosen, identity columns
    reports: pd.DataFrame  # one row per logical report (the kept copy's columns + identity + n_copies)
    conflicts: pd.DataFrame


def report_key(body: Body, year: int | None, report_id: str) -> str:
    """The key of a logical report: ``<body_id>/<year>``, or ``doc/<report_id>`` when either is unknown."""
    if body.body_id is None or year is None:
        return f"doc/{report_id}"
    return f"{body.body_id}/{year}"


def copy_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort keys of copies, best first (see the module docstring)."""
    return pd.DataFrame({
        "status_rank": frame["status"].map(STATUS_RANK).fillna(2).astype("int64"),
        "checks_failed": frame["checks_failed"].fillna(0).astype("int64"),
        "neg_values": -frame["n_values"].fillna(0).astype("int64"),
        "n_flagged": frame["n_flagged"].fillna(0).astype("int64"),
        "report_id": frame["report_id"],
    }, index=frame.index)


def group_copies(reports: pd.DataFrame, bodies: dict[tuple[str | None, int | None], Body],
                 cells: pa.Table) -> LogicalReports:
    """Group the documents of ``reports`` into logical reports, choose a copy, list conflicts."""
    docs = reports[~reports["status"].isin(EXCLUDED_STATUSES)].copy()
    years = [None if pd.isna(y) else int(y) for y in docs["year"]]
    issuers = [None if pd.isna(i) else str(i) for i in docs["issuer"]]
    found = [bodies[(i, y)] for i, y in zip(issuers, years, strict=True)]
    for column in IDENTITY_COLUMNS:
        docs[column] = [getattr(b, column) for b in found]
    docs["report_key"] = [report_key(b, y, rid) for b, y, rid in zip(found, years, docs["report_id"], strict=True)]
    rank = copy_rank(docs)
    order = pd.concat([docs["report_key"], rank], axis=1).sort_values(
        ["report_key", "status_rank", "checks_failed", "neg_values", "n_flagged", "report_id"]).index
    docs = docs.loc[order]
    docs["chosen"] = ~docs["report_key"].duplicated()
    docs["n_copies"] = docs.groupby("report_key")["report_id"].transform("size").astype("int32")
    logical = docs[docs["chosen"]].drop(columns=["chosen"]).reset_index(drop=True)
    copies = docs[["report_id", "report_key", "chosen"]].sort_values("report_id").reset_index(drop=True)
    return LogicalReports(copies=copies, reports=logical, conflicts=_conflicts(docs, cells))


def _conflicts(docs: pd.DataFrame, cells: pa.Table) -> pd.DataFrame:
    columns = ["report_key", "table", "cell", "chosen_report_id", "chosen_value", "other_report_id",
               "other_value", "kind"]
    multi = docs[docs["n_copies"] > 1][["report_id", "report_key", "chosen"]]
    if multi.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith("value") else "object") for c in columns})
    from gongkai.release.tables import decoded, positions

    wanted = positions(cells["report_id"], pa.array(multi["report_id"].tolist(), pa.string())) >= 0
    subset = cells.select(["report_id", "table", "cell", "value"]).filter(pa.array(wanted))
    subset = pa.table({name: decoded(subset[name]) for name in subset.column_names})
    values = subset.to_pandas().merge(multi, on="report_id")
    chosen = values[values["chosen"]].drop(columns=["chosen"])
    others = values[~values["chosen"]].drop(columns=["chosen"])
    pairs = others.merge(chosen, on=["report_key", "table", "cell"], suffixes=("_other", "_chosen"))
    a, b = pairs["value_chosen"].to_numpy(dtype="float64"), pairs["value_other"].to_numpy(dtype="float64")
    kind = np.select(
        [~np.isnan(a) & ~np.isnan(b) & (np.abs(a - b) > 1e-9), np.isnan(a) & ~np.isnan(b), ~np.isnan(a) & np.isnan(b)],
        ["value_differs", "only_in_other", "only_in_chosen"], default="")
    pairs["kind"] = kind
    pairs = pairs[pairs["kind"] != ""].rename(columns={
        "report_id_chosen": "chosen_report_id", "value_chosen": "chosen_value",
        "report_id_other": "other_report_id", "value_other": "other_value"})
    result: pd.DataFrame = pairs[columns].sort_values(["report_key", "table", "cell", "other_report_id"])
    return result.reset_index(drop=True)
