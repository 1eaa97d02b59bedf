"""intervals.icu's activities CSV ("Download all activities in CSV format" on the calendar).

intervals.icu gathers activities from Garmin, Coros, Suunto, Polar, Wahoo and Strava, so its
CSV is one file for a runner whatever watch they wear. Columns, as intervals.icu documents
them: "id", "start_date_local" (ISO 8601 wall-clock time where the activity happened, e.g.
2020-04-04T08:30:34), "name", "type" (Strava's types: Run, Ride, Walk, ...), "moving_time"
and "elapsed_time" (seconds), "distance" (metres), then dozens of computed "icu_*" fields.

- The distance is in metres whatever the person's display unit: the file says so by its
  layout, not its header, which is why the plain-CSV reader (kilometres unless told) must not
  read it.
- The start is read in `ImportOptions.local_tz` (default: this computer's zone), as the file
  gives wall-clock time only.
- An activity that came from Strava keeps Strava's id in "id" (digits); one from another
  source has intervals.icu's own ("i12345"). A Strava id becomes the same external id as
  footlog's Strava importer gives it, so an activity imported from both is one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from footlog.domain.runs import Run, normalise_activity_type
from footlog.importers.base import (
    ImportedRuns,
    ImportOptions,
    RowIds,
    RowImporter,
)
from footlog.importers.cells import (
    CsvTable,
    cell,
    first_csv_row,
    open_table_rows,
    parse_number,
)
from footlog.importers.dates import parse_datetime
from footlog.importers.registry import register
from footlog.importers.streams import ByteSource

_START = "start date local"
# Elapsed time first: footlog's duration is time from start to finish, pauses included.
_DURATION = ("elapsed time", "moving time")


@dataclass
class _Columns:
    id: int | None
    start: int
    type: int | None
    name: int | None
    distance: int
    duration: int | None

    @classmethod
    def find(cls, table: CsvTable) -> _Columns | None:
        start, distance = table.index(_START), table.index("distance")
        if start is None or distance is None:
            return None
        return cls(id=table.index("id"), start=start, type=table.index("type"),
                   name=table.index("name"), distance=distance,
                   duration=table.index(*_DURATION))


@register
class IntervalsCsvImporter(RowImporter):
    """intervals.icu activities CSV."""

    name = "intervals.icu activities CSV"
    priority = 25  # before the plain CSV, which would read its metres as kilometres

    def recognises(self, path: PurePath, head: bytes) -> bool:
        keys = first_csv_row(head)
        if not keys:
            return False
        return _START in keys and "distance" in keys and any(k in keys for k in _DURATION)

    def read_source(
        self, data: ByteSource, source: str, options: ImportOptions | None = None
    ) -> ImportedRuns:
        options = options or ImportOptions()
        result = ImportedRuns()
        opened = open_table_rows(
            data, source, result.error, _Columns.find,
            "an intervals.icu activities CSV needs the columns start_date_local and distance",
        )
        if opened is None:
            return result
        _table, columns, rows = opened
        ids = RowIds("intervals-icu")
        for line, cells in rows:
            run = _read_row(cells, columns, options, source, line, result)
            if run is None:
                continue
            given = cell(cells, columns.id)
            if given.isdigit():
                run.external_id = f"strava:{given}"  # as footlog's Strava importer names it
            elif given:
                run.external_id = f"intervals-icu:{given}"
            else:
                run.external_id = ids.next(cell(cells, columns.start), run.distance_m)
            result.runs.append(run)
        return result


def _read_row(cells: list[str], columns: _Columns, options: ImportOptions, source: str,
              line: int, result: ImportedRuns) -> Run | None:
    """One activity, or None after recording why the row cannot be read."""
    try:
        start = parse_datetime(cell(cells, columns.start), zone=options.local_tz)
    except ValueError as exc:
        result.error(source, f"start_date_local: {exc}", line)
        return None
    numbers: dict[str, float | None] = {}
    for key, index in (("distance", columns.distance), ("time", columns.duration)):
        try:
            numbers[key] = parse_number(cell(cells, index))
        except ValueError as exc:
            result.error(source, f"{key}: {exc}", line)
            return None
    return Run(
        start=start,
        distance_m=numbers["distance"],  # metres, always
        duration_s=numbers["time"],  # seconds
        activity_type=normalise_activity_type(cell(cells, columns.type) or "run"),
        name=cell(cells, columns.name),
        source_file=source,
        source_line=line,
    )
