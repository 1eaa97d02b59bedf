"""Capture dates that phones, cameras and messaging apps write into photo file names.

Pure Python.  Only the last component of a path is read: folder names such as "2021" or
"March" say too little to date one photo.  Results are naive wall-clock datetimes, the time
the person's device showed; file names carry no time zone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

MIN_YEAR = 1990  # earlier "dates" in names are counters or ids, not consumer digital photos
# A wall-clock time written elsewhere can run up to ~26 h ahead of this machine's clock
# (UTC+14 vs UTC-12), so "the future" starts two days from now.
FUTURE_TOLERANCE = timedelta(days=2)


class FilenameDate(NamedTuple):
    """A date found in a file name; `when` is midnight when the name has no time of day."""

    when: datetime  # naive, wall-clock time
    has_time: bool


def is_plausible(when: datetime, now: datetime | None = None) -> bool:
    """True when `when` (naive wall clock) could be the capture time of a digital photo."""
    now = now if now is not None else datetime.now()
    return when.year >= MIN_YEAR and when <= now + FUTURE_TOLERANCE


_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# A time of day: "154233" (optionally with milliseconds glued on, as Pixels do:
# "123456789"), or "15.42.33", "15-42-33", "15_42_33", "15:42:33" with one separator throughout
# and, as macOS writes it, possibly a one-digit hour; then optionally "AM"/"PM" (older macOS
# screenshots, sometimes after a narrow no-break space U+202F).
_TIME = (
    r"(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})(?:\d{3})?"
    r"|(?P<Hs>\d{1,2})(?P<ts>[.:_-])(?P<Ms>\d{2})(?P=ts)(?P<Ss>\d{2}))"
    r"(?:[ \u202f]?(?P<ampm>[AP]M)\b)?"
)
_ISO_DATE = r"(?<!\d)(?P<Y>\d{4})(?P<ds>[-_.])(?P<m>\d{2})(?P=ds)(?P<d>\d{2})"
_COMPACT_DATE = r"(?<!\d)(?P<Y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})"

# Most specific first; the first pattern that yields a valid, plausible date wins.
_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 2011-05-12 15.42.33, Screenshot 2021-03-04 at 10.11.12, signal-2021-03-04-101112,
        # signal-2021-03-04-10-11-12-123
        _ISO_DATE + r"(?:[ _T-]|\s+at\s+|_at_)" + _TIME + r"(?!\d)",
        # IMG_20110512_154233, PXL_20230102_123456789, 20110512_154233, Screenshot_20210304-101112
        _COMPACT_DATE + r"[ _T-]?" + _TIME + r"(?!\d)",
        # 17-May-2023, 17_May_2023-12_08_18, 3 March 2021
        r"(?<!\d)(?P<d>\d{1,2})[ _-](?P<mon>[a-z]{3,9})[ _-](?P<Y>\d{4})"
        r"(?:[ _-]" + _TIME + r")?(?!\d)",
        # 2011-05-12, 2011_05_12, 2011.05.12
        _ISO_DATE + r"(?!\d)",
        # IMG-20190512-WA0003 (WhatsApp), DSC_20190512
        _COMPACT_DATE + r"(?!\d)",
        # 13-05-2011 or 05-13-2011: only when the day/month order is unambiguous
        r"(?<!\d)(?P<a>\d{1,2})(?P<ds>[-_.])(?P<b>\d{1,2})(?P=ds)(?P<Y>\d{4})(?!\d)",
    )
)


def parse_filename_date(name: str, *, now: datetime | None = None) -> FilenameDate | None:
    """The capture date written in a file name, or None when there is none or it is doubtful.

    Impossible dates (month 13, 31 April), years before 1990, dates in the future and
    day/month orders that could be read both ways ("05-06-2011") give None.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for pattern in _PATTERNS:
        for match in pattern.finditer(base):
            found = _from_match(match)
            if found is not None and is_plausible(found.when, now):
                return found
    return None


def _from_match(match: re.Match[str]) -> FilenameDate | None:
    """Build the date of one regex match; None when its fields are not a real date."""
    fields = match.groupdict()
    year = int(fields["Y"])
    if fields.get("mon") is not None:
        month = _MONTHS.get(fields["mon"].lower())
        day = int(fields["d"])
        if month is None:
            return None
    elif fields.get("a") is not None:
        day_month = _day_month(int(fields["a"]), int(fields["b"]))
        if day_month is None:
            return None
        day, month = day_month
    else:
        month, day = int(fields["m"]), int(fields["d"])
    clock = [fields.get(k) for k in ("H", "M", "S")]
    if clock[0] is None:
        clock = [fields.get(k) for k in ("Hs", "Ms", "Ss")]
    has_time = clock[0] is not None
    hour = minute = second = 0
    if has_time:
        hour, minute, second = (int(v) for v in clock)  # type: ignore[arg-type]
        ampm = fields.get("ampm")
        if ampm is not None:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm.upper() == "PM" else 0)
    try:
        return FilenameDate(datetime(year, month, day, hour, minute, second), has_time)
    except ValueError:  # month 13, 30 February, hour 25...
        return None


def _day_month(a: int, b: int) -> tuple[int, int] | None:
    """(day, month) of "a-b-yyyy" when only one reading is possible, else None."""
    if a == b:
        return a, b
    if a > 12 >= b:
        return a, b
    if b > 12 >= a:
        return b, a
    return None  # both readings possible (or neither): refuse rather than guess
