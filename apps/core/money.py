"""Money helpers: Decimal in the database, half-up rounding to cents at every boundary."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: float | int | str | Decimal) -> Decimal:
    """Round a number half-up to cents, going through `str` so floats do not leak binary noise."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
