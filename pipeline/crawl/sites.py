"""The SITES file: one profile per government body, naming its 年报 column and its CMS family.

Profiles are per CMS family, not per site (see ``pages``):

- ``trs``: TRS WCM lists ``index.html``, ``index_1.html`` …; the page count is in
  ``createPageHTML(n, cur, "index", "html")``.
- ``hanweb``: Hanweb ``/col/colN/index.html`` with the first records inline in
  ``<record><![CDATA[…]]></record>``, the rest from ``module/web/jpage/dataproxy.jsp``.
- ``gkmlpt``: Guangdong's 政府信息公开目录 JSON API ``/gkmlpt/api/all/{cat}?page=N``.
- ``generic``: any list page; report links by title, pagination by a 下一页 link.

YAML (a list under ``sites:``) or CSV (a header row) with the fields of :class:`SiteProfile`;
``allowed_hosts`` is a list in YAML and space-separated in CSV, and defaults to the host of ``url``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FAMILIES = ("trs", "hanweb", "gkmlpt", "generic")
DEFAULT_REPORT_PATTERN = r"年度报告|年报"
_SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class SitesFileError(ValueError):
    """The SITES file cannot be read or names an invalid profile."""


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """One body's 年报 column: where it starts, how its lists look, which hosts may be fetched."""

    id: str  # folder name under --out; letters, digits, _ . -
    url: str  # the column's first list page (gkmlpt: the API URL of page 1)
    family: str = "generic"
    name: str = ""
    allowed_hosts: tuple[str, ...] = ()  # host[:port]; default: the host of url
    max_pages: int = 50  # list pages followed per column at most
    report_pattern: str = DEFAULT_REPORT_PATTERN  # a link whose title matches is a report
    page_size: int = 45  # hanweb: records per dataproxy.jsp request
    webid: str = ""  # hanweb: the site's webid parameter, when its dataproxy needs one
    extra: dict[str, str] = field(default_factory=dict)

    def allows(self, url: str) -> bool:
        """True when ``url`` is http(s) on one of the allowed hosts (exact host[:port])."""
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and parts.netloc.lower() in self.allowed_hosts

    @property
    def report_regex(self) -> re.Pattern[str]:
        return re.compile(self.report_pattern)


def make_profile(raw: dict[str, Any]) -> SiteProfile:
    """A validated profile from one YAML mapping or CSV row."""
    site_id = str(raw.get("id") or "").strip()
    url = str(raw.get("url") or "").strip()
    family = str(raw.get("family") or "generic").strip().lower()
    if not _SITE_ID.match(site_id):
        raise SitesFileError(f"site id {site_id!r}: use letters, digits, _ . - (and not start with _)")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SitesFileError(f"site {site_id}: url must be http(s)://host/…, not {url!r}")
    if family not in FAMILIES:
        raise SitesFileError(f"site {site_id}: family must be one of {', '.join(FAMILIES)}, not {family!r}")
    hosts_raw = raw.get("allowed_hosts") or ()
    hosts = hosts_raw.split() if isinstance(hosts_raw, str) else [str(h) for h in hosts_raw]
    allowed = tuple(sorted({h.strip().lower() for h in hosts if h.strip()} | {parts.netloc.lower()}))
    pattern = str(raw.get("report_pattern") or DEFAULT_REPORT_PATTERN)
    try:
        re.compile(pattern)
        max_pages = int(raw.get("max_pages") or 50)
        page_size = int(raw.get("page_size") or 45)
    except (re.error, ValueError) as err:
        raise SitesFileError(f"site {site_id}: {err}") from err
    known = {"id", "url", "family", "name", "allowed_hosts", "max_pages", "report_pattern", "page_size",
             "webid"}
    extra = {str(k): str(v) for k, v in raw.items() if k not in known and v is not None}
    return SiteProfile(site_id, url, family, str(raw.get("name") or ""), allowed, max(1, max_pages), pattern,
                       max(1, page_size), str(raw.get("webid") or ""), extra)


def load_sites(path: Path) -> list[SiteProfile]:
    """Read a SITES file (``.yaml``/``.yml`` or ``.csv``); SitesFileError when it is not usable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise SitesFileError(f"cannot read {path}: {err}") from err
    rows: list[dict[str, Any]]
    if path.suffix.lower() == ".csv":
        rows = [dict(r) for r in csv.DictReader(text.splitlines())]
    else:
        try:
            import yaml
        except ImportError as err:
            raise SitesFileError(f"{path}: a YAML SITES file needs PyYAML (the `crawl` extra)") from err

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise SitesFileError(f"{path}: not valid YAML: {err}") from err
        items = data.get("sites") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SitesFileError(f"{path}: expected a list of sites (under `sites:`)")
        rows = items
    profiles = [make_profile(r) for r in rows]
    ids = [p.id for p in profiles]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SitesFileError(f"{path}: duplicate site ids {', '.join(duplicates)}")
    if not profiles:
        raise SitesFileError(f"{path}: names no site")
    return profiles
