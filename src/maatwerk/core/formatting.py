"""Dutch formatting of money and dates, independent of locale settings of the machine."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


NBSP = "\u00a0"  # no-break space: "€" never wraps away from its amount on a narrow screen


def money(value: Decimal | int | str | None) -> str:
    """`Decimal("6500")` → `€ 6.500,00`; negative amounts as `-€ 6.500,00` (the minus sign
    in front, where a reader looks first, not hidden between the euro sign and the digits).

    The space after "€" is a no-break space, and the minus sign sits against the euro sign, so
    a browser never breaks an amount over two lines.
    """
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€{NBSP}{'.'.join(groups)},{cents}"


def long_date(value: date | None) -> str:
    """`date(2026, 11, 23)` → `23 november 2026`."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS_NL[value.month - 1]} {value.year}"
