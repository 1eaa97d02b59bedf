"""When a photo was taken: from EXIF, else from a Google Photos Takeout sidecar, else from its
file name, else from the file's times.

How a capture time is stored
----------------------------
`CaptureTime.taken_at` is always a *naive* datetime holding the wall-clock time the person's
device showed when the photo was taken (the time they would recognise), whatever the source.
The offset from UTC is kept apart in `utc_offset_minutes` when it is known (EXIF 2.31
OffsetTimeOriginal, or this machine's zone for file times), and is None otherwise (older
EXIF, file names).  Keeping every `taken_at` naive means a list of them always sorts and
compares (Python refuses to compare naive with aware datetimes); `CaptureTime.aware` gives
the zone-aware instant when the offset is known.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from glob import escape as glob_escape
from pathlib import Path
from typing import Literal

from footlog.domain.filename_dates import is_plausible, parse_filename_date
from footlog.imaging.photo_io import PhotoFileInfo

CaptureSource = Literal["exif", "sidecar", "filename", "file_time"]

# Google Photos Takeout writes a JSON file beside each photo: "<name>.json" (older exports),
# "<name>.supplemental-metadata.json" (newer), cut short to fit a 51-character file name
# ("<name>.supplemental-metad.json"). Its photoTakenTime is the capture time; every file's
# own time is the day of the export.
_SIDECAR_SUFFIXES = (".json", ".supplemental-metadata.json")
MAX_SIDECAR_BYTES = 1 << 20  # a sidecar is ~1 kB; anything much larger is not one

# EXIF says "YYYY:MM:DD HH:MM:SS"; some software writes "-" or "/" in the date, a "T", or
# fractional seconds or a zone suffix, which are accepted and dropped (the zone is read from
# the OffsetTime tags only).
_EXIF_DATETIME = re.compile(
    r"^(\d{4})[:/.-](\d{2})[:/.-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})"
    r"(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_MAX_OFFSET_MINUTES = 14 * 60  # real zones run from UTC-12:00 to UTC+14:00


@dataclass(frozen=True)
class CaptureTime:
    """When a photo was taken, and how footlog knows it (see the module docstring)."""

    taken_at: datetime  # naive: the wall-clock time on the person's device
    source: CaptureSource
    utc_offset_minutes: int | None  # minutes east of UTC, None when unknown
    has_time: bool = True  # False for a date without time of day (taken_at is midnight)

    @property
    def aware(self) -> datetime | None:
        """`taken_at` with its UTC offset attached, or None when the offset is unknown."""
        if self.utc_offset_minutes is None:
            return None
        return self.taken_at.replace(tzinfo=timezone(timedelta(minutes=self.utc_offset_minutes)))


def capture_time(
    path: str | os.PathLike[str], info: PhotoFileInfo | None, *, now: datetime | None = None
) -> CaptureTime:
    """The capture time of the photo at `path`, `info` being `probe(path)` (or None).

    Order: EXIF DateTimeOriginal (with OffsetTimeOriginal when present), EXIF
    DateTimeDigitized, a Google Photos Takeout sidecar's photoTakenTime, a date in the file
    name, and last the file's times.  Dates before 1990 or in the future are skipped as an
    unset camera clock.  Raises OSError only when the last resort is needed and the file
    cannot be stat'ed.
    """
    if info is not None:
        for stamp, offset in (
            (info.datetime_original, info.offset_time_original),
            (info.datetime_digitized, info.offset_time_digitized),
        ):
            when = parse_exif_datetime(stamp)
            if when is not None and is_plausible(when, now):
                return CaptureTime(when, "exif", parse_exif_offset(offset))
    path = Path(path)
    sidecar = sidecar_time(path)
    if sidecar is not None and is_plausible(sidecar.taken_at, now):
        return sidecar
    named = parse_filename_date(path.name, now=now)
    if named is not None:
        return CaptureTime(named.when, "filename", None, has_time=named.has_time)
    return _file_time(path)


def parse_exif_datetime(text: str | None) -> datetime | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" -> naive datetime; None for blanks, zeros or nonsense."""
    if not text:
        return None
    match = _EXIF_DATETIME.match(text.strip())
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:  # "0000:00:00 00:00:00", which cameras write for "unknown"
        return None


def parse_exif_offset(text: str | None) -> int | None:
    """EXIF OffsetTime "+02:00" / "-05:30" -> minutes east of UTC; None when absent or odd."""
    if not text:
        return None
    match = _EXIF_OFFSET.match(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    if int(minutes) >= 60:
        return None
    total = int(hours) * 60 + int(minutes)
    if total > _MAX_OFFSET_MINUTES:
        return None
    return -total if sign == "-" else total


def _file_time(path: Path) -> CaptureTime:
    """The earliest of the file's modification and creation times, as local wall clock.

    Copying a photo resets one of the two on most systems (modification time with a plain
    `cp`, creation time on Windows and macOS), so the earlier is nearer the capture.
    """
    stat = path.stat()
    stamps = [stat.st_mtime]
    birth = getattr(stat, "st_birthtime", None)  # macOS, Windows (Python 3.12+), some BSDs
    if isinstance(birth, int | float) and birth > 0:
        stamps.append(birth)
    local = datetime.fromtimestamp(min(stamps)).astimezone()  # this machine's zone then
    offset = local.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else None
    return CaptureTime(local.replace(tzinfo=None), "file_time", minutes)


def sidecar_time(path: Path) -> CaptureTime | None:
    """The capture time a Google Photos Takeout sidecar gives for the photo at `path`, as
    this machine's wall clock (the sidecar holds a UTC instant), or None without a readable
    one."""
    for candidate in _sidecars(path):
        try:
            with candidate.open("rb") as f:
                text = f.read(MAX_SIDECAR_BYTES + 1)
            if len(text) > MAX_SIDECAR_BYTES:
                continue
            stamp = json.loads(text)["photoTakenTime"]["timestamp"]
            moment = datetime.fromtimestamp(int(stamp), UTC).astimezone()
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
            continue
        offset = moment.utcoffset()
        minutes = round(offset.total_seconds() / 60) if offset is not None else None
        return CaptureTime(moment.replace(tzinfo=None), "sidecar", minutes)
    return None


def _sidecars(path: Path) -> list[Path]:
    """The sidecar files Takeout may have written for `path`, those that exist."""
    found = [path.with_name(path.name + suffix) for suffix in _SIDECAR_SUFFIXES]
    # Names cut short to 51 characters: "<name>.supplemental-metad.json" and the like.
    with contextlib.suppress(OSError):  # an unreadable folder: no sidecar
        found += sorted(path.parent.glob(f"{glob_escape(path.name)}.s*.json"))
    return [p for p in dict.fromkeys(found) if _is_file(p)]


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; False also when the system refuses the name (a photo named
    with 250 characters has a sidecar name too long to exist)."""
    try:
        return path.is_file()
    except OSError:
        return False
