"""The crawler against the fixture site (tests/crawl_site) on 127.0.0.1: a first crawl fetches
every report, a second only re-checks list pages (304), a killed crawl resumes without refetching,
nothing off the allowed hosts is requested, and crawl -> extract gives sources naming URL and WARC
record. Each crawl runs in a subprocess (Scrapy's reactor cannot restart in one process)."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("scrapy")
pytest.importorskip("warcio")

from warcio.archiveiterator import ArchiveIterator

from gongkai.crawl.ledger import CRAWL_REASONS
from tests.crawl_site.server import LoggedRequest, SiteServer, serve_site
from tests.crawl_site.site import SITES_YAML

FAST = ["--delay", "0", "--timeout", "0.5", "--retries", "1", "--backoff", "0.05", "--max-retry-after", "1.5",
        "--max-mb", "5"]
REPO = Path(__file__).resolve().parent.parent


def crawl_command(sites: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "gongkai.crawl", str(sites), "--out", str(out), *FAST, *extra]


def run_crawl(sites: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(crawl_command(sites, out, *extra), capture_output=True, text=True, timeout=90,
                          cwd=REPO, check=False)


def start_slow_crawl(tmp_path: Path, server: SiteServer) -> tuple[Path, Path, subprocess.Popen[bytes]]:
    """A crawl of the fixture site in the background, slowed (0.25 s per request) so a test can stop it."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_YAML.format(origin=server.site.origin), encoding="utf-8")
    out = tmp_path / "raw"
    command = crawl_command(sites, out)
    command[command.index("--delay") + 1] = "0.25"
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sites, out, process


def ledger_rows(out: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(out / "_crawl" / "ledger.sqlite") as db:
        return db.execute(sql).fetchall()


@dataclass
class Crawled:
    server: SiteServer
    sites: Path
    out: Path
    first: list[LoggedRequest]
    second: list[LoggedRequest]
    first_rc: int
    second_rc: int


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("crawl")
    with serve_site() as server:
        sites = tmp / "sites.yaml"
        sites.write_text(SITES_YAML.format(origin=server.site.origin), encoding="utf-8")
        out = tmp / "raw"
        first = run_crawl(sites, out, "--log-format", "json")
        assert first.returncode == 1, first.stderr[-3000:]  # the walled site
        summary = json.loads(first.stdout.strip().splitlines()[-1])
        assert summary["failed_sites"] == {"walled-county": "blocked"} and summary["exit_code"] == 1
        time.sleep(1.2)  # let the slow page's server thread finish before the log is read
        first_log = server.requests()
        server.clear()
        second = run_crawl(sites, out)
        yield Crawled(server, sites, out, first_log, server.requests(), first.returncode, second.returncode)


WALLED = "/walled/list.html"


def paths(log: list[LoggedRequest]) -> list[str]:
    return [r.path for r in log]


def test_first_crawl_saves_every_report(crawled: Crawled) -> None:
    site = crawled.server.site
    saved = {row[0]: row for row in ledger_rows(crawled.out, "SELECT url, path, sha256 FROM files")}
    assert set(saved) == {site.origin + p for p in site.reports}
    for path, source in site.reports.items():
        _, relative, sha = saved[site.origin + path]
        data = (crawled.out / str(relative)).read_bytes()
        assert data == source.read_bytes() and hashlib.sha256(data).hexdigest() == sha
    # GBK titles came through decoded
    titles = {str(r[0]) for r in ledger_rows(crawled.out, "SELECT title FROM files WHERE site='hanweb-city'")}
    assert titles == {"某市2023年政府信息公开工作年度报告", "某市2022年政府信息公开工作年度报告"}
    # every list page of every family was visited, non-reports never were
    assert site.list_pages <= set(paths(crawled.first))
    assert not {"/trs/202501/t20250110_9.html", "/art/2024/1/10/art_123_9.html",
                "/gkmlpt/content/5/9/post_9.html"} & set(paths(crawled.first))


def test_pictures_of_a_report_page_without_tables_are_fetched_into_its_picture_folder(crawled: Crawled) -> None:
    from gongkai.convert.stages import extract_bytes
    from gongkai.extractors.readers import html
    from gongkai.extractors.readers.html_pictures import picture_folder

    site = crawled.server.site
    fetched = set(paths(crawled.first))
    assert site.pictures <= fetched  # its three pictures, not the header logo outside the article
    assert "/images/site_logo.png" not in fetched and not any(p.startswith("/images/") for p in fetched)
    ((relative,),) = ledger_rows(crawled.out, "SELECT path FROM files WHERE url LIKE '%/pictured.html'")
    page = crawled.out / str(relative)
    folder = picture_folder(page)
    assert sorted(p.suffix for p in folder.iterdir()) == [".png", ".png"]
    statuses = {str(u)[len(site.origin):]: (s, r) for u, s, r in
                ledger_rows(crawled.out, "SELECT url, status, reason FROM urls WHERE kind='picture'")}
    assert statuses == {"/generic/images/t2.png": ("ok", ""), "/generic/images/t4.png": ("ok", ""),
                        "/generic/2025/images/t3.png": ("failed", "not_an_image")}
    document = html.read(page.read_bytes(), str(page))
    assert [(p.name, p.available) for p in document.pictures] == [
        ("/generic/images/t2.png", True), ("images/t3.png", False), ("/generic/images/t4.png", True)]
    assert document.pictures[0].width_pt == 450.0
    # the extract step names the picture it could not get
    result = extract_bytes(page.read_bytes(), str(page))
    assert any(e.code == "pictures_not_read" and "images/t3.png" in e.message for e in result.errors)
    # report pages whose text holds the tables get no picture folder (平潭 has logos in its page)
    assert [p.name for p in crawled.out.rglob("*.pictures")] == [folder.name]


def test_walls_and_failures_are_recorded_not_circumvented(crawled: Crawled) -> None:
    origin = crawled.server.site.origin
    status = {str(r[0])[len(origin):]: (r[1], r[2]) for r in ledger_rows(crawled.out, "SELECT url, status, reason FROM urls")}
    assert status["/art/2024/1/17/art_123_3.html"] == ("blocked", "js_challenge")
    assert status["/gkmlpt/content/5/2/post_2.html"] == ("blocked", "anti_bot_412")
    assert status["/gkmlpt/content/5/3/post_3.html"] == ("blocked", "redirect_to_home")
    assert status["/generic/files/huge.pdf"] == ("failed", "too_large")
    assert status["/generic/slow.html"] == ("failed", "timeout")
    assert status["/generic/loop1.html"] == ("failed", "redirect_loop")
    assert status["/generic/err500.html"] == ("failed", "http_500")
    assert status["/trs/gone.html"] == ("failed", "http_404")
    assert status["/private/t3.html"] == ("disallowed", "robots.txt")
    assert status["/generic/redirect-off.html"][0] == "offsite"
    assert status[WALLED] == ("blocked", "anti_bot_521")
    for (reason,) in ledger_rows(crawled.out, "SELECT DISTINCT reason FROM urls WHERE reason != ''"):
        assert re.sub(r"^http_\d{3}$", "http_NNN", str(reason)) in CRAWL_REASONS or str(reason).startswith("offsite")
    # the challenge page was fetched once (no retry with cookies), the 412 once
    assert paths(crawled.first).count("/art/2024/1/17/art_123_3.html") == 1
    assert paths(crawled.first).count("/gkmlpt/content/5/2/post_2.html") == 1


def test_polite_and_inside_the_allowed_hosts(crawled: Crawled) -> None:
    host = crawled.server.site.origin.removeprefix("http://")
    for log in (crawled.first, crawled.second):
        assert {r.host for r in log} == {host}  # localhost links and redirects never followed
        assert all(r.user_agent.startswith("gongkai-crawler/") for r in log)
        assert "/private/t3.html" not in paths(log)
    assert paths(crawled.first)[0] == "/robots.txt"
    # 503 + Retry-After: 1, then fetched; 500 retried once; the timeout retried once
    assert paths(crawled.first).count("/module/download/downfile/2022report.docx") == 2
    assert paths(crawled.first).count("/generic/err500.html") == 2
    assert paths(crawled.first).count("/generic/slow.html") == 2


def test_second_crawl_fetches_only_list_pages_with_304(crawled: Crawled) -> None:
    assert crawled.second_rc == 1  # the walled site is still walled (its first page has no validators)
    assert paths(crawled.second).count(WALLED) == 1
    requests = [r for r in crawled.second if r.path not in {"/robots.txt", WALLED}]
    assert set(paths(requests)) == crawled.server.site.list_pages
    assert len(requests) == len(crawled.server.site.list_pages)
    assert all(r.conditional and r.status == 304 for r in requests)


def test_warc_holds_every_response_and_revisits(crawled: Crawled) -> None:
    files = ledger_rows(crawled.out, "SELECT url, sha256, warc_file, warc_record_id FROM files")
    runs = ledger_rows(crawled.out, "SELECT warc_file FROM runs ORDER BY started_at")
    assert len(runs) == 2
    records: dict[str, tuple[str, str, bytes]] = {}
    for (warc,) in runs:
        with gzip.open(crawled.out / "_crawl" / str(warc), "rb") as raw, open(crawled.out / "_crawl" / str(warc), "rb") as fh:
            assert raw.read(4) == b"WARC"
            for record in ArchiveIterator(fh):
                records[record.rec_headers.get_header("WARC-Record-ID")] = (
                    record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
    for url, sha, warc, record_id in files:
        assert warc == runs[0][0]
        kind, target, payload = records[str(record_id)]
        assert (kind, target) == ("response", url) and hashlib.sha256(payload).hexdigest() == sha
    revisits = [r for r in records.values() if r[0] == "revisit"]
    assert len(revisits) == len(crawled.server.site.list_pages)
    # every response of both runs is archived (robots.txt and the walls included); a timed-out or
    # abandoned (too large) download has no response to archive
    responses = [r for r in records.values() if r[0] in {"response", "revisit"}]
    no_answer = crawled.server.site.slow | crawled.server.site.huge
    answered = [r for r in crawled.first + crawled.second if r.path not in no_answer]
    assert len(responses) == len(answered)


def test_killed_crawl_resumes_without_refetching(tmp_path: Path) -> None:
    with serve_site() as server:
        sites, out, process = start_slow_crawl(tmp_path, server)
        deadline = time.monotonic() + 60
        saved: list[tuple[object, ...]] = []
        while time.monotonic() < deadline and process.poll() is None:
            if (out / "_crawl" / "ledger.sqlite").exists():
                try:
                    saved = ledger_rows(out, "SELECT url FROM files")
                except sqlite3.Error:
                    saved = []
                if len(saved) >= 2:
                    break
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        done_before = {str(r[0]) for r in ledger_rows(out, "SELECT url FROM urls WHERE status='ok' AND kind!='list'")}
        assert 2 <= len(ledger_rows(out, "SELECT url FROM files")) < len(server.site.reports)
        torn = out / "trs-huaian" / ".x.pdf.123.part"  # as a kill during a write leaves it
        torn.parent.mkdir(exist_ok=True)
        torn.write_bytes(b"%PDF-half")
        time.sleep(1.2)
        server.clear()
        resumed = run_crawl(sites, out)
        assert resumed.returncode == 1, resumed.stderr[-3000:]
        refetched = {server.site.origin + r.path for r in server.requests()} & done_before
        assert refetched == set()
        saved_urls = {str(r[0]) for r in ledger_rows(out, "SELECT url FROM files")}
        assert saved_urls == {server.site.origin + p for p in server.site.reports}
        assert not torn.exists()


def test_crawl_then_extract_names_url_and_warc_record(crawled: Crawled, tmp_path: Path) -> None:
    import pandas as pd

    from gongkai.batch.runner import BatchOptions, run_batch

    summary = run_batch([crawled.out], tmp_path / "ds", options=BatchOptions(jobs=1))
    assert summary.listed == len(crawled.server.site.reports)  # _crawl/ is not an input
    sources = pd.read_parquet(tmp_path / "ds" / "sources.parquet")
    files = ledger_rows(crawled.out, "SELECT path, url, warc_record_id FROM files")
    by_path = {os.path.abspath(p): row for p, row in zip(sources["source_path"], sources.to_dict("records"),
                                                         strict=True)}
    for path, url, record_id in files:
        row = by_path[os.path.abspath(crawled.out / str(path))]
        assert (row["url"], row["warc_record_id"]) == (url, record_id)
        assert str(row["warc_file"]).startswith("_crawl/warc/") and row["fetched_at"] is not pd.NaT
    reports = pd.read_parquet(tmp_path / "ds" / "reports")
    cells = pd.read_parquet(tmp_path / "ds" / "cells")
    huaian = reports[reports["issuer"] == "淮安市人民政府"]
    assert set(huaian["year"]) == {2024}
    values = cells[cells["report_id"].isin(huaian["report_id"])].set_index("cell")["value"]
    assert values["active.regulations.in_force"] == 11
    assert values["active.licensing.decisions"] == 447228


def test_crawl_extract_release_sources_name_url_and_warc_record(crawled: Crawled, tmp_path: Path) -> None:
    """The whole chain of issue 12: the release's sources cite the URL and WARC record of each report."""
    import pandas as pd

    from gongkai.batch.runner import BatchOptions, run_batch
    from gongkai.release.build import build_release
    from gongkai.release.settings import ReleaseSettings

    run_batch([crawled.out], tmp_path / "ds", options=BatchOptions(jobs=1))
    build_release(tmp_path / "ds", tmp_path / "release", ReleaseSettings(version="2026.12"))
    sources = pd.read_parquet(tmp_path / "release" / "parquet" / "sources.parquet")
    files = {str(url): str(record) for url, record in ledger_rows(crawled.out, "SELECT url, warc_record_id FROM files")}
    assert set(sources["url"].dropna()) == set(files)
    for row in sources.dropna(subset=["url"]).to_dict("records"):
        assert row["warc_record_id"] == files[row["url"]]
    reports = pd.read_parquet(tmp_path / "release" / "parquet" / "reports.parquet")
    assert "淮安市人民政府" in set(reports["issuer"])


@pytest.mark.slow  # the chain's control flow is tested fast in test_crawl_nightly.py
def test_nightly_chains_crawl_and_extract(crawled: Crawled, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli.app", "nightly", str(crawled.sites), "--raw", str(raw),
         "--out", str(tmp_path / "ds"), *[f"--crawl-option={o}" for o in FAST]],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert [s["step"] for s in report["steps"]] == ["crawl", "extract", "release"]
    assert report["steps"][0]["exit_code"] == 1 and report["steps"][2]["note"].startswith("skipped")
    assert result.returncode == report["exit_code"] == 1
    assert (tmp_path / "ds" / "sources.parquet").is_file()


@pytest.mark.slow
def test_graceful_stop_keeps_the_jobdir_queue(tmp_path: Path) -> None:
    with serve_site() as server:
        sites, out, process = start_slow_crawl(tmp_path, server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if len(ledger_rows(out, "SELECT url FROM files")) >= 1:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)  # Scrapy stops gracefully and saves its queue
        assert process.wait(timeout=30) in {0, 1}
        assert (out / "_crawl" / "job.closed").exists() and (out / "_crawl" / "job" / "requests.queue").is_dir()
        done_before = {str(r[0]) for r in ledger_rows(out, "SELECT url FROM urls WHERE status='ok' AND kind!='list'")}
        time.sleep(1.2)
        server.clear()
        resumed = run_crawl(sites, out)
        assert resumed.returncode == 1, resumed.stderr[-3000:]
        assert not {server.site.origin + r.path for r in server.requests()} & done_before
        reports = [r.path for r in server.requests() if r.path in server.site.reports and r.status != 503]
        assert len(reports) == len(set(reports))  # the restored queue and the new walk do not double up
        assert {str(r[0]) for r in ledger_rows(out, "SELECT url FROM files")} == {
            server.site.origin + p for p in server.site.reports}
        assert not (out / "_crawl" / "job").exists()  # a finished job leaves no queue behind


@pytest.mark.slow
def test_robots_crawl_delay_is_honoured(tmp_path: Path) -> None:
    with serve_site(crawl_delay=0.4) as server:
        sites = tmp_path / "sites.yaml"
        sites.write_text(SITES_YAML.format(origin=server.site.origin).split("  - id: hanweb-city")[0],
                         encoding="utf-8")
        result = run_crawl(sites, tmp_path / "raw")
        assert result.returncode == 0, result.stderr[-3000:]
        arrivals = [r.at for r in server.requests()]
        gaps = [b - a for a, b in itertools.pairwise(arrivals[2:])]  # after robots.txt and the first page
        assert len(gaps) >= 6 and min(gaps) >= 0.4 * 0.5  # DOWNLOAD_DELAY_JITTER: 0.5x-1.5x
