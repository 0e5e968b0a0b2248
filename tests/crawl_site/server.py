"""A threaded HTTP server on 127.0.0.1 serving the fixture site and logging every request."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.crawl_site.site import DATAPROXY, FixtureSite, build_site

LAST_MODIFIED = "Mon, 06 Jan 2025 08:00:00 GMT"


@dataclass(slots=True)
class LoggedRequest:
    path: str
    host: str
    user_agent: str
    conditional: bool
    status: int = 0  # 0 until answered
    at: float = field(default_factory=time.monotonic)  # arrival


@dataclass(slots=True)
class SiteServer:
    site: FixtureSite
    log: list[LoggedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    served_once: set[str] = field(default_factory=set)

    def requests(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.log)

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def _handler(state: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _arrived(self) -> None:
            self.entry = LoggedRequest(self.path, self.headers.get("Host", ""),
                                       self.headers.get("User-Agent", ""), "If-None-Match" in self.headers)
            with state.lock:
                state.log.append(self.entry)

        def _log(self, status: int) -> None:
            self.entry.status = status

        def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
            self._log(status)
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _route(self) -> str:
            """The page key: a Hanweb dataproxy request by its record range, when it carries the
            parameters the column page gave (webid, unitid); others by path and query."""
            parts = urlsplit(self.path)
            if parts.path != DATAPROXY:
                return self.path
            query = parse_qs(parts.query)
            if query.get("webid") != ["1"] or query.get("unitid") != ["456"]:
                return self.path  # -> 404
            return f"{DATAPROXY}?startrecord={query.get('startrecord', ['?'])[0]}"

        def do_GET(self) -> None:
            self.path = self._route()
            self._arrived()
            site, path = state.site, self.path
            if path in site.redirects:
                self._send(302, b"", [("Location", site.redirects[path])])
                return
            if path in site.huge:
                self._log(200)
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(300 * 2**20))
                self.end_headers()
                try:
                    for _ in range(64):  # at most 4 MB, until the client hangs up
                        self.wfile.write(b"%PDF" + b"0" * 65532)
                except OSError:
                    pass
                self.close_connection = True
                return
            if path in site.slow:
                time.sleep(1.0)
                self._send(200, b"<html>late</html>", [("Content-Type", "text/html")])
                return
            if path in site.retry_after_once and path not in state.served_once:
                state.served_once.add(path)
                self._send(503, b"busy", [("Retry-After", "1"), ("Content-Type", "text/plain")])
                return
            page = site.pages.get(path)
            if page is None:
                self._send(404, b"<html>Not Found</html>", [("Content-Type", "text/html")])
                return
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            headers = [("Content-Type", page.content_type), *page.headers]
            if page.status == 200 and page.conditional:
                headers += [("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", [("ETag", etag)])
                    return
            self._send(page.status, page.body, headers)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # the crawler hangs up on the huge and the slow file: expected


@contextmanager
def serve_site(crawl_delay: float | None = None) -> Iterator[SiteServer]:
    """Start the fixture site on an ephemeral port of 127.0.0.1; stopped on exit."""
    server = _QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    state = SiteServer(build_site(origin, crawl_delay))
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
