"""Reading the dates and times run logs write, in several languages and layouts.

`parse_datetime` is the one entry point; it raises ValueError (or AmbiguousDateError) with a
message fit to show the person.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from typing import Literal

from footlog.importers.cells import shown

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january januar janv janvier jänner janner ene enero gen gennaio januari janeiro",
        "feb february februar fev fevr fevrier febrero febbraio februari fevereiro",
        "mar march marz mrz mars marzo maart mrt marco",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio mei maio",
        "jun june juni juin junio giu giugno junho",
        "jul july juli juil juillet julio lug luglio julho",
        "aug august aout ago agosto augustus",
        "sep sept september septembre septiembre set settembre setembro",
        "oct october okt oktober octobre octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec december dez dezember decembre dic diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

# Words that may stand around a date and mean nothing to it: weekdays, "at", "um", "de"...
_FILLER_WORDS = """
    at on the um am de del la le el a las o den der
    mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday
    mo di mi do fr sa so montag dienstag mittwoch donnerstag freitag samstag sonntag
    lun mar mer jeu ven sam dim lundi mardi mercredi jeudi vendredi samedi dimanche
    mie jue vie sab dom lunes martes miercoles jueves viernes sabado domingo
    utc gmt z
"""
_DATE_FILLER = frozenset(_FILLER_WORDS.split())

_TIME = re.compile(
    r"(?<!\d)(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6}))?)?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?!\d)")
_ENGLISH_12H = re.compile(
    r"(?P<month>[A-Za-z]{3,9}) (?P<d>\d{1,2}), (?P<y>\d{4}),? "
    r"(?P<h>1[0-2]|0?[1-9]):(?P<m>[0-5]\d):(?P<s>[0-5]\d) (?P<half>[AaPp])[Mm]"
)
_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}")
_UTC_SUFFIX = re.compile(r"\s*(?:utc|gmt|z)\s*$", re.IGNORECASE)

SlashOrder = Literal["dmy", "mdy"]


class AmbiguousDateError(ValueError):
    """A date like 03/04/2021 that reads as either 3 April or March 4."""


def attach_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """A naive wall-clock time placed in `zone`; None means this computer's zone (with the
    daylight-saving offset in force on that date). Aware times are returned unchanged."""
    if moment.tzinfo is not None:
        return moment
    if zone is None:
        try:
            return moment.astimezone()  # naive -> local, as the operating system knows it
        except (OverflowError, OSError, ValueError) as exc:
            # At the ends of the calendar the local offset cannot be looked up.
            raise ValueError(f"the date {moment.date().isoformat()} is out of range") from exc
    return moment.replace(tzinfo=zone)


def parse_datetime(
    text: str, *, zone: tzinfo | None, slash_order: SlashOrder | None = None
) -> datetime:
    """A timezone-aware datetime from the ways run logs write dates.

    Reads ISO 8601 ("2020-10-07T14:43:11Z", "2020-10-07 14:43:11", "2020-10-07"), month names
    in English, German, French, Spanish, Italian, Dutch and Portuguese ("Oct 7, 2020, 2:43:11 PM",
    "7. Okt. 2020, 14:43:11", "7 oct. 2020 à 14:43:11", "7 oct. 2020, 2:43:11 p. m."), and
    numeric dates ("07.10.2020, 14:43:11", "2020/10/07 14:43"). Dotted and dashed numeric dates
    are day first. Slashed ones are day first when the first number is over 12, month first
    when the second is; otherwise `slash_order` decides, and without it AmbiguousDateError is
    raised. A date without a time is midnight. Times without an offset are wall-clock times in
    `zone` (see `attach_zone`). Raises ValueError for anything else.
    """
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise ValueError("the date is empty")
    if _ISO_START.match(raw):
        iso = _UTC_SUFFIX.sub("", raw)
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            pass
        else:
            if iso != raw and moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return attach_zone(moment, zone)
    fast = _ENGLISH_12H.fullmatch(raw)
    if fast and fast["month"].casefold() in _MONTHS:
        # Strava's English layout, "Oct 7, 2020, 2:43:11 PM": most rows of most exports.
        hour = int(fast["h"]) % 12 + (12 if fast["half"] in "Pp" else 0)
        try:
            naive = datetime(
                int(fast["y"]), _MONTHS[fast["month"].casefold()], int(fast["d"]),
                hour, int(fast["m"]), int(fast["s"]),
            )  # fmt: skip
        except ValueError as exc:
            raise ValueError(f"{shown(raw)} is not a valid date ({exc})") from None
        return attach_zone(naive, zone)
    naive, says_utc = _parse_loose(raw, slash_order)
    if says_utc:
        return naive.replace(tzinfo=UTC)
    return attach_zone(naive, zone)


def _parse_loose(raw: str, slash_order: SlashOrder | None) -> tuple[datetime, bool]:
    """The non-ISO forms of `parse_datetime`: (naive datetime, whether it said UTC)."""
    hour = minute = second = micro = 0
    date_part = raw
    time_match = _TIME.search(raw)
    if time_match:
        hour, minute = int(time_match["h"]), int(time_match["m"])
        second = int(time_match["s"] or 0)
        micro = int((time_match["frac"] or "0").ljust(6, "0")[:6])
        if time_match["ampm"]:
            if not 1 <= hour <= 12:
                raise ValueError(f"{shown(raw)}: hour {hour} with AM/PM")
            hour = hour % 12 + (12 if time_match["ampm"].lower() == "p" else 0)
        date_part = raw[: time_match.start()] + " " + raw[time_match.end() :]
    plain = date_part.casefold()
    if not plain.isascii():  # drop accents: "déc." -> "dec."
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    says_utc = bool(re.search(r"\b(?:utc|gmt)\b", plain))
    numeric = _NUMERIC_DATE.search(plain)
    words = re.findall(r"[^\W\d_]+", plain)
    # A month name that is not also a weekday first ("mar" is Tuesday in French and Spanish).
    month_words = sorted((w for w in words if w in _MONTHS), key=lambda w: w in _DATE_FILLER)
    if month_words:
        unknown = [w for w in words if w not in _MONTHS and w not in _DATE_FILLER]
        numbers = [int(n) for n in re.findall(r"\d+", plain)]
        years = [n for n in numbers if n >= 1000]
        days = [n for n in numbers if n < 1000]
        if unknown or len(years) != 1 or len(days) != 1:
            raise ValueError(f"{shown(raw)} is not a date footlog can read")
        year, month, day = years[0], _MONTHS[month_words[0]], days[0]
    elif numeric:
        first, sep, second_n, last = numeric.groups()
        a, b, c = int(first), int(second_n), int(last)
        unknown = [w for w in words if w not in _DATE_FILLER]
        if unknown:
            raise ValueError(f"{shown(raw)} is not a date footlog can read")
        if len(first) == 4:
            year, month, day = a, b, c
        elif sep in ".-" or a > 12:  # dotted and dashed dates are day first
            day, month, year = a, b, c
        elif b > 12:
            month, day, year = a, b, c
        elif a == b or slash_order == "dmy":
            day, month, year = a, b, c
        elif slash_order == "mdy":
            month, day, year = a, b, c
        else:
            raise AmbiguousDateError(
                f"{shown(raw)} could be day/month or month/day; write dates as YYYY-MM-DD"
            )
        if year < 100:
            year += 2000
    else:
        raise ValueError(f"{shown(raw)} is not a date footlog can read")
    try:
        return datetime(year, month, day, hour, minute, second, micro), says_utc
    except ValueError as exc:
        raise ValueError(f"{shown(raw)} is not a valid date ({exc})") from None


def slash_order_of(values: list[str]) -> SlashOrder | None:
    """Whether a column's slashed dates are day first or month first, judged from all of them
    (one "25/12/2020" settles a whole file). None when no value tells."""
    for value in values:
        match = _NUMERIC_DATE.search(value)
        if not match or match.group(2) != "/" or len(match.group(1)) == 4:
            continue
        if int(match.group(1)) > 12:
            return "dmy"
        if int(match.group(3)) > 12:
            return "mdy"
    return None
