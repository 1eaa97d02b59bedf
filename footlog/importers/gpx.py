"""GPX track files (from watches, phones, Strava's export), read with gpxpy.

One run per track that has timed points. Distance is the sum of great-circle (haversine)
distances between consecutive points of each segment, in metres, without elevation (2D) and
without the gaps between segments (a paused recording). Start and duration come from the
first and last timed point (elapsed time, pauses included). The activity type comes from
the track's `<type>` when present (Strava writes "running" or a number such as 9), else "run":
a GPX file given to footlog is most likely a run.

A file that ends mid-document (cut off in transfer) is read up to its last complete element;
its tracks are marked `incomplete`, so that the complete file, imported later, replaces them.
"""

from __future__ import annotations

from datetime import UTC
from itertools import pairwise
from pathlib import PurePath

import gpxpy
import gpxpy.gpx
from gpxpy.geo import haversine_distance

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import (
    ENDS_EARLY,
    ImportedRuns,
    Importer,
    ImportOptions,
    file_id,
)
from footlog.importers.cells import close_cut_xml, xml_text
from footlog.importers.registry import register


@register
class GpxImporter(Importer):
    """GPX 1.0 / 1.1 tracks."""

    name = "GPX"
    priority = 10
    # gpxpy's objects take up to 18 times the file (short points without extensions): 32 MB
    # (a day or two at one point a second) keeps the import well under 1 GB.
    max_bytes = 32_000_000

    def recognises(self, path: PurePath, head: bytes) -> bool:
        return path.suffix.lower() == ".gpx" or b"<gpx" in head[:2048]

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
            gpx = gpxpy.parse(text)
        except (gpxpy.gpx.GPXException, ValueError) as exc:
            closed = close_cut_xml(text) if text else None
            try:
                if closed is None:
                    raise exc
                gpx = gpxpy.parse(closed)
            except (gpxpy.gpx.GPXException, ValueError):
                result.error(source, f"not a valid GPX file ({_first_line(exc)})")
                return result
            incomplete = True
            result.error(source, ENDS_EARLY)
        tracks = [track for track in gpx.tracks if track.get_points_no()]
        if not tracks:
            what = "a planned route" if gpx.routes else "waypoints only"
            result.error(source, f"holds {what}, not a recorded track")
            return result
        base_id = file_id("gpx", data)
        for number, track in enumerate(tracks, start=1):
            bounds = track.get_time_bounds()
            if bounds.start_time is None or bounds.end_time is None:
                result.error(source, f"track {number} has no times; footlog needs the date")
                continue
            start = bounds.start_time
            if start.tzinfo is None:  # GPX times are UTC by the standard
                start = start.replace(tzinfo=UTC)
            result.runs.append(
                Run(
                    start=start,
                    distance_m=_track_length_m(track),
                    duration_s=(bounds.end_time - bounds.start_time).total_seconds(),
                    activity_type=normalise_activity_type(track.type) if track.type else "run",
                    name=track.name or gpx.name or "",
                    description=track.description or gpx.description or "",
                    source_file=source,
                    external_id=base_id if len(tracks) == 1 else f"{base_id}:{number}",
                    incomplete=incomplete,
                )
            )
        return result


def _track_length_m(track: gpxpy.gpx.GPXTrack) -> float:
    """Metres along the track: haversine between consecutive points, segment by segment."""
    total = 0.0
    for segment in track.segments:
        for a, b in pairwise(segment.points):
            total += haversine_distance(a.latitude, a.longitude, b.latitude, b.longitude)
    return total


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
