"""The docs stay true to the code: docs/output.md and docs/form.md against the catalogs and schemas.

Fails when a column, error code, cell flag, status, rule, cell code or deviation id is added,
removed or changed in the code without the docs following (or the other way round), and when a
``docs/….md`` reference anywhere in the source tree (docstrings, comments, help texts, README)
names a file or a section that does not exist.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from gongkai.convert.checks import RULES
from gongkai.model.errors import CELL_FLAGS, ERROR_KINDS
from gongkai.model.result import CheckStatus, Status
from gongkai.model.status import REASONS
from gongkai.schemas.codes import APPLICANT_COLUMNS, code_index
from gongkai.schemas.tables import CHECKS_ACROSS_YEARS_SCHEMA, SCHEMAS, SOURCES_SCHEMA

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
# Where references to the docs may appear (tests/data holds report samples, not our text).
SOURCE_DIRS = ("pipeline", "extractors", "schemas", "tests", "benchmarks")
SOURCE_FILES = ("README.md", "Makefile", "pyproject.toml")
# Names of the external documents the docs replace (spelled in two pieces so this file is clean).
RETIRED_REFERENCES = ("OUTPUT" + ".md", "template" + "_spec")

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)
_ROW_KEY = re.compile(r"^\|\s*`?([^`|]+?)`?\s*\|")
_DOC_REF = re.compile(r"docs/([\w.-]+\.md)(#[^\s)\"'`]+| § [^\n]+)?")
_DEVIATION_ID = re.compile(r"(?<![A-Za-z0-9_])D(\d{1,2})(?![0-9A-Za-z_])")
_CODE_TOKEN = re.compile(r"`((?:active|applications|review|litigation|legacy)\.[a-z_.]*[a-z_](?:@[a-z_]+)?)`")


@cache
def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _headings(text: str) -> list[str]:
    return [m.group(2) for m in _HEADING.finditer(text)]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → hyphens."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.M)
    assert match, f"no heading {heading!r}"
    level = len(match.group(1))
    following = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, match.end())
    return text[match.end(): following.start() if following else len(text)]


def _table_rows(section: str) -> dict[str, list[str]]:
    """Markdown table rows of a section, keyed by their first cell (backticks removed)."""
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def _source_files() -> list[Path]:
    files = [REPO / name for name in SOURCE_FILES if (REPO / name).is_file()]
    for folder in SOURCE_DIRS:
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in (".py", ".md") and "data" not in path.relative_to(REPO).parts:
                files.append(path)
    return files


# ---------------------------------------------------------------- docs/output.md


@pytest.mark.parametrize("name", [*SCHEMAS, "sources", "checks_across_years"])
def test_every_column_of_every_table_is_documented_with_its_type(name: str) -> None:
    extra = {"sources": SOURCES_SCHEMA, "checks_across_years": CHECKS_ACROSS_YEARS_SCHEMA}
    schema = extra.get(name) or SCHEMAS[name]
    rows = _table_rows(_section(_doc("output.md"), name))
    rows.pop("column", None)
    assert list(rows) == schema.names, f"docs/output.md, table {name}: columns differ from schemas/tables.py"
    for field in schema:
        type_, null = rows[field.name][0], rows[field.name][1]
        assert type_ == str(field.type), (name, field.name, type_)
        assert null == ("yes" if field.nullable else "no"), (name, field.name, null)


def test_every_error_code_is_documented_with_stage_and_fatality() -> None:
    rows = _table_rows(_section(_doc("output.md"), "Error codes"))
    rows.pop("code", None)
    assert list(rows) == list(ERROR_KINDS)
    for code, kind in ERROR_KINDS.items():
        stage, fatal = rows[code][0], rows[code][1]
        assert stage == kind.stage, code
        assert fatal == ("yes" if kind.fatal else "no"), code


def test_every_cell_flag_is_documented() -> None:
    rows = _table_rows(_section(_doc("output.md"), "Cell flags"))
    rows.pop("flag", None)
    assert list(rows) == list(CELL_FLAGS)


def test_every_status_is_documented() -> None:
    rows = _table_rows(_section(_doc("output.md"), "Status"))
    rows.pop("status", None)
    assert set(rows) == {str(s) for s in Status}
    checks = _section(_doc("output.md"), "checks")
    for status in CheckStatus:
        assert f"`{status}`" in checks, status


def test_every_status_reason_is_documented() -> None:
    rows = _table_rows(_section(_doc("output.md"), "Reasons"))
    rows.pop("reason", None)
    assert list(rows) == list(REASONS)


# ---------------------------------------------------------------- docs/form.md


def test_every_rule_is_documented() -> None:
    rows = _table_rows(_section(_doc("form.md"), "Rules"))
    rows.pop("rule", None)
    assert list(rows) == list(RULES)


def test_every_row_and_column_code_is_in_the_form() -> None:
    form = _doc("form.md")
    named = set(_CODE_TOKEN.findall(form))
    rows = {code.split("@")[0] for code in code_index()}
    assert rows - named == set(), "row codes of schemas/cell_codes.csv missing from docs/form.md"
    for column in APPLICANT_COLUMNS:
        assert f"`{column}`" in form, column


@pytest.mark.parametrize("name", ["form.md", "output.md"])
def test_every_code_named_in_the_docs_exists(name: str) -> None:
    codes = code_index()
    rows = {code.split("@")[0] for code in codes}
    for token in _CODE_TOKEN.findall(_doc(name)):
        row, _, column = token.partition("@")
        if column in APPLICANT_COLUMNS:
            assert token in codes, token
        else:
            assert row in rows or any(code.startswith(row + ".") for code in rows), token


def test_every_deviation_id_used_in_the_code_is_in_the_form() -> None:
    documented = set(_table_rows(_section(_doc("form.md"), "Deviations")))
    assert {f"D{n}" for n in range(1, 28)} <= documented
    for path in _source_files():
        for match in _DEVIATION_ID.finditer(path.read_text(encoding="utf-8")):
            assert f"D{match.group(1)}" in documented, (path, match.group(0))


# ---------------------------------------------------------------- references


def test_references_to_the_docs_resolve() -> None:
    seen = 0
    for path in _source_files() + sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in _DOC_REF.finditer(text):
            seen += 1
            target = DOCS / match.group(1)
            assert target.is_file(), f"{path}: {match.group(0)!r} names no file"
            _assert_section(path, target, match.group(2))
    assert seen >= 20  # the code does refer to the docs


def _assert_section(path: Path, target: Path, where: str | None) -> None:
    if not where:
        return
    headings = _headings(_doc(target.name))
    if where.startswith("#"):
        assert where[1:] in {_slug(h) for h in headings}, f"{path}: no anchor {where} in {target.name}"
    else:
        after = unicodedata.normalize("NFC", where.removeprefix(" § "))
        assert any(after.startswith(h) for h in headings), f"{path}: no section {after!r} in {target.name}"


def test_links_inside_the_docs_resolve() -> None:
    link = re.compile(r"\]\(([^)\s]+)\)")
    for doc in sorted(DOCS.glob("*.md")):
        for match in link.finditer(doc.read_text(encoding="utf-8")):
            target, _, anchor = match.group(1).partition("#")
            if target.startswith(("http://", "https://")):
                continue
            file = (doc.parent / target).resolve() if target else doc
            assert file.exists(), f"{doc.name}: link {match.group(1)!r} names no file"
            if anchor:
                slugs = {_slug(h) for h in _headings(file.read_text(encoding="utf-8"))}
                assert anchor in slugs, f"{doc.name}: link {match.group(1)!r} names no heading"


def test_no_reference_to_documents_outside_the_repo() -> None:
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        for name in RETIRED_REFERENCES:
            assert name not in text, f"{path} refers to {name}, which is not in the repo (use docs/)"
