"""Old binary Word (.doc) reader: converted to .docx by LibreOffice, then read as .docx.

LibreOffice runs headless in a temporary directory with its own throw-away user profile (so
parallel conversions do not fight over a profile lock) and a time limit. Without LibreOffice the
document fails with ``needs_libreoffice``.

An untrusted .doc must not reach the network (an INCLUDEPICTURE or linked OLE field names a URL
LibreOffice would fetch) nor run macros. So LibreOffice runs

- with no network: in a new network namespace (``unshare --net``, as root or through a user
  namespace) that has only a down loopback device; and in a new PID namespace with
  ``--kill-child``, so that every LibreOffice process dies when the conversion is stopped;
- with a profile (``registrymodifications.xcu``) that sets the macro security level to the
  highest and disables macro execution, never updates links, blocks untrusted referer links and
  turns off the update check — the only guard when namespaces are not available
  (``network_isolation()`` says which applies). Only OLE2 content reaches this reader: HTML or text
served with a ``.doc`` suffix is routed by content in :func:`gongkai.convert.formats.detect_format`.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import subprocess
import sys
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


# The profile every conversion starts from: macros off, links never updated, no update check.
_PROFILE_SETTINGS = {
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel"): ("int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution"): ("boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks"): ("boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableActiveContent"): ("boolean", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link"): ("int", "2"),  # 2: never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link"): ("int", "2"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun"): ("boolean", "false"),
    # Every HTTP(S)/FTP request goes to a proxy on the discard port, where nothing answers.
    ("/org.openoffice.Inet/Settings", "ooInetProxyType"): ("int", "2"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName"): ("string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort"): ("int", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName"): ("string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort"): ("int", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyName"): ("string", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyPort"): ("int", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy"): ("string", ""),
    ("/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
     "AutoCheckEnabled"): ("boolean", "false"),
}
_UNSHARE = ("--net", "--pid", "--fork", "--kill-child")
_PR_SET_PDEATHSIG = 1


def write_profile(profile_dir: Path) -> None:
    """A LibreOffice user profile with macros disabled and links never updated."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for (path, name), (_type, value) in _PROFILE_SETTINGS.items())
    (profile_dir / "user").mkdir(parents=True, exist_ok=True)
    (profile_dir / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + items + "</oor:items>\n", encoding="utf-8")


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program with no network and in its own PID namespace:
    ``unshare`` as root, else through a user namespace (``-r``); ``()`` when neither works here
    (then only the profile guards the conversion)."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return ()
    for prefix in ((unshare, *_UNSHARE), (unshare, "--map-root-user", *_UNSHARE)):
        try:
            probe = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return ()


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _run_in_own_group(command: list[str], timeout: float, tmp_dir: Path | None = None) -> bytes:
    """Run ``command`` in its own process group, dying with this process; on timeout or any
    interruption (SIGTERM unwinding the worker) kill the whole group (soffice forks). LibreOffice's
    own temporary files go to ``tmp_dir`` (removed with it)."""
    env = {**os.environ, "TMPDIR": str(tmp_dir)} if tmp_dir is not None else None
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          start_new_session=True, preexec_fn=_die_with_parent, env=env) as process:
        try:
            _stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:
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
        write_profile(tmp_path / "profile")
        profile = (tmp_path / "profile").as_uri()
        command = [*network_isolation(), binary, f"-env:UserInstallation={profile}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                   str(out_dir), str(source)]
        try:
            stderr = _run_in_own_group(command, timeout, tmp_path)
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
