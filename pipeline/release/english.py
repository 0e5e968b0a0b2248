"""English labels of the form's cells, composed from the parts of a cell code.

A code names its row and column (``applications.result.granted@natural_person``); the English
label is the row's wording, then the column's, e.g. "Applications: result: granted (disclosed in
full) — natural persons". The tables below give each part's English once.
"""

from __future__ import annotations

TABLE_LABELS: dict[str, tuple[str, str]] = {
    "active": ("二、主动公开政府信息情况", "II. Proactive disclosure of government information"),
    "applications": ("三、收到和处理政府信息公开申请情况", "III. Disclosure applications received and handled"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况",
                          "IV. Administrative reconsideration and litigation over disclosure"),
}

_ACTIVE_ITEMS: dict[str, str] = {
    "regulations": "Regulations (规章)",
    "normative_docs": "Normative documents (规范性文件)",
    "licensing": "Administrative licensing",
    "other_admin_services": "Other external administrative services",
    "penalty": "Administrative penalties",
    "coercion": "Administrative coercion",
    "admin_fees": "Administrative fees",
    "central_procurement": "Government centralised procurement",
}
_ACTIVE_MEASURES: dict[str, str] = {
    "issued": "issued this year",
    "repealed": "repealed this year",
    "in_force": "in force",
    "decisions": "decisions this year",
    "amount_wan_yuan": "amount collected this year (10,000 yuan)",
    "disclosed_new": "newly disclosed this year",
    "disclosed_total": "total disclosed",
    "items_prev_year": "items in the previous year",
    "items_change": "change in items this year (+/-)",
    "projects": "number of procurement projects",
    "amount": "total procurement amount",
}
_APPLICATION_ROWS: dict[str, str] = {
    "new_received": "new applications received this year",
    "carried_over_in": "applications carried over from last year",
    "carried_forward": "applications carried forward to next year",
    "result.total": "results: total",
    "result.granted": "results: disclosed in full",
    "result.partial": "results: partly disclosed",
    "result.withheld.state_secret": "results: withheld: state secret",
    "result.withheld.law_prohibited": "results: withheld: prohibited by laws and regulations",
    "result.withheld.security_stability": "results: withheld: endangers security or stability",
    "result.withheld.third_party_rights": "results: withheld: third-party rights",
    "result.withheld.internal_affairs": "results: withheld: internal affairs",
    "result.withheld.process_info": "results: withheld: process information",
    "result.withheld.enforcement_file": "results: withheld: law-enforcement case file",
    "result.withheld.admin_query": "results: withheld: administrative query matter",
    "result.unable.not_held": "results: unable to provide: information not held",
    "result.unable.needs_creation": "results: unable to provide: would need to be created",
    "result.unable.unclear_after_correction": "results: unable to provide: unclear after correction",
    "result.not_processed.petition_complaint": "results: not processed: petition or complaint",
    "result.not_processed.duplicate": "results: not processed: duplicate application",
    "result.not_processed.publication": "results: not processed: asks for a publication",
    "result.not_processed.excessive_repeat": "results: not processed: excessive repeated applications",
    "result.not_processed.confirm_or_reissue": "results: not processed: asks to confirm or reissue",
    "result.other.no_correction": "results: other: applicant did not correct in time",
    "result.other.fee_unpaid": "results: other: fee not paid in time",
    "result.other.other": "results: other: other",
    "result.other.total": "results: other handling (total)",
}
_APPLICANTS: dict[str, str] = {
    "natural_person": "natural persons",
    "legal_commercial": "legal persons: commercial enterprises",
    "legal_research": "legal persons: research institutions",
    "legal_public_interest": "legal persons: public-interest organisations",
    "legal_legal_service": "legal persons: legal service institutions",
    "legal_other": "legal persons: other",
    "total": "all applicants",
}
_REVIEW_GROUPS: dict[str, str] = {
    "review": "Administrative reconsideration",
    "litigation.direct": "Litigation without prior reconsideration",
    "litigation.after_review": "Litigation after reconsideration",
}
_REVIEW_LEAVES: dict[str, str] = {
    "upheld": "upheld", "corrected": "corrected", "other": "other outcome", "pending": "pending",
    "total": "total",
}


def english_label(code: str) -> str:
    """The English label of a cell code (KeyError for a code the form does not have)."""
    head, _, rest = code.partition(".")
    if head == "active":
        item, _, measure = rest.partition(".")
        return f"{_ACTIVE_ITEMS[item]}: {_ACTIVE_MEASURES[measure]}"
    if head == "applications":
        row, _, column = rest.partition("@")
        return f"Applications, {_APPLICATION_ROWS[row]} — {_APPLICANTS[column]}"
    group, _, leaf = code.rpartition(".")
    return f"{_REVIEW_GROUPS[group]}: {_REVIEW_LEAVES[leaf]}"
