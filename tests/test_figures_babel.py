"""Figures printed faster than Babel's own functions, and exactly as they print them."""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from cpomdocs import figures

AMOUNTS = st.one_of(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.sampled_from([0, 0.0, -0.0, 0.005, -0.005, 1e28, -1e300, 1234567.891]),
)


def _babel(value: float, cents: bool) -> str:
    """What Babel's format_currency prints, with the minus sign of French typography."""
    with localcontext(Context(prec=400)):
        if cents:
            text = format_currency(figures._quantize(value), "EUR", locale=figures.LOCALE)
        else:
            text = format_currency(
                round(value), "EUR", format="#,##0\u00a0¤", locale=figures.LOCALE,
                currency_digits=False,
            )  # fmt: skip
    return figures.MINUS + text[1:] if text.startswith("-") else text


@settings(max_examples=400, deadline=None)
@given(AMOUNTS, st.booleans())
def test_amounts_are_babels_currency_format(value: float, cents: bool) -> None:
    """The euro's pattern with « € » written in (amount, amount_round) prints format_currency's
    text: grouping, decimals, rounding, sign, the no-break space before « € »."""
    figures.amount.cache_clear()
    figures.amount_round.cache_clear()
    assert figures.amount(value, cents) == _babel(value, cents)


def test_an_amount_reads_as_french_euros() -> None:
    assert figures.amount(1234567.891) == "1\u202f234\u202f567,89\u00a0€"
    assert figures.amount(Decimal("-3.5"), False) == "\u22124\u00a0€"
