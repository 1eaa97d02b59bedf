"""Garmin's full-account export ("Export Your Data" on garmin.com): its activity summaries.

The export is a zip of folders; the activities are in
`DI_CONNECT/DI-Connect-Fitness/<login>_0_summarizedActivities.json` (one or more parts): a
JSON list holding `{"summarizedActivitiesExport": [activity, ...]}`. Each activity gives:

- `activityId`, `name`, `activityType` (Garmin's type key: "running", "trail_running",
  "treadmill_running", "walking", "cycling", ...; older exports: `sportType` "RUNNING");
- `startTimeGmt` (milliseconds since 1970 UTC; `startTimeLocal` is the same instant shifted
  to the watch's zone and is used, in `ImportOptions.local_tz`, only when the UTC one is
  missing);
- `distance` in **centimetres**, `elapsedDuration` and `duration` in **milliseconds**.

The same export holds the original files of most activities as FIT files in nested zips
(`DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`): the registry does not read them
again once it has read this file (registry.SUMMARY_COVERS), as they are the same activities.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Any

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import ImportedRuns, Importer, ImportOptions
from footlog.importers.dates import attach_zone
from footlog.importers.registry import is_summary, register

_CM_PER_M = 100.0
_MS_PER_S = 1000.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@register
class GarminExportImporter(Importer):
    """Garmin full-account export: summarizedActivities.json."""

    name = "Garmin account export"
    priority = 20

    def recognises(self, path: PurePath, head: bytes) -> bool:
        return is_summary(path) and head.lstrip()[:1] in (b"[", b"{")

    def read_bytes(
        self, data: bytes, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        options = options or ImportOptions()
        result = ImportedRuns()
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            result.error(source, f"not readable JSON ({exc})")
            return result
        parts = document if isinstance(document, list) else [document]
        activities = [a for part in parts if isinstance(part, dict)
                      for a in part.get("summarizedActivitiesExport") or []]
        if not activities:
            result.error(source, "holds no summarizedActivitiesExport list")
            return result
        for index, activity in enumerate(activities, start=1):
            run = _activity(activity, options, source, index, result)
            if run is not None:
                result.runs.append(run)
        return result


def _activity(activity: Any, options: ImportOptions, source: str, index: int,
              result: ImportedRuns) -> Run | None:
    """One activity (`index`: its place in the file, for messages), or None after saying why."""
    where = f"activity {index}"
    if not isinstance(activity, dict):
        result.error(source, f"{where}: not an object")
        return None
    try:
        start = _start(activity, options)
        distance = _number(activity.get("distance"))
        elapsed = _number(activity.get("elapsedDuration"))
        duration = elapsed if elapsed is not None else _number(activity.get("duration"))
    except (TypeError, ValueError, OverflowError) as exc:
        result.error(source, f"{where} ({activity.get('activityId', 'no id')}): {exc}")
        return None
    kind = activity.get("activityType") or activity.get("sportType") or "other"
    if isinstance(kind, dict):  # some exports nest it: {"typeKey": "running"}
        kind = kind.get("typeKey") or "other"
    activity_id = activity.get("activityId")
    return Run(
        start=start,
        distance_m=None if distance is None else distance / _CM_PER_M,
        duration_s=None if duration is None else duration / _MS_PER_S,
        activity_type=normalise_activity_type(str(kind)),
        name=str(activity.get("name") or ""),
        source_file=source,
        external_id=None if activity_id is None else f"garmin:{activity_id}",
    )


def _start(activity: dict[str, Any], options: ImportOptions) -> datetime:
    gmt, local = activity.get("startTimeGmt"), activity.get("startTimeLocal")
    if gmt is not None:
        return _EPOCH + timedelta(milliseconds=float(gmt))
    if local is not None:  # the watch's wall clock written as if it were UTC
        wall = (_EPOCH + timedelta(milliseconds=float(local))).replace(tzinfo=None)
        return attach_zone(wall, options.local_tz)
    raise ValueError("no start time (startTimeGmt)")


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    if number != number or number < 0:  # NaN or negative: not a distance or a duration
        raise ValueError(f"not a distance or duration: {value!r}")
    return number
