"""Fault probe 3 of issue 10: converting an untrusted .doc must not reach the network.

The .doc made here holds a picture linked to ``http://127.0.0.1:<port>/linked.png`` (LibreOffice
stores it as an INCLUDEPICTURE field); a local HTTP server records every request. A bare
LibreOffice fetches the picture while converting (the control test, slow); gongkai's conversion
must not, both with its network namespace and with the profile alone (where namespaces are not
available).
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from gongkai.extractors.readers import doc as doc_reader
from gongkai.model.settings import DocOptions

SOFFICE = doc_reader.find_libreoffice(DocOptions())
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:p>2021年度政府信息公开工作年度报告<draw:frame draw:name="p1" text:anchor-type="as-char" svg:width="2cm"
 svg:height="2cm"><draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>
</draw:frame></text:p></office:text></office:body></office:document>
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def linked_doc(server: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A Word 97 .doc whose picture is linked to the local server (made without network)."""
    url, requests = server
    folder = tmp_path_factory.mktemp("linked")
    (folder / "linked.fodt").write_text(_FODT.format(url=f"{url}/linked.png"), encoding="utf-8")
    doc_reader.write_profile(folder / "profile")
    assert SOFFICE is not None
    subprocess.run([*doc_reader.network_isolation(), SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(folder), str(folder / "linked.fodt")],
                   capture_output=True, timeout=120, check=True)
    data = (folder / "linked.doc").read_bytes()
    assert f"{url}/linked.png".encode("utf-16-le") in data
    requests.clear()
    return data


@pytest.mark.slow
def test_control_bare_libreoffice_fetches_the_linked_picture(linked_doc: bytes, server: tuple[str, list[str]],
                                                             tmp_path: Path) -> None:
    _url, requests = server
    (tmp_path / "in.doc").write_bytes(linked_doc)
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
                    "docx", "--outdir", str(tmp_path), str(tmp_path / "in.doc")], capture_output=True, timeout=120)
    assert requests == ["/linked.png"]  # the fault the guard is for
    requests.clear()


@pytest.mark.skipif(not doc_reader.network_isolation(), reason="no network namespace here")
def test_conversion_in_a_network_namespace_makes_no_request(linked_doc: bytes, server: tuple[str, list[str]]
                                                            ) -> None:
    _url, requests = server
    assert SOFFICE is not None
    converted = doc_reader.convert_to_docx(linked_doc, SOFFICE)
    assert converted[:2] == b"PK"
    assert requests == []


def test_profile_alone_makes_no_request(linked_doc: bytes, server: tuple[str, list[str]],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _url, requests = server
    monkeypatch.setattr(doc_reader, "network_isolation", lambda: ())
    assert SOFFICE is not None
    converted = doc_reader.convert_to_docx(linked_doc, SOFFICE)
    assert converted[:2] == b"PK"
    assert requests == []


def test_profile_disables_macros_and_link_updates(tmp_path: Path) -> None:
    doc_reader.write_profile(tmp_path)
    xcu = (tmp_path / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert 'oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value>' in xcu
    assert 'oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value>' in xcu
    assert 'oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value>' in xcu


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is missing")
def test_network_isolation_has_no_route_out() -> None:
    prefix = doc_reader.network_isolation()
    if not prefix:
        pytest.skip("namespaces are not permitted here (the profile guards alone)")
    probe = subprocess.run([*prefix, "sh", "-c", "cat /proc/net/dev"], capture_output=True, text=True, timeout=10)
    interfaces = [line.split(":")[0].strip() for line in probe.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]
