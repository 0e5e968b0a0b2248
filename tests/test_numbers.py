"""Property tests for reading one cell as a number (docs/form.md § Reading a cell)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.extractors.numbers import PLACEHOLDERS, parse_cell

FULLWIDTH = str.maketrans("0123456789.,+-", "０１２３４５６７８９．，＋－")


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_read_back(n: int) -> None:
    assert parse_cell(str(n)).value == n
    assert parse_cell(f" {n}\u3000").value == n
    assert parse_cell(str(n).translate(FULLWIDTH)).value == n  # full-width digits


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousands_separators(n: int) -> None:
    assert parse_cell(f"{n:,}").value == n
    assert parse_cell(f"{n:,}".replace(",", "，")).value == n


@given(st.integers(min_value=-999, max_value=999))
def test_signed_values_keep_their_sign(n: int) -> None:
    text = f"{n:+d}"
    parsed = parse_cell(text)
    assert parsed.value == n and parsed.signed


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimals_and_units(d: object) -> None:
    text = format(d, "f")
    assert parse_cell(text).value == float(text)
    parsed = parse_cell(text + "万元")
    assert parsed.value == float(text) and parsed.unit == "万元"


def test_placeholders_and_blanks_are_null_with_a_flag() -> None:
    for text in ["", " ", "\u00a0", "\u3000"]:
        assert parse_cell(text).value is None and parse_cell(text).flag == "blank"
    for text in PLACEHOLDERS:
        parsed = parse_cell(text)
        assert parsed.value is None and parsed.flag == "dash", text


@given(st.text(alphabet="0123456789 .,/-元件abc约余多", min_size=1, max_size=12))
def test_never_a_number_from_garbage(text: str) -> None:
    """Whatever the cell says, a value comes back only if the text is exactly one number."""
    parsed = parse_cell(text)
    if parsed.value is not None:
        cleaned = text.strip().removesuffix("元").removesuffix("件").strip().replace(",", "").replace(" ", "")
        assert float(cleaned) == parsed.value


def test_ambiguous_cell_text_is_unreadable_not_guessed() -> None:
    for text in ["12 3", "1,23", "3.4.5", "约200", "200余", "1/2"]:
        assert parse_cell(text).value is None and parse_cell(text).flag == "unreadable", text
