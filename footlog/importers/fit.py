"""Garmin FIT activity files (from watches, Strava's export as `.fit.gz`), read with fitdecode.

One run per `session` message: `sport` (a FIT enum name such as "running"), `start_time`
(UTC), `total_distance` (metres) and `total_elapsed_time` (seconds; `total_timer_time`, which
leaves out pauses, when elapsed is missing). Files without a session (a recording cut short)
fall back to their laps, then to their records' first and last timestamps and last distance.

A file that ends early (copied or uploaded while the watch was still writing it, or cut off
in transfer) is read up to where it ends. When its session message was lost with the end, the
distance and time summed from laps or records are short: such runs are marked `incomplete`,
so that the complete file, imported later, replaces them. A file whose data is all there but
whose checksum is wrong is read and reported, not marked.

The external id is "fit:" with the device serial number and the file's creation time from the
`file_id` message, which stay the same when the file is copied, renamed or re-exported; files
without them use a hash of their bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import fitdecode

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import ImportedRuns, Importer, ImportOptions, file_id
from footlog.importers.cells import fit_seconds
from footlog.importers.registry import register

#: Session and lap messages one file may hold: a multisport race has a few sessions, an
#: auto-lap every 100 m over 100 km a thousand laps. More is not an activity file, and each
#: message is kept in memory (each session becomes a run).
MAX_SESSIONS = 100
MAX_LAPS = 10_000


class _TooManyMessages(Exception):
    """More sessions or laps than any activity file holds; the message says so."""


@dataclass
class _FitContent:
    """The messages of a FIT file that footlog reads, as {field name: value}."""

    file_id: dict[str, Any] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    first_record: dict[str, Any] | None = None
    last_record: dict[str, Any] | None = None
    last_distance: float | None = None
    sport: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why reading stopped early, if it did
    cut_short: bool = False  # the data ends before the file's end: not only a bad checksum
    refused: str | None = None  # why nothing of the file is used


@register
class FitImporter(Importer):
    """FIT activity files."""

    name = "FIT"
    priority = 10
    # fitdecode reads about 90,000 messages a second: 32 MB (days of one record a second,
    # or 3.5 million of the smallest records) take at most about 40 s.
    max_bytes = 32_000_000

    def recognises(self, path: PurePath, head: bytes) -> bool:
        # The header holds ".FIT" at bytes 8 to 11 whatever the file is called.
        return path.suffix.lower() == ".fit" or head[8:12] == b".FIT"

    def read_bytes(
        self, data: bytes, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        result = ImportedRuns()
        if len(data) < 12 or data[8:12] != b".FIT":
            result.error(source, "not a FIT file (no FIT header)")
            return result
        content = _read_messages(data)
        if content.refused:
            result.error(source, content.refused)
            return result
        summaries = (
            content.sessions or _laps_as_session(content.laps) or _records_as_session(content)
        )
        # Runs summed from laps or records of a file cut short miss its end; a session
        # message holds the watch's own totals, complete even if what follows it is lost.
        incomplete = content.cut_short and not content.sessions
        if content.problem:
            result.error(source, _damage_message(content, bool(summaries), incomplete))
        if not summaries:
            if not content.problem:
                result.error(source, "a FIT file with no activity in it (no session or records)")
            return result
        base_id = _stable_id(content.file_id, data)
        for number, summary in enumerate(summaries, start=1):
            run = _session_run(summary, content, source)
            if run is None:
                result.error(source, f"session {number} has no start time")
                continue
            run.external_id = base_id if len(summaries) == 1 else f"{base_id}:{number}"
            run.incomplete = incomplete
            result.runs.append(run)
        return result


def _read_messages(data: bytes) -> _FitContent:
    content = _FitContent()
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                    _keep(frame, content)
    except fitdecode.FitError as exc:
        content.problem = str(exc) or type(exc).__name__
        # A checksum error comes after the last byte of data was read; any other error
        # (the file ends, a message cannot be decoded) leaves the rest unread.
        content.cut_short = not isinstance(exc, fitdecode.FitCRCError)
    except _TooManyMessages as exc:
        content.refused = str(exc)
    return content


def _damage_message(content: _FitContent, read: bool, incomplete: bool) -> str:
    """What went wrong with a damaged file, and what became of its run."""
    if not content.cut_short:
        kept = "; what came before was read" if read else ""
        return f"damaged FIT file: {content.problem}{kept}"
    if not read:
        return f"damaged FIT file: it ends early ({content.problem}), before any activity"
    if incomplete:
        return (
            f"damaged FIT file: it ends early ({content.problem}); the run was read from what "
            "came before and marked incomplete (its distance and time may be short): import "
            "the complete file to replace it"
        )
    return (
        f"damaged FIT file: it ends early ({content.problem}), after the activity's summary, "
        "which was read whole"
    )


def _fields(message: fitdecode.FitDataMessage) -> dict[str, Any]:
    return {f.name: f.value for f in message.fields if f.value is not None}


def _keep(message: fitdecode.FitDataMessage, content: _FitContent) -> None:
    name = message.name
    if name == "file_id" and not content.file_id:
        content.file_id = _fields(message)
    elif name == "session":
        _bounded_append(content.sessions, _fields(message), MAX_SESSIONS, "sessions")
    elif name == "lap":
        _bounded_append(content.laps, _fields(message), MAX_LAPS, "laps")
    elif name == "sport" and not content.sport:
        content.sport = _fields(message)
    elif name == "record":
        record = _fields(message)
        if isinstance(record.get("timestamp"), datetime):
            if content.first_record is None:
                content.first_record = record
            content.last_record = record
        if isinstance(record.get("distance"), int | float):
            content.last_distance = float(record["distance"])


def _bounded_append(
    kept: list[dict[str, Any]], item: dict[str, Any], limit: int, what: str
) -> None:
    if len(kept) >= limit:
        raise _TooManyMessages(
            f"holds more than {limit:,} {what}, more than any activity file; not read"
        )
    kept.append(item)


def _laps_as_session(laps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A session summed from laps, for files whose session message is missing."""
    starts = [lap["start_time"] for lap in laps if isinstance(lap.get("start_time"), datetime)]
    if not starts:
        return []
    summary: dict[str, Any] = {"start_time": min(starts)}
    for key in ("total_distance", "total_elapsed_time", "total_timer_time"):
        values = [fit_seconds(lap[key]) for lap in laps if lap.get(key) is not None]
        if values:
            summary[key] = sum(v for v in values if v is not None)
    for key in ("sport", "sub_sport"):
        if key in laps[0]:
            summary[key] = laps[0][key]
    return [summary]


def _records_as_session(content: _FitContent) -> list[dict[str, Any]]:
    """A session from the first and last timed records, for files cut short."""
    if content.first_record is None or content.last_record is None:
        return []
    start, end = content.first_record["timestamp"], content.last_record["timestamp"]
    summary: dict[str, Any] = {
        "start_time": start,
        "total_elapsed_time": (end - start).total_seconds(),
    }
    if content.last_distance is not None:
        summary["total_distance"] = content.last_distance
    return [summary]


def _session_run(summary: dict[str, Any], content: _FitContent, source: str) -> Run | None:
    start = summary.get("start_time")
    if not isinstance(start, datetime):
        return None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    distance = summary.get("total_distance")
    duration = fit_seconds(summary.get("total_elapsed_time")) or fit_seconds(
        summary.get("total_timer_time")
    )
    sport = summary.get("sport", content.sport.get("sport"))
    # fitdecode names the sports it knows and gives bare numbers for the others; a number
    # must not be read as one of the GPX type numbers `normalise_activity_type` knows.
    if sport is None:
        activity_type = "run"  # a FIT file that names no sport, given to footlog: likely a run
    else:
        activity_type = normalise_activity_type(sport) if isinstance(sport, str) else "other"
    sub_sport = summary.get("sub_sport")
    if activity_type == "other" and isinstance(sub_sport, str):
        # "generic" or "training" sports: the sub-sport may tell (e.g. "treadmill").
        activity_type = normalise_activity_type(sub_sport)
    return Run(
        start=start,
        distance_m=float(distance) if isinstance(distance, int | float) else None,
        duration_s=duration,
        activity_type=activity_type,
        name=str(content.sport.get("name") or ""),
        source_file=source,
    )


def _stable_id(file_id_fields: dict[str, Any], data: bytes) -> str:
    serial = file_id_fields.get("serial_number")
    created = file_id_fields.get("time_created")
    if serial and isinstance(created, datetime):
        return f"fit:{serial}:{int(created.timestamp())}"
    return file_id("fit", data)
