"""Random report contents whose truth is known and which satisfy the arithmetic rules A1–A6.

A :class:`Truth` holds every canonical cell value of one synthetic report (None = printed blank)
plus the printed labels a renderer needs. Renderers (text, HTML, Word, PDF …) live beside this
module and turn a Truth into document bytes; tests then extract the document and compare.

Written from docs/form.md alone, independently of the extractor code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

APPLICANT_COLS = (
    "natural_person", "legal_commercial", "legal_research", "legal_public_interest",
    "legal_legal_service", "legal_other", "total",
)

# (row code, group label printed in the c1 column or None, leaf label as printed)
T3_ROWS_2021: list[tuple[str, str | None, str]] = [
    ("applications.new_received", None, "一、本年新收政府信息公开申请数量"),
    ("applications.carried_over_in", None, "二、上年结转政府信息公开申请数量"),
    ("applications.result.granted", None, "（一）予以公开"),
    ("applications.result.partial", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("applications.result.withheld.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("applications.result.withheld.law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("applications.result.withheld.security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("applications.result.withheld.third_party_rights", "（三）不予公开", "4.保护第三方合法权益"),
    ("applications.result.withheld.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("applications.result.withheld.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("applications.result.withheld.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("applications.result.withheld.admin_query", "（三）不予公开", "8.属于行政查询事项"),
    ("applications.result.unable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("applications.result.unable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("applications.result.unable.unclear_after_correction", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("applications.result.not_processed.petition_complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("applications.result.not_processed.duplicate", "（五）不予处理", "2.重复申请"),
    ("applications.result.not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("applications.result.not_processed.excessive_repeat", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("applications.result.not_processed.confirm_or_reissue", "（五）不予处理",
     "5.要求行政机关确认或重新出具已获取信息"),
    ("applications.result.other.no_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("applications.result.other.fee_unpaid", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("applications.result.other.other", "（六）其他处理", "3.其他"),
    ("applications.result.total", None, "（七）总计"),
    ("applications.carried_forward", None, "四、结转下年度继续办理"),
]

T3_ROWS_2019: list[tuple[str, str | None, str]] = [
    r for r in T3_ROWS_2021 if not r[0].startswith("applications.result.other.")
]
T3_ROWS_2019.insert(
    [r[0] for r in T3_ROWS_2019].index("applications.result.total"),
    ("applications.result.other.total", None, "（六）其他处理"),
)

T3_RESULT_GROUP = "三、本年度办理结果"
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# T2: list of blocks (block header, column headers, rows: (row label, [codes])).
T2_BLOCKS_2021: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [
        ("规章", ["active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force"]),
        ("行政规范性文件", ["active.normative_docs.issued", "active.normative_docs.repealed",
                      "active.normative_docs.in_force"]),
    ]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["active.licensing.decisions"])]),
    ("第二十条第（六）项", ["本年处理决定数量"], [
        ("行政处罚", ["active.penalty.decisions"]),
        ("行政强制", ["active.coercion.decisions"]),
    ]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["active.admin_fees.amount_wan_yuan"])]),
]

T2_BLOCKS_2019: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = [
    ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], [
        ("规章", ["active.regulations.issued", "active.regulations.disclosed_new",
                "active.regulations.disclosed_total"]),
        ("规范性文件", ["active.normative_docs.issued", "active.normative_docs.disclosed_new",
                   "active.normative_docs.disclosed_total"]),
    ]),
    ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
        ("行政许可", ["active.licensing.items_prev_year", "active.licensing.items_change",
                  "active.licensing.decisions"]),
        ("其他对外管理服务事项", ["active.other_admin_services.items_prev_year",
                         "active.other_admin_services.items_change", "active.other_admin_services.decisions"]),
    ]),
    ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
        ("行政处罚", ["active.penalty.items_prev_year", "active.penalty.items_change", "active.penalty.decisions"]),
        ("行政强制", ["active.coercion.items_prev_year", "active.coercion.items_change",
                  "active.coercion.decisions"]),
    ]),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [
        ("行政事业性收费", ["active.admin_fees.items_prev_year", "active.admin_fees.items_change"]),
    ]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [
        ("政府集中采购", ["active.central_procurement.projects", "active.central_procurement.amount"]),
    ]),
]

T4_CODES = [
    f"{g}.{leaf}" for g in ("review", "litigation.direct", "litigation.after_review")
    for leaf in ("upheld", "corrected", "other", "pending", "total")
]

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]

ISSUERS = ["涿州区人民政府", "平潭综合实验区管委会", "淮安市人民政府", "某某县市场监督管理局", "某某镇人民政府"]


@dataclass
class Truth:
    template: str  # F2021 | F2019
    year: int
    issuer: str
    values: dict[str, float | None] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.issuer}{self.year}年政府信息公开工作年度报告"

    def t3_rows(self) -> list[tuple[str, str | None, str]]:
        return T3_ROWS_2021 if self.template == "F2021" else T3_ROWS_2019

    def t2_blocks(self) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
        return T2_BLOCKS_2021 if self.template == "F2021" else T2_BLOCKS_2019

    def t3_row_values(self, row_code: str) -> list[float | None]:
        return [self.values[f"{row_code}@{c}"] for c in APPLICANT_COLS]

    def t4_values(self) -> list[float | None]:
        return [self.values[c] for c in T4_CODES]


def _count(rng: random.Random, big: bool) -> int:
    if rng.random() < 0.55:
        return 0
    return rng.randint(1, 5000 if big else 40)


def make_truth(seed: int, template: str | None = None, big: bool = False) -> Truth:
    """A random, rule-consistent report. ``big`` allows larger numbers (harder digit splits)."""
    rng = random.Random(seed)
    template = template or rng.choice(["F2021", "F2019"])
    year = rng.choice([2021, 2022, 2023, 2024, 2025]) if template == "F2021" else rng.choice([2019, 2020])
    truth = Truth(template=template, year=year, issuer=rng.choice(ISSUERS))
    v = truth.values
    # T2
    for _block, _cols, rows in truth.t2_blocks():
        for _label, codes in rows:
            for code in codes:
                if code.endswith("amount_wan_yuan"):
                    v[code] = round(rng.uniform(0, 9999), rng.choice([0, 1, 2, 3]))
                elif code.endswith("central_procurement.amount"):
                    v[code] = round(rng.uniform(0, 1e7), 2)
                elif code.endswith("items_change"):
                    v[code] = float(rng.randint(-30, 30))
                else:
                    v[code] = float(_count(rng, True))
    # T3
    rows = [r[0] for r in truth.t3_rows()]
    leaves = [r for r in rows if r.startswith("applications.result.") and r != "applications.result.total"]
    for col in APPLICANT_COLS[:-1]:
        for leaf in leaves:
            v[f"{leaf}@{col}"] = float(_count(rng, big))
        total = sum(v[f"{leaf}@{col}"] or 0 for leaf in leaves)
        v[f"applications.result.total@{col}"] = total
        carried_in = float(_count(rng, big))
        forward = float(_count(rng, big))
        new = total + forward - carried_in
        if new < 0:
            carried_in, new = carried_in + new, 0.0
        v[f"applications.new_received@{col}"] = new
        v[f"applications.carried_over_in@{col}"] = carried_in
        v[f"applications.carried_forward@{col}"] = forward
    for row in rows:
        v[f"{row}@total"] = sum(v[f"{row}@{c}"] or 0 for c in APPLICANT_COLS[:-1])
    # T4
    for group in ("review", "litigation.direct", "litigation.after_review"):
        parts = [float(_count(rng, False)) for _ in range(4)]
        for leaf, value in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            v[f"{group}.{leaf}"] = value
        v[f"{group}.total"] = sum(parts)
    return truth


def fmt_value(value: float | None) -> str:
    """A value as a report prints it ("" for blank; integers without a decimal point)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
