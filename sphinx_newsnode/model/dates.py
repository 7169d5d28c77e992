"""Reading post dates the way node sites write them.

YAML turns ``2021-11-07`` into a :class:`~datetime.date` but leaves
``2021-10-05 14:00:00 -0500``, ``2025-06-07 +0600``, ``2022-04-3``,
``2024-09-06 10:00:00 UTC``, ``2024/09/06 2:30 pm`` or ``21 avril 2026`` as
text; :func:`parse_date` reads those too, as Jekyll (Ruby's ``Time.parse``)
did. Day/month orders that cannot be told apart (``05/04/2021``) are refused
rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

PostDate = dt.date | dt.datetime

_DAY = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
"""A year-first day, as Ruby's ``Time.parse`` (Jekyll's) reads it: ``2022-04-3``, ``2024/09/06``."""
_TIME = re.compile(
    r"(?:[Tt]|\s++)(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"(?:\s*+(?P<ampm>[AaPp])\.?[Mm]\.?)?"
)
_ZONE = re.compile(
    r"\s*+(?:(?P<offset>(?:(?:GMT|UTC)\s*)?[+-]\d{1,2}(?::?\d{2})?)|(?P<z>[Zz])"
    r"|(?P<name>[A-Za-z]{2,5}))(?:\s++\(?[A-Z]{2,5}\)?)?"
)
# Zone names Ruby's Time.parse knows, as node sites write them; another name
# is read, as Jekyll read it, in the site's zone.
_ZONE_HOURS = {
    "utc": 0, "ut": 0, "gmt": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "met": 1,
    "wat": 1, "cest": 2, "mest": 2, "eet": 2, "cat": 2, "sast": 2, "eest": 3, "eat": 3,
    "msk": 3, "ist": 5.5, "ict": 7, "wib": 7, "sgt": 8, "hkt": 8, "awst": 8, "wita": 8,
    "jst": 9, "kst": 9, "wit": 9, "acst": 9.5, "aest": 10, "aedt": 11, "nzst": 12,
    "nzdt": 13, "art": -3, "brt": -3, "clt": -4, "edt": -4, "est": -5, "cdt": -5,
    "cot": -5, "pet": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
    "akst": -9, "hst": -10,
}  # fmt: skip
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
    if match := _DAY.match(text):
        return _from_day(match, text[match.end() :])
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


def _from_day(day: re.Match[str], rest: str) -> PostDate:
    """The date of *day*, with the time and zone *rest* may give."""
    y, m, d = int(day["y"]), int(day["m"]), int(day["d"])
    try:
        date = dt.date(y, m, d)
    except ValueError as exc:
        raise DateError(f"{day.group(0)!r} is not a valid date ({exc})") from None
    time = _TIME.match(rest)
    zone = _ZONE.fullmatch(rest[time.end() :] if time else rest)
    if time is None and zone and zone["name"]:
        zone = None  # a zone name needs a time of day
    if (time is None or time.end() < len(rest)) and zone is None and rest.strip():
        raise DateError(
            f"the time or zone after {day.group(0)}, {rest.strip()!r}, cannot be read; "
            "write them as 14:00:00 +0200, or leave the day alone"
        )
    if time is None:
        return date  # an offset without a time of day (2025-06-07 +0600): the day
    hour = int(time["H"])
    if time["ampm"] and 1 <= hour <= 12:
        hour = hour % 12 + (12 if time["ampm"] in "Pp" else 0)
    fraction = (time["f"] or "0")[:6].ljust(6, "0")
    try:
        moment = dt.datetime.combine(
            date, dt.time(hour, int(time["M"]), int(time["S"] or 0), int(fraction))
        )
    except ValueError as exc:
        raise DateError(f"{(day.group(0) + rest).strip()!r} is not a valid time ({exc})") from None
    return moment.replace(tzinfo=_zone(zone)) if zone else moment


def _zone(zone: re.Match[str]) -> dt.tzinfo | None:
    """The zone an offset, ``Z`` or a known name gives; ``None``: the site's."""
    if zone["z"]:
        return dt.UTC
    if zone["offset"]:
        return _offset(zone["offset"].upper().removeprefix("GMT").removeprefix("UTC").strip())
    hours = _ZONE_HOURS.get(zone["name"].lower())
    return None if hours is None else dt.timezone(dt.timedelta(hours=hours))


def _offset(zone: str) -> dt.tzinfo:
    digits = zone[1:].replace(":", "")
    if len(digits) % 2:
        digits = "0" + digits  # GMT+2
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
