"""Capture time: EXIF first, then the file name, then the file's own times."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from footlog.domain.filename_dates import FilenameDate, parse_filename_date
from footlog.imaging.capture_date import (
    CaptureTime,
    capture_time,
    parse_exif_datetime,
    parse_exif_offset,
)
from footlog.imaging.photo_io import probe

NOW = datetime(2026, 6, 1, 12, 0, 0)


def photo_with_exif(path: Path, **tags: str) -> Path:
    """A small JPEG whose Exif IFD holds the given tags (names of ExifTags.Base)."""
    exif = Image.Exif()
    ifd = exif.get_ifd(ExifTags.IFD.Exif)
    for name, value in tags.items():
        ifd[ExifTags.Base[name]] = value
    Image.new("RGB", (16, 12), (90, 60, 30)).save(path, exif=exif)
    return path


@pytest.fixture
def plus_three_hours(monkeypatch: pytest.MonkeyPatch):
    """Run with this machine's zone at UTC+03:00 (POSIX TZ signs are inverted)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "XYZ-3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# --- EXIF -------------------------------------------------------------------------------------


def test_exif_with_offset(tmp_path: Path):
    path = photo_with_exif(
        tmp_path / "IMG_20000101_000000.jpg",  # a misleading name: EXIF wins
        DateTimeOriginal="2021:03:04 10:11:12",
        OffsetTimeOriginal="+02:00",
    )
    found = capture_time(path, probe(path), now=NOW)
    assert found == CaptureTime(datetime(2021, 3, 4, 10, 11, 12), "exif", 120)
    assert found.aware == datetime(2021, 3, 4, 10, 11, 12, tzinfo=timezone(timedelta(hours=2)))
    assert found.aware.astimezone(UTC).hour == 8


def test_exif_without_offset_keeps_the_wall_clock(tmp_path: Path):
    path = photo_with_exif(tmp_path / "a.jpg", DateTimeOriginal="2019:12:31 23:59:58")
    found = capture_time(path, probe(path), now=NOW)
    assert found == CaptureTime(datetime(2019, 12, 31, 23, 59, 58), "exif", None)
    assert found.taken_at.tzinfo is None and found.aware is None


def test_exif_negative_half_hour_offset(tmp_path: Path):
    path = photo_with_exif(
        tmp_path / "a.jpg", DateTimeOriginal="2022:07:01 08:00:00", OffsetTimeOriginal="-03:30"
    )
    assert capture_time(path, probe(path), now=NOW).utc_offset_minutes == -210


def test_exif_digitized_when_original_is_missing(tmp_path: Path):
    path = photo_with_exif(
        tmp_path / "scan.jpg",
        DateTimeDigitized="2015:05:05 05:05:05",
        OffsetTimeDigitized="+01:00",
    )
    assert capture_time(path, probe(path), now=NOW) == CaptureTime(
        datetime(2015, 5, 5, 5, 5, 5), "exif", 60
    )


@pytest.mark.parametrize(
    "stamp",
    ["0000:00:00 00:00:00", "    :  :     :  :  ", "1980:01:01 00:00:00", "2030:01:01 00:00:00"],
)
def test_unset_or_impossible_exif_falls_back_to_the_name(tmp_path: Path, stamp: str):
    path = photo_with_exif(tmp_path / "IMG_20110512_154233.jpg", DateTimeOriginal=stamp)
    found = capture_time(path, probe(path), now=NOW)
    assert found == CaptureTime(datetime(2011, 5, 12, 15, 42, 33), "filename", None)


def test_parse_exif_texts():
    assert parse_exif_datetime("2021:03:04 10:11:12") == datetime(2021, 3, 4, 10, 11, 12)
    assert parse_exif_datetime("2021-03-04T10:11:12.345") == datetime(2021, 3, 4, 10, 11, 12)
    assert parse_exif_datetime("2021:02:30 10:11:12") is None
    assert parse_exif_datetime("") is None and parse_exif_datetime(None) is None
    assert parse_exif_offset("+05:45") == 345
    assert parse_exif_offset("-0800") == -480
    assert parse_exif_offset("+25:00") is None
    assert parse_exif_offset("   :  ") is None


# --- file names -------------------------------------------------------------------------------


def test_name_date_without_time(tmp_path: Path):
    path = tmp_path / "IMG-20190512-WA0003.jpg"
    Image.new("RGB", (8, 8)).save(path)
    found = capture_time(path, probe(path), now=NOW)
    assert found == CaptureTime(datetime(2019, 5, 12), "filename", None, has_time=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_20110512_154233.jpg", (datetime(2011, 5, 12, 15, 42, 33), True)),
        ("PXL_20230102_123456789.jpg", (datetime(2023, 1, 2, 12, 34, 56), True)),
        ("20110512_154233.jpg", (datetime(2011, 5, 12, 15, 42, 33), True)),
        ("20110512154233.jpg", (datetime(2011, 5, 12, 15, 42, 33), True)),
        ("2011-05-12.jpg", (datetime(2011, 5, 12), False)),
        ("2011_05_12 left.jpg", (datetime(2011, 5, 12), False)),
        ("2011-05-12 15.42.33.jpg", (datetime(2011, 5, 12, 15, 42, 33), True)),
        ("Screenshot 2021-03-04 at 10.11.12.png", (datetime(2021, 3, 4, 10, 11, 12), True)),
        ("Screen Shot 2021-03-04 at 1.11.12 PM.png", (datetime(2021, 3, 4, 13, 11, 12), True)),
        ("Screen Shot 2021-03-04 at 01.11.12 PM.png", (datetime(2021, 3, 4, 13, 11, 12), True)),
        ("Screenshot 2021-03-04 at 12.05.00\u202fAM.png", (datetime(2021, 3, 4, 0, 5), True)),
        ("Screenshot_20210304-101112_Gallery.jpg", (datetime(2021, 3, 4, 10, 11, 12), True)),
        ("IMG-20190512-WA0003.jpg", (datetime(2019, 5, 12), False)),
        ("signal-2021-03-04-101112.jpg", (datetime(2021, 3, 4, 10, 11, 12), True)),
        ("signal-2021-03-04-10-11-12-123.jpg", (datetime(2021, 3, 4, 10, 11, 12), True)),
        ("91_73cm_17-May-2023-12_08_18.jpg", (datetime(2023, 5, 17, 12, 8, 18), True)),
        ("foot 3 March 2021.jpg", (datetime(2021, 3, 3), False)),
        ("Photo 13-05-2011.jpg", (datetime(2011, 5, 13), False)),
        ("Photo 05-13-2011.jpg", (datetime(2011, 5, 13), False)),
        ("Photo 05-05-2011.jpg", (datetime(2011, 5, 5), False)),
        ("Photo 12-05-2011.jpg", None),  # 12 May or 5 December: refused
        ("IMG_20111312_101010.jpg", None),  # month 13
        ("IMG_20110431.jpg", None),  # 31 April
        ("IMG_19890512_101010.jpg", None),  # before 1990
        ("IMG_20260604_101010.jpg", None),  # after NOW + 2 days
        ("IMG_20260602_101010.jpg", (datetime(2026, 6, 2, 10, 10, 10), True)),
        ("IMG_20110512_999999.jpg", (datetime(2011, 5, 12), False)),  # not a time: date only
        ("IMG_20110512_54233.jpg", (datetime(2011, 5, 12), False)),  # 5 digits: not a time
        ("2011-05-12 25.00.00.jpg", (datetime(2011, 5, 12), False)),
        ("2011/05/IMG_1234.jpg", None),  # folders are not read
        ("IMG_1234.JPG", None),
        ("R0010001.JPG", None),
        ("P1010001.JPG", None),
        ("call 0612345678.jpg", None),
    ],
)
def test_filename_dates(name: str, expected: tuple[datetime, bool] | None):
    assert parse_filename_date(name, now=NOW) == expected


def test_filename_date_is_a_named_pair():
    found = parse_filename_date("2011-05-12.jpg", now=NOW)
    assert isinstance(found, FilenameDate)
    when, has_time = found
    assert (found.when, found.has_time) == (when, has_time) == (datetime(2011, 5, 12), False)


# --- file times -------------------------------------------------------------------------------


@pytest.mark.usefixtures("plus_three_hours")
def test_falls_back_to_the_file_time_in_local_wall_clock(tmp_path: Path):
    path = tmp_path / "foot.png"
    Image.new("RGB", (8, 8)).save(path)  # PNG without EXIF, name without date
    stamp = datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    found = capture_time(path, probe(path), now=NOW)
    assert found == CaptureTime(datetime(2020, 2, 3, 7, 5, 6), "file_time", 180)
    assert found.aware is not None and found.aware.timestamp() == stamp


def test_file_time_without_probe_info(tmp_path: Path):
    path = tmp_path / "notes.jpg"
    path.write_text("not a photo")
    found = capture_time(path, None, now=NOW)
    assert found.source == "file_time" and found.utc_offset_minutes is not None
