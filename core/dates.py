"""Dates and times for a reader's language (Babel), in the hotel's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from django.utils.translation import to_locale


def _locale(language: str) -> str:
    return to_locale(language or "en")


def format_date(value: date, language: str = "en", style: str = "medium") -> str:
    """Format a calendar date, e.g. 12 May 2026 / 2026年5月12日 / 2026. 5. 12."""
    if style == "weekday":
        pattern = {"en": "EEE d MMM", "zh_Hant": "M月d日 EEE", "ko": "M월 d일 (EEE)"}
        locale = _locale(language)
        return babel_format_date(value, pattern.get(locale, "EEE d MMM"), locale=locale)
    return babel_format_date(value, style, locale=_locale(language))


def format_datetime(
    value: datetime, tz: ZoneInfo, language: str = "en", style: str = "medium"
) -> str:
    """Format an instant as a date and time in `tz` (the hotel's zone)."""
    locale = _locale(language)
    local = value.astimezone(tz)
    return "{} {}".format(
        babel_format_date(local.date(), style, locale=locale),
        babel_format_time(local, "short", tzinfo=tz, locale=locale),
    )


def format_time(value, language: str = "en") -> str:
    """Format a wall-clock time (e.g. a check-in time) for the reader."""
    return babel_format_time(value, "short", locale=_locale(language))
