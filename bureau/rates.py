"""Rates (率), rounded once. Every surface — dashboard, assessment, stored summary, workbook, draft
text — shows a rate through this module, so 77 of 80 reads 96.3% everywhere.

A rate is a percentage with one decimal, rounded half-up from the two counts (never from a rate
that was rounded before): ``rate(77, 80) == Decimal("96.3")``. Nothing to divide by is ``None``
("—" on screen), never 0%."""

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage with one decimal, half-up; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """A rate as text, always with one decimal as the workbook's "0.0%" cells show it:
    ``Decimal("96.3")`` → "96.3%", ``Decimal("84")`` → "84.0%", ``Decimal("100.0")`` → "100.0%",
    ``None`` → "—"."""
    if value is None:
        return "—"
    return f"{value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):f}%"
