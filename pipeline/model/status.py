"""What ``ok`` means, and the stable reason codes that say why a report is not ``ok``.

``reports.status`` is ``ok`` only when the report was read completely and consistently:

- the report year and the issuer are known;
- tables 二, 三 and 四 were all found, and at least one cell holds a number;
- every cell was *read*: it holds a number (clean, or flagged ``annotated`` / ``signed`` / ``resolved_by_prose`` / ``ocr`` / ``ocr_chosen``, whose
  value is the printed number), or the report printed a blank or a placeholder there (flags
  ``blank``, ``dash``: read as printed). A cell with any other flag — ``ambiguous``,
  ``unreadable``, ``not_found``, ``header_mismatch``, or a flag added later — is not read;
- every assessable arithmetic check passes (a check is not assessable when an input is null).

Every report that is not ``ok`` has at least one reason in ``reports.reasons`` and an ``ok``
report has none (docs/output.md § Status). Codes are part of the public dataset: never rename
one; add new ones at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    description: str


_REASONS: tuple[Reason, ...] = (
    Reason("document_failed", "the document could not be processed: a fatal error stopped it (see errors)"),
    Reason("not_a_report", "the document is not a government information-disclosure annual report"),
    Reason("pre2019_format", "a report in the pre-2019 format whose tables were not extracted (not "
                              "emitted since 0.2.0: pre-2019 reports have their legacy 统计表 read)"),
    Reason("year_unknown", "the report year could not be read"),
    Reason("issuer_unknown", "the issuing body could not be read"),
    Reason("table_absent", "table 二, 三 or 四 was not found in the document"),
    Reason("cells_unread", "some cell was not read: flagged ambiguous, unreadable, not_found, "
                           "header_mismatch, ocr_conflict, ocr_unsure (any flag other than blank, dash, annotated, signed, "
                           "resolved_by_prose, ocr, ocr_chosen)"),
    Reason("checks_failed", "an assessable arithmetic check (A1–A6) fails"),
    Reason("no_values", "no cell of tables 二–四 holds a number (tables absent or unread, or an "
                        "unfilled template)"),
)

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}

# Flags of a cell that was read: a printed blank or placeholder (value null), or a number kept as
# printed with a note (value set). Any other flag means the cell was not read.
READ_BLANK_FLAGS: frozenset[str] = frozenset({"blank", "dash"})
READ_VALUE_FLAGS: frozenset[str] = frozenset({"annotated", "signed", "resolved_by_prose", "ocr",
                                             "ocr_chosen"})


def cell_is_read(value: float | None, flag: str | None) -> bool:
    """True when a cell's content was read: a number (clean or noted), or a printed blank/dash."""
    if flag in READ_BLANK_FLAGS:
        return True
    return value is not None and (flag is None or flag in READ_VALUE_FLAGS)


def ordered_reasons(codes: Iterable[str]) -> list[str]:
    """Distinct reason codes in catalog order (so equal reports get equal lists)."""
    wanted = set(codes)
    unknown = wanted - REASONS.keys()
    if unknown:
        raise ValueError(f"unknown reason codes {sorted(unknown)}")
    return [code for code in REASONS if code in wanted]
