"""Unit tests of the crawl's pure parts: SITES file, family parsers, attachments, walls, decoding,
file naming, and the extract side's crawl provenance."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("scrapy")

from gongkai.batch.inputs import iter_input_files
from gongkai.batch.provenance import load_crawl_provenance
from gongkai.crawl.pages import (
    ATTACHMENT,
    DETAIL,
    LIST,
    Link,
    attachment_links,
    decode_body,
    list_links,
)
from gongkai.crawl.sites import SitesFileError, load_sites, make_profile
from gongkai.crawl.spider import retry_after_seconds, saved_file_name
from gongkai.crawl.walls import wall_reason

BASE = "http://www.example.gov.cn"


def profile(family: str, url: str, **extra: object) -> object:
    return make_profile({"id": "s", "family": family, "url": url, **extra})


def test_sites_yaml_and_csv(tmp_path: Path) -> None:
    yaml_file = tmp_path / "sites.yaml"
    yaml_file.write_text("sites:\n  - id: a\n    family: trs\n    url: http://a.gov.cn/col/index.html\n"
                         "    allowed_hosts: [files.a.gov.cn]\n", encoding="utf-8")
    (site,) = load_sites(yaml_file)
    assert site.family == "trs" and site.allowed_hosts == ("a.gov.cn", "files.a.gov.cn")
    assert site.allows("http://files.a.gov.cn/x.pdf") and not site.allows("http://evil.cn/a.gov.cn/x.pdf")
    assert not site.allows("ftp://a.gov.cn/x.pdf")
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("id,family,url,max_pages\nb,hanweb,http://b.gov.cn/col/col9/index.html,7\n",
                        encoding="utf-8")
    (site_b,) = load_sites(csv_file)
    assert (site_b.family, site_b.max_pages) == ("hanweb", 7)


@pytest.mark.parametrize("row, message", [
    ({"id": "_x", "url": "http://a.cn/"}, "site id"),
    ({"id": "x", "url": "file:///etc/passwd"}, "http"),
    ({"id": "x", "url": "http://a.cn/", "family": "drupal"}, "family"),
])
def test_bad_profiles_are_refused(row: dict[str, str], message: str) -> None:
    with pytest.raises(SitesFileError, match=message):
        make_profile(row)


def test_trs_list_reports_and_pagination() -> None:
    site = profile("trs", f"{BASE}/zwgk/ndbg/index.html")
    text = """<a href="./202401/t1.html" title="某县2023年政府信息公开工作年度报告">某县…</a>
              <a href="./202401/t2.html">关于印发工作要点的通知</a>
              <a href="./P02.pdf">2022年年报</a>
              <script>createPageHTML(4, 0, "index", "shtml");</script>"""
    links = list_links(text, f"{BASE}/zwgk/ndbg/index.html", site, 1)  # type: ignore[arg-type]
    assert links == [
        Link(f"{BASE}/zwgk/ndbg/202401/t1.html", DETAIL, "某县2023年政府信息公开工作年度报告"),
        Link(f"{BASE}/zwgk/ndbg/P02.pdf", ATTACHMENT, "2022年年报"),
        Link(f"{BASE}/zwgk/ndbg/index_1.shtml", LIST), Link(f"{BASE}/zwgk/ndbg/index_2.shtml", LIST),
        Link(f"{BASE}/zwgk/ndbg/index_3.shtml", LIST)]
    # later pages do not paginate again
    assert list_links(text.replace("4, 0,", "4, 2,"), f"{BASE}/zwgk/ndbg/index_2.shtml", site, 3)[-1].kind \
        == ATTACHMENT  # type: ignore[arg-type]


def test_hanweb_records_and_dataproxy_requests() -> None:
    site = profile("hanweb", f"{BASE}/col/col1234/index.html", page_size=10, webid="7")
    record = '<record><![CDATA[<li><a href="/art/2024/1/1/art_1234_5.html" title="2023年度报告">x</a></li>]]></record>'
    text = "<script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?" \
           "page=1&amp;webid=3&amp;unitid=99&amp;path=/\"></a>]]></nextgroup>" \
           f"<recordset>{record * 1}</recordset></datastore></script>" \
           "<script>var totalRecord = 25;</script>"
    links = list_links(text, f"{BASE}/col/col1234/index.html", site, 1)  # type: ignore[arg-type]
    assert links[0] == Link(f"{BASE}/art/2024/1/1/art_1234_5.html", DETAIL, "2023年度报告")
    proxies = [link.url for link in links[1:]]
    assert [p.split("?")[1].split("&")[:2] for p in proxies] == [
        ["startrecord=2", "endrecord=11"], ["startrecord=12", "endrecord=21"], ["startrecord=22", "endrecord=25"]]
    assert all("columnid=1234" in p and "webid=7" in p and "unitid=99" in p and "path=%2F" in p
               and "/module/web/jpage/dataproxy.jsp" in p for p in proxies)


def test_gkmlpt_json_pages() -> None:
    site = profile("gkmlpt", f"{BASE}/gkmlpt/api/all/5?page=1&sid=1")
    text = ('{"total": 45, "articles": [{"title": "2024年政府信息公开工作年度报告", "url": "/gkmlpt/content/1/post_1.html"},'
            '{"title": "通知", "url": "/gkmlpt/content/1/post_2.html"}]}')
    links = list_links(text, f"{BASE}/gkmlpt/api/all/5?page=1&sid=1", site, 1)  # type: ignore[arg-type]
    assert links[0] == Link(f"{BASE}/gkmlpt/content/1/post_1.html", DETAIL, "2024年政府信息公开工作年度报告")
    assert [link.url for link in links[1:3]] == [f"{BASE}/gkmlpt/api/all/5?page=2&sid=1",
                                                 f"{BASE}/gkmlpt/api/all/5?page=3&sid=1"]
    assert len(links) == 1 + 22  # 45 articles at 2 a page
    assert list_links("not json", f"{BASE}/gkmlpt/api/all/5?page=1", site, 1) == []  # type: ignore[arg-type]


def test_generic_next_page_and_page_cap() -> None:
    site = profile("generic", f"{BASE}/list.html", max_pages=2)
    text = '<a href="/r.html">2020年年报</a><a href="/list_2.html">下一页</a>'
    assert list_links(text, f"{BASE}/list.html", site, 1)[-1] == Link(f"{BASE}/list_2.html", LIST)  # type: ignore[arg-type]
    assert list_links(text, f"{BASE}/list_2.html", site, 2) == [  # type: ignore[arg-type]
        Link(f"{BASE}/r.html", DETAIL, "2020年年报")]


def test_attachments_behind_onclick_iframes_and_pdfjs() -> None:
    text = """<a href="files/a.pdf">附件一</a>
      <span onclick="downloadFile('/upload/b.docx')">附件二</span>
      <iframe src="/pdfjs/web/viewer.html?file=%2Fupload%2Fc.pdf"></iframe>
      <embed src="d.xls"><a href="/page.html">not a file</a>
      <a href="javascript:void(0)" onclick="window.open('e.doc?v=1')">x</a>"""
    urls = [link.url for link in attachment_links(text, f"{BASE}/art/1.html")]
    assert urls == [f"{BASE}/art/files/a.pdf", f"{BASE}/upload/b.docx", f"{BASE}/upload/c.pdf",
                    f"{BASE}/art/d.xls", f"{BASE}/art/e.doc"]


def test_gbk_pages_decode() -> None:
    text = "<html><head><meta charset='gb2312'></head><body>政府信息公开工作年度报告 䶮</body></html>"
    assert "年度报告" in decode_body(text.encode("gb18030"), "text/html")
    undeclared = "<p>某市2023年政府信息公开工作年度报告，主动公开信息。</p>".encode("gbk")
    assert "年度报告" in decode_body(undeclared, "text/xml")
    assert decode_body("年报".encode("gbk"), "text/html; charset=GBK") == "年报"


@pytest.mark.parametrize("status, body, requested, final, redirected, reason", [
    (412, b"", "/a.html", "/a.html", False, "anti_bot_412"),
    (521, b"<script>x</script>", "/a.html", "/a.html", False, "anti_bot_521"),
    (418, b"", "/a.html", "/a.html", False, "anti_bot_418"),
    (200, b'<html><script>document.cookie="acw_sc__v2=1";location.reload()</script></html>',
     "/a.html", "/a.html", False, "js_challenge"),
    (200, b"<html>home</html>", "/art/a.html", "/index.html", True, "redirect_to_home"),
    (200, b"<html><script>var a=1;location.href='x'</script>" + "政府信息公开".encode() * 30 + b"</html>",
     "/a.html", "/a.html", False, None),
    (404, b"", "/a.html", "/a.html", False, None),
])
def test_walls(status: int, body: bytes, requested: str, final: str, redirected: bool, reason: str | None) -> None:
    assert wall_reason(status, body, "text/html", BASE + requested, BASE + final, redirected) == reason


def test_retry_after_and_file_names() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    name = saved_file_name("site", f"{BASE}/a/..%2F..%2Fetc/%E5%B9%B4%E6%8A%A5.pdf", "")
    assert name.startswith("site/") and name.endswith("-年报.pdf") and ".." not in name.split("/", 1)[1]
    assert saved_file_name("site", f"{BASE}/art/", ".html").endswith("-index.html")


def test_provenance_and_crawl_folder_not_listed(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "r.pdf").write_bytes(b"%PDF")
    (tmp_path / "_crawl" / "warc").mkdir(parents=True)
    (tmp_path / "_crawl" / "warc" / "x.html").write_text("<html>")
    db = sqlite3.connect(tmp_path / "_crawl" / "ledger.sqlite")
    db.execute("CREATE TABLE files(path, sha256, url, warc_file, warc_record_id, fetched_at, site, title)")
    db.execute("INSERT INTO files VALUES('s/r.pdf', 'abc', 'http://a/r.pdf', 'warc/1.warc.gz', '<urn:uuid:1>',"
               " '2026-01-02T03:04:05Z', 's', 't')")
    db.commit()
    db.close()
    assert list(iter_input_files([tmp_path])) == [tmp_path / "s" / "r.pdf"]
    listed = [str(tmp_path / "s" / "r.pdf"), "/elsewhere/copy.pdf", "/elsewhere/other.pdf"]
    rows = load_crawl_provenance(listed).annotate([
        {"source_path": str(tmp_path / "s" / "r.pdf"), "report_id": "zzz"},
        {"source_path": "/elsewhere/copy.pdf", "report_id": "abc"},
        {"source_path": "/elsewhere/other.pdf", "report_id": "def"}])
    assert rows[0]["url"] == rows[1]["url"] == "http://a/r.pdf"
    assert rows[0]["warc_file"] == "_crawl/warc/1.warc.gz" and rows[0]["warc_record_id"] == "<urn:uuid:1>"
    assert str(rows[0]["fetched_at"]) == "2026-01-02 03:04:05+00:00"
    assert rows[2]["url"] is None and rows[2]["fetched_at"] is None
