"""Old binary Word (.doc) reader: converted to .docx by LibreOffice, then read as .docx.

LibreOffice runs headless in a temporary directory with its own throw-away user profile (so
parallel conversions do not fight over a profile lock) and a time limit. Without LibreOffice the
document fails with ``needs_libreoffice``. Only OLE2 content reaches this reader: HTML or text
served with a ``.doc`` suffix is routed by content in :func:`gongkai.convert.formats.detect_format`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from gongkai.extractors.readers import docx as docx_reader
from gongkai.model.document import Document
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import DocOptions

# Longest a single LibreOffice conversion may run.
CONVERT_TIMEOUT_SECONDS = 120.0

# Names LibreOffice's launcher goes by on PATH, tried in order.
LIBREOFFICE_NAMES = ("soffice", "libreoffice")

# An OLE2 container holding an encrypted OOXML package (a password-protected .docx) names this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# Every Word 6–2003 binary file keeps its text in a stream of this name (the OLE2 directory
# stores names in UTF-16LE); an OLE2 file without one is a spreadsheet, a slide deck or debris.
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def ole2_directory_missing(data: bytes) -> bool:
    """True when the OLE2 header points at a directory sector beyond the end of ``data``."""
    if len(data) < 512:
        return True
    sector_size = 1 << int.from_bytes(data[30:32], "little")
    first_directory_sector = int.from_bytes(data[48:52], "little")
    if not 128 <= sector_size <= 65536 or first_directory_sector >= 0xFFFFFFFA:
        return True
    return (first_directory_sector + 1) * sector_size + 128 > len(data)


def find_libreoffice(options: DocOptions) -> str | None:
    """Path of the LibreOffice binary: the configured one if it exists, else the first on PATH."""
    if options.libreoffice_binary is not None:
        configured = options.libreoffice_binary
        return shutil.which(configured) or (configured if Path(configured).is_file() else None)
    for name in LIBREOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run_in_own_group(command: list[str], timeout: float) -> bytes:
    """Run ``command`` in its own process group; on timeout kill the whole group (soffice forks)."""
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            _stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return stderr


def convert_to_docx(data: bytes, binary: str, timeout: float = CONVERT_TIMEOUT_SECONDS) -> bytes:
    """The .docx bytes LibreOffice makes of ``data`` (ExtractionError when it cannot)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "input.doc"
        source.write_bytes(data)
        out_dir = tmp_path / "out"
        profile = (tmp_path / "profile").as_uri()
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source)]
        try:
            stderr = _run_in_own_group(command, timeout)
        except subprocess.TimeoutExpired as err:
            raise ExtractionError("timeout",
                                  f"LibreOffice did not convert the .doc within {timeout:.0f} s") from err
        except OSError as err:
            raise ExtractionError("needs_libreoffice",
                                  f"LibreOffice ({binary}) could not be started: {err}; "
                                  "install LibreOffice to read old .doc files") from err
        converted = out_dir / "input.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            lines = stderr.decode("utf-8", errors="replace").splitlines()
            detail = " ".join(x.strip() for x in lines if x.strip() and not x.startswith("Warning"))[-300:]
            raise ExtractionError("corrupt_file",
                                  "LibreOffice could not convert the .doc (damaged or not a Word file)"
                                  + (f": {detail}" if detail else ""))
        return converted.read_bytes()


def read(data: bytes, source: str, options: DocOptions | None = None) -> Document:
    """Read an old binary .doc by converting it to .docx with LibreOffice."""
    if not data:
        raise ExtractionError("empty_file", "the .doc file is empty (0 bytes)")
    if _ENCRYPTED_PACKAGE in data:
        raise ExtractionError("encrypted", "the Word file is protected with a password")
    if _WORD_STREAM not in data:
        if ole2_directory_missing(data):
            raise ExtractionError("corrupt_file", "the .doc is truncated: its OLE2 directory is missing")
        raise ExtractionError("unknown_format",
                              "an OLE2 (old Office) file without a Word document stream: not a .doc")
    binary = find_libreoffice(options or DocOptions())
    if binary is None:
        raise ExtractionError("needs_libreoffice",
                              "this is an old binary .doc; install LibreOffice (soffice) to read old "
                              ".doc files, or save it as .docx")
    document = docx_reader.read(convert_to_docx(data, binary), source)
    document.format = "doc"
    return document
