"""Garmin Training Center XML (TCX) activity files, read with xml.etree.

One run per `<Activity>`: its `Sport` attribute ("Running", "Biking", "Other"), its `<Id>` (the
start time, ISO 8601, UTC), the sums of its laps' `<TotalTimeSeconds>` (seconds) and
`<DistanceMeters>` (metres), and its `<Notes>` as description. When the laps lack a distance,
the last track point's cumulative `<DistanceMeters>` is used. Elements are matched by local
name, so the TCX v2 namespace, another version's, or none at all all read the same.

A file that ends mid-document (cut off in transfer) is read up to its last complete element;
its activities are marked `incomplete`, so that the complete file, imported later, replaces
them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import PurePath

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import ENDS_EARLY, ImportedRuns, Importer, ImportOptions
from footlog.importers.cells import close_cut_xml, parse_number, xml_text
from footlog.importers.dates import parse_datetime
from footlog.importers.registry import register


def _local(tag: str) -> str:
    """`{namespace}Lap` -> `Lap`."""
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _descendants(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (node for node in element.iter() if _local(node.tag) == name)


def _text(element: ET.Element, name: str) -> str:
    child = next(_children(element, name), None)
    return (child.text or "").strip() if child is not None else ""


@register
class TcxImporter(Importer):
    """TCX activities (not courses or workouts, which have no times)."""

    name = "TCX"
    priority = 10
    # The text and ElementTree's tree take about 8 times the file: 64 MB (two days at one
    # point a second) keeps the import well under 1 GB.
    max_bytes = 64_000_000

    def recognises(self, path: PurePath, head: bytes) -> bool:
        return path.suffix.lower() == ".tcx" or b"<TrainingCenterDatabase" in head[:4096]

    def read_bytes(
        self, data: bytes, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        result = ImportedRuns()
        if not data.strip():
            result.error(source, "the file is empty")
            return result
        text = ""
        incomplete = False
        try:
            text = xml_text(data)
            root = ET.fromstring(text)
        except (ET.ParseError, ValueError) as exc:
            closed = close_cut_xml(text) if text else None
            try:
                if closed is None:
                    raise exc
                root = ET.fromstring(closed)
            except (ET.ParseError, ValueError):
                result.error(source, f"not valid XML ({exc})")
                return result
            incomplete = True
            result.error(source, ENDS_EARLY)
        if _local(root.tag) != "TrainingCenterDatabase":
            result.error(source, f"not a TCX file (its root element is <{_local(root.tag)}>)")
            return result
        activities = list(_descendants(root, "Activity"))
        if not activities:
            has_course = next(_descendants(root, "Course"), None) is not None
            result.error(source, "holds a course, not an activity" if has_course else
                         "holds no activity")  # fmt: skip
            return result
        for number, activity in enumerate(activities, start=1):
            run = _read_activity(activity, source, number, result)
            if run is not None:
                run.incomplete = incomplete
                result.runs.append(run)
        return result


def _read_activity(
    activity: ET.Element, source: str, number: int, result: ImportedRuns
) -> Run | None:
    laps = list(_children(activity, "Lap"))
    start_text = _text(activity, "Id") or (laps[0].get("StartTime", "") if laps else "")
    try:
        start = parse_datetime(start_text, zone=UTC)  # TCX times are UTC ("...Z")
    except ValueError as exc:
        result.error(source, f"activity {number}: start time: {exc}")
        return None
    try:
        duration = _sum(laps, "TotalTimeSeconds")
        distance = _sum(laps, "DistanceMeters")
        if distance is None:
            distance = _last_track_distance(activity)
    except ValueError as exc:
        result.error(source, f"activity {number}: {exc}")
        return None
    return Run(
        start=start,
        distance_m=distance,
        duration_s=duration,
        activity_type=normalise_activity_type(activity.get("Sport", "")),
        description=_text(activity, "Notes"),
        source_file=source,
        external_id=f"tcx:{_utc_text(start)}",
    )


def _utc_text(start: datetime) -> str:
    """The start in UTC as ISO text: the activity's id. At the ends of the calendar
    (9999-12-31T23:00-05:00) the shift overflows; the time as written is used, and saving
    then rejects the date with its reason."""
    try:
        return start.astimezone(UTC).isoformat()
    except OverflowError:
        return start.isoformat()


def _sum(laps: list[ET.Element], name: str) -> float | None:
    """The sum of a number over the laps that have it, or None when none has it."""
    values = [parse_number(_text(lap, name)) for lap in laps if _text(lap, name)]
    numbers = [value for value in values if value is not None]
    return sum(numbers) if numbers else None


def _last_track_distance(activity: ET.Element) -> float | None:
    """The cumulative distance of the last track point that has one, in metres."""
    last = None
    for point in _descendants(activity, "Trackpoint"):
        text = _text(point, "DistanceMeters")
        if text:
            last = text
    return parse_number(last) if last else None
