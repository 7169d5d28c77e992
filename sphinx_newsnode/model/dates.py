"""Reading post dates the way node sites write them.

YAML turns ``2021-11-07`` into a :class:`~datetime.date` but leaves
``2021-10-05 14:00:00 -0500``, ``2025-06-07 +0600``, ``2022-04-3`` or
``21 avril 2026`` as text;
:func:`parse_date` reads those too. Day/month orders that cannot be told apart
(``05/04/2021``) are refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

PostDate = dt.date | dt.datetime

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[Tt ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
    # An offset without a time of day (2025-06-07 +0600): the day, as written.
    r"|\s+(?:[Zz]|[+-]\d{2}(?::?\d{2})?))?"
)
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
DATE_PREFIX = re.compile(r"(\d{2,4})-(\d{1,2})-(\d{1,2})-")
"""The ``YYYY-MM-DD-`` of a Jekyll post's file name (Jekyll takes 2 to 4 year digits)."""
_JEKYLL_POST = re.compile(DATE_PREFIX.pattern + r"[^/]*\.[^./]+")

# Month names of the languages GBIF nodes publish in (en, fr, es, pt, de, id).
_MONTHS = {
    1: "january jan janvier janv enero ene janeiro januar januari",
    2: "february feb fevrier fevr febrero febr fevereiro fev februar februari",
    3: "march mar mars marzo marco marz maret",
    4: "april apr avril abril abr",
    5: "may mai mayo maio mei",
    6: "june jun juin junio junho juni",
    7: "july jul juillet juil julio julho juli",
    8: "august aug aout agosto ago agustus",
    9: "september sep sept septembre septiembre setiembre setembro set",
    10: "october oct octobre octubre outubro out oktober",
    11: "november nov novembre noviembre novembro",
    12: "december dec decembre diciembre dic dezembro dez dezember desember",
}
_MONTH_BY_NAME = {name: n for n, names in _MONTHS.items() for name in names.split()}
_WORDY = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:er|st|nd|rd|th|º)?\.?\s+(?:de\s+)?(?P<m1>[^\W\d_]+)\.?,?\s+(?:de\s+)?(?P<y1>\d{4})"
    r"|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))"
)


MAX_DATE_LENGTH = 64
"""Longer texts are not read as dates (``25 de septiembre de 2021 14:00:00 -0500`` is 38)."""


class DateError(ValueError):
    """A date value that cannot be read."""


def parse_date(value: object) -> PostDate | None:
    """Read a front-matter ``date`` value; ``None`` when it is empty.

    Raises :class:`DateError` with a reason when the value is not a date.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):  # datetime is a date too
        return value
    if not isinstance(value, str):
        raise DateError(f"expected a date such as 2021-11-07, got {value!r}")
    text = value.strip()
    if not text:
        return None
    if len(text) > MAX_DATE_LENGTH:
        raise DateError(f"{text[:20]!r}... is too long to be a date; write it as YYYY-MM-DD")
    if match := _ISO.fullmatch(text):
        return _from_iso(match)
    if match := _WORDY.fullmatch(text):
        return _from_words(match)
    if match := _NUMERIC.fullmatch(text):
        return _from_numeric(match)
    raise DateError(f"{text!r} is not a date; write it as YYYY-MM-DD")


def is_jekyll_post_name(name: str) -> bool:
    r"""Whether Jekyll reads a file *name* under ``_posts/`` as a post.

    Jekyll's ``DATE_FILENAME_MATCHER``,
    ``^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$``, applied to the
    last part of the path only: the same answer without the backtracking of
    ``(?:.+/)*?`` over long paths.
    """
    return _JEKYLL_POST.fullmatch(name) is not None


def without_date_prefix(name: str) -> str:
    """*name* without its ``YYYY-MM-DD-`` prefix (the slug Jekyll's ``:title`` uses)."""
    return DATE_PREFIX.sub("", name, count=1) if DATE_PREFIX.match(name) else name


def date_from_filename(name: str) -> tuple[dt.date | None, str | None]:
    """The date of a Jekyll ``YYYY-MM-DD-slug`` file name.

    Returns ``(date, None)``, ``(None, prefix)`` when the prefix is not a valid
    date (``2023-21-09-`` puts the day first, ``21-09-23-`` has no century),
    or ``(None, None)`` without one.
    """
    match = DATE_PREFIX.match(name)
    if not match:
        return None, None
    year, month, day = match.groups()
    try:
        if len(year) == 4:
            return dt.date(int(year), int(month), int(day)), None
    except ValueError:
        pass
    return None, match.group(0)[:-1]


def is_future(date: PostDate, now: dt.datetime) -> bool:
    """Whether *date* lies after *now* (an aware datetime in the site's zone).

    A naive date or datetime is read in *now*'s zone; a plain date is due for
    the whole of that day.
    """
    if isinstance(date, dt.datetime):
        moment = date if date.tzinfo else date.replace(tzinfo=now.tzinfo)
        return moment > now
    return date > now.date()


def as_moment(date: PostDate, zone: dt.tzinfo) -> dt.datetime:
    """*date* as an aware datetime.

    Naive values are read in *zone*; a plain date is its midnight there.
    """
    if isinstance(date, dt.datetime):
        return date if date.tzinfo else date.replace(tzinfo=zone)
    return dt.datetime(date.year, date.month, date.day, tzinfo=zone)


def _from_iso(match: re.Match[str]) -> PostDate:
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    try:
        if match["H"] is None:
            return dt.date(y, m, d)
        fraction = (match["f"] or "0").ljust(6, "0")
        moment = dt.datetime(
            y, m, d, int(match["H"]), int(match["M"]), int(match["S"] or 0), int(fraction)
        )
    except ValueError as exc:
        raise DateError(f"{match.group(0)!r} is not a valid date ({exc})") from None
    if zone := match["tz"]:
        moment = moment.replace(tzinfo=_offset(zone))
    return moment


def _offset(zone: str) -> dt.tzinfo:
    if zone in "Zz":
        return dt.UTC
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    if minutes >= 24 * 60:
        raise DateError(f"time zone offset {zone!r} is out of range")
    sign = -1 if zone[0] == "-" else 1
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


def _from_numeric(match: re.Match[str]) -> dt.date:
    first, second, year = map(int, match.groups())
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    else:
        raise DateError(
            f"{match.group(0)!r} is ambiguous (day/month order); write it as YYYY-MM-DD"
        )
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{match.group(0)!r} is not a valid date ({exc})") from None


def _from_words(match: re.Match[str]) -> dt.date:
    day, month, year = (
        (match["d1"], match["m1"], match["y1"])
        if match["d1"]
        else (match["d2"], match["m2"], match["y2"])
    )
    folded = unicodedata.normalize("NFKD", month.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    number = _MONTH_BY_NAME.get(folded)
    if number is None:
        raise DateError(f"{month!r} is not a month name")
    try:
        return dt.date(int(year), number, int(day))
    except ValueError as exc:
        raise DateError(f"{match.group(0)!r} is not a valid date ({exc})") from None
