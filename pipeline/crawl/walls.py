"""Anti-bot walls and blocks: recognised and recorded as ``blocked`` with a reason, never circumvented.

The crawler does not run JavaScript, solve challenges, keep challenge cookies or rotate identities;
a body that answers with a wall keeps its report unfetched until the wall is gone (each night
tries again, politely).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Status codes Chinese government sites' WAFs answer a crawler with (Jiasule/Knownsec 521,
# Ruishu 412, 418 "I'm a teapot" walls) and the honest refusals (403 forbidden, 451 legal/geo).
WALL_STATUSES = {412: "anti_bot_412", 418: "anti_bot_418", 521: "anti_bot_521",
                 403: "forbidden_403 (firewall or geo-block)", 451: "unavailable_451 (legal or geo-block)"}
# A challenge page is tiny, all script, and sets a cookie or reloads itself.
CHALLENGE_MAX_BYTES = 8192
_CHALLENGE_MARKERS = re.compile(
    rb"document\.cookie|location\.(?:href|reload|replace)|window\.location|eval\(|__jsl_clearance|"
    rb"acw_sc__v2|setTimeout\(", re.I)
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.I | re.S)
_TAG = re.compile(rb"<[^>]+>")
_HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.html",
               "/default.htm", "/index.php"}


def wall_reason(status: int, body: bytes, content_type: str, requested_url: str, final_url: str,
                redirected: bool) -> str | None:
    """Why this response is a wall (``blocked``), or None when it is an ordinary answer."""
    if status in WALL_STATUSES:
        return WALL_STATUSES[status]
    if redirected and _is_home(final_url) and not _is_home(requested_url):
        return "redirect_to_home"
    if status == 200 and is_challenge_page(body, content_type):
        return "js_challenge"
    return None


def is_challenge_page(body: bytes, content_type: str) -> bool:
    """A tiny HTML page that is all script and sets a cookie or reloads: a JavaScript challenge."""
    if len(body) > CHALLENGE_MAX_BYTES or "html" not in (content_type or "text/html").lower():
        return False
    if b"<script" not in body.lower() or not _CHALLENGE_MARKERS.search(body):
        return False
    visible = _TAG.sub(b"", _SCRIPT.sub(b"", body))
    return len(visible.strip()) < 80


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.lower() in _HOME_PATHS and not parts.query
