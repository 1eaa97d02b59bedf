"""A tiny FIT encoder, used only to write the binary samples in tests/data/runs/.

FIT (Garmin's Flexible and Interoperable Data Transfer) is a binary file: a 14-byte header
(size, protocol and profile versions, length of the data, ".FIT", the header's CRC), then
records, then a CRC-16 of everything before it. Each record is either a definition message
(which global message a local number stands for, and each field's number, size and base type)
or a data message (the field values, in the defined order, little-endian). Timestamps count
seconds since 1989-12-31 00:00 UTC; distances are centimetres and times milliseconds in the
messages used here (the profile's scales of 100 and 1000).

Writes `run.fit` and `strava_export.zip` (an activities.csv, a GPX and a `.fit.gz`):

    .venv/bin/python tests/make_fit.py

The output is byte-for-byte reproducible (fixed times, zip dates and gzip headers), so a test
can check that the committed samples are what this script writes.
"""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
RUNS = Path(__file__).parent / "data" / "runs"

# Base types: (FIT base-type byte, struct format). The high bit marks multi-byte types.
ENUM = (0x00, "B")
UINT8 = (0x02, "B")
UINT16 = (0x84, "H")
UINT32 = (0x86, "I")
UINT32Z = (0x8C, "I")
STRING = (0x07, "")  # UTF-8, NUL-terminated; the size is the encoded length

# Global message numbers and the field numbers used, from the FIT profile.
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT, ACTIVITY = 0, 12, 18, 19, 20, 21, 34
TIMESTAMP = 253
# Enum values: sport running 1, cycling 2, swimming 5, walking 11, hiking 17.
SPORTS = {"running": 1, "cycling": 2, "swimming": 5, "walking": 11, "hiking": 17}
SUB_SPORT_GENERIC, SUB_SPORT_TRAIL = 0, 3

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT SDK's CRC-16, four bits at a time."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def fit_time(moment: datetime) -> int:
    """Seconds since the FIT epoch."""
    return int((moment - FIT_EPOCH).total_seconds())


@dataclass
class Field:
    number: int
    base_type: tuple[int, str]
    value: int | str

    def encoded(self) -> bytes:
        if isinstance(self.value, str):  # a string field: UTF-8, NUL-terminated
            return self.value.encode("utf-8") + b"\x00"
        return struct.pack("<" + self.base_type[1], self.value)


class FitWriter:
    """Collects messages; `to_bytes()` gives the whole file. Each message gets its own
    definition on local message number 0 (simple, and valid FIT)."""

    def __init__(self) -> None:
        self.records = bytearray()

    def message(self, global_number: int, fields: list[Field]) -> None:
        definition = bytearray([0x40, 0, 0])  # header: definition, local 0; reserved; little-endian
        definition += struct.pack("<HB", global_number, len(fields))
        data = bytearray([0x00])  # header: data message, local 0
        for f in fields:
            encoded = f.encoded()
            definition += bytes([f.number, len(encoded), f.base_type[0]])
            data += encoded
        self.records += definition + data

    def to_bytes(self, *, corrupt_crc: bool = False) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.records), b".FIT")
        header += struct.pack("<H", fit_crc(header))
        body = header + bytes(self.records)
        crc = fit_crc(body) ^ (0xFFFF if corrupt_crc else 0)
        return body + struct.pack("<H", crc)


def activity_fit(
    start: datetime,
    distance_m: float,
    elapsed_s: float,
    timer_s: float,
    sport: str = "running",
    serial: int = 3_912_345_678,
    sport_name: str | None = None,
    with_session: bool = True,
    records: int = 5,
) -> bytes:
    """A small but complete activity file: file_id, sport, records, lap, session, activity."""
    writer = FitWriter()
    t0 = fit_time(start)
    end = t0 + round(elapsed_s)
    writer.message(
        FILE_ID,
        [
            Field(0, ENUM, 4),  # type: activity
            Field(1, UINT16, 255),  # manufacturer: development
            Field(2, UINT16, 1),  # product
            Field(3, UINT32Z, serial),
            Field(4, UINT32, t0),  # time_created
        ],
    )
    sport_fields = [Field(0, ENUM, SPORTS[sport]), Field(1, ENUM, SUB_SPORT_GENERIC)]
    if sport_name:
        sport_fields.append(Field(3, STRING, sport_name))
    writer.message(SPORT, sport_fields)
    writer.message(EVENT, [Field(TIMESTAMP, UINT32, t0), Field(0, ENUM, 0), Field(1, ENUM, 0)])
    for i in range(records):
        fraction = i / max(records - 1, 1)
        writer.message(
            RECORD,
            [
                Field(TIMESTAMP, UINT32, t0 + round(elapsed_s * fraction)),
                Field(5, UINT32, round(distance_m * fraction * 100)),
            ],
        )
    if not with_session:
        return writer.to_bytes()
    totals = [
        Field(7, UINT32, round(elapsed_s * 1000)),
        Field(8, UINT32, round(timer_s * 1000)),
        Field(9, UINT32, round(distance_m * 100)),
    ]
    writer.message(
        LAP,
        [
            Field(TIMESTAMP, UINT32, end),
            Field(2, UINT32, t0),
            *totals,
            Field(25, ENUM, SPORTS[sport]),
        ],
    )
    writer.message(
        SESSION,
        [
            Field(TIMESTAMP, UINT32, end),
            Field(2, UINT32, t0),
            Field(5, ENUM, SPORTS[sport]),
            Field(6, ENUM, SUB_SPORT_GENERIC),
            *totals,
        ],
    )
    writer.message(
        ACTIVITY,
        [
            Field(TIMESTAMP, UINT32, end),
            Field(0, UINT32, round(timer_s * 1000)),
            Field(1, UINT16, 1),  # num_sessions
            Field(2, ENUM, 0),  # type: manual
        ],
    )
    return writer.to_bytes()


# --- The samples ---------------------------------------------------------------------------------

RUN_FIT = dict(
    start=datetime(2021, 3, 14, 7, 30, tzinfo=UTC),
    distance_m=5012.34,
    elapsed_s=1830.5,
    timer_s=1790.0,
    sport="running",
    sport_name="Barefoot",
)

ZIP_FIT = dict(
    start=datetime(2022, 6, 5, 18, 0, 5, tzinfo=UTC),
    distance_m=3456.7,
    elapsed_s=2400.0,
    timer_s=2350.0,
    sport="walking",
    serial=1_234_567,
)

ZIP_ACTIVITIES_CSV = """\
Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,\
Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,\
Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance
5001,"Jun 3, 2022, 6:01:02 AM",Barefoot beach run,Run,,1520,4.25,,,false,,,\
activities/5001.gpx,,,1520.0,1490.0,4251.3
5002,"Jun 5, 2022, 6:00:05 PM",Evening Walk,Walk,,2400,3.46,,,false,,Xero Prio,\
activities/5002.fit.gz,,,2400.0,2350.0,3456.7
5003,"Jun 6, 2022, 7:45:00 AM",Commute,Ride,,1200,8.10,,,true,,Old bike,,,,1200.0,1150.0,8100.0
"""

ZIP_GPX = """\
<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
 <metadata><time>2022-06-03T06:01:02Z</time></metadata>
 <trk>
  <name>Barefoot beach run</name>
  <type>running</type>
  <trkseg>
   <trkpt lat="43.3000000" lon="-2.0000000"><time>2022-06-03T06:01:02Z</time></trkpt>
   <trkpt lat="43.3100000" lon="-2.0000000"><time>2022-06-03T06:06:02Z</time></trkpt>
   <trkpt lat="43.3200000" lon="-2.0000000"><time>2022-06-03T06:11:02Z</time></trkpt>
  </trkseg>
 </trk>
</gpx>
"""

# A fixed date for zip entries, so the archive is the same byte for byte on every run.
_ZIP_DATE = (2022, 6, 7, 12, 0, 0)


def _gzip(data: bytes) -> bytes:
    """gzip with no file name and a zero mtime in its header: reproducible."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as stream:
        stream.write(data)
    return out.getvalue()


def strava_export_zip() -> bytes:
    """A Strava export archive: activities.csv naming one GPX and one gzipped FIT, a profile
    CSV that is not a run log, and a photo-like file that is not either."""
    out = io.BytesIO()
    members = {
        "activities.csv": ZIP_ACTIVITIES_CSV.encode(),
        "activities/5001.gpx": ZIP_GPX.encode(),
        "activities/5002.fit.gz": _gzip(activity_fit(**ZIP_FIT)),
        "profile.csv": b"Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Ann,Example\n",
        "media/photo.jpg": b"\xff\xd8\xff\xe0 not really a photo",
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def samples() -> dict[str, bytes]:
    """Each binary sample's name in tests/data/runs/ and its bytes."""
    return {"run.fit": activity_fit(**RUN_FIT), "strava_export.zip": strava_export_zip()}


def main() -> None:
    RUNS.mkdir(parents=True, exist_ok=True)
    for name, data in samples().items():
        (RUNS / name).write_bytes(data)
        print(f"wrote {RUNS / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
