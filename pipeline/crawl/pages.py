"""Pure parsing of what the crawler fetches: list pages per CMS family, detail pages, attachments.

Every function takes the decoded text and the page's URL and returns :class:`Link` values (absolute
URLs, not yet checked against the allowed hosts: the spider does that). Nothing here does I/O.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from gongkai.crawl.sites import SiteProfile
from gongkai.extractors.readers.html_charset import decode_page

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps")
LIST, DETAIL, ATTACHMENT, PICTURE = "list", "detail", "attachment", "picture"

_TRS_PAGES = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]"
                        r"\s*,\s*['\"]([^'\"]+)['\"]")
_HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_HANWEB_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*(\d+)", re.I)
_HANWEB_COLUMN = re.compile(r"/col/col(\d+)/")
# the column page's own dataproxy link (in <nextgroup>): its webid, unitid, path … are reused
_HANWEB_PROXY_LINK = re.compile(r"dataproxy\.jsp\?([^\"'<>\]\s]+)")
_HANWEB_PAGING = {"page", "startrecord", "endrecord", "perpage"}
_QUOTED_ATTACHMENT = re.compile(r"['\"]([^'\"\s]+?\.(?:pdf|docx?|xlsx?|wps))(?:\?[^'\"]*)?['\"]", re.I)
_NEXT_PAGE = re.compile(r"^\s*(下一页|下页|next)\s*[>»›]?\s*$", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.I)
_GBK_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936"}


@dataclass(frozen=True, slots=True)
class Link:
    """A URL to fetch: its kind (list, detail, attachment, picture) and the title it was linked with."""

    url: str
    kind: str
    title: str = ""

    def as_list(self) -> list[str]:
        return [self.url, self.kind, self.title]


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode an HTML/JSON body: the HTTP charset when the bytes decode with it, else the page's own
    declaration and detection (GBK/GB2312 read as GB18030, their superset)."""
    match = _CHARSET.search(content_type or "")
    if match:
        charset = match.group(1).lower()
        charset = "gb18030" if charset in _GBK_FAMILY else charset
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_page(body).text
    except Exception:
        return body.decode("gb18030", errors="replace")


def _tree(text: str, url: str) -> lxml_html.HtmlElement | None:
    if not text.strip():
        return None
    try:
        tree = lxml_html.fromstring(text, base_url=url)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    return tree


def _link_title(anchor: lxml_html.HtmlElement) -> str:
    title = anchor.get("title") or anchor.text_content() or ""
    return re.sub(r"\s+", " ", title).strip()


def is_attachment_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_SUFFIXES)


def _clean(url: str, base: str) -> str | None:
    url = url.strip()
    if not url or url.startswith(("javascript:", "mailto:", "#", "tel:")):
        return None
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"}:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def report_links(text: str, url: str, site: SiteProfile) -> list[Link]:
    """Links on a list page whose title names a report: a detail page, or an attachment directly."""
    tree = _tree(text, url)
    if tree is None:
        return []
    pattern = site.report_regex
    links: list[Link] = []
    for anchor in tree.iter("a"):
        title = _link_title(anchor)
        if not pattern.search(title):
            continue
        target = _clean(anchor.get("href") or "", url)
        if target is None:
            onclick = _QUOTED_ATTACHMENT.search(anchor.get("onclick") or "")
            target = _clean(onclick.group(1), url) if onclick else None
        if target is not None:
            links.append(Link(target, ATTACHMENT if is_attachment_url(target) else DETAIL, title))
    return _unique(links)


def _unique(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    out = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


def trs_pages(text: str, url: str, max_pages: int) -> list[Link]:
    """Pagination of a TRS list: ``createPageHTML(n, cur, "index", "html")`` on the first page."""
    match = _TRS_PAGES.search(text)
    if not match or int(match.group(2)) != 0:
        return []
    count, base, ext = int(match.group(1)), match.group(3), match.group(4)
    return [Link(urljoin(url, f"{base}_{i}.{ext}"), LIST) for i in range(1, min(count, max_pages))]


def hanweb_records(text: str, url: str, site: SiteProfile) -> list[Link]:
    """Report links in Hanweb ``<record><![CDATA[…]]></record>`` blocks (column page or dataproxy)."""
    links: list[Link] = []
    for fragment in _HANWEB_RECORD.findall(text):
        links.extend(report_links(f"<div>{fragment}</div>", url, site))
    return _unique(links)


def hanweb_pages(text: str, url: str, site: SiteProfile) -> list[Link]:
    """The dataproxy.jsp requests for the records the column page does not hold inline, as GET with
    every parameter in the query (JSP reads query and form parameters alike); the column's own
    dataproxy link (webid, unitid, path …) gives the parameters besides the record range."""
    column = _HANWEB_COLUMN.search(urlsplit(url).path)
    total_match = _HANWEB_TOTAL.search(text)
    if column is None or total_match is None:
        return []
    total = int(total_match.group(1) or total_match.group(2))
    inline = len(_HANWEB_RECORD.findall(text))
    own = _HANWEB_PROXY_LINK.search(text)
    params = {k: v[0] for k, v in parse_qs(own.group(1).replace("&amp;", "&")).items()
              if k not in _HANWEB_PAGING} if own else {}
    links: list[Link] = []
    start = inline + 1
    while start <= total and len(links) + 1 < site.max_pages:
        end = min(total, start + site.page_size - 1)
        query: dict[str, object] = {"startrecord": start, "endrecord": end, "perpage": site.page_size,
                                    "col": 1, "appid": 1, **params, "columnid": column.group(1)}
        if site.webid:
            query["webid"] = site.webid
        links.append(Link(urljoin(url, "/module/web/jpage/dataproxy.jsp?" + urlencode(query)), LIST))
        start = end + 1
    return links


def gkmlpt_links(text: str, url: str, site: SiteProfile) -> list[Link]:
    """Reports (``articles``) in a gkmlpt JSON page, and the other pages when this is page 1."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
    links = []
    for article in articles:
        title, target = str(article.get("title") or ""), _clean(str(article.get("url") or ""), url)
        if target and site.report_regex.search(title):
            links.append(Link(target, ATTACHMENT if is_attachment_url(target) else DETAIL, title))
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    total = data.get("total")
    if query.get("page", "1") == "1" and isinstance(total, int) and articles:
        pages = min(math.ceil(total / len(articles)), site.max_pages)
        for page in range(2, pages + 1):
            new_query = urlencode({**query, "page": page})
            links.append(Link(urlunsplit((parts.scheme, parts.netloc, parts.path, new_query, "")), LIST))
    return _unique(links)


def generic_pages(text: str, url: str) -> list[Link]:
    """The next list page of a generic column (a 下一页 link)."""
    tree = _tree(text, url)
    if tree is None:
        return []
    for anchor in tree.iter("a"):
        if _NEXT_PAGE.match(anchor.text_content() or ""):
            target = _clean(anchor.get("href") or "", url)
            if target and target != url:
                return [Link(target, LIST)]
    return []


def list_links(text: str, url: str, site: SiteProfile, pages_seen: int) -> list[Link]:
    """Everything to follow from one list page of ``site`` (reports first, then more list pages)."""
    if site.family == "gkmlpt":
        return gkmlpt_links(text, url, site)
    if site.family == "hanweb":
        more = hanweb_pages(text, url, site) if "dataproxy.jsp" not in url else []
        return hanweb_records(text, url, site) + more + report_links(_outside_records(text), url, site)
    reports = report_links(text, url, site)
    if site.family == "trs":
        return _unique(reports + trs_pages(text, url, site.max_pages))
    return _unique(reports + (generic_pages(text, url) if pages_seen < site.max_pages else []))


def _outside_records(text: str) -> str:
    return _HANWEB_RECORD.sub("", text)


def attachment_links(text: str, url: str) -> list[Link]:
    """Report files on a detail page: links to PDF/DOC/DOCX/XLS, ``onclick`` handlers that open one,
    iframes/embeds/objects showing one, and pdf.js viewers (``viewer.html?file=…``)."""
    tree = _tree(text, url)
    if tree is None:
        return []
    found: list[Link] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("href", "src", "data"):
            value = element.get(attr)
            if not value:
                continue
            target = _viewer_file(value, url) or _clean(value, url)
            if target and is_attachment_url(target):
                found.append(Link(target, ATTACHMENT, _link_title(element) if element.tag == "a" else ""))
        onclick = element.get("onclick")
        if onclick:
            for match in _QUOTED_ATTACHMENT.finditer(onclick):
                target = _clean(match.group(1), url)
                if target:
                    found.append(Link(target, ATTACHMENT, _link_title(element)))
    return _unique(found)


def _viewer_file(value: str, base: str) -> str | None:
    """The document a pdf.js viewer URL shows (``…/viewer.html?file=/a/b.pdf``), resolved as pdf.js
    does (relative to the viewer)."""
    absolute = urljoin(base, value.strip())
    files = parse_qs(urlsplit(absolute).query).get("file")
    if not files:
        return None
    return _clean(unquote(files[0]), absolute)


def page_title(text: str) -> str:
    """The ``<title>`` (or first ``<h1>``) of a page, for the ledger."""
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I) or re.search(
        r"<h1[^>]*>(.*?)</h1>", text, re.S | re.I)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()[:300] if match else ""
