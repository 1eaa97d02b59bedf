"""The timeline of one person read from the library: photos, runs and events, built into
`footlog.domain.timeline.TimelineData` (which the charts and the window draw)."""

from __future__ import annotations

from datetime import date

from footlog.domain.timeline import TimelineData, build_timeline
from footlog.storage.library import Library, Person
from footlog.storage.photo_store import list_photos
from footlog.storage.run_store import list_events, mileage_rows


def load_timeline(
    lib: Library,
    person: Person | None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> TimelineData:
    """Read the person's photos, runs and events and build the timeline.

    Runs are read lean (`mileage_rows`: day, footwear, distance) and summed with numpy.
    """
    return build_timeline(
        list_photos(lib, person),
        [],
        list_events(lib, person),
        person.name if person else "",
        date_from,
        date_to,
        mileage=mileage_rows(lib, person),
    )
