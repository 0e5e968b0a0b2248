"""A small dataset for the release tests: the samples plus a few hundred synthetic reports.

Synthetic reports get real issuer names (so that identity resolution is exercised) and one report
per (issuer, year), except three deliberate cases: the 洪泽区 report published twice under two
spellings of its issuer (淮安市洪泽区人民政府 as text, 洪泽区人民政府 as HTML, same values), and a
吴江区 report published twice with two values differing (a conflict).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from gongkai.batch.runner import BatchOptions, run_batch
from tests.synth.render_html import render_html
from tests.synth.render_text import render_tab
from tests.synth.truth import Truth, make_truth

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ("js-huaian-city-gov-2024.pdf", "fj-pingtan-zone-gov-2019.html", "fj-pingtan-zone-gov-2019.txt",
           "hb-zhuozhou-district-gov-2024.txt", "sh-municipal-gov-office-2019.html",
           "fj-pingtan-zone-gov-2018-legacy.txt")
PLACES = ("南京市鼓楼区", "杭州市西湖区", "广州市天河区", "成都市武侯区", "武汉市洪山区", "西安市雁塔区", "长沙市岳麓区",
          "宿迁市宿城区", "合肥市蜀山区", "济南市历下区", "福州市鼓楼区", "昆明市五华区", "南昌市青山湖区",
          "太原市小店区", "郑州市金水区", "沈阳市和平区", "石家庄市长安区", "南宁市青秀区", "贵阳市云岩区",
          "兰州市城关区")
BODIES = ("人民政府", "教育局")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
HONGZE = ("淮安市洪泽区人民政府", "洪泽区人民政府", 2023)
WUJIANG = ("苏州市吴江区人民政府", 2022)


@dataclass
class ReleaseCorpus:
    root: Path
    truths: dict[str, Truth] = field(default_factory=dict)  # path -> truth


def _truth(seed: int, issuer: str, year: int) -> Truth:
    truth = make_truth(seed, template="F2019" if year < 2021 else "F2021")
    truth.issuer, truth.year = issuer, year
    return truth


def make_corpus(root: Path) -> ReleaseCorpus:
    corpus = ReleaseCorpus(root)
    root.mkdir(parents=True, exist_ok=True)
    for name in SAMPLES:
        shutil.copy(DATA / name, root / name)
    seed = 0
    for place in PLACES:
        for body in BODIES:
            for year in YEARS:
                seed += 1
                truth = _truth(seed, place + body, year)
                path = root / "synth" / f"{seed:04d}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(render_tab(truth, seed), encoding="utf-8")
                corpus.truths[str(path)] = truth
    long_name, short_name, year = HONGZE
    hongze = _truth(9001, long_name, year)
    (root / "hongze.txt").write_text(render_tab(hongze, 1), encoding="utf-8")
    (root / "hongze.html").write_bytes(render_html(replace(hongze, issuer=short_name)))
    corpus.truths[str(root / "hongze.txt")] = hongze
    wujiang = _truth(9002, *WUJIANG)
    other = replace(wujiang, values=dict(wujiang.values))
    other.values["review.upheld"] = (other.values["review.upheld"] or 0) + 1
    other.values["review.total"] = (other.values["review.total"] or 0) + 1
    (root / "wujiang-a.txt").write_text(render_tab(wujiang, 2), encoding="utf-8")
    (root / "wujiang-b.txt").write_text(render_tab(other, 3), encoding="utf-8")
    corpus.truths[str(root / "wujiang-a.txt")] = wujiang
    corpus.truths[str(root / "wujiang-b.txt")] = other
    return corpus


def extract(corpus: ReleaseCorpus, out: Path) -> Path:
    run_batch([corpus.root], out, options=BatchOptions(jobs=2, chunk_docs=100))
    return out
