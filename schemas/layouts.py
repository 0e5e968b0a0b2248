"""What each table looks like in each layout: row keys, value columns, units (docs/form.md § Table 二, Table 三, Table 四).

Pure data. Labels are matched on ``gongkai.extractors.labels.match_key`` / ``bare_label`` forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.schemas.codes import APPLICANT_COLUMNS, REVIEW_LITIGATION_CODES

# ---------------------------------------------------------------- T3 (applications)
# (key substring, row code), checked in this order; the first that matches wins (docs/form.md § Table 三).
T3_ROW_KEYS: tuple[tuple[str, str], ...] = (
    ("本年新收", "applications.new_received"),
    ("上年结转", "applications.carried_over_in"),
    ("结转下年", "applications.carried_forward"),
    ("予以公开", "applications.result.granted"),
    ("部分公开", "applications.result.partial"),
    ("国家秘密", "applications.result.withheld.state_secret"),
    ("法律行政法规禁止", "applications.result.withheld.law_prohibited"),
    ("三安全一稳定", "applications.result.withheld.security_stability"),
    ("第三方合法权益", "applications.result.withheld.third_party_rights"),
    ("内部事务", "applications.result.withheld.internal_affairs"),
    ("过程性信息", "applications.result.withheld.process_info"),
    ("行政执法案卷", "applications.result.withheld.enforcement_file"),
    ("行政查询事项", "applications.result.withheld.admin_query"),
    ("不掌握", "applications.result.unable.not_held"),
    ("另行制作", "applications.result.unable.needs_creation"),
    ("补正后", "applications.result.unable.unclear_after_correction"),
    ("信访举报投诉", "applications.result.not_processed.petition_complaint"),
    ("重复申请", "applications.result.not_processed.duplicate"),
    ("公开出版物", "applications.result.not_processed.publication"),
    ("大量反复", "applications.result.not_processed.excessive_repeat"),
    ("确认或重新出具", "applications.result.not_processed.confirm_or_reissue"),
    ("逾期不补正", "applications.result.other.no_correction"),
    ("缴纳费用", "applications.result.other.fee_unpaid"),
    ("其他处理", "applications.result.other.total"),
)
T3_OTHER_LABELS: frozenset[str] = frozenset({"其他", "其它"})
T3_TOTAL_LABELS: frozenset[str] = frozenset({"总计", "合计"})
# group words that may stand before a leaf label in a flattened row
T3_GROUP_WORDS: tuple[str, ...] = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")
# groups that have no row of their own in the form; derived templates add subtotal rows for them (D14)
T3_SUBTOTAL_GROUPS: frozenset[str] = frozenset({"本年度办理结果", "不予公开", "无法提供", "不予处理"})
# the five 法人或其他组织 column headers, and the subtotal column some derived templates add (D14)
T3_LEGAL_HEADERS: tuple[str, ...] = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T3_SUBTOTAL_HEADER = "小计"

T3_LEAVES_2021: tuple[str, ...] = (
    "applications.result.granted",
    "applications.result.partial",
    "applications.result.withheld.state_secret",
    "applications.result.withheld.law_prohibited",
    "applications.result.withheld.security_stability",
    "applications.result.withheld.third_party_rights",
    "applications.result.withheld.internal_affairs",
    "applications.result.withheld.process_info",
    "applications.result.withheld.enforcement_file",
    "applications.result.withheld.admin_query",
    "applications.result.unable.not_held",
    "applications.result.unable.needs_creation",
    "applications.result.unable.unclear_after_correction",
    "applications.result.not_processed.petition_complaint",
    "applications.result.not_processed.duplicate",
    "applications.result.not_processed.publication",
    "applications.result.not_processed.excessive_repeat",
    "applications.result.not_processed.confirm_or_reissue",
    "applications.result.other.no_correction",
    "applications.result.other.fee_unpaid",
    "applications.result.other.other",
)
T3_LEAVES_2019: tuple[str, ...] = (*T3_LEAVES_2021[:18], "applications.result.other.total")


def t3_leaves(template: str) -> tuple[str, ...]:
    return T3_LEAVES_2021 if template == "F2021" else T3_LEAVES_2019


def t3_rows(template: str) -> tuple[str, ...]:
    """Every T3 data row of ``template`` in printed order."""
    return (
        "applications.new_received",
        "applications.carried_over_in",
        *t3_leaves(template),
        "applications.result.total",
        "applications.carried_forward",
    )


T3_COLUMNS = APPLICANT_COLUMNS

# ---------------------------------------------------------------- T2 (active)


@dataclass(frozen=True, slots=True)
class ActiveRow:
    key: str  # label key (after match_key)
    codes: tuple[str, ...]  # value columns in printed order
    signed: tuple[bool, ...]  # which columns may carry a sign (本年增/减)
    decimal: tuple[bool, ...]  # which columns may hold a decimal amount


def _row(key: str, codes: tuple[str, ...], signed: str = "", decimal: str = "") -> ActiveRow:
    return ActiveRow(key, codes, tuple(c in signed for c in "abc"[: len(codes)]),
                     tuple(c in decimal for c in "abc"[: len(codes)]))


ACTIVE_ROWS: dict[str, tuple[ActiveRow, ...]] = {
    "F2021": (
        _row("规章", ("active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force")),
        _row("规范性文件", ("active.normative_docs.issued", "active.normative_docs.repealed",
                       "active.normative_docs.in_force")),
        _row("行政许可", ("active.licensing.decisions",)),
        _row("行政处罚", ("active.penalty.decisions",)),
        _row("行政强制", ("active.coercion.decisions",)),
        _row("行政事业性收费", ("active.admin_fees.amount_wan_yuan",), decimal="a"),
    ),
    "F2019": (
        _row("规章", ("active.regulations.issued", "active.regulations.disclosed_new",
                    "active.regulations.disclosed_total")),
        _row("规范性文件", ("active.normative_docs.issued", "active.normative_docs.disclosed_new",
                       "active.normative_docs.disclosed_total")),
        _row("行政许可", ("active.licensing.items_prev_year", "active.licensing.items_change",
                      "active.licensing.decisions"), signed="b"),
        _row("其他对外管理服务事项", ("active.other_admin_services.items_prev_year",
                             "active.other_admin_services.items_change",
                             "active.other_admin_services.decisions"), signed="b"),
        _row("行政处罚", ("active.penalty.items_prev_year", "active.penalty.items_change",
                      "active.penalty.decisions"), signed="b"),
        _row("行政强制", ("active.coercion.items_prev_year", "active.coercion.items_change",
                      "active.coercion.decisions"), signed="b"),
        _row("行政事业性收费", ("active.admin_fees.items_prev_year", "active.admin_fees.items_change"),
             signed="b"),
        _row("政府集中采购", ("active.central_procurement.projects", "active.central_procurement.amount"),
             decimal="b"),
    ),
}

ACTIVE_KEYS_F2021: tuple[str, ...] = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "行政规范性文件")
ACTIVE_KEYS_F2019: tuple[str, ...] = (
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "政府集中采购",
    "其他对外管理服务事项", "采购项目数量", "采购总金额",
)

# ---------------------------------------------------------------- T4 (review_litigation)
T4_CODES: tuple[str, ...] = REVIEW_LITIGATION_CODES
T4_GROUPS: tuple[tuple[str, ...], ...] = tuple(T4_CODES[i:i + 5] for i in range(0, 15, 5))
