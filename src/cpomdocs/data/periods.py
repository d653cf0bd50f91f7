"""Date arithmetic of contracts: whole months, as durations and notice periods are counted."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months (backwards when negative), kept inside the target month."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` whole months that starts on `start`."""
    return add_months(start, months) - dt.timedelta(days=1)
