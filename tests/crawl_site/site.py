"""The pages of the fixture site: one column per CMS family, built in code.

Reports are real files from tests/data, so an extract of the crawl yields real values:

- TRS ``/trs/index.html`` (3 pages by ``createPageHTML``): a detail page with a PDF link (淮安 2024),
  a detail page whose DOCX opens from an ``onclick``, a detail page that is itself the HTML report
  (上海 2019), a 404 report, a robots.txt-disallowed report, links to other hosts, a non-report.
- Hanweb ``/col/col123/index.html`` (GBK, charset only in ``<meta>``): two records inline, two
  more from ``dataproxy.jsp`` (GBK XML without any charset): a pdf.js iframe, an attachment
  answering 503 + Retry-After once, a JavaScript challenge page.
- gkmlpt ``/gkmlpt/api/all/5?page=1`` (JSON, 2 pages): a detail page with a DOC, a 412 wall, a
  redirect to the home page.
- generic ``/generic/list.html`` (下一页 to a second page): the HTML report (平潭 2019), an HTML
  report whose tables are pictures (two PNGs and a picture URL answering HTML), a huge
  file, a timeout, a redirect loop, a 500, a redirect to another host, a missing PDF.
- ``/walled/list.html``: a column whose first page is a 521 wall (the crawl exits 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DATAPROXY = "/module/web/jpage/dataproxy.jsp"  # served by record range; must get webid and unitid
DATA = Path(__file__).resolve().parent.parent / "data"
HUAIAN_PDF = DATA / "js-huaian-city-gov-2024.pdf"
BLANK_DOCX = DATA / "official-blank-template-2021-format.docx"
BLANK_DOC = DATA / "official-blank-template-2021-format.doc"
SHANGHAI_HTML = DATA / "sh-municipal-gov-office-2019.html"
PINGTAN_HTML = DATA / "fj-pingtan-zone-gov-2019.html"
# an HTML report whose tables are pictures: the crawler fetches them into its picture folder
PICTURED_HTML = Path(__file__).resolve().parent / "pictured-report.html"


def _png(width: int, height: int) -> bytes:
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for y in range(10, height, 40):
        draw.line((10, y, width - 10, y), fill=0, width=2)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    conditional: bool = True  # answers If-None-Match / If-Modified-Since with 304


@dataclass(slots=True)
class FixtureSite:
    """Static pages by path (with query), plus the special behaviours the server implements."""

    origin: str  # http://127.0.0.1:PORT
    pages: dict[str, Page] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location
    huge: set[str] = field(default_factory=set)  # declares 300 MB
    slow: set[str] = field(default_factory=set)  # answers after 1 s
    retry_after_once: set[str] = field(default_factory=set)  # 503 + Retry-After: 1 on the first request
    # the report files a full crawl must save: URL path -> the test file served there
    reports: dict[str, Path] = field(default_factory=dict)
    list_pages: set[str] = field(default_factory=set)
    pictures: set[str] = field(default_factory=set)  # pictures of report pages the crawler must fetch


def _html(title: str, body: str, charset: str = "utf-8", meta: bool = True) -> bytes:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if meta else ""
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}<p>{'政府信息公开' * 20}</p></body></html>").encode(charset)


def _file(site: FixtureSite, path: str, source: Path, content_type: str) -> None:
    site.pages[path] = Page(source.read_bytes(), content_type, conditional=False)
    site.reports[path] = source


def build_site(origin: str, crawl_delay: float | None = None) -> FixtureSite:
    site = FixtureSite(origin)
    pages = site.pages
    delay_line = f"Crawl-delay: {crawl_delay}\n" if crawl_delay else ""
    pdf, docx, doc = "application/pdf", ("application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document"), "application/msword"
    pages["/robots.txt"] = Page(f"User-agent: *\n{delay_line}Disallow: /private/\n".encode(), "text/plain")
    pages["/"] = Page(_html("某市人民政府门户网站", "<p>首页</p>"))
    offsite_host = origin.replace("127.0.0.1", "localhost")

    # TRS ------------------------------------------------------------------------------------
    pages["/trs/index.html"] = Page(_html("年度报告", f"""
        <ul><li><a href="./202501/t20250115_1.html" title="淮安市人民政府2024年政府信息公开工作年度报告">淮安市…年度报告</a></li>
        <li><a href="./202501/t20250110_9.html">关于印发2025年工作要点的通知</a></li>
        <li><a href="{offsite_host}/trs/offsite.html">2023年政府信息公开工作年度报告（镜像）</a></li>
        <li><a href="http://example.invalid/report.pdf">2022年年报</a></li></ul>
        <script>createPageHTML(3, 0, "index", "html");</script>"""))
    pages["/trs/index_1.html"] = Page(_html("年度报告 第2页", """
        <ul><li><a href="./202401/t20240120_2.html">国务院办公厅2021年政府信息公开工作年度报告</a></li>
        <li><a href="/private/t3.html">某局2023年政府信息公开年度报告</a></li></ul>
        <script>createPageHTML(3, 1, "index", "html");</script>"""))
    pages["/trs/index_2.html"] = Page(_html("年度报告 第3页", """
        <ul><li><a href="./201901/t20200120_4.html">上海市人民政府办公厅2019年政府信息公开工作年度报告</a></li>
        <li><a href="./gone.html">2018年政府信息公开工作年度报告</a></li></ul>
        <script>createPageHTML(3, 2, "index", "html");</script>"""))
    pages["/trs/202501/t20250115_1.html"] = Page(_html("淮安市人民政府2024年政府信息公开工作年度报告",
        '<p>附件：<a href="./P020250115_huaian.pdf">淮安市2024年报告.pdf</a></p>'))
    _file(site, "/trs/202501/P020250115_huaian.pdf", HUAIAN_PDF, pdf)
    pages["/trs/202501/t20250110_9.html"] = Page(_html("通知", "<p>not a report</p>"))
    pages["/trs/202401/t20240120_2.html"] = Page(_html("2021年政府信息公开工作年度报告",
        """<a href="javascript:void(0)" onclick="window.open('/trs/files/report2021.docx')">下载附件</a>"""))
    _file(site, "/trs/files/report2021.docx", BLANK_DOCX, docx)
    _file(site, "/trs/201901/t20200120_4.html", SHANGHAI_HTML, "text/html; charset=utf-8")
    pages["/private/t3.html"] = Page(_html("disallowed", "<p>robots.txt disallows this</p>"))
    site.list_pages |= {"/trs/index.html", "/trs/index_1.html", "/trs/index_2.html"}

    # Hanweb (GBK) ---------------------------------------------------------------------------
    def record(href: str, title: str) -> str:
        return f"<record><![CDATA[<li><a href=\"{href}\" title=\"{title}\">{title}</a></li>]]></record>"

    inline = record("/art/2024/1/15/art_123_1.html", "某市2023年政府信息公开工作年度报告") + record(
        "/art/2024/1/10/art_123_9.html", "关于征集意见的公告")
    pages["/col/col123/index.html"] = Page(_html("政府信息公开年报", f"""
        <div id="123"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=123&unitid=456&webname=某市&permissiontype=0"></a>]]></nextgroup>
        <recordset>{inline}</recordset></datastore></script>
        <script>var totalRecord = 4;</script></div>""", charset="gbk"), "text/html")
    for start, href, title in [(3, "/art/2024/1/16/art_123_2.html", "某市2022年政府信息公开工作年度报告"),
                               (4, "/art/2024/1/17/art_123_3.html", "某市2021年政府信息公开工作年度报告")]:
        xml = (f"<datastore><totalrecord>4</totalrecord><recordset>{record(href, title)}</recordset>"
               f"</datastore>").encode("gbk")
        pages[f"{DATAPROXY}?startrecord={start}"] = Page(xml, "text/xml")
        site.list_pages.add(f"{DATAPROXY}?startrecord={start}")
    pages["/art/2024/1/15/art_123_1.html"] = Page(_html("某市2023年政府信息公开工作年度报告", """
        <iframe src="/pdfjs/web/viewer.html?file=%2Fpicture%2F0%2Fs2023report.pdf" width="100%"></iframe>""",
        charset="gbk"), "text/html")
    _file(site, "/picture/0/s2023report.pdf", HUAIAN_PDF, pdf)
    pages["/art/2024/1/16/art_123_2.html"] = Page(_html("某市2022年政府信息公开工作年度报告",
        '<a href="/module/download/downfile/2022report.docx">附件下载</a>', charset="gbk", meta=False),
        "text/html; charset=GBK")
    _file(site, "/module/download/downfile/2022report.docx", BLANK_DOCX, docx)
    site.retry_after_once.add("/module/download/downfile/2022report.docx")
    pages["/art/2024/1/17/art_123_3.html"] = Page(
        b'<html><script>document.cookie="__jsl_clearance=1";location.href=location.href;</script></html>')
    site.list_pages.add("/col/col123/index.html")

    # Guangdong gkmlpt (JSON) ------------------------------------------------------------------
    def articles(*items: tuple[int, str]) -> list[dict[str, object]]:
        return [{"id": i, "title": t, "url": f"{origin}/gkmlpt/content/5/{i}/post_{i}.html"} for i, t in items]

    api = "/gkmlpt/api/all/5?page={}&sid=757"
    pages[api.format(1)] = Page(json.dumps({"total": 4, "articles": articles(
        (1, "某区2024年政府信息公开工作年度报告"), (9, "关于公布权责清单的通知"))}, ensure_ascii=False).encode(),
        "application/json; charset=utf-8")
    pages[api.format(2)] = Page(json.dumps({"total": 4, "articles": articles(
        (2, "某区2023年政府信息公开工作年度报告"), (3, "某区2022年政府信息公开工作年度报告"))},
        ensure_ascii=False).encode(), "application/json; charset=utf-8")
    site.list_pages |= {api.format(1), api.format(2)}
    pages["/gkmlpt/content/5/1/post_1.html"] = Page(_html("某区2024年政府信息公开工作年度报告",
        '<a href="/attachment/0/1/1/gkmlpt-report.doc">某区2024年报.doc</a>'))
    _file(site, "/attachment/0/1/1/gkmlpt-report.doc", BLANK_DOC, doc)
    pages["/gkmlpt/content/5/2/post_2.html"] = Page(b"<html>Precondition Failed</html>", status=412)
    site.redirects["/gkmlpt/content/5/3/post_3.html"] = "/"

    # generic --------------------------------------------------------------------------------
    pages["/generic/list.html"] = Page(_html("信息公开年报", """
        <a href="/generic/2020/report.html">平潭综合实验区2019年政府信息公开工作年度报告</a>
        <a href="/generic/files/huge.pdf">2018年年报（扫描件）</a>
        <a href="/generic/slow.html">2017年政府信息公开年度报告</a>
        <a href="/generic/2025/pictured.html">某区人民政府2024年政府信息公开工作年度报告</a>
        <a href="/generic/list_2.html">下一页</a>"""))
    pages["/generic/list_2.html"] = Page(_html("信息公开年报 第2页", f"""
        <a href="/generic/loop1.html">2016年政府信息公开年度报告</a>
        <a href="/generic/err500.html">2015年政府信息公开年度报告</a>
        <a href="{origin}/generic/redirect-off.html">2014年政府信息公开年度报告</a>
        <a href="/generic/missing.pdf">2013年年报</a>"""))
    site.list_pages |= {"/generic/list.html", "/generic/list_2.html"}
    _file(site, "/generic/2020/report.html", PINGTAN_HTML, "text/html; charset=utf-8")
    _file(site, "/generic/2025/pictured.html", PICTURED_HTML, "text/html; charset=utf-8")
    for name, size in (("t2.png", (900, 400)), ("t4.png", (900, 200))):
        pages[f"/generic/images/{name}"] = Page(_png(*size), "image/png", conditional=False)
        site.pictures.add(f"/generic/images/{name}")
    pages["/generic/2025/images/t3.png"] = Page(b"<html>not here</html>", conditional=False)  # not an image
    site.pictures.add("/generic/2025/images/t3.png")
    site.huge.add("/generic/files/huge.pdf")
    site.slow.add("/generic/slow.html")
    site.redirects["/generic/loop1.html"] = "/generic/loop2.html"
    site.redirects["/generic/loop2.html"] = "/generic/loop1.html"
    site.redirects["/generic/redirect-off.html"] = f"{offsite_host}/generic/elsewhere.pdf"
    pages["/generic/err500.html"] = Page(b"<html>error</html>", status=500, conditional=False)

    # a whole column behind a WAF: the site is reported as failed (exit 1)
    pages["/walled/list.html"] = Page(b"<html><script>var x=1;</script></html>", status=521, conditional=False)
    return site


SITES_YAML = """\
sites:
  - id: trs-huaian
    name: 某市人民政府 (TRS)
    family: trs
    url: {origin}/trs/index.html
  - id: hanweb-city
    family: hanweb
    url: {origin}/col/col123/index.html
    page_size: 1
  - id: gkmlpt-district
    family: gkmlpt
    url: {origin}/gkmlpt/api/all/5?page=1&sid=757
  - id: generic-zone
    family: generic
    url: {origin}/generic/list.html
  - id: walled-county
    family: generic
    url: {origin}/walled/list.html
"""
